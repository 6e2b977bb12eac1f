"""Conversations API objects → legacy threads and messages.

Rules:

- A conversation is a thread with the same id, ``created_at`` and ``metadata``; ``tool_resources`` come
  from the caller (the local store; ``{}`` for a conversation created natively).
- A ``message`` item with role ``user`` or ``assistant`` is a legacy message with the item's id. Every
  other item (``function_call``, ``function_call_output``, ``reasoning``, ``system``/``developer``
  messages, ...) has no legacy form: :func:`is_legacy_message` is false and lists skip it.
- ``assistant`` items convert exactly as ``from_responses.output_message_to_message`` converts an output
  message (``output_text`` → ``text`` with annotations, ``refusal`` → ``refusal``); the stored completion
  times, when known, win over the derived ones.
- ``user`` items: ``input_text`` → ``text``; ``input_image`` with ``file_id`` → ``image_file``, with
  ``image_url`` → ``image_url`` (``detail`` carried when legacy knows it). Their status is the item's
  status and they have no completion time, as legacy user messages.
- An item without a status (servers other than OpenAI answer ``null``) is a ``completed`` message.
- Content parts with no legacy form (``input_file``, ...) are dropped with a log line.
- ``created_at``, ``metadata``, ``attachments``, ``assistant_id`` and ``run_id`` come from the caller
  (the message's store record, or the conversation's ``created_at`` and nothing else for an item added
  by native Responses code).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from openai.types.beta import Thread
from openai.types.beta.threads import (
    ImageFile,
    ImageFileContentBlock,
    ImageURL,
    ImageURLContentBlock,
    Message,
    RefusalContentBlock,
    Text,
    TextContentBlock,
)
from openai.types.beta.threads.message_content import MessageContent
from openai.types.conversations import Conversation, ConversationItem, Message as ConversationMessage
from openai.types.responses import (
    ResponseInputImage,
    ResponseInputText,
    ResponseOutputMessage,
    ResponseOutputRefusal,
    ResponseOutputText,
)

from .from_responses import MessageIncompleteReason, output_message_to_message, output_text_to_content
from .legacy import thread_object

__all__ = ["conversation_to_thread", "is_legacy_message", "item_to_message"]

logger = logging.getLogger(__name__)

_LEGACY_DETAILS = ("auto", "low", "high")


def conversation_to_thread(*, conversation: Conversation, tool_resources: Mapping[str, Any] | None) -> Thread:
    """The legacy thread of a conversation."""
    return thread_object(
        thread_id=conversation.id,
        created_at=conversation.created_at,
        metadata=conversation.metadata,
        resources=tool_resources,
    )


def is_legacy_message(item: ConversationItem) -> bool:
    """Whether the item is a legacy message: a ``message`` item of a user or the assistant."""
    return isinstance(item, ConversationMessage) and item.role in ("user", "assistant")


def _image(part: ResponseInputImage) -> MessageContent | None:
    detail = part.detail if part.detail in _LEGACY_DETAILS else None
    if part.file_id:
        return ImageFileContentBlock(type="image_file", image_file=ImageFile(file_id=part.file_id, detail=detail))
    if part.image_url:
        return ImageURLContentBlock(type="image_url", image_url=ImageURL(url=part.image_url, detail=detail))
    logger.info("dropping an input_image part with neither file_id nor image_url")
    return None


def _user_part(part: object) -> MessageContent | None:
    if isinstance(part, ResponseInputText):
        return TextContentBlock(type="text", text=Text(value=part.text, annotations=[]))
    if isinstance(part, ResponseInputImage):
        return _image(part)
    if isinstance(part, ResponseOutputText):
        return output_text_to_content(part)
    if isinstance(part, ResponseOutputRefusal):
        return RefusalContentBlock(type="refusal", refusal=part.refusal)
    logger.info("dropping a %s content part: the Assistants API has no equivalent", getattr(part, "type", part))
    return None


def _user_content(parts: Sequence[object]) -> list[MessageContent]:
    return [block for block in (_user_part(part) for part in parts) if block is not None]


def _output_message(item: ConversationMessage) -> ResponseOutputMessage:
    parts: list[ResponseOutputText | ResponseOutputRefusal] = []
    for part in item.content:
        if isinstance(part, (ResponseOutputText, ResponseOutputRefusal)):
            parts.append(part)
        else:
            logger.info("dropping a %s part of an assistant message", part.type)
    status = item.status or "completed"
    return ResponseOutputMessage(id=item.id, type="message", role="assistant", status=status, content=parts)


def item_to_message(
    *,
    item: ConversationMessage,
    thread_id: str,
    created_at: int,
    metadata: Mapping[str, str] | None = None,
    attachments: Sequence[Mapping[str, Any]] = (),
    assistant_id: str | None = None,
    run_id: str | None = None,
    completed_at: int | None = None,
    incomplete_at: int | None = None,
    incomplete_reason: MessageIncompleteReason | None = None,
) -> Message:
    """The legacy message of a user or assistant ``message`` item (see :func:`is_legacy_message`);
    ``incomplete_reason`` says why an incomplete assistant item is (the item does not)."""
    if item.role == "assistant":
        message = output_message_to_message(
            item=_output_message(item),
            thread_id=thread_id,
            run_id=run_id,
            assistant_id=assistant_id,
            created_at=created_at,
            metadata=metadata,
            incomplete_reason=incomplete_reason,
        )
        times = {"completed_at": completed_at, "incomplete_at": incomplete_at}
        update: dict[str, Any] = {key: value for key, value in times.items() if value is not None}
    elif item.role == "user":
        message = Message(
            id=item.id,
            object="thread.message",
            created_at=created_at,
            assistant_id=assistant_id,
            thread_id=thread_id,
            run_id=run_id,
            role="user",
            content=_user_content(item.content),
            attachments=[],
            metadata=dict(metadata or {}),
            status=item.status or "completed",
            completed_at=completed_at,
            incomplete_at=incomplete_at,
            incomplete_details=None,
        )
        update = {}
    else:
        raise ValueError(f"item {item.id} is a {item.role} message, which has no legacy form")
    if attachments:
        update["attachments"] = Message.model_validate(
            {**message.model_dump(), "attachments": list(attachments)}
        ).attachments
    return message.model_copy(update=update) if update else message
