"""Legacy ids of imported threads and messages, resolved where the legacy surface calls an operation.

``assistants-compat import`` (:mod:`compat.importer`) brings saved threads back as new conversations and their
messages as new items, with an :class:`~compat.store.records.AliasRecord` per legacy id. :func:`with_aliases`
wraps an operation so that the caller never sees the difference:

- ids in: ``thread_id`` naming an imported thread becomes its conversation id; ``message_id``, ``after`` and
  ``before`` naming one of its messages become the item id;
- ids out: the result (an object, a list page, every streamed event's data, an error message) names the
  legacy thread again, the thread keeps its legacy ``created_at``, and the thread's imported messages their
  legacy ids.

Rules:

- an alias resolves once its thread's import is complete; a message alias only with its own thread;
- a ``thread_id`` the Conversations API made (``conv_...``), or none, costs nothing: no store look-up;
  any other costs one (a ``get_many`` of the call's ids); a call on an imported thread one more for the
  message ids of its result (none for streamed events: a run's events name only its new messages);
- ids are renamed in the fields that hold them (``id``, ``thread_id``, ``message_id``), nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast

import openai
from openai.types.beta import Thread
from openai.types.beta.threads import Message
from pydantic import BaseModel

from .._context import Context
from .._effects import Emit, Op, local
from .._errors import bad_request, not_found
from ..store import Store
from ..store.records import AliasRecord
from ._common import Listing

__all__ = ["Aliases", "renamed", "resolve", "with_aliases"]

Operation = Callable[[Context, Mapping[str, Any]], Op[Any]]

_ID_ARGS = ("thread_id", "message_id", "after", "before")
_ID_FIELDS = frozenset({"id", "thread_id", "message_id"})
_NEW_THREAD_PREFIX = "conv_"


@dataclass(frozen=True, slots=True)
class Aliases:
    """The aliases of one call: legacy ids to new ones, and back."""

    forward: dict[str, str] = field(default_factory=dict[str, str])
    back: dict[str, str] = field(default_factory=dict[str, str])
    thread_created_at: dict[str, int] = field(default_factory=dict[str, int])

    def with_back(self, more: Mapping[str, str]) -> Aliases:
        """These aliases, knowing more new ids' legacy ones."""
        return replace(self, back={**self.back, **more})


def with_aliases(operation: Operation) -> Operation:
    """``operation`` taking and answering legacy ids of imported threads and messages (see the module)."""

    def aliased(context: Context, args: Mapping[str, Any]) -> Op[Any]:
        thread_id = args.get("thread_id")
        if not isinstance(thread_id, str) or thread_id.startswith(_NEW_THREAD_PREFIX):
            return operation(context, args)
        return _resolving(operation, context, args)

    return aliased


def resolve(store: Store, ids: Iterable[str], thread_id: str) -> Aliases | None:
    """The aliases among ``ids`` when ``thread_id`` is a completely imported thread, else ``None``."""
    rows = store.get_many("alias", list(dict.fromkeys(ids)))
    thread_row = rows.get(thread_id)
    if thread_row is None:
        return None
    thread = AliasRecord.from_row(thread_row)
    if thread.object != "thread" or not thread.complete:
        return None
    aliases = Aliases(
        forward={thread_id: thread.new_id},
        back={thread.new_id: thread_id},
        thread_created_at={thread.new_id: thread.created_at},
    )
    for row in rows.values():
        record = AliasRecord.from_row(row)
        if record.object == "thread.message" and record.thread_id == thread_id and row.id == record.legacy_id:
            aliases.forward[record.legacy_id] = record.new_id
            aliases.back[record.new_id] = record.legacy_id
    return aliases


def _legacy_messages(store: Store, new_ids: Iterable[str]) -> dict[str, str]:
    """The legacy ids of these items, for those that are imported messages."""
    rows = store.get_many("alias", list(dict.fromkeys(new_ids)))
    found: dict[str, str] = {}
    for row in rows.values():
        record = AliasRecord.from_row(row)
        if row.id == record.new_id != record.legacy_id:
            found[record.new_id] = record.legacy_id
    return found


def _resolving(operation: Operation, context: Context, args: Mapping[str, Any]) -> Op[Any]:
    thread_id = str(args["thread_id"])
    ids = [value for name in _ID_ARGS if isinstance(value := args.get(name), str)]
    aliases = yield from local(lambda: resolve(context.store, ids, thread_id))
    if aliases is None:
        return (yield from operation(context, args))
    given = {name: aliases.forward.get(value, value) if name in _ID_ARGS else value for name, value in args.items()}
    try:
        result = yield from _relay(operation(context, given), aliases)
    except (openai.NotFoundError, openai.BadRequestError) as error:
        raise _renamed_error(error, aliases) from error
    unknown = [name for name in _message_ids(result) if name not in aliases.back]
    if unknown:
        more = yield from local(lambda: _legacy_messages(context.store, unknown))
        aliases = aliases.with_back(more)
    return renamed(result, aliases)


def _relay(op: Op[Any], aliases: Aliases) -> Op[Any]:
    """``yield from op``, with every emitted event's data renamed."""
    result: Any = None
    error: Exception | None = None
    while True:
        try:
            effect = op.throw(error) if error is not None else op.send(result)
        except StopIteration as stop:
            return stop.value
        if isinstance(effect, Emit):
            effect = Emit(renamed(effect.event, aliases))
        try:
            result, error = (yield effect), None
        except GeneratorExit:
            op.close()
            raise
        except Exception as exc:  # thrown in by the driver: the op's to handle
            result, error = None, exc


def _message_ids(value: object) -> Iterable[str]:
    """The message ids a result names: its messages' ids and every ``message_id`` (a step's message)."""
    if isinstance(value, Listing):
        for item in cast("Listing[Any]", value).data:
            yield from _message_ids(item)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            item = getattr(value, name)
            if isinstance(item, str) and (name == "message_id" or (name == "id" and isinstance(value, Message))):
                yield item
            elif isinstance(item, (BaseModel, list)):
                yield from _message_ids(cast(object, item))
    elif isinstance(value, list):
        for item in cast("list[object]", value):
            yield from _message_ids(item)


def renamed(value: Any, aliases: Aliases) -> Any:
    """``value`` with the new ids of its id fields named by their legacy ids (models are copied, not changed)."""
    if isinstance(value, Listing):
        listing = cast("Listing[Any]", value)
        return Listing(data=[renamed(item, aliases) for item in listing.data], has_more=listing.has_more)
    if isinstance(value, list):
        items = cast("list[Any]", value)
        new_items = [renamed(item, aliases) for item in items]
        unchanged = all(new is old for new, old in zip(new_items, items, strict=True))
        return items if unchanged else new_items
    if not isinstance(value, BaseModel):
        return value
    changes: dict[str, Any] = {}
    for name in type(value).model_fields:
        item = getattr(value, name)
        if name in _ID_FIELDS and isinstance(item, str):
            if item in aliases.back:
                changes[name] = aliases.back[item]
        elif isinstance(item, (BaseModel, list)):
            new = renamed(item, aliases)
            if new is not item:
                changes[name] = new
    if isinstance(value, Thread) and value.id in aliases.thread_created_at:
        changes["created_at"] = aliases.thread_created_at[value.id]
    return value.model_copy(update=changes) if changes else value


def _renamed_error(error: openai.APIStatusError, aliases: Aliases) -> openai.APIStatusError:
    """The legacy error naming legacy ids, or ``error`` itself when it names no new id."""
    raw: object = error.body
    body: dict[str, Any] = dict(cast("Mapping[str, Any]", raw)) if isinstance(raw, Mapping) else {}
    message = str(body.get("message", ""))
    text = message
    for new, legacy in aliases.back.items():
        # whole ids only ("Thread conv_1 already has ...", "'conv_1'"), never a prefix of a longer one
        text = re.sub(rf"(?<![\w-]){re.escape(new)}(?![\w-])", legacy, text)
    if text == message:
        return error
    param, code = body.get("param"), body.get("code")
    if isinstance(error, openai.NotFoundError):
        return not_found(text, param=param)
    return bad_request(text, param=param, code=code)
