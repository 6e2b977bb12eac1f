"""Run operations: a run is our record over one or more responses created with ``conversation=thread``.

Lifecycle. ``runs.create`` writes the run record (``in_progress``) before calling the server and
updates it after, so a crash never leaves a response without its run; one ``responses.create`` performs
the model turn (:mod:`compat.ops._turns`) and the run comes back in the state it reached
(``requires_action``, ``completed``, ``failed``, ``incomplete``). ``submit_tool_outputs`` continues it
with ``function_call_output`` items, one more response. Only one run per thread is active at a time
(checked under the thread's store lock).

A ``requires_action`` run expires 10 minutes after creation; a run whose turn nobody drives any more (its
process died) fails; either way, as when it is cancelled, the calls it leaves are answered with outputs that
say so, because a conversation whose ``function_call`` has no output refuses every later response (see
:mod:`compat.ops._settle`). ``max_completion_tokens`` is a budget for the whole run and
``max_prompt_tokens`` is checked before each turn (:mod:`compat.ops._turns`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, cast

from openai.types.beta import Thread
from openai.types.beta.assistant_stream_event import (
    ThreadCreated,
    ThreadRunCreated,
    ThreadRunIncomplete,
    ThreadRunInProgress,
    ThreadRunQueued,
    ThreadRunStepCompleted,
)
from openai.types.beta.threads import Run
from openai.types.beta.threads.runs import RunStep
from openai.types.responses import Response

from .._context import Context
from .._effects import Op, StreamClosed, call, emit, local, sleep, write
from .._errors import bad_request
from ..store import Store, StoredRecord
from ..store.records import ACTIVE, BUSY, SETTLED, MessageRecord, RunRecord, ThreadRecord
from ..translate import legacy, to_responses
from ..translate.to_conversations import item_batches, thread_message_to_item
from ._common import (
    Listing,
    latest_run,
    list_args,
    metadata_of,
    page_records,
    request_options,
    require,
)
from ._files import attach_files, stored_thread, wait_for_files
from ._owner import TURN_LEASE_SECONDS, this_process
from ._settle import answer_calls, close_tool_step, is_due, pending_calls, settle
from ._truncation import last_messages
from ._turns import (
    FirstTurn,
    NextTurn,
    abandon_run,
    over_prompt_budget,
    record_turn,
    send_turn,
    stream_turn,
    submitted_outputs,
    turn_request,
)
from .threads import create_thread, retrieve_conversation

__all__ = [
    "cancel_run",
    "create_run",
    "create_run_and_poll",
    "create_thread_and_run",
    "create_thread_and_run_poll",
    "ensure_no_active_run",
    "list_runs",
    "poll_run",
    "retrieve_run",
    "stream_run",
    "stream_submit_tool_outputs",
    "stream_thread_and_run",
    "submit_tool_outputs",
    "submit_tool_outputs_and_poll",
    "update_run",
]


def _stored_run(store: Store, thread_id: str, run_id: str) -> RunRecord:
    return RunRecord.from_row(require(store, "run", run_id, parent_id=thread_id))


def _load(context: Context, args: Mapping[str, Any]) -> Op[RunRecord]:
    """The run named by ``args`` (``thread_id``, ``run_id``), expired first when its time has passed."""
    record = yield from local(lambda: _stored_run(context.store, args["thread_id"], args["run_id"]))
    return (yield from settle(context, record, request_options(args)))


# --- a new run ------------------------------------------------------------------------------------


def _new_run(context: Context, thread_id: str, args: Mapping[str, Any]) -> Op[tuple[RunRecord, bool, list[str]]]:
    """The record of a new run from the assistant's settings and the run's arguments (nothing stored),
    whether the store knows messages of the thread, and the thread's vector stores still being filled."""

    def read(store: Store) -> tuple[StoredRecord, ThreadRecord, bool]:
        assistant = require(store, "assistant", args["assistant_id"])
        known = bool(store.list("message", parent_id=thread_id, limit=1))
        return assistant, stored_thread(store, thread_id)[0], known

    assistant, thread, has_messages = yield from local(lambda: read(context.store))
    attached = {"code_interpreter": {"file_ids": thread.attached_file_ids}} if thread.attached_file_ids else None
    run = legacy.run_from_params(
        run_id=context.ids("run"),
        thread_id=thread_id,
        assistant=assistant.data,
        params=args,
        metadata=metadata_of(args),
        now=context.clock(),
    )
    # the legacy Run shows these two, but the SDK's Run type has no field for them
    extra = run.model_extra or {}
    record = RunRecord(
        run=run,
        reasoning_effort=extra.get("reasoning_effort"),
        include=list(cast("Sequence[str]", args.get("include") or [])),
        asked_truncation=args.get("truncation_strategy") is not None,
        tool_resources=[
            assistant.data.get("tool_resources"),
            thread.tool_resources or None,
            extra.get("tool_resources"),
            attached,
        ],
    )
    return record, has_messages, thread.filling


def _message_items(messages: Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    return [
        thread_message_to_item(message, param=f"additional_messages[{index}]")
        for index, message in enumerate(messages or [])
    ]


def _insert(store: Store, record: RunRecord) -> None:
    """Insert the new run unless another is active (checked under the thread's lock)."""
    thread_id = record.thread_id
    with store.transaction(lock=thread_id):
        row = latest_run(store, thread_id)
        if row is not None and row.data["run"]["status"] in ACTIVE:
            raise bad_request(f"Thread {thread_id} already has an active run {row.id}.")
        store.put(record.to_row())


_NOTHING_TO_ANSWER = "Run creation requires a Thread with a user message or an assistant with instructions."


def _begin(
    context: Context, thread_id: str, args: Mapping[str, Any], *, queued: bool = False, new_thread: bool = False
) -> Op[tuple[RunRecord, dict[str, Any]]]:
    """Validate, guard, insert the run; the record and the first request.

    The run is stored ``in_progress``, or ``queued`` when the caller moves it on itself (a stream, which
    shows the ``queued`` run first). ``new_thread``: the thread was just made by ``create_and_run`` (its
    messages are known).
    """
    additional = cast("Sequence[Mapping[str, Any]]", args.get("additional_messages") or [])
    attached = [a for m in additional for a in cast("Sequence[Mapping[str, Any]]", m.get("attachments") or [])]
    if attached:  # before the run reads the thread's files; the legacy 404s first
        yield from local(lambda: require(context.store, "assistant", args["assistant_id"]))
        yield from retrieve_conversation(thread_id, request_options(args))
        yield from attach_files(context, thread_id, attached, request_options(args))
    record, has_messages, filling = yield from _new_run(context, thread_id, args)
    if filling:
        yield from wait_for_files(context, thread_id, filling, request_options(args))
    input_items = _message_items(additional)
    if not record.run.instructions and not input_items and not new_thread and not has_messages:
        # nothing in the store: the thread is empty, or its messages were added without the shim
        yield from _require_user_message(thread_id, request_options(args))
    # an active run past its deadline expires first; the legacy API refused a second active run
    yield from _settle_latest(context, thread_id, args)
    now = context.clock()
    record = record.model_copy(update={"owner": this_process(), "deadline": now + TURN_LEASE_SECONDS})
    if not queued:
        record = record.with_run(status="in_progress", started_at=now)
    yield from local(lambda: _insert(context.store, record))
    if input_items and last_messages(record.run) is not None:
        # among the thread's last messages, as in the legacy API: added before the window is read
        yield from _add_additional(context, record, additional, input_items, request_options(args))
        input_items = []
    return record, turn_request(context, record, input_items, request_options(args))


def _add_additional(
    context: Context,
    record: RunRecord,
    messages: Sequence[Mapping[str, Any]],
    items: Sequence[dict[str, Any]],
    options: Mapping[str, Any],
) -> Op[None]:
    """Add the run's ``additional_messages`` to the thread and store their records; on failure, no run."""
    try:
        added: list[str] = []
        for batch in item_batches(items):
            created = yield from write(
                lambda api, batch=batch: api.conversations.items.create(
                    record.thread_id, items=cast(Any, batch), **options
                )
            )
            added += [str(item.id) for item in created.data]
    except Exception:
        yield from local(lambda: context.store.delete("run", record.id))
        raise
    rows = [
        _additional_message_row(item_id, record, message) for item_id, message in zip(added, messages, strict=False)
    ]
    yield from local(lambda: context.store.put_many(rows))


def _require_user_message(thread_id: str, options: Mapping[str, Any]) -> Op[None]:
    """The legacy 400 for a run with nothing to answer: no instructions and no user message in the thread."""
    page = yield from call(lambda api: api.conversations.items.list(thread_id, order="desc", limit=100, **options))
    if not any(item.type == "message" and item.role == "user" for item in page.data):
        raise bad_request(_NOTHING_TO_ANSWER)


def _check_new_thread(assistant: Mapping[str, Any], args: Mapping[str, Any]) -> None:
    """``create_and_run``'s version of the rule above, before the thread exists."""
    thread = cast(Mapping[str, Any], args.get("thread") or {})
    messages = cast(Sequence[Mapping[str, Any]], thread.get("messages") or [])
    if not (args.get("instructions") or assistant.get("instructions")) and not any(
        message.get("role") == "user" for message in messages
    ):
        raise bad_request(_NOTHING_TO_ANSWER)


def create_run(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.create`` without streaming: one model turn, the run in the state it reached."""
    return (yield from _create_run(context, args, new_thread=False))


def _create_run(context: Context, args: Mapping[str, Any], *, new_thread: bool) -> Op[Run]:
    record, params = yield from _begin(context, args["thread_id"], args, new_thread=new_thread)
    ended = yield from over_prompt_budget(context, record, params)
    if ended is not None:
        return ended.run
    response = yield from send_turn(context, record, params, FirstTurn())
    record = yield from record_turn(context, record, response)
    yield from _after_additional(context, record, response, args)
    return record.run


def _after_additional(context: Context, record: RunRecord, response: Response, args: Mapping[str, Any]) -> Op[None]:
    """Store the metadata of the run's ``additional_messages`` once the server has given them ids."""
    messages = cast(Sequence[Mapping[str, Any]], list(args.get("additional_messages") or []))
    if not messages or last_messages(record.run) is not None:  # a truncated run stored them already
        return
    options = request_options(args)
    page = yield from call(lambda api: api.responses.input_items.list(response.id, order="asc", **options))
    items = [i for i in page.data if i.type == "message"][: len(messages)]
    rows = [_additional_message_row(item.id, record, message) for item, message in zip(items, messages, strict=False)]
    yield from local(lambda: context.store.put_many(rows))


def _additional_message_row(message_id: str, record: RunRecord, message: Mapping[str, Any]) -> StoredRecord:
    """The row of a message added with the run (``additional_messages``): its metadata and attachments."""
    attachments = [dict(a) for a in cast("Sequence[Mapping[str, Any]]", message.get("attachments") or [])]
    meta = MessageRecord(created_at=record.run.created_at, metadata=metadata_of(message), attachments=attachments)
    return meta.to_row(message_id=message_id, thread_id=record.thread_id)


# --- the guard and expiry --------------------------------------------------------------------------


def ensure_no_active_run(context: Context, thread_id: str, *, action: str, args: Mapping[str, Any]) -> Op[None]:
    """Raise the legacy 400 when the thread has an active run (expiring a stale one first).

    ``action`` completes the legacy message: ``"add messages to"`` gives ``Can't add messages to
    thread_x while a run run_y is active.``
    """
    record = yield from _settle_latest(context, thread_id, args)
    if record is not None and record.status in ACTIVE:
        raise bad_request(f"Can't {action} {thread_id} while a run {record.id} is active.")


def _settle_latest(context: Context, thread_id: str, args: Mapping[str, Any]) -> Op[RunRecord | None]:
    """The thread's latest run, settled first, when it may still matter (active, or calls to answer)."""
    row = yield from local(lambda: latest_run(context.store, thread_id))
    if row is None or not _may_need_settling(row):
        return None
    return (yield from settle(context, RunRecord.from_row(row), request_options(args)))


def _may_need_settling(row: StoredRecord) -> bool:
    """Whether a stored run is still active or has calls to answer (else it is final: nothing to read)."""
    return row.data["run"]["status"] in ACTIVE or bool(row.data.get("check_calls"))


# --- reading, polling, updating, cancelling -------------------------------------------------------


def retrieve_run(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.retrieve``: the stored run (expired when its time has passed)."""
    record = yield from _load(context, args)
    return record.run


def poll_run(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.poll``: re-read the run until it settles (another process may drive it)."""
    interval = float(args.get("poll_interval_ms", 1000)) / 1000
    while True:
        run = yield from retrieve_run(context, args)
        if run.status in SETTLED:
            return run
        yield from sleep(interval)


def create_run_and_poll(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.create_and_poll``: ``runs.create``, then poll the run until it settles."""
    run = yield from create_run(context, args)
    if run.status in SETTLED:
        return run
    return (yield from poll_run(context, {**args, "run_id": run.id}))


def update_run(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.update``: metadata, kept in the store; not while the run's model turn is under way."""
    metadata = metadata_of(args) if "metadata" in args else None

    def update(store: Store) -> Run:
        with store.transaction(lock=args["thread_id"]):
            record = _stored_run(store, args["thread_id"], args["run_id"])
            if record.status in BUSY:
                raise bad_request(f"Cannot update run with status '{record.status}'.")
            if metadata is not None:
                record = record.with_run(metadata=metadata)
                store.put(record.to_row())
        return record.run

    return (yield from local(lambda: update(context.store)))


def cancel_run(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.cancel``: a ``requires_action`` run is cancelled and its pending calls answered."""
    record = yield from _load(context, args)
    now = context.clock()
    cancelled = yield from local(lambda: _cancel_row(context.store, record, now=now))
    yield from answer_calls(context, cancelled, request_options(args))
    return record.run.model_copy(update={"status": "cancelling"})


def _cancel_row(store: Store, record: RunRecord, *, now: int) -> RunRecord:
    """The run cancelled, as stored now under the thread's lock (the legacy 400s for other states)."""
    with store.transaction(lock=record.thread_id):
        current = _stored_run(store, record.thread_id, record.id)
        status = current.status
        if status not in ACTIVE:
            raise bad_request(f"Cannot cancel run with status '{status}'.")
        if status != "requires_action":
            raise bad_request(
                f"Cannot cancel run with status '{status}': its model turn is already running on the server."
            )
        cancelled = current.with_run(status="cancelled", cancelled_at=now, expires_at=None, required_action=None)
        cancelled, _ = close_tool_step(store, cancelled, status="cancelled", outputs={}, now=now)
        cancelled = cancelled.model_copy(update={"check_calls": True, "pending_calls": pending_calls(current)})
        store.put(cancelled.to_row())
    return cancelled


def list_runs(context: Context, args: Mapping[str, Any]) -> Op[Listing[Run]]:
    """``runs.list``: the thread's runs from the store, legacy paging; the legacy 404 for an unknown thread."""
    thread_id: str = args["thread_id"]
    paging = list_args(args)

    def read(store: Store) -> tuple[Sequence[StoredRecord], bool, bool]:
        rows, has_more = page_records(store, "run", paging, parent_id=thread_id)
        return rows, has_more, bool(rows) or store.get("thread", thread_id) is not None

    rows, has_more, known = yield from local(lambda: read(context.store))
    if not known:
        # no trace of the thread here: it may be a conversation made without the shim, or none at all
        yield from retrieve_conversation(thread_id, request_options(args))
    now = context.clock()
    runs: list[Run] = []
    for row in rows:
        record = RunRecord.from_row(row)
        if is_due(record, now) or record.check_calls:
            # as runs.retrieve shows it
            record = yield from settle(context, record, request_options(args))
        runs.append(record.run)
    return Listing(data=runs, has_more=has_more)


# --- tool outputs ---------------------------------------------------------------------------------


def _check_outputs(run: Run, tool_outputs: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The outputs by call id, when they answer exactly the pending calls (else the legacy 400)."""
    if run.status != "requires_action" or run.required_action is None:
        raise bad_request(f'Runs in status "{run.status}" do not accept tool outputs.')
    pending = [c.id for c in run.required_action.submit_tool_outputs.tool_calls]
    given_ids = [str(o.get("tool_call_id")) for o in tool_outputs]
    if len(set(given_ids)) != len(given_ids) or set(given_ids) != set(pending):
        raise bad_request(
            f"Tool outputs must answer each pending tool call exactly once. Expected tool outputs for "
            f"call_ids {pending}, got {given_ids}.",
            param="tool_outputs",
        )
    return {str(o["tool_call_id"]): str(o.get("output") or "") for o in tool_outputs}


class _Resumed(NamedTuple):
    """A run answered and in progress again: its record, the next request, the step it closed, the turn."""

    record: RunRecord
    params: dict[str, Any]
    closed: RunStep | None
    turn: NextTurn


def _answer(store: Store, record: RunRecord, outputs: Mapping[str, str], *, now: int) -> _Resumed:
    """Close the tool step with the outputs and put the run back ``in_progress``, in one transaction."""
    with store.transaction(lock=record.thread_id):
        step_row = store.get("step", record.tool_step_id) if record.tool_step_id else None
        before = (record.to_row(), *([step_row] if step_row is not None else []))
        record, closed = close_tool_step(store, record, status="completed", outputs=outputs, now=now)
        record = record.with_run(status="in_progress", required_action=None).model_copy(
            update={"owner": this_process(), "deadline": now + TURN_LEASE_SECONDS}
        )
        store.put(record.to_row())
    return _Resumed(record, {}, closed, NextTurn(before))


def _resume(context: Context, args: Mapping[str, Any]) -> Op[_Resumed]:
    """Answer the run's pending calls; the run in progress and its next request."""
    record = yield from _load(context, args)
    tool_outputs = list(args.get("tool_outputs") or [])
    outputs = _check_outputs(record.run, tool_outputs)
    now = context.clock()
    resumed = yield from local(lambda: _answer(context.store, record, outputs, now=now))
    items = to_responses.tool_outputs_to_items(tool_outputs)
    return resumed._replace(params=turn_request(context, resumed.record, items, request_options(args)))


def submit_tool_outputs(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.submit_tool_outputs`` without streaming: the next model turn, the run in its new state."""
    record, params, _, turn = yield from _resume(context, args)
    ended = yield from over_prompt_budget(context, record, params)
    if ended is not None:
        return ended.run
    response = yield from send_turn(context, record, params, turn)
    record = yield from record_turn(context, record, response)
    if record.check_calls:
        yield from answer_calls(context, record, request_options(args), submitted_outputs(params))
    return record.run


def submit_tool_outputs_and_poll(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.submit_tool_outputs_and_poll``: submit, then poll the run until it settles."""
    run = yield from submit_tool_outputs(context, args)
    if run.status in SETTLED:
        return run
    return (yield from poll_run(context, {**args, "run_id": run.id}))


# --- streaming ----------------------------------------------------------------------------------


def stream_run(context: Context, args: Mapping[str, Any]) -> Op[None]:
    """``runs.create(stream=True)``: the legacy events of one streamed model turn."""
    return (yield from _stream_run(context, args, new_thread=False))


def _stream_run(context: Context, args: Mapping[str, Any], *, new_thread: bool) -> Op[None]:
    record, params = yield from _begin(context, args["thread_id"], args, queued=True, new_thread=new_thread)
    try:
        yield from emit(ThreadRunCreated(data=record.run, event="thread.run.created"))
        yield from emit(ThreadRunQueued(data=record.run, event="thread.run.queued"))
        record = record.with_run(status="in_progress", started_at=context.clock())
        row = record.to_row()
        yield from local(lambda: context.store.put(row))
        yield from emit(ThreadRunInProgress(data=record.run, event="thread.run.in_progress"))
        ended = yield from over_prompt_budget(context, record, params)
        if ended is not None:
            yield from emit(ThreadRunIncomplete(data=ended.run, event="thread.run.incomplete"))
            return
        response = yield from stream_turn(context, record, params, FirstTurn())
    except StreamClosed:
        yield from _abandon(context, record, request_options(args))
        raise
    if response is not None:
        yield from _after_additional(context, record, response, args)


def stream_submit_tool_outputs(context: Context, args: Mapping[str, Any]) -> Op[None]:
    """``runs.submit_tool_outputs(stream=True)``: the legacy events of the next streamed turn."""
    record, params, closed, turn = yield from _resume(context, args)
    try:
        if closed is not None:
            yield from emit(ThreadRunStepCompleted(data=closed, event="thread.run.step.completed"))
        queued = record.with_run(status="queued").run
        yield from emit(ThreadRunQueued(data=queued, event="thread.run.queued"))
        yield from emit(ThreadRunInProgress(data=record.run, event="thread.run.in_progress"))
        ended = yield from over_prompt_budget(context, record, params)
        if ended is not None:
            yield from emit(ThreadRunIncomplete(data=ended.run, event="thread.run.incomplete"))
            return
        yield from stream_turn(context, record, params, turn)
    except StreamClosed:
        yield from _abandon(context, record, request_options(args))
        raise


def _abandon(context: Context, record: RunRecord, options: Mapping[str, Any]) -> Op[None]:
    now = context.clock()
    failed = yield from local(lambda: abandon_run(context.store, record.id, now=now))
    if failed is not None:
        yield from answer_calls(context, failed, options)


# --- threads.create_and_run ----------------------------------------------------------------------


def _thread_args(args: Mapping[str, Any]) -> dict[str, Any]:
    thread = cast(Mapping[str, Any], args.get("thread") or {})
    out = {k: thread[k] for k in ("messages", "metadata", "tool_resources") if thread.get(k) is not None}
    return {**out, **request_options(args)}


def _new_thread(context: Context, args: Mapping[str, Any]) -> Op[Thread]:
    """The thread of ``create_and_run``, once its assistant is known to exist (the arguments are checked)."""
    assistant = yield from local(lambda: require(context.store, "assistant", args["assistant_id"]))
    _check_new_thread(assistant.data, args)
    return (yield from create_thread(context, _thread_args(args)))


def create_thread_and_run(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``threads.create_and_run``: a new thread (conversation), then one run on it."""
    thread = yield from _new_thread(context, args)
    return (yield from _create_run(context, {**args, "thread_id": thread.id}, new_thread=True))


def create_thread_and_run_poll(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``threads.create_and_run_poll``: as ``create_and_run``, then poll the run until it settles."""
    run = yield from create_thread_and_run(context, args)
    if run.status in SETTLED:
        return run
    return (yield from poll_run(context, {**args, "thread_id": run.thread_id, "run_id": run.id}))


def stream_thread_and_run(context: Context, args: Mapping[str, Any]) -> Op[None]:
    """``threads.create_and_run(stream=True)``: ``thread.created``, then the run's legacy events."""
    thread = yield from _new_thread(context, args)
    yield from emit(ThreadCreated(data=thread, event="thread.created"))
    yield from _stream_run(context, {**args, "thread_id": thread.id}, new_thread=True)
