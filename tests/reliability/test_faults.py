"""Faults at every point of the flow: the caller gets an SDK error (or a reconciled success), no run stays
busy, nothing is duplicated, and the very next legacy calls on the thread work."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import openai
import psycopg
import pytest

import compat
from compat.emulator import Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock
from compat.store import Store
from compat.store.postgres import PostgresStore
from compat.store.sqlite import SQLiteStore

from .faults import KINDS, Fault, FaultyTransport

LOOKUP: Any = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
POINTS = ("threads.create", "messages.create", "runs.create", "submit_tool_outputs", "streaming")
ITEMS = r"/conversations/[^/]+/items$"


class Flow:
    """A client over a faulty transport, an assistant with a tool, and the thread under test."""

    def __init__(self, store: Store) -> None:
        self.emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
        self.transport = FaultyTransport(EmulatorTransport(self.emulator))
        self.store = store
        self.client = compat.OpenAI(
            api_key="test",
            base_url="http://127.0.0.1:9/v1",
            http_client=httpx2.Client(transport=self.transport),
            store=self.store,
        )
        self.assistant = self.client.beta.assistants.create(model="gpt-4o", instructions="Help.", tools=[LOOKUP])
        self.thread_id = ""

    def new_thread(self) -> None:
        self.thread_id = self.client.beta.threads.create(messages=[{"role": "user", "content": "first"}]).id

    def requests(self, method: str, pattern: str) -> int:
        return sum(1 for r in self.emulator.requests if r.method == method and re.search(pattern, r.path))

    def fault(self, kind: str, method: str, path: str, stream: bool | None = None) -> None:
        self.transport.faults.append(Fault(kind, method, path, stream))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def flow(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flow]:
    """The flow on a fresh SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        store: Store = SQLiteStore(str(tmp_path / "state.db"))
    else:
        url = str(request.getfixturevalue("postgres_url"))
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP TABLE IF EXISTS compat_records, compat_schema, compat_meta")
        store = PostgresStore(url)
    flow = Flow(store)
    yield flow
    flow.store.close()


def attempt(flow: Flow, point: str, kind: str) -> None:
    """The legacy call at ``point``, with a ``kind`` fault on its write."""
    runs = flow.client.beta.threads.runs
    if point == "threads.create":
        flow.fault(kind, "POST", r"/conversations$")
        flow.new_thread()
        return
    flow.new_thread()
    if point == "messages.create":
        flow.fault(kind, "POST", ITEMS)
        flow.client.beta.threads.messages.create(flow.thread_id, role="user", content="second")
        return
    flow.emulator.queue(Turn.function_calls(("lookup", {"q": "x"}, "call_1")))
    if point == "runs.create":
        flow.fault(kind, "POST", r"/responses$", stream=False)
        runs.create(flow.thread_id, assistant_id=flow.assistant.id)
    elif point == "streaming":
        flow.fault(kind, "POST", r"/responses$", stream=True)
        list(runs.create(flow.thread_id, assistant_id=flow.assistant.id, stream=True))
    else:
        run = runs.create(flow.thread_id, assistant_id=flow.assistant.id)
        assert run.status == "requires_action"
        flow.emulator.queue(Turn.text("answered"))
        flow.fault(kind, "POST", r"/responses$")
        runs.submit_tool_outputs(
            run.id, thread_id=flow.thread_id, tool_outputs=[{"tool_call_id": "call_1", "output": "1"}]
        )


def recover(flow: Flow) -> None:
    """What a caller does next: answer a run still waiting, then a new message and a new run."""
    runs = flow.client.beta.threads.runs
    if not flow.thread_id:
        flow.new_thread()
    latest = runs.list(flow.thread_id, limit=1).data
    if latest and latest[0].status == "requires_action":
        assert latest[0].required_action is not None
        if not flow.emulator.pending_turns:  # the faulted submit may not have reached the server
            flow.emulator.queue(Turn.text("answered"))
        outputs: list[Any] = [
            {"tool_call_id": call.id, "output": "1"}
            for call in latest[0].required_action.submit_tool_outputs.tool_calls
        ]
        answered = runs.submit_tool_outputs_and_poll(
            run_id=latest[0].id, thread_id=flow.thread_id, tool_outputs=outputs
        )
        assert answered.status == "completed"
    flow.client.beta.threads.messages.create(flow.thread_id, role="user", content="next")
    flow.emulator.queue(Turn.text("fine"))
    run = runs.create_and_poll(thread_id=flow.thread_id, assistant_id=flow.assistant.id)
    if run.status == "requires_action":  # a turn the refused request never played comes first
        assert run.required_action is not None
        calls = run.required_action.submit_tool_outputs.tool_calls
        outputs = [{"tool_call_id": call.id, "output": "1"} for call in calls]
        run = runs.submit_tool_outputs_and_poll(run_id=run.id, thread_id=flow.thread_id, tool_outputs=outputs)
    assert (run.status, run.last_error) == ("completed", None)
    (last,) = flow.client.beta.threads.messages.list(flow.thread_id, limit=1).data
    assert last.content[0].type == "text" and last.content[0].text.value == "fine"


def unanswered_calls(flow: Flow) -> list[str]:
    items = flow.emulator.conversation_items(flow.thread_id)
    answered = {item["call_id"] for item in items if item["type"] == "function_call_output"}
    return [item["call_id"] for item in items if item["type"] == "function_call" and item["call_id"] not in answered]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("point", POINTS)
def test_a_fault_never_poisons_the_thread(flow: Flow, point: str, kind: str) -> None:
    turns_before = flow.requests("POST", r"/responses$")
    with contextlib.suppress(openai.APIError):  # the SDK's own error family, whatever the fault
        attempt(flow, point, kind)
    assert [f.fired for f in flow.transport.faults] == [1], "the fault was injected"
    turns = flow.requests("POST", r"/responses$") - turns_before
    refused = kind in ("429", "locked")  # the faulted turn never started
    if point in ("runs.create", "streaming"):
        assert turns == (0 if refused else 1), "a model turn is never sent twice"
    if point == "submit_tool_outputs":
        assert turns == (1 if refused else 2), "the first turn, then the answer's turn once"
    if flow.thread_id:
        statuses = [run.status for run in flow.client.beta.threads.runs.list(flow.thread_id)]
        assert not set(statuses) & {"queued", "in_progress", "cancelling"}, statuses
        assert unanswered_calls(flow) in ([], ["call_1"]), "only a run still waiting may hold a call"
    recover(flow)
    assert unanswered_calls(flow) == []
    user_texts = [
        item["content"][0]["text"]
        for item in flow.emulator.conversation_items(flow.thread_id)
        if item["type"] == "message" and item["role"] == "user"
    ]
    assert user_texts.count("second") <= 1, "a message is never added twice"
    assert user_texts.count("first") == 1


def test_a_connection_never_made_is_tried_again(flow: Flow) -> None:
    """The only fault retried: the request provably never left."""
    flow.new_thread()
    flow.fault("connect", "POST", ITEMS)
    message = flow.client.beta.threads.messages.create(flow.thread_id, role="user", content="second")
    assert message.content[0].type == "text" and message.content[0].text.value == "second"
    assert flow.requests("POST", ITEMS) == 2  # threads.create's items, then this one once


@pytest.mark.parametrize("kind", ["500", "timeout", "reset", "malformed"])
def test_a_message_whose_answer_was_lost_is_found_in_the_conversation(flow: Flow, kind: str) -> None:
    flow.new_thread()
    flow.fault(kind, "POST", ITEMS)
    message = flow.client.beta.threads.messages.create(flow.thread_id, role="user", content="second")
    items = flow.emulator.conversation_items(flow.thread_id)
    assert message.id == items[-1]["id"]
    assert [m.id for m in flow.client.beta.threads.messages.list(flow.thread_id, limit=1).data] == [message.id]


def test_a_malformed_body_is_an_sdk_error(flow: Flow) -> None:
    flow.fault("malformed", "POST", r"/conversations$")
    with pytest.raises(openai.APIResponseValidationError):
        flow.new_thread()


def test_a_cut_stream_of_a_run_without_instructions_fails_the_run(flow: Flow) -> None:
    """The legacy run of an assistant without instructions has ``instructions: null``; failing it must hold."""
    assistant = flow.client.beta.assistants.create(model="gpt-4o")
    flow.new_thread()
    flow.emulator.queue(Turn.text("Hello there, how are you doing today?", cut_after_events=6))
    with pytest.raises(openai.APIConnectionError):
        list(flow.client.beta.threads.runs.create(flow.thread_id, assistant_id=assistant.id, stream=True))
    (run,) = flow.client.beta.threads.runs.list(flow.thread_id).data
    assert (run.status, run.instructions) == ("failed", None)
    assert run.last_error is not None and run.last_error.code == "server_error"
