"""Writing saved legacy objects: assistants to the store, threads to new conversations, with a journal.

Every imported object has an :class:`~compat.store.records.AliasRecord` row, written with it: the journal.
An object whose row exists is skipped, so a second import of the same files writes nothing.

A thread is written in steps, each recorded before the next starts:

1. a conversation with the thread's metadata; the thread's row (``complete: false``) names it at once;
2. its messages in ``created_at`` order, 20 items per ``conversations.items.create``: before each chunk the
   thread's row lists the chunk's messages (``pending``) and how many items the conversation held before it
   (``written``); after it, one transaction writes the messages' rows (alias and
   :class:`~compat.store.records.MessageRecord`) and clears ``pending``;
3. its runs and steps (read-only history: a run or step saved before it ended is ``expired``), its tool
   resources, and ``complete: true``, in one transaction: only then does the legacy id resolve.

An import interrupted in step 2 resumes from the journal: when the thread's row has a ``pending`` chunk, the
conversation's items tell whether it landed (``written`` + the chunk) or not (``written``), and anything
else fails the thread rather than guess. A conversation made just before a crash, not yet named by the
thread's row, is left behind empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from openai import Omit, omit
from openai.types.beta import Assistant, Thread
from openai.types.beta.threads import Message, Run
from openai.types.beta.threads.runs import RunStep
from openai.types.conversations import ConversationItem, ConversationItemList

from .._context import Context
from .._effects import Op, call, local, write
from ..store import Store, StoredRecord
from ..store.records import (
    FINAL,
    AliasedObject,
    AliasRecord,
    AssistantRecord,
    MessageRecord,
    RunRecord,
    StepRecord,
    ThreadRecord,
)
from ..translate.to_conversations import MAX_ITEMS_PER_CALL
from ._read import Item

__all__ = ["ImportFailed", "ThreadPlan", "import_assistants", "import_thread", "journal"]

_LOOKUP_BATCH = 500
_ITEMS_PAGE = 100

Advance = Callable[[int], None]


class ImportFailed(Exception):
    """A thread that cannot be imported as it stands (its conversation does not match the journal)."""


@dataclass
class ThreadPlan:
    """One thread to import, with its messages (oldest first, with their items), runs and steps."""

    thread: Thread
    messages: list[tuple[Message, Item]] = field(default_factory=list[tuple[Message, Item]])
    runs: list[Run] = field(default_factory=list[Run])
    steps: list[RunStep] = field(default_factory=list[RunStep])

    def count(self) -> int:
        """The objects of the thread, itself included."""
        return 1 + len(self.messages) + len(self.runs) + len(self.steps)


def journal(store: Store, ids: Iterable[str]) -> dict[str, AliasRecord]:
    """The journal entries of these legacy ids (read in batches)."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, AliasRecord] = {}
    for start in range(0, len(wanted), _LOOKUP_BATCH):
        rows = store.get_many("alias", wanted[start : start + _LOOKUP_BATCH])
        for row in rows.values():
            record = AliasRecord.from_row(row)
            if row.id == record.legacy_id:
                found[row.id] = record
    return found


def import_assistants(store: Store, assistants: Sequence[Assistant]) -> None:
    """Store the assistants with their ids, and their journal rows, in one transaction."""
    rows: list[StoredRecord] = []
    for assistant in assistants:
        rows.append(AssistantRecord.to_row(assistant))
        rows += _entry("assistant", assistant.id, assistant.created_at).to_rows()
    store.put_many(rows)


def _entry(kind: AliasedObject, legacy_id: str, created_at: int, thread_id: str = "") -> AliasRecord:
    return AliasRecord(object=kind, legacy_id=legacy_id, new_id=legacy_id, thread_id=thread_id, created_at=created_at)


def import_thread(context: Context, plan: ThreadPlan, advance: Advance) -> Op[str]:
    """Import one thread (resuming from its journal); the id of its conversation."""
    store = context.store
    thread = plan.thread
    found = yield from local(lambda: journal(store, [thread.id]).get(thread.id))
    alias = found if found is not None else (yield from _start_thread(store, thread))
    by_id = {message.id: (message, item) for message, item in plan.messages}
    if alias.pending:
        missing = [i for i in alias.pending if i not in by_id]
        if missing:
            raise ImportFailed(f"message {missing[0]}, being written when the import stopped, is not in the input")
        alias = yield from _reconcile(store, alias, [by_id[i] for i in alias.pending])
    done = yield from local(lambda: set(journal(store, by_id)))
    advance(len(done))
    remaining = [pair for pair in plan.messages if pair[0].id not in done]
    _check_resumable(plan, done)
    for start in range(0, len(remaining), MAX_ITEMS_PER_CALL):
        chunk = remaining[start : start + MAX_ITEMS_PER_CALL]
        alias = yield from _write_chunk(store, alias, chunk)
        advance(len(chunk))
    yield from local(lambda: _complete(store, alias, plan))
    advance(1 + len(plan.runs) + len(plan.steps))
    return alias.new_id


def _check_resumable(plan: ThreadPlan, done: set[str]) -> None:
    """The messages already written must be the thread's oldest: a newer input cannot put one before them."""
    order = [message.id for message, _ in plan.messages]
    written = [index for index, message_id in enumerate(order) if message_id in done]
    late = (
        next((message_id for message_id in order[: written[-1]] if message_id not in done), None) if written else None
    )
    if late is not None:
        raise ImportFailed(
            f"message {late} is older than messages of this thread imported before; it cannot be put before them"
        )


def _write_chunk(store: Store, alias: AliasRecord, chunk: Sequence[tuple[Message, Item]]) -> Op[AliasRecord]:
    """One ``conversations.items.create``, journaled before (``pending``) and after (the messages' rows)."""
    before = alias.model_copy(update={"pending": [message.id for message, _ in chunk]})
    yield from local(lambda: store.put_many(before.to_rows()))
    items = [item for _, item in chunk]
    created: ConversationItemList = yield from write(
        lambda api: api.conversations.items.create(before.new_id, items=cast(Any, items))
    )
    return (yield from local(lambda: _record_chunk(store, before, chunk, created.data)))


def _start_thread(store: Store, thread: Thread) -> Op[AliasRecord]:
    """A conversation for the thread, named at once by the thread's (incomplete) journal row."""
    metadata = dict(thread.metadata or {})
    body: dict[str, Any] = {"metadata": metadata} if metadata else {}
    conversation = yield from write(lambda api: api.conversations.create(**body))
    alias = AliasRecord(
        object="thread", legacy_id=thread.id, new_id=conversation.id, created_at=thread.created_at, complete=False
    )
    yield from local(lambda: store.put_many(alias.to_rows()))
    return alias


def _record_chunk(
    store: Store, alias: AliasRecord, chunk: Sequence[tuple[Message, Item]], items: Sequence[ConversationItem]
) -> AliasRecord:
    """Journal a chunk that landed: its messages' rows, and the thread's row without ``pending``."""
    if len(items) != len(chunk):
        raise ImportFailed(f"{len(chunk)} messages were sent but the conversation answered {len(items)} items")
    done = alias.model_copy(update={"pending": [], "written": alias.written + len(chunk)})
    rows = done.to_rows()
    for (message, _), item in zip(chunk, items, strict=True):
        rows += _message_rows(message, str(item.id), alias)
    store.put_many(rows)
    return done


def _message_rows(message: Message, item_id: str, thread: AliasRecord) -> list[StoredRecord]:
    reason = message.incomplete_details.reason if message.incomplete_details else None
    record = MessageRecord(
        created_at=message.created_at,
        metadata=dict(message.metadata or {}),
        attachments=[a.model_dump(mode="json", exclude_unset=True) for a in message.attachments or []],
        assistant_id=message.assistant_id,
        run_id=message.run_id,
        completed_at=message.completed_at,
        incomplete_at=message.incomplete_at,
        incomplete_reason=reason,
    )
    alias = AliasRecord(
        object="thread.message",
        legacy_id=message.id,
        new_id=item_id,
        thread_id=thread.legacy_id,
        created_at=message.created_at,
    )
    return [*alias.to_rows(), record.to_row(message_id=item_id, thread_id=thread.new_id)]


def _reconcile(store: Store, alias: AliasRecord, pending: Sequence[tuple[Message, Item]]) -> Op[AliasRecord]:
    """After an interruption: journal the pending chunk if the conversation holds it, else forget it."""
    items = yield from _all_items(alias.new_id)
    landed = items[alias.written :]
    if not landed:
        return alias.model_copy(update={"pending": []})
    if len(landed) != len(pending):
        raise ImportFailed(
            f"conversation {alias.new_id} holds {len(items)} items; the journal expects {alias.written} "
            f"or {alias.written + len(pending)}: delete the conversation and its journal rows to start over"
        )
    return (yield from local(lambda: _record_chunk(store, alias, pending, landed)))


def _all_items(conversation_id: str) -> Op[list[ConversationItem]]:
    """Every item of a conversation, oldest first."""
    items: list[ConversationItem] = []
    after: str | Omit = omit
    while True:
        page = yield from call(
            lambda api, after=after: api.conversations.items.list(
                conversation_id, order="asc", limit=_ITEMS_PAGE, after=after
            )
        )
        items += page.data
        if not page.has_more or not page.data:
            return items
        after = str(page.data[-1].id)


def _complete(store: Store, alias: AliasRecord, plan: ThreadPlan) -> None:
    """Runs, steps, tool resources and the thread's completion, in one transaction."""
    conversation, legacy = alias.new_id, alias.legacy_id
    rows: list[StoredRecord] = []
    for run in sorted(plan.runs, key=lambda r: r.created_at):
        ended = run if run.status in FINAL else run.model_copy(update={"status": "expired", "required_action": None})
        rows.append(RunRecord(run=ended.model_copy(update={"thread_id": conversation})).to_row())
        rows += _entry("thread.run", run.id, run.created_at, legacy).to_rows()
    for step in sorted(plan.steps, key=lambda s: s.created_at):
        ended = step if step.status in FINAL else step.model_copy(update={"status": "expired"})
        rows.append(StepRecord.to_row(ended.model_copy(update={"thread_id": conversation})))
        rows += _entry("thread.run.step", step.id, step.created_at, legacy).to_rows()
    resources = plan.thread.tool_resources
    record = ThreadRecord(
        tool_resources=resources.model_dump(mode="json", exclude_unset=True) if resources else {},
        attached_file_ids=_code_files(message for message, _ in plan.messages),
    )
    rows.append(record.to_row(thread_id=conversation, created_at=plan.thread.created_at))
    rows += alias.model_copy(update={"complete": True, "pending": []}).to_rows()
    store.put_many(rows)


def _code_files(messages: Iterable[Message]) -> list[str]:
    """The files the messages attached for the code interpreter (every run's container gets them)."""
    files: list[str] = []
    for message in messages:
        for attachment in message.attachments or []:
            tools = attachment.tools or []
            if attachment.file_id and any(tool.type == "code_interpreter" for tool in tools):
                files.append(attachment.file_id)
    return list(dict.fromkeys(files))
