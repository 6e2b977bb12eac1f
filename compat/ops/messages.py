"""Message operations: a message is a conversation item (``message.id`` is the item id).

Items hold no metadata, so each message has a ``message`` record (:class:`~compat.store.records.MessageRecord`) with its
``created_at``, metadata, attachments and the run that produced it. An item without a record (added by
native Responses code) gets the conversation's ``created_at``, empty metadata and no run.

``messages.list`` walks the conversation's items: the Conversations API pages with ``after`` only, so
``before`` is emulated by walking the opposite order from the cursor and reversing the page; items that
are not legacy messages, and with ``run_id`` messages of other runs, are skipped; one more message than
asked for is looked for, so ``has_more`` is exact.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import openai
from openai.pagination import SyncConversationCursorPage
from openai.types.beta.threads import Message, MessageDeleted
from openai.types.conversations import ConversationItem, Message as ConversationMessage

from .._context import Context
from .._effects import Op, call, is_ambiguous, local, write
from .._errors import bad_request, not_found
from ..store import Store
from ..store.records import MessageRecord
from ..translate.from_conversations import is_legacy_message, item_to_message
from ..translate.to_conversations import message_to_item
from ._common import Listing, list_args, metadata_of, request_options
from ._files import attach_files
from .runs import ensure_no_active_run
from .threads import retrieve_conversation, thread_not_found

logger = logging.getLogger(__name__)

__all__ = ["create_message", "delete_message", "list_messages", "retrieve_message", "update_message"]

_PAGE = 100
ItemPage = SyncConversationCursorPage[ConversationItem]


def message_not_found(message_id: str) -> openai.NotFoundError:
    """The legacy 404 for an unknown message."""
    return not_found(f"No message found with id '{message_id}'.")


def _missing(error: openai.NotFoundError, thread_id: str, message_id: str) -> openai.NotFoundError:
    """The legacy 404 for a server 404 that names either the conversation or the item."""
    return thread_not_found(thread_id) if f"'{thread_id}'" in str(error) else message_not_found(message_id)


def _records(store: Store, thread_id: str, message_ids: Sequence[str]) -> dict[str, MessageRecord]:
    """The stored records of these messages of the thread (messages added natively have none)."""
    rows = store.get_many("message", message_ids).values()
    return {row.id: MessageRecord.from_row(row) for row in rows if row.parent_id == thread_id}


def _to_message(item: ConversationMessage, thread_id: str, meta: MessageRecord) -> Message:
    return item_to_message(
        item=item,
        thread_id=thread_id,
        created_at=meta.created_at,
        metadata=meta.metadata,
        attachments=meta.attachments,
        assistant_id=meta.assistant_id,
        run_id=meta.run_id,
        completed_at=meta.completed_at,
        incomplete_at=meta.incomplete_at,
        incomplete_reason=meta.incomplete_reason,
    )


def _meta(context: Context, thread_id: str, message_id: str, options: Mapping[str, Any]) -> Op[MessageRecord]:
    """The message's record, or the defaults of an item added natively (the conversation's time)."""
    records = yield from local(lambda: _records(context.store, thread_id, [message_id]))
    if message_id in records:
        return records[message_id]
    conversation = yield from retrieve_conversation(thread_id, options)
    return MessageRecord(created_at=conversation.created_at)


def _item(thread_id: str, message_id: str, options: Mapping[str, Any]) -> Op[ConversationMessage]:
    """The message item, or the legacy 404 (also for items that are not legacy messages)."""
    try:
        item = yield from call(
            lambda api: api.conversations.items.retrieve(message_id, conversation_id=thread_id, **options)
        )
    except openai.NotFoundError as error:
        raise _missing(error, thread_id, message_id) from error
    if not isinstance(item, ConversationMessage) or not is_legacy_message(item):
        raise message_not_found(message_id)
    return item


def _attachments(value: object) -> list[dict[str, Any]]:
    """The attachments as the legacy message shows them (checked by the parameter table)."""
    return [dict(cast("Mapping[str, Any]", attachment)) for attachment in cast("list[Any]", value or [])]


def create_message(context: Context, args: Mapping[str, Any]) -> Op[Message]:
    """``messages.create``: one item appended to the conversation, and its record."""
    thread_id: str = args["thread_id"]
    item = message_to_item(role=args.get("role"), content=args.get("content"))
    metadata = metadata_of(args)
    options = request_options(args)
    yield from ensure_no_active_run(context, thread_id, action="add messages to", args=args)
    attachments = _attachments(args.get("attachments"))
    if attachments:  # the legacy 404 before any file moves
        yield from retrieve_conversation(thread_id, options)
        yield from attach_files(context, thread_id, attachments, options)
    try:
        created = yield from write(
            lambda api: api.conversations.items.create(thread_id, items=[cast(Any, item)], **options)
        )
        added = created.data[0]
    except openai.NotFoundError as error:
        raise thread_not_found(thread_id) from error
    except openai.APIError as error:
        if not is_ambiguous(error):
            raise
        landed = yield from _landed(thread_id, item, options)
        if landed is None:
            raise
        logger.info("the message reached conversation %s although its answer was lost: %s", thread_id, error)
        added = landed
    if not isinstance(added, ConversationMessage):
        raise TypeError(f"the conversation answered a {added.type} item for a message")
    meta = MessageRecord(created_at=context.clock(), metadata=metadata, attachments=attachments)
    yield from local(lambda: context.store.put(meta.to_row(message_id=added.id, thread_id=thread_id)))
    return _to_message(added, thread_id, meta)


def retrieve_message(context: Context, args: Mapping[str, Any]) -> Op[Message]:
    """``messages.retrieve``: the item, with its record."""
    thread_id: str = args["thread_id"]
    options = request_options(args)
    item = yield from _item(thread_id, args["message_id"], options)
    meta = yield from _meta(context, thread_id, item.id, options)
    return _to_message(item, thread_id, meta)


def update_message(context: Context, args: Mapping[str, Any]) -> Op[Message]:
    """``messages.update``: metadata lives in the store (items cannot change); the item must exist."""
    thread_id: str = args["thread_id"]
    options = request_options(args)
    metadata = metadata_of(args) if "metadata" in args else None
    item = yield from _item(thread_id, args["message_id"], options)
    meta = yield from _meta(context, thread_id, item.id, options)
    if metadata is not None:
        meta = meta.model_copy(update={"metadata": metadata})
        row = meta.to_row(message_id=item.id, thread_id=thread_id)
        yield from local(lambda: context.store.put(row))
    return _to_message(item, thread_id, meta)


def delete_message(context: Context, args: Mapping[str, Any]) -> Op[MessageDeleted]:
    """``messages.delete``: the item leaves the conversation, its record the store."""
    thread_id: str = args["thread_id"]
    options = request_options(args)
    item = yield from _item(thread_id, args["message_id"], options)
    try:
        yield from write(lambda api: api.conversations.items.delete(item.id, conversation_id=thread_id, **options))
    except openai.NotFoundError as error:
        raise _missing(error, thread_id, item.id) from error
    yield from local(lambda: context.store.delete("message", item.id))
    return MessageDeleted(id=item.id, object="thread.message.deleted", deleted=True)


def _landed(thread_id: str, sent: Mapping[str, Any], options: Mapping[str, Any]) -> Op[ConversationItem | None]:
    """The conversation's newest item when it is the message just sent (the answer to it was lost)."""
    try:
        page = yield from call(lambda api: api.conversations.items.list(thread_id, order="desc", limit=1, **options))
    except openai.APIError:
        return None
    newest = page.data[0] if page.data else None
    if not isinstance(newest, ConversationMessage) or newest.role != sent["role"]:
        return None
    parts = [part.model_dump(mode="json") for part in newest.content]
    wanted = cast(Sequence[Mapping[str, Any]], sent["content"])
    same = len(parts) == len(wanted) and all(
        all(got.get(key) == value for key, value in part.items()) for got, part in zip(parts, wanted, strict=True)
    )
    return newest if same else None


@dataclass(frozen=True)
class _Walk:
    """One walk over a conversation's items: in ``order`` from ``start`` (exclusive) until ``stop``."""

    thread_id: str
    order: str
    start: str | None
    stop: str | None
    want: int
    run_messages: frozenset[str] | None
    cursor_param: str = "after"


def _keep(walk: _Walk, item: ConversationItem) -> bool:
    if not is_legacy_message(item):
        return False
    return walk.run_messages is None or item.id in walk.run_messages


def _items_page(
    walk: _Walk, cursor: str | None, options: Mapping[str, Any]
) -> Op[SyncConversationCursorPage[ConversationItem]]:
    query: dict[str, Any] = {"order": walk.order, "limit": min(_PAGE, walk.want)}
    if cursor is not None:
        # a full page: a server that ignores ``after`` answers from the start, and the cursor must be in it
        query["after"] = cursor
        query["limit"] = _PAGE
    try:
        return (yield from call(lambda api: api.conversations.items.list(walk.thread_id, **query, **options)))
    except openai.NotFoundError as error:
        if cursor is None or f"'{cursor}'" not in str(error):
            raise thread_not_found(walk.thread_id) from error
        param = walk.cursor_param if cursor == walk.start else "after"
        raise bad_request(f"Invalid cursor: no message found with id '{cursor}'.", param=param) from error


def _walk(walk: _Walk, options: Mapping[str, Any]) -> Op[list[ConversationMessage]]:
    """Up to ``want`` kept message items, fetching item pages as long as needed."""
    found: list[ConversationMessage] = []
    seen: set[str] = set()
    cursor = walk.start
    while True:
        page = yield from _items_page(walk, cursor, options)
        data = _after_cursor(list(page.data), cursor)
        for item in data:
            if item.id == walk.stop:
                return found
            if isinstance(item, ConversationMessage) and _keep(walk, item):
                found.append(item)
                if len(found) == walk.want:
                    return found
        if not page.has_more or not data:
            return found
        if data[-1].id == cursor or data[-1].id in seen:
            # a server that ignores ``after`` answers the same page again: stop rather than loop
            logger.warning("conversation %s: the item list made no progress past %s", walk.thread_id, cursor)
            return found
        seen.update(item.id for item in data if item.id is not None)
        cursor = data[-1].id


def _after_cursor(data: list[ConversationItem], cursor: str | None) -> list[ConversationItem]:
    """The items past ``cursor``: a server that ignores ``after`` answers from the start again."""
    ids = [item.id for item in data]
    return data[ids.index(cursor) + 1 :] if cursor is not None and cursor in ids else data


def _run_messages(store: Store, thread_id: str, run_id: str | None) -> frozenset[str] | None:
    if run_id is None:
        return None
    records = store.list("message", parent_id=thread_id, group_id=run_id, limit=None)
    return frozenset(record.id for record in records)


def _messages(
    context: Context, thread_id: str, items: Sequence[ConversationMessage], options: Mapping[str, Any]
) -> Op[list[Message]]:
    records = yield from local(lambda: _records(context.store, thread_id, [item.id for item in items]))
    fallback = MessageRecord(created_at=0)
    if len(records) < len(items):
        conversation = yield from retrieve_conversation(thread_id, options)
        fallback = MessageRecord(created_at=conversation.created_at)
    return [_to_message(item, thread_id, records.get(item.id, fallback)) for item in items]


def list_messages(context: Context, args: Mapping[str, Any]) -> Op[Listing[Message]]:
    """``messages.list``: ``limit``, ``order``, ``after``, ``before`` and ``run_id`` over the items."""
    thread_id: str = args["thread_id"]
    paging = list_args(args)
    backwards = paging.after is None and paging.before is not None
    order = paging.order
    if backwards:
        order = "asc" if paging.order == "desc" else "desc"
    walk = _Walk(
        thread_id=thread_id,
        order=order,
        start=paging.before if backwards else paging.after,
        stop=None if backwards else paging.before,
        want=paging.limit + 1,
        run_messages=(yield from local(lambda: _run_messages(context.store, thread_id, args.get("run_id")))),
        cursor_param="before" if backwards else "after",
    )
    options = request_options(args)
    found = yield from _walk(walk, options)
    page = found[: paging.limit]
    if backwards:
        page.reverse()
    messages = yield from _messages(context, thread_id, page, options)
    return Listing(data=messages, has_more=len(found) > paging.limit)
