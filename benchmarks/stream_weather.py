"""The streamed weather flow through the shim and consumed natively from the Responses API, over loopback.

    python benchmarks/stream_weather.py [-n 30]

The shim side is the docs' streaming example: an ``AssistantEventHandler`` whose ``on_event`` answers
``thread.run.requires_action`` with ``submit_tool_outputs_stream`` and reads ``text_deltas``. The native side
streams the same two turns with ``responses.create(stream=True)`` on a conversation. Both talk to one emulator
HTTP server on 127.0.0.1 in a child process. Each flow starts at thread (conversation) creation; printed are the
median time to the first text delta, the median total time, and the shim - native differences.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openai
from _server import emulator_process
from openai.types.beta import AssistantStreamEvent
from typing_extensions import override

import compat
from compat import AssistantEventHandler
from compat.demo import INSTRUCTIONS, MODEL, TOOLS, USER_MESSAGE
from compat.emulator import Turn

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
    with client.responses.create(
        model=MODEL, instructions=INSTRUCTIONS, tools=tools, conversation=conversation.id, stream=True
    ) as events:
        for event in events:
            if event.type == "response.output_item.done" and event.item.type == "function_call":
                outputs.append(
                    {"type": "function_call_output", "call_id": event.item.call_id, "output": OUTPUTS[event.item.name]}
                )
    with client.responses.create(
        model=MODEL, instructions=INSTRUCTIONS, tools=tools, conversation=conversation.id, input=outputs, stream=True
    ) as events:
        for event in events:
            if event.type == "response.output_text.delta":
                clock.delta()
    return clock.timing()


def measure(n: int, flows: Sequence[Callable[[], Timing]]) -> list[list[Timing]]:
    """The timings of ``n`` runs of each flow, after one warm-up run; the flows take turns, so that a
    slower moment of the machine weighs on all of them alike."""
    timings: list[list[Timing]] = [[] for _ in flows]
    for round_ in range(n + 1):
        for flow, times in zip(flows, timings, strict=True):
            timing = flow()
            if round_:
                times.append(timing)
    return timings


def report(name: str, timings: list[Timing]) -> Timing:
    first = statistics.median(t[0] for t in timings)
    total = statistics.median(t[1] for t in timings)
    print(f"{name:18} first text delta {first * 1000:7.2f} ms   total {total * 1000:7.2f} ms   (medians)")
    return first, total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", type=int, default=30, help="flows per side (default 30)")
    args = parser.parse_args(argv)
    turns = [Turn.function_calls(*CALLS), Turn.text(ANSWER)] * (3 * args.n + 3)
    with emulator_process(turns) as base_url, tempfile.TemporaryDirectory() as directory:
        shim = compat.OpenAI(
            api_key="bench", base_url=base_url, max_retries=0, store=f"sqlite:///{Path(directory) / 's.db'}"
        )
        native = openai.OpenAI(api_key="bench", base_url=base_url, max_retries=0)
        with shim, native:
            assistant = shim.beta.assistants.create(instructions=INSTRUCTIONS, model=MODEL, tools=TOOLS)
            handler, raw, direct = measure(
                args.n,
                [
                    lambda: shim_flow(shim, assistant.id),
                    lambda: shim_raw_flow(shim, assistant.id),
                    lambda: native_flow(native),
                ],
            )
        shim.compat_context.store.close()
    print(f"streamed weather flow x{args.n} against the emulator on {base_url}")
    native = report("native Responses:", direct)
    for name, timings in (("shim, handler:", handler), ("shim, stream=True:", raw)):
        first, total = report(name, timings)
        print(
            f"{'':18} added: first text delta {(first - native[0]) * 1000:+.2f} ms ({first / native[0]:.2f}x),"
            f" total {(total - native[1]) * 1000:+.2f} ms ({total / native[1]:.2f}x)"
        )


if __name__ == "__main__":
    main()
