"""Background responses: queued, polled, cancelled, streamed and resumed."""

from __future__ import annotations

import httpx2
import openai
import pytest

from compat.emulator import Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock


def test_background_completes_on_first_retrieve(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(Turn.text("Done."))
    queued = client.responses.create(model="gpt-4o", input="Hi", background=True)
    assert (queued.status, queued.background, queued.output, queued.usage) == ("queued", True, [], None)
    polled = client.responses.retrieve(queued.id)
    assert (polled.status, polled.output_text) == ("completed", "Done.")
    assert client.responses.retrieve(queued.id) == polled


def test_background_polls_and_conversation() -> None:
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock(), background_polls=3)
    http = httpx2.Client(transport=EmulatorTransport(emulator))
    client = openai.OpenAI(api_key="t", base_url="http://e/v1", http_client=http, max_retries=0)
    conversation = client.conversations.create()
    queued = client.responses.create(model="gpt-4o", input="Hi", background=True, conversation=conversation.id)
    assert [client.responses.retrieve(queued.id).status for _ in range(4)] == [
        "in_progress",
        "in_progress",
        "completed",
        "completed",
    ]
    assert [item["role"] for item in emulator.conversation_items(conversation.id)] == ["user", "assistant"]


def test_cancel_background(client: openai.OpenAI) -> None:
    queued = client.responses.create(model="gpt-4o", input="Hi", background=True)
    cancelled = client.responses.cancel(queued.id)
    assert cancelled.model_dump() == {**queued.model_dump(), "status": "cancelled"}
    assert client.responses.cancel(queued.id) == cancelled
    assert client.responses.retrieve(queued.id) == cancelled


def test_cancel_synchronous_response_fails(client: openai.OpenAI) -> None:
    response = client.responses.create(model="gpt-4o", input="Hi")
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.cancel(response.id)
    assert caught.value.body == {
        "message": "Cannot cancel a synchronous response.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
    with pytest.raises(openai.NotFoundError) as missing:
        client.responses.cancel("resp_missing")
    assert missing.value.status_code == 404
    assert missing.value.body == {
        "message": "Response with id 'resp_missing' not found.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


def test_background_needs_store(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="gpt-4o", input="Hi", background=True, store=False)
    assert caught.value.param == "store"


def test_background_stream_and_resume(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(Turn.text("Hi there"))
    events = list(client.responses.create(model="gpt-4o", input="Hi", background=True, stream=True))
    assert [event.type for event in events] == [
        "response.created",
        "response.queued",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    created = events[0]
    assert created.type == "response.created" and created.response.status == "queued"
    resumed = list(client.responses.retrieve(created.response.id, stream=True, starting_after=1))
    assert [event.sequence_number for event in resumed] == list(range(2, 11))
    assert [event.model_dump() for event in resumed] == [event.model_dump() for event in events[2:]]
    assert client.responses.retrieve(created.response.id).status == "completed"
