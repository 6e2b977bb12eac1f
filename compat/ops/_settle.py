"""Runs nobody drives any more, and the tool calls they leave unanswered.

Rules:

- A ``requires_action`` run past ``expires_at`` becomes ``expired``; a busy run (``queued`` /
  ``in_progress``) whose owner is gone, or whose deadline has passed, becomes ``failed`` (the process
  driving its turn stopped). Whoever reads the run first settles it, under the thread's store lock, so
  ``runs.retrieve``, ``runs.list``, the next run and the next message all see the same state.
- A conversation whose ``function_call`` has no ``function_call_output`` refuses every later response, so
  a run that stops without its outputs (expired, cancelled, failed midway, abandoned) is marked
  ``check_calls``: the calls of the conversation left unanswered are then answered, with the outputs the
  caller submitted when the server did not keep them, or with a line saying why the run ended. One process
  at a time does it (it takes the run as owner); when the server cannot be reached the mark stays, and
  the next reader (at the latest, the thread's next run) tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, cast

import openai
from openai.types.beta.threads.runs import RunStep

from .._context import Context
from .._effects import Op, call, local, write
from ..store import Store
from ..store.records import ACTIVE, BUSY, FINAL, RunRecord, StepRecord
from ._owner import is_gone, this_process

__all__ = ["answer_calls", "close_tool_step", "is_due", "pending_calls", "settle"]

logger = logging.getLogger(__name__)

_CLAIM_SECONDS = 60
_SCAN = 100
_WHY = {
    "expired": "The run expired before this tool call was answered.",
    "cancelled": "The run was cancelled before this tool call was answered.",
    "failed": "The run failed before this tool call was answered.",
    "incomplete": "The run ended before this tool call was answered.",
    "completed": "The run ended before this tool call was answered.",
}
_ABANDONED = "The process driving the run stopped before its model turn ended."


def _taken(record: RunRecord, now: int) -> bool:
    """Whether a live owner holds the run."""
    if record.owner is None:
        return False
    return not (record.deadline is not None and now >= record.deadline) and not is_gone(record.owner)


def is_due(record: RunRecord, now: int) -> bool:
    """Whether the run must be settled: expired while waiting, or its turn abandoned."""
    run = record.run
    if run.status in BUSY:
        return record.owner is not None and not _taken(record, now)
    return run.status in ACTIVE and run.expires_at is not None and now >= run.expires_at


def settle(context: Context, record: RunRecord, options: Mapping[str, Any]) -> Op[RunRecord]:
    """The run as it stands once settled (see the module rules), its unanswered calls answered if it can."""
    now = context.clock()
    if is_due(record, now):
        record = yield from local(lambda: _settle_row(context.store, record, now))
    if record.check_calls and record.status in FINAL:
        record = yield from answer_calls(context, record, options)
    return record


def _settle_row(store: Store, record: RunRecord, now: int) -> RunRecord:
    """Settle the run as stored now, under the thread's lock (another reader may have done it)."""
    with store.transaction(lock=record.thread_id):
        row = store.get("run", record.id)
        current = RunRecord.from_row(row) if row is not None else record
        if not is_due(current, now):
            return current
        if current.status in BUSY:
            ended = current.failed(_ABANDONED, now=now)
            status = "failed"
        else:
            ended = current.with_run(status="expired", expires_at=None, required_action=None)
            status = "expired"
        ended, _ = close_tool_step(store, ended, status=status, outputs={}, now=now)
        ended = ended.model_copy(
            update={"owner": None, "deadline": None, "check_calls": True, "pending_calls": pending_calls(current)}
        )
        store.put(ended.to_row())
    logger.info("run %s of thread %s settled as %s", ended.id, ended.thread_id, ended.status)
    return ended


def pending_calls(record: RunRecord) -> list[str]:
    """The call ids a ``requires_action`` run waits for (``[]`` otherwise)."""
    action = record.run.required_action
    return [c.id for c in action.submit_tool_outputs.tool_calls] if action is not None else []


def close_tool_step(
    store: Store, record: RunRecord, *, status: str, outputs: Mapping[str, str], now: int
) -> tuple[RunRecord, RunStep | None]:
    """Finish the run's pending ``tool_calls`` step (outputs filled in): the record without it, and the step."""
    if record.tool_step_id is None:
        return record, None
    row = store.get("step", record.tool_step_id)
    if row is None:
        return record.model_copy(update={"tool_step_id": None}), None
    step = StepRecord.from_row(row)
    details = step.step_details
    if details.type == "tool_calls":
        for tool_call in details.tool_calls:
            if tool_call.type == "function" and tool_call.id in outputs:
                tool_call.function.output = outputs[tool_call.id]
    stamp = {"completed": "completed_at", "cancelled": "cancelled_at"}.get(status, f"{status}_at")
    update: dict[str, Any] = {"status": status, stamp: now}
    latest_usage = record.usages[-1] if record.usages else None
    if step.usage is None and record.tool_step_first and latest_usage is not None:
        # the step came from the run's latest response: its usage, as the legacy step.completed had
        # (unless a message step of that response already reports it)
        update["usage"] = latest_usage.model_dump()
    step = type(step).model_validate({**step.model_dump(mode="json", by_alias=True), **update})
    store.put(StepRecord.to_row(step))
    return record.model_copy(update={"tool_step_id": None}), step


def answer_calls(
    context: Context, record: RunRecord, options: Mapping[str, Any], outputs: Mapping[str, str] | None = None
) -> Op[RunRecord]:
    """Answer the conversation's function calls left without output (``outputs`` by call id where known)."""
    now = context.clock()
    claimed = yield from local(lambda: _claim(context.store, record, now))
    if claimed is None:
        return record
    answered = False
    try:
        missing = claimed.pending_calls or (yield from _unanswered(claimed.thread_id, options))
        if missing:
            why = _WHY.get(claimed.status, _WHY["failed"])
            given = outputs or {}
            items = [{"type": "function_call_output", "call_id": c, "output": given.get(c, why)} for c in missing]
            thread_id = claimed.thread_id
            yield from write(lambda api: api.conversations.items.create(thread_id, items=cast(Any, items), **options))
            logger.info("answered %d tool call(s) left by run %s", len(missing), claimed.id)
        answered = True
    except openai.APIError:
        logger.warning("could not answer the tool calls left by run %s; will try again", claimed.id, exc_info=True)
    update: dict[str, object] = {"owner": None, "deadline": None, "check_calls": not answered}
    if answered:
        update["pending_calls"] = []
    released = claimed.model_copy(update=update)
    yield from local(lambda: context.store.put(released.to_row()))
    return released


def _claim(store: Store, record: RunRecord, now: int) -> RunRecord | None:
    """Take the run to answer its calls, unless they are answered or a live process is at it."""
    with store.transaction(lock=record.thread_id):
        row = store.get("run", record.id)
        current = RunRecord.from_row(row) if row is not None else None
        if current is None or not current.check_calls or _taken(current, now):
            return None
        claimed = current.model_copy(update={"owner": this_process(), "deadline": now + _CLAIM_SECONDS})
        store.put(claimed.to_row())
    return claimed


def _unanswered(thread_id: str, options: Mapping[str, Any]) -> Op[list[str]]:
    """The call ids of the conversation's latest function calls that have no output, oldest first."""
    page = yield from call(lambda api: api.conversations.items.list(thread_id, order="desc", limit=_SCAN, **options))
    answered = {item.call_id for item in page.data if item.type == "function_call_output"}
    return [
        item.call_id for item in reversed(page.data) if item.type == "function_call" and item.call_id not in answered
    ]
