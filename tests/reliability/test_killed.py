"""A process killed between the server's answer and the store write leaves nothing stuck.

A child process runs ``runs.create`` against the emulator's HTTP server and dies (``os._exit``) the moment
the shim goes to store the finished turn: the model turn happened upstream, the store still says the run
is ``in_progress`` and names the dead process as its owner. The next reader, in this process, settles it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

import compat
from compat.emulator import Emulator, Turn, counter_ids, fixed_clock, serve
from compat.store import open_store

LOOKUP: Any = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}

CHILD = textwrap.dedent(
    """
    import os, sys
    import compat
    from compat.store import _sql

    def die(self, records):
        if any(record.kind == "step" for record in records):
            os._exit(9)  # killed with the turn's answer in hand, before it is stored
        return put_many(self, records)

    put_many = _sql.RecordsTable.put_many
    _sql.RecordsTable.put_many = die
    base_url, store_url, thread_id, assistant_id = sys.argv[1:5]
    client = compat.OpenAI(api_key="test", base_url=base_url, store=store_url)
    client.beta.threads.runs.create(thread_id, assistant_id=assistant_id)
    sys.exit("the child should have died")
    """
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.db'}"
    url = str(request.getfixturevalue("postgres_url"))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS compat_records, compat_schema, compat_meta")
    return url


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    yield Emulator(ids=counter_ids(), clock=fixed_clock())


@pytest.mark.parametrize("turn", ["text", "function_calls"])
def test_a_run_whose_process_died_is_settled_and_the_thread_goes_on(
    emulator: Emulator, store_url: str, turn: str
) -> None:
    server = serve(emulator)
    client = compat.OpenAI(api_key="test", base_url=server.base_url, store=store_url)
    try:
        assistant = client.beta.assistants.create(model="gpt-4o", instructions="Help.", tools=[LOOKUP])
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "hello"}])
        emulator.queue(Turn.function_calls(("lookup", {}, "call_1")) if turn == "function_calls" else Turn.text("Hi."))
        child = subprocess.run(
            [sys.executable, "-c", CHILD, server.base_url, store_url, thread.id, assistant.id],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert child.returncode == 9, child.stderr

        runs = client.beta.threads.runs
        (listed,) = runs.list(thread.id).data
        retrieved = runs.retrieve(listed.id, thread_id=thread.id)
        assert (listed.status, retrieved.status) == ("failed", "failed")
        assert listed.last_error == retrieved.last_error  # the model, as runs.retrieve answers it
        assert retrieved.last_error is not None
        assert retrieved.last_error.model_dump() == {
            "code": "server_error",
            "message": "The process driving the run stopped before its model turn ended.",
        }
        items = emulator.conversation_items(thread.id)
        calls = [i["call_id"] for i in items if i["type"] == "function_call"]
        outputs = {i["call_id"]: i["output"] for i in items if i["type"] == "function_call_output"}
        assert outputs == dict.fromkeys(calls, "The run failed before this tool call was answered.")

        emulator.queue(Turn.text("Still here."))
        run = runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
        assert (run.status, run.last_error) == ("completed", None)
    finally:
        client.compat_context.store.close()
        server.close()


def test_a_live_owner_is_left_alone(emulator: Emulator, tmp_path: Path) -> None:
    """A busy run whose owner lives (this process) is not settled by a reader."""
    store = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    server = serve(emulator)
    client = compat.OpenAI(api_key="test", base_url=server.base_url, store=store)
    try:
        assistant = client.beta.assistants.create(model="gpt-4o", instructions="Help.")
        thread = client.beta.threads.create()
        emulator.queue(Turn.text("Hello there, how are you doing today?"))
        stream = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id, stream=True)
        next(iter(stream))
        (run,) = client.beta.threads.runs.list(thread.id).data
        assert run.status in ("queued", "in_progress")
        assert [event.event for event in stream][-1] == "thread.run.completed"
    finally:
        store.close()
        server.close()
