"""Conversations and conversation items through the real SDK."""

from __future__ import annotations

from typing import Any

import openai
import pytest

from compat.emulator import Emulator


def _user(text: str) -> dict[str, Any]:
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


def test_create_retrieve_update_delete(client: openai.OpenAI) -> None:
    created = client.conversations.create(metadata={"topic": "test"}, items=[_user("Hi")])
    assert created.model_dump() == {
        "id": "conv_0002",
        "object": "conversation",
        "created_at": 1_700_000_000,
        "metadata": {"topic": "test"},
    }
    assert client.conversations.retrieve("conv_0002") == created
    updated = client.conversations.update("conv_0002", metadata={"topic": "other"})
    assert updated.metadata == {"topic": "other"}
    deleted = client.conversations.delete("conv_0002")
    assert deleted.model_dump() == {"id": "conv_0002", "object": "conversation.deleted", "deleted": True}
    with pytest.raises(openai.NotFoundError) as caught:
        client.conversations.retrieve("conv_0002")
    assert caught.value.body == {
        "message": "Conversation with id 'conv_0002' not found.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


def test_items_create_answers_a_list_wrapper(client: openai.OpenAI) -> None:
    conversation = client.conversations.create()
    added = client.conversations.items.create(
        conversation.id,
        items=[
            {"type": "message", "role": "user", "content": "Hello"},
            {"type": "message", "role": "assistant", "content": "Hi there"},
            {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_image", "image_url": "https://example.com/a.png", "detail": "low"}],
            },
        ],
    )
    assert added.model_dump(exclude_unset=True) == {
        "object": "list",
        "data": [
            {
                "id": "msg_0002",
                "type": "message",
                "status": "completed",
                "content": [{"type": "input_text", "text": "Hello"}],
                "role": "user",
            },
            {
                "id": "msg_0003",
                "type": "message",
                "status": "completed",
                "content": [{"type": "output_text", "annotations": [], "logprobs": [], "text": "Hi there"}],
                "role": "assistant",
            },
            {
                "id": "msg_0004",
                "type": "message",
                "status": "completed",
                "content": [
                    {
                        "type": "input_image",
                        "detail": "low",
                        "file_id": None,
                        "image_url": "https://example.com/a.png",
                    }
                ],
                "role": "user",
            },
        ],
        "first_id": "msg_0002",
        "has_more": False,
        "last_id": "msg_0004",
    }


def test_items_list_pagination(client: openai.OpenAI) -> None:
    conversation = client.conversations.create(items=[_user(f"m{i}") for i in range(5)])
    newest_first = client.conversations.items.list(conversation.id)
    assert [item.id for item in newest_first.data] == [
        "msg_0005",
        "msg_0004",
        "msg_0003",
        "msg_0002",
        "msg_0001",
    ]
    page = client.conversations.items.list(conversation.id, limit=2, order="asc")
    assert [item.id for item in page.data] == ["msg_0001", "msg_0002"]
    assert page.has_more is True
    after = client.conversations.items.list(conversation.id, limit=2, order="asc", after="msg_0002")
    assert [item.id for item in after.data] == ["msg_0003", "msg_0004"]
    every = client.conversations.items.list(conversation.id, limit=2, order="asc")
    assert [item.id for item in every] == ["msg_0001", "msg_0002", "msg_0003", "msg_0004", "msg_0005"]


def test_items_retrieve_and_delete(client: openai.OpenAI, emulator: Emulator) -> None:
    conversation = client.conversations.create(items=[_user("one"), _user("two")])
    item = client.conversations.items.retrieve("msg_0002", conversation_id=conversation.id)
    assert item.model_dump(exclude_unset=True) == {
        "id": "msg_0002",
        "type": "message",
        "status": "completed",
        "content": [{"type": "input_text", "text": "two"}],
        "role": "user",
    }
    answered = client.conversations.items.delete("msg_0001", conversation_id=conversation.id)
    assert answered == conversation
    assert [item["id"] for item in emulator.conversation_items(conversation.id)] == ["msg_0002"]
    with pytest.raises(openai.NotFoundError) as caught:
        client.conversations.items.retrieve("msg_0001", conversation_id=conversation.id)
    assert caught.value.message.endswith("Item with id 'msg_0001' not found.")


def test_at_most_20_items_per_call(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.conversations.create(items=[_user(str(i)) for i in range(21)])
    assert caught.value.body == {
        "message": "Invalid 'items': array too long. Expected an array with maximum length 20, "
        "but got an array with length 21 instead.",
        "type": "invalid_request_error",
        "param": "items",
        "code": "array_above_max_length",
    }
    conversation = client.conversations.create(items=[_user(str(i)) for i in range(20)])
    with pytest.raises(openai.BadRequestError) as added:
        client.conversations.items.create(conversation.id, items=[_user(str(i)) for i in range(21)])
    assert added.value.status_code == 400
    assert added.value.body == caught.value.body


@pytest.mark.parametrize(
    ("metadata", "param", "code"),
    [
        ({f"k{i}": "v" for i in range(17)}, "metadata", "object_above_max_properties"),
        ({"k" * 65: "v"}, "metadata", "string_above_max_length"),
        ({"k": "v" * 513}, "metadata.k", "string_above_max_length"),
    ],
)
def test_metadata_limits(client: openai.OpenAI, metadata: dict[str, str], param: str, code: str) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.conversations.create(metadata=metadata)
    assert (caught.value.param, caught.value.code) == (param, code)
    client.conversations.create(metadata={f"k{i}": "v" * 512 for i in range(16)})


def test_list_limit_bounds(client: openai.OpenAI) -> None:
    conversation = client.conversations.create()
    for limit in (0, 101):
        with pytest.raises(openai.BadRequestError) as caught:
            client.conversations.items.list(conversation.id, limit=limit)
        assert caught.value.param == "limit"
