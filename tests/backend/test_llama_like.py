"""The llama-like backend reproduces llama-stack's deviations, and what the library does about each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

from compat.emulator import Turn

from .conftest import LLAMA_BASE_URL, LLAMA_MODEL, SERVER_ERROR, Backend, LlamaLike, llama_like


@pytest.fixture
def llama(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Backend:
    return llama_like(tmp_path, monkeypatch)


def raw_client(backend: Backend) -> openai.OpenAI:
    """A plain SDK client over the llama-like server (no compat layer)."""
    assert backend.emulator is not None and backend.deviations is not None
    transport = LlamaLike(backend.emulator, backend.deviations)
    return openai.OpenAI(
        api_key="test", base_url=LLAMA_BASE_URL, http_client=httpx2.Client(transport=transport), max_retries=0
    )


def test_the_server_deviates_as_llama_stack_does(llama: Backend) -> None:
    raw = raw_client(llama)
    conversation = raw.conversations.create(
        items=[{"type": "message", "role": "user", "content": f"m{n}"} for n in range(3)]
    )

    # models are named provider/model
    with pytest.raises(openai.BadRequestError) as unknown:
        raw.responses.create(model="gpt-4o", input="hi")
    assert (unknown.value.code, unknown.value.param) == ("model_not_found", "model")
    # input is required, even with a conversation
    with pytest.raises(openai.BadRequestError) as no_input:
        raw.responses.create(model=LLAMA_MODEL, conversation=conversation.id)
    assert no_input.value.param == "input"
    # truncation "auto" is a server error, which the server never recorded
    received = len(llama.received())
    with pytest.raises(openai.InternalServerError) as truncation:
        raw.responses.create(model=LLAMA_MODEL, conversation=conversation.id, input=[], truncation="auto")
    assert (truncation.value.status_code, truncation.value.body) == (500, SERVER_ERROR)
    assert len(llama.received()) == received
    assert llama.deviations is not None
    assert llama.deviations.refused == [
        {"model": LLAMA_MODEL, "conversation": conversation.id, "input": [], "truncation": "auto"}
    ]
    # items have no status, and after is ignored
    items = raw.conversations.items.list(conversation.id, order="asc", limit=2)
    assert [(item.type, getattr(item, "status", "absent")) for item in items.data] == [("message", None)] * 2
    first_id = items.data[0].id
    assert first_id is not None
    again = raw.conversations.items.list(conversation.id, order="asc", limit=2, after=first_id)
    assert [item.id for item in again.data] == [item.id for item in items.data]
    retrieved = raw.conversations.items.retrieve(first_id, conversation_id=conversation.id)
    assert getattr(retrieved, "status", "absent") is None


def test_truncation_goes_to_the_server_only_when_a_run_asks_for_it(llama: Backend) -> None:
    client = llama.client
    assert client.compat_context.auto_truncation is False
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Be brief.")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    llama.queue(Turn.text("Hello."), Turn.text("Hello again."))

    default = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    last_two = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=assistant.id,
        truncation_strategy={"type": "last_messages", "last_messages": 2},
    )

    assert (default.status, last_two.status) == ("completed", "completed")
    assert [body.get("truncation") for body in llama.responses_sent()] == [None, None, None]
    # a run that asks for the legacy "auto" gets it, and the server's 500 fails the run
    with pytest.raises(openai.InternalServerError):
        client.beta.threads.runs.create(
            thread_id=thread.id, assistant_id=assistant.id, truncation_strategy={"type": "auto"}
        )
    failed = client.beta.threads.runs.list(thread.id, limit=1).data[0]
    assert (failed.status, failed.last_error is not None and failed.last_error.code) == ("failed", "server_error")
    assert llama.deviations is not None
    assert [body["truncation"] for body in llama.deviations.refused] == ["auto"]


def test_auto_truncation_forced_on_by_the_environment(llama: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPAT_AUTO_TRUNCATION", "1")
    client = llama.sync_client()
    assert client.compat_context.auto_truncation is True
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Be brief.")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])

    with pytest.raises(openai.InternalServerError):
        client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)

    assert llama.deviations is not None
    sent: list[Any] = llama.responses_sent()
    # refused for its missing input first, then for its truncation
    assert [(body.get("input"), body.get("truncation")) for body in sent] == [(None, "auto"), ([], "auto")]
    assert llama.deviations.refused == [sent[-1]]
