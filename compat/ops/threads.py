"""Thread operations: a thread is a conversation (``thread.id`` is the conversation id).

The store keeps what a conversation cannot hold: a ``thread`` record (``data`` = ``{"tool_resources":
{...}}``) and one ``message`` record (:class:`~compat.store.records.MessageRecord`) per message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple, cast

import openai
from openai.types.beta import Thread, ThreadDeleted
from openai.types.conversations import Conversation, ConversationItemList

from .._context import Context
from .._effects import Op, call, local, write
from .._errors import not_found
from ..store import Store
from ..store.records import MessageRecord, ThreadRecord
from ..translate.from_conversations import conversation_to_thread
from ..translate.legacy import tool_resources
from ..translate.to_conversations import item_batches, thread_message_to_item
from ._common import metadata_of, request_options
from ._files import (
    attachments_by_tool,
    create_inline_vector_stores,
    delete_vector_store,
    has_inline_vector_stores,
    into_vector_store,
    search_store_ids,
    stored_thread,
)

__all__ = [
    "stored_resources",
    "create_thread",
    "delete_thread",
    "retrieve_conversation",
    "retrieve_thread",
    "update_thread",
]

logger = logging.getLogger(__name__)


def thread_not_found(thread_id: str) -> openai.NotFoundError:
    """The legacy 404 for an unknown thread."""
    return not_found(f"No thread found with id '{thread_id}'.")


def retrieve_conversation(thread_id: str, options: Mapping[str, Any]) -> Op[Conversation]:
    """The conversation of a thread; the legacy 404 when it does not exist."""
    try:
        return (yield from call(lambda api: api.conversations.retrieve(thread_id, **options)))
    except openai.NotFoundError as error:
        raise thread_not_found(thread_id) from error


def stored_resources(store: Store, thread_id: str) -> dict[str, Any]:
    """The thread's stored tool resources (``{}`` for none, or for a conversation made without the shim)."""
    row = store.get("thread", thread_id)
    return ThreadRecord.from_row(row).tool_resources if row is not None else {}


class _Pending(NamedTuple):
    """One initial message: its item, its metadata and its attachments."""

    item: dict[str, Any]
    metadata: dict[str, str]
    attachments: list[dict[str, Any]]


def _initial_messages(messages: Iterable[Mapping[str, Any]] | None) -> list[_Pending]:
    """The items, metadata and attachments of ``threads.create``'s messages (checked by the parameter table)."""
    return [
        _Pending(
            thread_message_to_item(message, param=f"messages[{index}]"),
            metadata_of(message),
            [dict(a) for a in cast("list[Mapping[str, Any]]", message.get("attachments") or [])],
        )
        for index, message in enumerate(messages or [])
    ]


def _thread_files(
    resources: Mapping[str, Any], pending: Sequence[_Pending], options: Mapping[str, Any]
) -> Op[ThreadRecord]:
    """The new thread's record once its inline vector stores and its messages' attachments exist upstream."""
    created = yield from create_inline_vector_stores(resources, options, for_thread=True)
    search, code = attachments_by_tool(a for p in pending for a in p.attachments)
    if search:
        try:
            created = yield from into_vector_store(dict(created), search, options)
        except Exception:
            # the thread will not exist: neither will the vector store made for it
            if has_inline_vector_stores(resources):
                for vector_store_id in search_store_ids(created):
                    yield from delete_vector_store(vector_store_id, options)
            raise
    made = has_inline_vector_stores(resources) or bool(search)
    filling = search_store_ids(created) if made else []
    return ThreadRecord(tool_resources=tool_resources(created), attached_file_ids=code, filling=filling)


def _add_items(conversation_id: str, items: Sequence[dict[str, Any]], options: Mapping[str, Any]) -> Op[list[str]]:
    ids: list[str] = []
    for batch in item_batches(items):
        created: ConversationItemList = yield from write(
            lambda api, batch=batch: api.conversations.items.create(conversation_id, items=cast(Any, batch), **options)
        )
        ids += [str(item.id) for item in created.data]
    return ids


def _discard(conversation_id: str, options: Mapping[str, Any]) -> Op[None]:
    """Delete a half-made conversation, best effort: the original error is what the caller sees."""
    try:
        yield from write(lambda api: api.conversations.delete(conversation_id, **options))
    except Exception:
        logger.warning("could not delete the half-made conversation %s", conversation_id, exc_info=True)


def create_thread(context: Context, args: Mapping[str, Any]) -> Op[Thread]:
    """``threads.create``: a conversation, then the initial messages in batches of at most 20 items."""
    metadata = metadata_of(args)
    pending = _initial_messages(args.get("messages"))
    options = request_options(args)
    body: dict[str, Any] = {"metadata": metadata} if args.get("metadata") is not None else {}
    conversation = yield from write(lambda api: api.conversations.create(**body, **options))
    try:
        ids = yield from _add_items(conversation.id, [p.item for p in pending], options)
        thread = yield from _thread_files(args.get("tool_resources") or {}, pending, options)
    except Exception:
        yield from _discard(conversation.id, options)
        raise
    now = context.clock()
    rows = [thread.to_row(thread_id=conversation.id, created_at=conversation.created_at)]
    rows += [
        MessageRecord(created_at=now, metadata=message.metadata, attachments=message.attachments).to_row(
            message_id=message_id, thread_id=conversation.id
        )
        for message_id, message in zip(ids, pending, strict=True)
    ]
    yield from local(lambda: context.store.put_many(rows))
    return conversation_to_thread(conversation=conversation, tool_resources=thread.tool_resources)


def retrieve_thread(context: Context, args: Mapping[str, Any]) -> Op[Thread]:
    """``threads.retrieve``: the conversation, with the stored tool resources."""
    thread_id: str = args["thread_id"]
    conversation = yield from retrieve_conversation(thread_id, request_options(args))
    resources = yield from local(lambda: stored_resources(context.store, thread_id))
    return conversation_to_thread(conversation=conversation, tool_resources=resources)


def update_thread(context: Context, args: Mapping[str, Any]) -> Op[Thread]:
    """``threads.update``: metadata on the conversation, tool resources in the store."""
    thread_id: str = args["thread_id"]
    options = request_options(args)
    metadata = metadata_of(args) if args.get("metadata") is not None else None
    if metadata is None:
        conversation = yield from retrieve_conversation(thread_id, options)
    else:
        try:
            conversation = yield from call(
                lambda api: api.conversations.update(thread_id, metadata=metadata, **options)
            )
        except openai.NotFoundError as error:
            raise thread_not_found(thread_id) from error
    if "tool_resources" not in args:
        resources = yield from local(lambda: stored_resources(context.store, thread_id))
        return conversation_to_thread(conversation=conversation, tool_resources=resources)
    given = yield from create_inline_vector_stores(args["tool_resources"], options, for_thread=True)
    resources = tool_resources(given)
    made = search_store_ids(resources) if has_inline_vector_stores(args["tool_resources"]) else []

    def replace_resources(store: Store) -> None:
        with store.transaction():
            record, _ = stored_thread(store, thread_id)
            filling = [*record.filling, *(v for v in made if v not in record.filling)]
            row = record.model_copy(update={"tool_resources": resources, "filling": filling})
            store.put(row.to_row(thread_id=thread_id, created_at=conversation.created_at))

    yield from local(lambda: replace_resources(context.store))
    return conversation_to_thread(conversation=conversation, tool_resources=resources)


def delete_thread(context: Context, args: Mapping[str, Any]) -> Op[ThreadDeleted]:
    """``threads.delete``: deletes the conversation and every record of the thread."""
    thread_id: str = args["thread_id"]
    try:
        yield from write(lambda api: api.conversations.delete(thread_id, **request_options(args)))
    except openai.NotFoundError as error:
        raise thread_not_found(thread_id) from error
    yield from local(lambda: _forget_thread(context.store, thread_id))
    return ThreadDeleted(id=thread_id, object="thread.deleted", deleted=True)


def _forget_thread(store: Store, thread_id: str) -> None:
    """Delete every record of a thread: its runs, their steps, its messages and itself."""
    with store.transaction():
        for run in store.list("run", parent_id=thread_id, limit=None):
            store.delete_children("step", run.id)
        store.delete_children("run", thread_id)
        store.delete_children("message", thread_id)
        store.delete("thread", thread_id)
