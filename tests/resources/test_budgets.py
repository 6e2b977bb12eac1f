"""``max_completion_tokens`` is a budget for the whole run, across its turns, as the legacy API's was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2

import compat
from compat.emulator import Emulator, EmulatorTransport, Turn, Usage, counter_ids, fixed_clock

LOOKUP: Any = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}


def test_each_turn_gets_what_the_earlier_turns_left(tmp_path: Path) -> None:
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    client = compat.OpenAI(
        api_key="test",
        base_url="http://127.0.0.1:9/v1",
        http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
        store=f"sqlite:///{tmp_path / 'state.db'}",
    )
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Help.", tools=[LOOKUP])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    emulator.queue(
        Turn.function_calls(("lookup", {}, "call_1"), usage=Usage(input_tokens=10, output_tokens=70)),
        Turn.function_calls(("lookup", {}, "call_2"), usage=Usage(input_tokens=10, output_tokens=25)),
        Turn.text("done", usage=Usage(input_tokens=10, output_tokens=5)),
    )
    runs = client.beta.threads.runs
    run = runs.create(thread.id, assistant_id=assistant.id, max_completion_tokens=100)
    for call in ("call_1", "call_2"):
        assert run.status == "requires_action"
        run = runs.submit_tool_outputs(
            run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": call, "output": "1"}]
        )
    assert (run.status, run.max_completion_tokens) == ("completed", 100)
    assert run.usage is not None and run.usage.completion_tokens == 100
    sent = [
        r.json["max_output_tokens"] for r in emulator.requests if r.path == "/responses" and isinstance(r.json, dict)
    ]
    assert sent == [100, 30, 16]  # the whole budget, then what is left, then at least the API's minimum


def budget_client(tmp_path: Path) -> tuple[compat.OpenAI, Emulator]:
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    client = compat.OpenAI(
        api_key="test",
        base_url="http://127.0.0.1:9/v1",
        http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
        store=f"sqlite:///{tmp_path / 'state.db'}",
    )
    return client, emulator


def paths(emulator: Emulator) -> list[str]:
    return [f"{r.method} {r.path}" for r in emulator.requests]


def test_a_turn_over_the_prompt_budget_ends_the_run_incomplete(tmp_path: Path) -> None:
    client, emulator = budget_client(tmp_path)
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Help.")
    long_message = "word " * 400
    thread = client.beta.threads.create(messages=[{"role": "user", "content": long_message}])
    before = len(emulator.requests)
    run = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id, max_prompt_tokens=256)
    assert (run.status, run.max_prompt_tokens) == ("incomplete", 256)
    assert run.incomplete_details is not None and run.incomplete_details.reason == "max_prompt_tokens"
    assert run.completed_at is not None
    assert paths(emulator)[before:] == ["POST /responses/input_tokens"]  # counted; no model turn
    # within budget, the run goes on as usual, one count per turn
    emulator.queue(Turn.text("short"))
    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, max_prompt_tokens=5000
    )
    assert run.status == "completed"


def test_tool_outputs_over_the_budget_still_reach_the_thread(tmp_path: Path) -> None:
    client, emulator = budget_client(tmp_path)
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Help.", tools=[LOOKUP])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    emulator.queue(Turn.function_calls(("lookup", {}, "call_1")))
    runs = client.beta.threads.runs
    run = runs.create(thread.id, assistant_id=assistant.id, max_prompt_tokens=300)
    assert run.status == "requires_action"
    outputs: Any = [{"tool_call_id": "call_1", "output": "many words " * 200}]
    events = list(runs.submit_tool_outputs(run.id, thread_id=thread.id, tool_outputs=outputs, stream=True))
    assert [e.event for e in events][-1] == "thread.run.incomplete"
    items = emulator.conversation_items(thread.id)
    assert [(i["type"], i.get("call_id")) for i in items[-2:]] == [
        ("function_call", "call_1"),
        ("function_call_output", "call_1"),
    ]
    emulator.queue(Turn.text("fine"))
    assert runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id).status == "completed"
