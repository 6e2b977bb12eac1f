"""The weather flow N times through the shim and hand-written on the Responses API, over loopback.

    python benchmarks/weather.py [-n 30]

Both talk to one emulator HTTP server on 127.0.0.1 in a child process, taking turns flow by flow; prints
HTTP requests per flow, median time per flow and the shim/native ratios.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openai
from _server import RequestCounter, emulator_process

import compat
from compat.demo import INSTRUCTIONS, MODEL, TOOLS, USER_MESSAGE
from compat.emulator import Turn

CALLS = (
    ("get_current_temperature", {"location": "San Francisco, CA", "unit": "Fahrenheit"}),
    ("get_rain_probability", {"location": "San Francisco, CA"}),
)
OUTPUTS = {"get_current_temperature": "57", "get_rain_probability": "0.06"}


def shim_flow(client: compat.OpenAI) -> None:
    assistant = client.beta.assistants.create(instructions=INSTRUCTIONS, model=MODEL, tools=TOOLS)
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content=USER_MESSAGE)
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
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
    response = client.responses.create(
        model=MODEL, instructions=INSTRUCTIONS, tools=tools, conversation=conversation.id
    )
    outputs: list[Any] = [
        {"type": "function_call_output", "call_id": item.call_id, "output": OUTPUTS[item.name]}
        for item in response.output
        if item.type == "function_call"
    ]
    response = client.responses.create(
        model=MODEL, instructions=INSTRUCTIONS, tools=tools, conversation=conversation.id, input=outputs
    )
    assert response.status == "completed"
    items = client.conversations.items.list(conversation.id)
    assert len(items.data) >= 2


class Side:
    """One way of running the flow: its client, its request counter and its timings."""

    def __init__(self, flow: Callable[[], None], counter: RequestCounter) -> None:
        self.flow = flow
        self.counter = counter
        self.seconds: list[float] = []

    def run(self, *, timed: bool) -> None:
        start = time.perf_counter()
        self.flow()
        if timed:
            self.seconds.append(time.perf_counter() - start)

    def report(self, name: str, n: int) -> tuple[float, float]:
        """Prints and returns (requests per flow, median seconds per flow)."""
        requests = self.counter.count / (n + 1)
        seconds = statistics.median(self.seconds)
        print(f"{name:7} {requests:5.1f} HTTP requests/flow  {seconds * 1000:7.2f} ms/flow (median)")
        return requests, seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", type=int, default=30, help="flows per side (default 30)")
    args = parser.parse_args(argv)
    turns = [Turn.function_calls(*CALLS), Turn.text("It is 57°F with a 6% chance of rain.")] * (2 * args.n + 2)
    shim_counter, native_counter = RequestCounter(), RequestCounter()
    with emulator_process(turns) as base_url, tempfile.TemporaryDirectory() as directory:
        shim = compat.OpenAI(
            api_key="bench",
            base_url=base_url,
            max_retries=0,
            http_client=shim_counter.client(),
            store=f"sqlite:///{Path(directory) / 's.db'}",
        )
        native = openai.OpenAI(api_key="bench", base_url=base_url, max_retries=0, http_client=native_counter.client())
        sides = [Side(lambda: shim_flow(shim), shim_counter), Side(lambda: native_flow(native), native_counter)]
        with shim, native:
            for round_ in range(args.n + 1):
                for side in sides:
                    side.run(timed=round_ > 0)
        shim.compat_context.store.close()
    print(f"weather flow x{args.n} against the emulator on {base_url}")
    shim_requests, shim_seconds = sides[0].report("shim:", args.n)
    native_requests, native_seconds = sides[1].report("native:", args.n)
    ratio_requests, ratio_time = shim_requests / native_requests, shim_seconds / native_seconds
    print(f"ratio (shim/native): requests {ratio_requests:.2f}x  time {ratio_time:.2f}x")


if __name__ == "__main__":
    main()
