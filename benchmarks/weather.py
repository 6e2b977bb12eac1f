"""The polled weather flow N times through the shim and hand-written on the Responses API, over loopback.

    python benchmarks/weather.py [-n 30] [--profile]

What is timed, per flow, on each side, is the user-visible flow of the Assistants docs' function-calling
example from thread creation on; the assistant is created once beforehand (the native side has none):

- shim: ``threads.create``, ``messages.create``, ``runs.create_and_poll`` (it stops at ``requires_action``),
  ``runs.submit_tool_outputs_and_poll``, ``messages.list``;
- native: ``conversations.create``, ``conversations.items.create``, ``responses.create``, ``responses.create``
  with the tool outputs, ``conversations.items.list``, with the parameters the shim sends for the assistant's
  defaults (``parallel_tool_calls``, ``truncation``, the list's ``order`` and ``limit``: 20, where the shim
  asks for 21 to learn ``has_more``).

Both talk to one emulator HTTP server on 127.0.0.1 in a child process, taking turns flow by flow, after one
warm-up flow each. Printed: HTTP requests per flow, median time per flow, the shim/native ratios, and the
requests of one flow of each side (method, path and parameter names), checked to be the same.

With ``--profile``, N more flows of each side run under cProfile and their own time is broken down by bucket
of code (store, database driver, translation, model building, json, HTTP, ...; see ``_profile.py``), per
flow for each side and as the shim's difference from native; also the shim's SQL statements, commits and
store calls per flow.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openai
from _profile import CountingStore, Profiled, profile
from _server import Flow, RequestLog, emulator_process, print_requests

import compat
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


def shim_flow(client: compat.OpenAI, assistant_id: str) -> None:
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content=USER_MESSAGE)
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant_id)
    assert run.required_action is not None
    outputs: list[Any] = [
        {"tool_call_id": call.id, "output": OUTPUTS[call.function.name]}
        for call in run.required_action.submit_tool_outputs.tool_calls
    ]
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id, run_id=run.id, tool_outputs=outputs
    )
    assert run.status == "completed"
    messages = client.beta.threads.messages.list(thread_id=thread.id)
    assert len(messages.data) == 2


def native_flow(client: openai.OpenAI) -> None:
    tools: list[Any] = [{"type": "function", **tool["function"], "strict": False} for tool in TOOLS]
    conversation = client.conversations.create()
    client.conversations.items.create(
        conversation.id,
        items=[{"type": "message", "role": "user", "content": [{"type": "input_text", "text": USER_MESSAGE}]}],
    )
    settings: dict[str, Any] = {"parallel_tool_calls": True, "truncation": "auto"}  # the assistant's defaults
    response = client.responses.create(
        model=MODEL, instructions=INSTRUCTIONS, tools=tools, conversation=conversation.id, **settings
    )
    outputs: list[Any] = [
        {"type": "function_call_output", "call_id": item.call_id, "output": OUTPUTS[item.name]}
        for item in response.output
        if item.type == "function_call"
    ]
    response = client.responses.create(
        model=MODEL, instructions=INSTRUCTIONS, tools=tools, conversation=conversation.id, input=outputs, **settings
    )
    assert response.status == "completed"
    items = client.conversations.items.list(conversation.id, order="desc", limit=20)
    assert len(items.data) >= 2


class Side:
    """One way of running the flow: the flow, the requests and the times of its timed runs."""

    def __init__(self, name: str, flow: Callable[[], None], log: RequestLog) -> None:
        self.name = name
        self.flow = flow
        self.log = log
        self.requests: list[Flow] = []
        self.seconds: list[float] = []

    def run(self, *, timed: bool) -> None:
        start = time.perf_counter()
        self.flow()
        seconds = time.perf_counter() - start
        requests = self.log.take()
        if timed:
            self.seconds.append(seconds)
            self.requests.append(requests)

    def report(self) -> tuple[float, float]:
        """Prints and returns (requests per flow, median seconds per flow)."""
        requests = statistics.mean(len(flow) for flow in self.requests)
        seconds = statistics.median(self.seconds)
        print(f"{self.name + ':':7} {requests:5.1f} HTTP requests/flow  {seconds * 1000:7.2f} ms/flow (median)")
        return requests, seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", type=int, default=30, help="flows per side (default 30)")
    parser.add_argument("--profile", action="store_true", help="then N flows per side under cProfile, by bucket")
    args = parser.parse_args(argv)
    flows = 2 * (args.n + 1) * (2 if args.profile else 1)
    turns = [Turn.function_calls(*CALLS), Turn.text("It is 57°F with a 6% chance of rain.")] * flows
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
            sides = [
                Side("shim", lambda: shim_flow(shim, assistant.id), log),
                Side("native", lambda: native_flow(native), log),
            ]
            for round_ in range(args.n + 1):
                for side in sides:
                    side.run(timed=round_ > 0)
            print(f"weather flow x{args.n} against the emulator on {base_url}")
            shim_requests, shim_seconds = sides[0].report()
            native_requests, native_seconds = sides[1].report()
            ratio_requests, ratio_time = shim_requests / native_requests, shim_seconds / native_seconds
            print(f"ratio (shim/native): requests {ratio_requests:.2f}x  time {ratio_time:.2f}x")
            print_requests([("native:", sides[1].requests), ("shim:", sides[0].requests)])
            if args.profile:
                counting = CountingStore(store)
                with shim_client(counting.as_store()) as counted:
                    profiled = [
                        Profiled("shim", lambda: shim_flow(counted, assistant.id), counting),
                        Profiled("native", lambda: native_flow(native)),
                    ]
                    profile(profiled, args.n, reference=profiled[1])
        finally:
            shim.close()
            native.close()
            store.close()


if __name__ == "__main__":
    main()
