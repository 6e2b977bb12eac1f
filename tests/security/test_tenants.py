"""Tenant isolation: clients with other credentials never reach each other's stored objects."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

import compat
from compat.emulator import Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock
from compat.store.sqlite import SQLiteStore

BASE_URL = "http://127.0.0.1:9/v1"


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(ids=counter_ids(), clock=fixed_clock())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    store = SQLiteStore(str(tmp_path / "state.db"))
    yield store
    store.close()


def client(emulator: Emulator, store: SQLiteStore, **options: Any) -> compat.OpenAI:
    settings: dict[str, Any] = {"api_key": "sk-alice", "base_url": BASE_URL, **options}
    transport = EmulatorTransport(emulator)
    return compat.OpenAI(http_client=httpx2.Client(transport=transport), store=store, max_retries=0, **settings)


def alices_objects(alice: compat.OpenAI, emulator: Emulator) -> dict[str, str]:
    """An assistant, a thread with a message, a completed run and its step, all Alice's."""
    assistant = alice.beta.assistants.create(model="gpt-4o", name="alice's")
    thread = alice.beta.threads.create(messages=[{"role": "user", "content": "hi", "metadata": {"who": "alice"}}])
    emulator.queue(Turn.text("Hello Alice."))
    run = alice.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    (step,) = alice.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
    return {"assistant": assistant.id, "thread": thread.id, "run": run.id, "step": step.id}


OTHERS = {
    "api key": {"api_key": "sk-bob"},
    "organization": {"organization": "org-other"},
    "project": {"project": "proj-other"},
    "base url": {"base_url": "http://localhost:9/v1"},  # the in-process emulator answers on any host
}


@pytest.mark.parametrize("other", OTHERS.values(), ids=list(OTHERS))
def test_other_credentials_reach_nothing(emulator: Emulator, store: SQLiteStore, other: dict[str, str]) -> None:
    alice = client(emulator, store)
    ids = alices_objects(alice, emulator)
    bob = client(emulator, store, **other)
    assistants, runs, steps = bob.beta.assistants, bob.beta.threads.runs, bob.beta.threads.runs.steps
    refused = {
        "assistants.retrieve": lambda: assistants.retrieve(ids["assistant"]),
        "assistants.update": lambda: assistants.update(ids["assistant"], name="bob's now"),
        "assistants.delete": lambda: assistants.delete(ids["assistant"]),
        "runs.retrieve": lambda: runs.retrieve(ids["run"], thread_id=ids["thread"]),
        "runs.update": lambda: runs.update(ids["run"], thread_id=ids["thread"], metadata={"a": "b"}),
        "runs.cancel": lambda: runs.cancel(ids["run"], thread_id=ids["thread"]),
        "runs.create with alice's assistant": lambda: runs.create(
            bob.beta.threads.create().id, assistant_id=ids["assistant"]
        ),
        "steps.list": lambda: steps.list(ids["run"], thread_id=ids["thread"]),
        "steps.retrieve": lambda: steps.retrieve(ids["step"], thread_id=ids["thread"], run_id=ids["run"]),
    }
    for name, call in refused.items():
        with pytest.raises(openai.NotFoundError) as caught:
            call()
        assert caught.value.status_code == 404, name
        assert "No " in caught.value.message and "found with id" in caught.value.message, name
    assert bob.beta.assistants.list().data == []
    assert bob.beta.threads.runs.list(thread_id=ids["thread"]).data == []
    # the message is the conversation's, but Alice's record of it (its metadata) is not Bob's
    (message,) = bob.beta.threads.messages.list(thread_id=ids["thread"], order="asc", limit=1).data
    assert message.metadata == {}
    # and Alice still has everything, untouched
    assert alice.beta.assistants.retrieve(ids["assistant"]).name == "alice's"
    assert alice.beta.threads.runs.retrieve(ids["run"], thread_id=ids["thread"]).status == "completed"


def test_the_same_credentials_share_objects(emulator: Emulator, store: SQLiteStore) -> None:
    ids = alices_objects(client(emulator, store), emulator)
    again = client(emulator, store)
    assert again.beta.assistants.retrieve(ids["assistant"]).name == "alice's"


def test_a_named_tenant_survives_key_rotation(emulator: Emulator, store: SQLiteStore) -> None:
    before = client(emulator, store, api_key="sk-old", tenant="billing")
    assistant = before.beta.assistants.create(model="gpt-4o", name="kept")
    after = client(emulator, store, api_key="sk-new", tenant="billing")
    assert after.beta.assistants.retrieve(assistant.id).name == "kept"
    with pytest.raises(openai.NotFoundError):
        client(emulator, store, api_key="sk-new").beta.assistants.retrieve(assistant.id)


def test_the_tenant_can_come_from_the_environment(
    emulator: Emulator, store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPAT_TENANT", "ops-team")
    assistant = client(emulator, store, api_key="sk-1").beta.assistants.create(model="gpt-4o")
    assert client(emulator, store, api_key="sk-2").beta.assistants.retrieve(assistant.id).id == assistant.id


def test_with_options_of_other_credentials_is_another_tenant(emulator: Emulator, store: SQLiteStore) -> None:
    alice = client(emulator, store)
    assistant = alice.beta.assistants.create(model="gpt-4o")
    assert alice.with_options(timeout=5).beta.assistants.retrieve(assistant.id).id == assistant.id
    with pytest.raises(openai.NotFoundError):
        alice.with_options(api_key="sk-bob").beta.assistants.retrieve(assistant.id)


def test_no_key_is_written_to_the_store(emulator: Emulator, store: SQLiteStore, tmp_path: Path) -> None:
    alices_objects(client(emulator, store, api_key="sk-very-secret-key-123"), emulator)
    store.close()
    for file in tmp_path.iterdir():
        assert b"sk-very-secret-key-123" not in file.read_bytes(), file.name


def test_an_empty_tenant_name_means_the_credentials_whatever_the_environment(
    emulator: Emulator, store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPAT_TENANT", "everyone")
    assistant = client(emulator, store, api_key="sk-1", tenant="").beta.assistants.create(model="gpt-4o")
    with pytest.raises(openai.NotFoundError):
        client(emulator, store, api_key="sk-2", tenant="").beta.assistants.retrieve(assistant.id)
    assert client(emulator, store, api_key="sk-1", tenant="").beta.assistants.retrieve(assistant.id).id == assistant.id
