"""Throughput of the stream translator: Responses events translated to legacy events per second.

    python benchmarks/stream_translator.py [-n 200] [--deltas 300000]

The events are a real stream from the emulator (a long text answer and two parallel function calls),
captured once through the SDK, then fed to ``RunStreamState`` ``n`` times. With ``--deltas N``, also one
answer of N text deltas, fed once: the translator's cost per event must not grow with the answer's length
(text accumulates linearly).
"""

from __future__ import annotations

import argparse
import itertools
import time
from typing import Any

import httpx2
import openai
from openai._models import construct_type
from openai.types.beta.threads import Run

from compat.emulator import Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock
from compat.translate.stream import RunStreamState

RUN = {
    "id": "run_1",
    "object": "thread.run",
    "created_at": 0,
    "assistant_id": "asst_1",
    "thread_id": "conv_1",
    "status": "in_progress",
    "instructions": "",
    "model": "gpt-4o",
    "parallel_tool_calls": True,
    "tools": [],
}


def capture(turn: Turn) -> list[Any]:
    """The Responses stream events of one scripted turn."""
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    client = openai.OpenAI(
        api_key="bench",
        base_url="http://emulator.local/v1",
        http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
    )
    emulator.queue(turn)
    return list(client.responses.create(model="gpt-4o", input="hi", stream=True))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--deltas", type=int, default=0, help="also one answer of this many text deltas")
    options = parser.parse_args(argv)
    n = options.n
    text = " ".join(f"word{i}" for i in range(400))
    streams = [
        capture(Turn.text(text)),
        capture(Turn.function_calls(("get_weather", {"location": "Paris"}), ("get_time", {"zone": "CET"}))),
    ]
    run = construct_type(type_=Run, value=RUN)
    assert isinstance(run, Run)
    ids = itertools.count()
    total_in = total_out = 0
    start = time.perf_counter()
    for _ in range(n):
        for events in streams:
            state = RunStreamState(run=run, prior_usage=None, new_step_id=lambda: f"step_{next(ids)}", clock=lambda: 0)
            for event in events:
                total_out += len(state.handle_event(event))
            total_in += len(events)
    elapsed = time.perf_counter() - start
    print(f"translated {total_in} Responses events into {total_out} legacy events in {elapsed:.3f} s")
    print(f"throughput: {total_in / elapsed:,.0f} Responses events/s ({total_out / elapsed:,.0f} legacy events/s)")
    if options.deltas:
        long_answer(run, options.deltas)


def long_answer(run: Run, deltas: int) -> None:
    """One answer of ``deltas`` text deltas through one translator."""
    events = capture(Turn.text(" ".join(f"w{i}" for i in range(deltas))))
    state = RunStreamState(run=run, prior_usage=None, new_step_id=lambda: "step_long", clock=lambda: 0)
    start = time.perf_counter()
    out = sum(len(state.handle_event(event)) for event in events)
    elapsed = time.perf_counter() - start
    text_deltas = sum(1 for event in events if event.type == "response.output_text.delta")
    print(f"long answer: {text_deltas} text deltas, {len(events)} Responses events into {out} legacy events")
    print(f"long answer throughput: {len(events) / elapsed:,.0f} Responses events/s")


if __name__ == "__main__":
    main()
