"""``client.beta.threads.runs.steps``: run steps live in the store, written as a run's responses end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

from compat import AsyncOpenAI, OpenAI
from compat.emulator import AsyncEmulatorTransport, Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock
from compat.store.sqlite import SQLiteStore

from .conftest import legacy_usage, prefix_ids

NOW = 1_700_000_100
THREAD = "conv_0001"
LOOKUP = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}


@pytest.fixture
def client(emulator: Emulator, tmp_path: Path) -> Iterator[OpenAI]:
    store = SQLiteStore(str(tmp_path / "s.db")).for_tenant("tests")
    client = OpenAI(
        api_key="test",
        base_url="http://emulator.test/v1",
        http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
        store=store,
        max_retries=0,
    )
    client.compat_context.ids = prefix_ids()
    client.compat_context.clock = lambda: NOW
    yield client
    store.close()


@pytest.fixture
def async_client(emulator: Emulator, tmp_path: Path) -> AsyncOpenAI:
    client = AsyncOpenAI(
        api_key="test",
        base_url="http://emulator.test/v1",
        http_client=httpx2.AsyncClient(transport=AsyncEmulatorTransport(emulator)),
        store=SQLiteStore(str(tmp_path / "a.db")),
        max_retries=0,
    )
    client.compat_context.ids = prefix_ids()
    client.compat_context.clock = lambda: NOW
    return client


def _step(step_id: str, details: dict[str, Any], **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": step_id,
        "assistant_id": "asst_0001",
        "cancelled_at": None,
        "completed_at": NOW,
        "created_at": NOW,
        "expired_at": None,
        "failed_at": None,
        "last_error": None,
        "metadata": None,
        "object": "thread.run.step",
        "run_id": "run_0001",
        "status": "completed",
        "step_details": details,
        "thread_id": THREAD,
        "type": details["type"],
        "usage": None,
    }
    return {**base, **fields}


def _tool_calls(*calls: tuple[str, str, str | None]) -> dict[str, Any]:
    return {
        "type": "tool_calls",
        "tool_calls": [
            {"id": call_id, "type": "function", "function": {"name": "lookup", "arguments": args, "output": output}}
            for call_id, args, output in calls
        ],
    }


def _message_creation(message_id: str) -> dict[str, Any]:
    return {"type": "message_creation", "message_creation": {"message_id": message_id}}


@pytest.fixture
def finished_run(client: OpenAI, emulator: Emulator) -> str:
    """run_0001: two parallel calls answered, then a text reply; the run's id."""
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[LOOKUP])  # type: ignore[list-item]
    client.beta.threads.create(messages=[{"role": "user", "content": "hello there"}])
    emulator.queue(
        Turn.function_calls(("lookup", {"q": 1}, "call_a"), ("lookup", {"q": 2}, "call_b"), text="Looking."),
        Turn.text("Found both."),
    )
    run = client.beta.threads.runs.create(THREAD, assistant_id=assistant.id)
    client.beta.threads.runs.submit_tool_outputs(
        run.id,
        thread_id=THREAD,
        tool_outputs=[{"tool_call_id": "call_a", "output": "one"}, {"tool_call_id": "call_b", "output": "two"}],
    )
    return run.id


def _reply_ids(client: OpenAI) -> tuple[str, str]:
    looking, found = (m.id for m in client.beta.threads.messages.list(THREAD, order="asc").data[1:])
    return looking, found


def test_steps_of_a_run_in_legacy_order(client: OpenAI, finished_run: str) -> None:
    looking, found = _reply_ids(client)

    page = client.beta.threads.runs.steps.list(finished_run, thread_id=THREAD)

    assert [s.model_dump() for s in page.data] == [
        _step("step_0003", _message_creation(found), usage=legacy_usage(49, 3)),
        _step("step_0002", _tool_calls(("call_a", '{"q":1}', "one"), ("call_b", '{"q":2}', "two"))),
        # the first step of the first response reports its usage; the tool step of that response does not
        _step("step_0001", _message_creation(looking), usage=legacy_usage(9, 18)),
    ]
    assert (page.first_id, page.last_id, page.has_more) == ("step_0003", "step_0001", False)  # pyright: ignore[reportAttributeAccessIssue]


def test_steps_page_both_ways(client: OpenAI, finished_run: str) -> None:
    steps = client.beta.threads.runs.steps

    first = steps.list(finished_run, thread_id=THREAD, limit=2)
    assert ([s.id for s in first.data], first.has_more) == (["step_0003", "step_0002"], True)
    assert [s.id for s in steps.list(finished_run, thread_id=THREAD, limit=1)] == [
        "step_0003",
        "step_0002",
        "step_0001",
    ]
    ascending = steps.list(finished_run, thread_id=THREAD, order="asc", after="step_0001")
    assert ([s.id for s in ascending.data], ascending.has_more) == (["step_0002", "step_0003"], False)
    before = steps.list(finished_run, thread_id=THREAD, before="step_0001")
    assert [s.id for s in before.data] == ["step_0003", "step_0002"]
    with pytest.raises(openai.BadRequestError, match=r"Invalid cursor: no run step found with id 'step_x'\."):
        steps.list(finished_run, thread_id=THREAD, after="step_x")
    with pytest.raises(openai.BadRequestError) as caught:
        steps.list(finished_run, thread_id=THREAD, limit=0)
    assert (caught.value.param, caught.value.code) == ("limit", "integer_below_min_value")


def test_retrieve_one_step(client: OpenAI, finished_run: str) -> None:
    step = client.beta.threads.runs.steps.retrieve("step_0002", thread_id=THREAD, run_id=finished_run)

    assert step.model_dump() == _step(
        "step_0002", _tool_calls(("call_a", '{"q":1}', "one"), ("call_b", '{"q":2}', "two"))
    )
    assert step == client.beta.threads.runs.steps.list(finished_run, thread_id=THREAD).data[1]


def test_unknown_steps_runs_and_threads_are_legacy_404s(client: OpenAI, finished_run: str) -> None:
    steps = client.beta.threads.runs.steps
    cases = [
        (
            lambda: steps.retrieve("step_123", thread_id=THREAD, run_id=finished_run),
            "No run step found with id 'step_123'.",
        ),
        (lambda: steps.retrieve("step_0001", thread_id=THREAD, run_id="run_x"), "No run found with id 'run_x'."),
        (
            lambda: steps.retrieve("step_0001", thread_id="conv_x", run_id=finished_run),
            f"No run found with id '{finished_run}'.",
        ),
        (lambda: steps.list("run_x", thread_id=THREAD), "No run found with id 'run_x'."),
    ]
    for call, message in cases:
        with pytest.raises(openai.NotFoundError) as caught:
            call()
        assert caught.value.body == {"message": message, "type": "invalid_request_error", "param": None, "code": None}


def test_a_step_of_another_run_is_not_found(client: OpenAI, emulator: Emulator, finished_run: str) -> None:
    emulator.queue(Turn.text("Again."))
    other = client.beta.threads.runs.create(THREAD, assistant_id="asst_0001")
    (other_step,) = client.beta.threads.runs.steps.list(other.id, thread_id=THREAD).data

    with pytest.raises(openai.NotFoundError, match=f"No run step found with id '{other_step.id}'"):
        client.beta.threads.runs.steps.retrieve(other_step.id, thread_id=THREAD, run_id=finished_run)


@pytest.mark.anyio
async def test_async_steps_match_the_sync_ones(client: OpenAI, finished_run: str, async_client: AsyncOpenAI) -> None:
    sync_steps = client.beta.threads.runs.steps.list(finished_run, thread_id=THREAD, order="asc").data
    async_emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    async_client._client = httpx2.AsyncClient(transport=AsyncEmulatorTransport(async_emulator))  # pyright: ignore[reportPrivateUsage]
    assistant = await async_client.beta.assistants.create(model="gpt-4o", tools=[LOOKUP])  # type: ignore[list-item]
    await async_client.beta.threads.create(messages=[{"role": "user", "content": "hello there"}])
    async_emulator.queue(
        Turn.function_calls(("lookup", {"q": 1}, "call_a"), ("lookup", {"q": 2}, "call_b"), text="Looking."),
        Turn.text("Found both."),
    )
    run = await async_client.beta.threads.runs.create(THREAD, assistant_id=assistant.id)
    await async_client.beta.threads.runs.submit_tool_outputs(
        run.id,
        thread_id=THREAD,
        tool_outputs=[{"tool_call_id": "call_a", "output": "one"}, {"tool_call_id": "call_b", "output": "two"}],
    )

    steps = async_client.beta.threads.runs.steps
    page = await steps.list(run.id, thread_id=THREAD, order="asc")
    assert page.data == sync_steps
    assert [s.id async for s in steps.list(run.id, thread_id=THREAD, limit=1)] == [
        "step_0003",
        "step_0002",
        "step_0001",
    ]
    assert await steps.retrieve("step_0002", thread_id=THREAD, run_id=run.id) == sync_steps[1]
    with pytest.raises(openai.NotFoundError, match=r"No run step found with id 'step_123'\."):
        await steps.retrieve("step_123", thread_id=THREAD, run_id=run.id)
