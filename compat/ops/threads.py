"""Thread operations: a thread is a conversation (``thread.id`` is the conversation id).

The store keeps what a conversation cannot hold: a ``thread`` record (``data`` = ``{"tool_resources":
{...}}``) and one ``message`` record (:class:`MessageMeta`) per message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import openai
from openai.types.beta import Thread, ThreadDeleted
from openai.types.conversations import Conversation, ConversationItemList

from .._context import Context
from .._effects import Call, Op
from .._errors import bad_request, not_found
from ..store import StoredRecord
from ..translate.from_conversations import conversation_to_thread
from ..translate.legacy import tool_resources as check_tool_resources
from ..translate.to_conversations import item_batches, thread_message_to_item
from ._common import MessageMeta, check_metadata, request_options

__all__ = [
    "create_thread",
    "delete_thread",
    "retrieve_conversation",
    "retrieve_thread",
    "thread_record",
    "update_thread",
]

logger = logging.getLogger(__name__)


def thread_not_found(thread_id: str) -> openai.NotFoundError:
    """The legacy 404 for an unknown thread."""
    return not_found(f"No thread found with id '{thread_id}'.")


def retrieve_conversation(thread_id: str, options: Mapping[str, Any]) -> Op[Conversation]:
    """The conversation of a thread; the legacy 404 when it does not exist."""
    try:
        return (yield Call(("conversations", "retrieve"), {"conversation_id": thread_id, **options}))
    except openai.NotFoundError as error:
        raise thread_not_found(thread_id) from error


def thread_record(thread_id: str, created_at: int, resources: Mapping[str, Any]) -> StoredRecord:
    """The store row of a thread."""
    return StoredRecord(kind="thread", id=thread_id, created_at=created_at, data={"tool_resources": dict(resources)})


def _stored_resources(context: Context, thread_id: str) -> dict[str, Any]:
    record = context.store.get("thread", thread_id)
    return dict(record.data.get("tool_resources") or {}) if record is not None else {}


class _Pending:
    """One validated initial message: its item and its metadata."""

    def __init__(self, item: dict[str, Any], metadata: dict[str, str]) -> None:
        self.item = item
        self.metadata = metadata


def _initial_messages(messages: object) -> list[_Pending]:
    if messages is None:
        return []
    if isinstance(messages, (str, bytes, Mapping)) or not isinstance(messages, Iterable):
        raise bad_request("Invalid type for 'messages': expected an array of messages.", param="messages")
    pending: list[_Pending] = []
    for index, message in enumerate(cast("Iterable[object]", messages)):
        param = f"messages[{index}]"
        item = thread_message_to_item(message, param=param)
        raw = cast("Mapping[str, Any]", message)
        if raw.get("attachments"):
            raise bad_request(
                f"'{param}.attachments' is not yet supported by assistants-compat: the legacy API attached "
                "files to the thread's vector store or code interpreter; upload them with the files API "
                "and name them in 'tool_resources'.",
                param=f"{param}.attachments",
            )
        pending.append(_Pending(item, check_metadata(raw.get("metadata"), param=f"{param}.metadata")))
    return pending


def _add_items(conversation_id: str, items: Sequence[dict[str, Any]], options: Mapping[str, Any]) -> Op[list[str]]:
    ids: list[str] = []
    for batch in item_batches(items):
        created: ConversationItemList = yield Call(
            ("conversations", "items", "create"), {"conversation_id": conversation_id, "items": batch, **options}
        )
        ids += [str(item.id) for item in created.data]
    return ids


def _discard(conversation_id: str, options: Mapping[str, Any]) -> Op[None]:
    """Delete a half-made conversation, best effort: the original error is what the caller sees."""
    try:
        yield Call(("conversations", "delete"), {"conversation_id": conversation_id, **options})
    except Exception:
        logger.warning("could not delete the half-made conversation %s", conversation_id, exc_info=True)


def create_thread(context: Context, args: Mapping[str, Any]) -> Op[Thread]:
    """``threads.create``: a conversation, then the initial messages in batches of at most 20 items."""
    metadata = check_metadata(args.get("metadata"))
    resources = check_tool_resources(args.get("tool_resources"))
    pending = _initial_messages(args.get("messages"))
    options = request_options(args)
    body: dict[str, Any] = {"metadata": metadata} if args.get("metadata") is not None else {}
    conversation: Conversation = yield Call(("conversations", "create"), {**body, **options})
    try:
        ids = yield from _add_items(conversation.id, [p.item for p in pending], options)
    except Exception:
        yield from _discard(conversation.id, options)
        raise
    now = context.clock()
    with context.store.transaction():
        context.store.put(thread_record(conversation.id, conversation.created_at, resources))
        for message_id, message in zip(ids, pending, strict=True):
            meta = MessageMeta(created_at=now, metadata=message.metadata)
            context.store.put(meta.to_record(message_id=message_id, thread_id=conversation.id))
    return conversation_to_thread(conversation=conversation, tool_resources=resources)


def retrieve_thread(context: Context, args: Mapping[str, Any]) -> Op[Thread]:
    """``threads.retrieve``: the conversation, with the stored tool resources."""
    thread_id: str = args["thread_id"]
    conversation = yield from retrieve_conversation(thread_id, request_options(args))
    return conversation_to_thread(conversation=conversation, tool_resources=_stored_resources(context, thread_id))


def update_thread(context: Context, args: Mapping[str, Any]) -> Op[Thread]:
    """``threads.update``: metadata on the conversation, tool resources in the store."""
    thread_id: str = args["thread_id"]
    options = request_options(args)
    metadata = check_metadata(args["metadata"]) if args.get("metadata") is not None else None
    resources = check_tool_resources(args["tool_resources"]) if "tool_resources" in args else None
    if metadata is None:
        conversation = yield from retrieve_conversation(thread_id, options)
    else:
        try:
            conversation = yield Call(
                ("conversations", "update"), {"conversation_id": thread_id, "metadata": metadata, **options}
            )
        except openai.NotFoundError as error:
            raise thread_not_found(thread_id) from error
    if resources is None:
        resources = _stored_resources(context, thread_id)
    else:
        context.store.put(thread_record(thread_id, conversation.created_at, resources))
    return conversation_to_thread(conversation=conversation, tool_resources=resources)


def delete_thread(context: Context, args: Mapping[str, Any]) -> Op[ThreadDeleted]:
    """``threads.delete``: deletes the conversation and every record of the thread."""
    thread_id: str = args["thread_id"]
    try:
        yield Call(("conversations", "delete"), {"conversation_id": thread_id, **request_options(args)})
    except openai.NotFoundError as error:
        raise thread_not_found(thread_id) from error
    store = context.store
    with store.transaction():
        for run in store.list("run", parent_id=thread_id, limit=None):
            store.delete_children("step", run.id)
        store.delete_children("run", thread_id)
        store.delete_children("message", thread_id)
        store.delete("thread", thread_id)
    return ThreadDeleted(id=thread_id, object="thread.deleted", deleted=True)
