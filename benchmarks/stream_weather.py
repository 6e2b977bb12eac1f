"""The streamed weather flow through the shim and consumed natively from the Responses API, over loopback.

    python benchmarks/stream_weather.py [-n 30] [--profile]

What is timed, per flow, is the user-visible streamed flow from thread (conversation) creation on: the time to
the first text delta and the total. The assistant is created once beforehand (the native side has none). Three
sides, taking turns flow by flow after one warm-up flow each:

- shim, handler: the docs' streaming example, an ``AssistantEventHandler`` whose ``on_event`` answers
  ``thread.run.requires_action`` with ``submit_tool_outputs_stream`` and reads ``text_deltas``;
- shim, stream=True: the same flow on ``runs.create(stream=True)`` and ``runs.submit_tool_outputs(stream=True)``
  event iterators, without the SDK's event-handler helper (which separates the shim's cost from the helper's);
- native Responses: ``conversations.create``, ``conversations.items.create`` and the same two turns with
  ``responses.create(stream=True)``, with the parameters the shim sends for the assistant's defaults
  (``parallel_tool_calls``, ``truncation``).

All talk to one emulator HTTP server on 127.0.0.1 in a child process. Printed: the medians, the shim - native
differences, and the requests of one flow of each side (method, path and parameter names), checked to be the
same.

With ``--profile``, N more flows of each side run under cProfile and their own time is broken down by bucket
of code (store, database driver, translation, model building, json, HTTP, SDK stream helpers, ...; see
``_profile.py``), per flow for each side and as each shim side's difference from native; also the shim's SQL
statements, commits and store calls per flow.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openai
from _profile import CountingStore, Profiled, profile
from _server import Flow, RequestLog, emulator_process, print_requests
from openai.types.beta import AssistantStreamEvent
from typing_extensions import override

import compat
from compat import AssistantEventHandler
from compat.demo import INSTRUCTIONS, MODEL, TOOLS, USER_MESSAGE
from compat.emulator import Turn
from compat.store import Store, open_store

# the requests the shim sends to OpenAI (the emulator on 127.0.0.1 would get no `truncation`)
os.environ.setdefault("COMPAT_AUTO_TRUNCATION", "1")

CALLS = (
    ("get_current_temperature", {"location": "San Francisco, CA", "unit": "Fahrenheit"}),
    ("get_rain_probability", {"location": "San Francisco, CA"}),
)
OUTPUTS = {"get_current_temperature": "57", "get_rain_probability": "0.06"}
ANSWER = "It is 57°F in San Francisco today, with a 6% chance of rain: no umbrella needed."

Timing = tuple[float, float]
"""(seconds to the first text delta, seconds to the end of the flow), both from the start of the flow."""


class _Clock:
    """Start time and first-delta time of one flow."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.first_delta: float | None = None

    def delta(self) -> None:
        if self.first_delta is None:
            self.first_delta = time.perf_counter()

    def timing(self) -> Timing:
        assert self.first_delta is not None, "the flow streamed no text"
        return self.first_delta - self.start, time.perf_counter() - self.start


def shim_flow(client: compat.OpenAI, assistant_id: str) -> Timing:
    clock = _Clock()
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content=USER_MESSAGE)

    class EventHandler(AssistantEventHandler):
        @override
        def on_event(self, event: AssistantStreamEvent) -> None:
            if event.event == "thread.run.requires_action":
                assert event.data.required_action is not None
                outputs: list[Any] = [
                    {"tool_call_id": call.id, "output": OUTPUTS[call.function.name]}
                    for call in event.data.required_action.submit_tool_outputs.tool_calls
                ]
                with client.beta.threads.runs.submit_tool_outputs_stream(
                    thread_id=thread.id, run_id=event.data.id, tool_outputs=outputs, event_handler=EventHandler()
                ) as stream:
                    for _text in stream.text_deltas:
                        clock.delta()

    with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant_id, event_handler=EventHandler()
    ) as stream:
        stream.until_done()
    return clock.timing()


def shim_raw_flow(client: compat.OpenAI, assistant_id: str) -> Timing:
    """The same flow on ``stream=True`` event iterators, without the SDK's event-handler helper."""
    clock = _Clock()
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content=USER_MESSAGE)
    outputs: list[Any] = []
    run_id = ""
    with client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant_id, stream=True) as events:
        for event in events:
            if event.event == "thread.run.requires_action":
                assert event.data.required_action is not None
                run_id = event.data.id
                outputs = [
                    {"tool_call_id": call.id, "output": OUTPUTS[call.function.name]}
                    for call in event.data.required_action.submit_tool_outputs.tool_calls
                ]
    with client.beta.threads.runs.submit_tool_outputs(
        thread_id=thread.id, run_id=run_id, tool_outputs=outputs, stream=True
    ) as events:
        for event in events:
            if event.event == "thread.message.delta":
                clock.delta()
    return clock.timing()


def native_flow(client: openai.OpenAI) -> Timing:
    tools: list[Any] = [{"type": "function", **tool["function"], "strict": False} for tool in TOOLS]
    clock = _Clock()
    conversation = client.conversations.create()
    client.conversations.items.create(
        conversation.id,
        items=[{"type": "message", "role": "user", "content": [{"type": "input_text", "text": USER_MESSAGE}]}],
    )
    outputs: list[Any] = []
    settings: dict[str, Any] = {"parallel_tool_calls": True, "truncation": "auto"}  # the assistant's defaults
    with client.responses.create(
        model=MODEL, instructions=INSTRUCTIONS, tools=tools, conversation=conversation.id, stream=True, **settings
    ) as events:
        for event in events:
            if event.type == "response.output_item.done" and event.item.type == "function_call":
                outputs.append(
                    {"type": "function_call_output", "call_id": event.item.call_id, "output": OUTPUTS[event.item.name]}
                )
    with client.responses.create(
        model=MODEL,
        instructions=INSTRUCTIONS,
        tools=tools,
        conversation=conversation.id,
        input=outputs,
        stream=True,
        **settings,
    ) as events:
        for event in events:
            if event.type == "response.output_text.delta":
                clock.delta()
    return clock.timing()


class Side:
    """One way of running the flow: the flow, and the timings and requests of its timed runs."""

    def __init__(self, name: str, flow: Callable[[], Timing], log: RequestLog) -> None:
        self.name = name
        self.flow = flow
        self.log = log
        self.timings: list[Timing] = []
        self.requests: list[Flow] = []

    def run(self, *, timed: bool) -> None:
        timing = self.flow()
        requests = self.log.take()
        if timed:
            self.timings.append(timing)
            self.requests.append(requests)


def measure(n: int, sides: Sequence[Side]) -> None:
    """Runs each side ``n`` times after one warm-up run; the sides take turns, so that a slower moment of the
    machine weighs on all of them alike."""
    for round_ in range(n + 1):
        for side in sides:
            side.run(timed=round_ > 0)


def report(name: str, timings: list[Timing]) -> Timing:
    first = statistics.median(t[0] for t in timings)
    total = statistics.median(t[1] for t in timings)
    print(f"{name:18} first text delta {first * 1000:7.2f} ms   total {total * 1000:7.2f} ms   (medians)")
    return first, total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", type=int, default=30, help="flows per side (default 30)")
    parser.add_argument("--profile", action="store_true", help="then N flows per side under cProfile, by bucket")
    args = parser.parse_args(argv)
    flows = 3 * (args.n + 1) * (2 if args.profile else 1)
    turns = [Turn.function_calls(*CALLS), Turn.text(ANSWER)] * flows
    log = RequestLog()
    with emulator_process(turns) as base_url, tempfile.TemporaryDirectory() as directory:
        store = open_store(f"sqlite:///{Path(directory) / 's.db'}")

        def shim_client(store: Store) -> compat.OpenAI:
            return compat.OpenAI(
                api_key="bench", base_url=base_url, max_retries=0, http_client=log.client(), store=store
            )

        shim = shim_client(store)
        native = openai.OpenAI(api_key="bench", base_url=base_url, max_retries=0, http_client=log.client())
        try:
            assistant = shim.beta.assistants.create(instructions=INSTRUCTIONS, model=MODEL, tools=TOOLS)
            log.take()  # the assistant lives in the store: no request, and not part of the flow anyway
            handler, raw, direct = sides = [
                Side("shim, handler:", lambda: shim_flow(shim, assistant.id), log),
                Side("shim, stream=True:", lambda: shim_raw_flow(shim, assistant.id), log),
                Side("native Responses:", lambda: native_flow(native), log),
            ]
            measure(args.n, sides)
            print(f"streamed weather flow x{args.n} against the emulator on {base_url}")
            native_timing = report(direct.name, direct.timings)
            for side in (handler, raw):
                first, total = report(side.name, side.timings)
                print(
                    f"{'':18} added: first text delta {(first - native_timing[0]) * 1000:+.2f} ms"
                    f" ({first / native_timing[0]:.2f}x),"
                    f" total {(total - native_timing[1]) * 1000:+.2f} ms ({total / native_timing[1]:.2f}x)"
                )
            print_requests([(side.name, side.requests) for side in (direct, handler, raw)])
            if args.profile:
                counting = CountingStore(store)
                with shim_client(counting.as_store()) as counted:
                    profiled = [
                        Profiled("handler", lambda: shim_flow(counted, assistant.id), counting),
                        Profiled("stream=True", lambda: shim_raw_flow(counted, assistant.id), counting),
                        Profiled("native", lambda: native_flow(native)),
                    ]
                    profile(profiled, args.n, reference=profiled[2])
        finally:
            shim.close()
            native.close()
            store.close()


if __name__ == "__main__":
    main()
