"""Pure translation between legacy messages and conversation items (both directions)."""

from __future__ import annotations

from typing import Any

import openai
import pytest
from openai.types.conversations import Conversation, Message as ConversationMessage
from openai.types.responses import ResponseOutputMessage

from compat.translate.from_conversations import conversation_to_thread, is_legacy_message, item_to_message
from compat.translate.from_responses import output_message_to_message
from compat.translate.legacy import assistant_from_params, assistant_tools, run_tools, updated_assistant
from compat.translate.to_conversations import item_batches, message_to_item, thread_message_to_item


def _item(role: str, content: list[dict[str, Any]], status: str = "completed") -> ConversationMessage:
    return ConversationMessage.model_validate(
        {"id": "msg_1", "type": "message", "role": role, "status": status, "content": content}
    )


def test_user_text_and_images_become_input_parts() -> None:
    item = message_to_item(
        role="user",
        content=[
            {"type": "text", "text": "look"},
            {"type": "image_file", "image_file": {"file_id": "file_1"}},
            {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "high"}},
        ],
    )
    assert item == {
        "type": "message",
        "role": "user",
        "content": [
            {"type": "input_text", "text": "look"},
            {"type": "input_image", "file_id": "file_1", "detail": "auto"},
            {"type": "input_image", "image_url": "https://x/y.png", "detail": "high"},
        ],
    }


def test_assistant_text_becomes_output_text() -> None:
    assert message_to_item(role="assistant", content="hi") == {
        "type": "message",
        "role": "assistant",
        "content": [{"type": "output_text", "text": "hi", "annotations": []}],
    }


@pytest.mark.parametrize(
    ("message", "param"),
    [
        ({"role": "tool", "content": "x"}, "messages[2].role"),
        ({"role": "user", "content": 3}, "messages[2].content"),
        (
            {"role": "user", "content": [{"type": "image_file", "image_file": {}}]},
            "messages[2].content[0].image_file.file_id",
        ),
        ({"role": "user", "content": "x", "name": "bob"}, "messages[2].name"),
        ("hello", "messages[2]"),
    ],
)
def test_invalid_messages_name_the_parameter(message: Any, param: str) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        thread_message_to_item(message, param="messages[2]")
    assert caught.value.param == param


def test_items_go_at_most_20_per_call() -> None:
    items = [message_to_item(role="user", content=str(n)) for n in range(45)]
    assert [len(batch) for batch in item_batches(items)] == [20, 20, 5]
    assert [batch[0]["content"][0]["text"] for batch in item_batches(items)] == ["0", "20", "40"]


def test_assistant_items_convert_exactly_as_response_output_messages() -> None:
    content = [
        {"type": "output_text", "text": "see", "annotations": [{"type": "file_path", "file_id": "f", "index": 3}]},
        {"type": "refusal", "refusal": "no"},
    ]
    item = _item("assistant", content)
    output = ResponseOutputMessage.model_validate(
        {"id": "msg_1", "type": "message", "role": "assistant", "status": "completed", "content": content}
    )

    converted = item_to_message(item=item, thread_id="conv_1", created_at=5, run_id="run_1", assistant_id="asst_1")

    assert converted == output_message_to_message(
        item=output, thread_id="conv_1", run_id="run_1", assistant_id="asst_1", created_at=5
    )


def test_an_incomplete_assistant_item_says_why_when_told() -> None:
    item = _item("assistant", [{"type": "output_text", "text": "Once", "annotations": []}], status="incomplete")

    message = item_to_message(item=item, thread_id="conv_1", created_at=5, incomplete_reason="content_filter")

    assert (message.status, message.incomplete_at, message.completed_at) == ("incomplete", 5, None)
    assert message.incomplete_details is not None
    assert message.incomplete_details.model_dump() == {"reason": "content_filter"}


def test_user_items_become_text_and_image_content() -> None:
    item = _item(
        "user",
        [
            {"type": "input_text", "text": "hi"},
            {"type": "input_image", "file_id": "file_1", "detail": "low"},
            {"type": "input_image", "image_url": "https://x/y.png", "detail": "auto"},
            {"type": "input_file", "file_id": "file_2"},
        ],
    )

    message = item_to_message(item=item, thread_id="conv_1", created_at=7, metadata={"k": "v"})

    assert message.model_dump() == {
        "id": "msg_1",
        "object": "thread.message",
        "created_at": 7,
        "assistant_id": None,
        "thread_id": "conv_1",
        "run_id": None,
        "role": "user",
        "content": [
            {"type": "text", "text": {"value": "hi", "annotations": []}},
            {"type": "image_file", "image_file": {"file_id": "file_1", "detail": "low"}},
            {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "auto"}},
        ],
        "attachments": [],
        "metadata": {"k": "v"},
        "status": "completed",
        "completed_at": None,
        "incomplete_at": None,
        "incomplete_details": None,
    }


def test_only_user_and_assistant_messages_are_legacy_messages() -> None:
    assert is_legacy_message(_item("user", []))
    assert is_legacy_message(_item("assistant", []))
    assert not is_legacy_message(_item("developer", []))
    with pytest.raises(ValueError, match="developer"):
        item_to_message(item=_item("developer", []), thread_id="conv_1", created_at=0)


def test_a_conversation_is_a_thread() -> None:
    conversation = Conversation(id="conv_1", object="conversation", created_at=9, metadata={"a": "b"})
    thread = conversation_to_thread(conversation=conversation, tool_resources=None)
    assert thread.model_dump(exclude_unset=True) == {
        "id": "conv_1",
        "object": "thread",
        "created_at": 9,
        "metadata": {"a": "b"},
        "tool_resources": {},
    }


def test_assistant_builders_keep_legacy_defaults() -> None:
    assistant = assistant_from_params(
        assistant_id="asst_1", created_at=1, params={"model": "gpt-4o", "temperature": None}, metadata={}
    )
    assert (assistant.temperature, assistant.top_p, assistant.response_format) == (1.0, 1.0, "auto")
    renamed = updated_assistant(assistant, params={"name": "n"}, metadata=None)
    assert renamed.model_dump() == {**assistant.model_dump(), "name": "n"}
    empty = {"type": "object", "properties": {}}
    assert assistant_tools([{"type": "function", "function": {"name": "f"}}]) == [
        {"type": "function", "function": {"name": "f", "parameters": empty, "strict": False}}
    ]
    assert run_tools([{"type": "function", "function": {"name": "f"}}, {"type": "file_search"}]) == [
        {"type": "function", "function": {"name": "f", "description": None, "parameters": empty, "strict": False}},
        {"type": "file_search"},
    ]
