"""Run operations: a run is our record over one or more responses created with ``conversation=thread``.

Lifecycle. ``runs.create`` writes the run record (``in_progress``) before calling the server and
updates it after, so a crash never leaves a response without its run; one ``responses.create`` performs
the model turn and the run comes back in the state it reached (``requires_action``, ``completed``,
``failed``, ``incomplete``). ``submit_tool_outputs`` continues it with ``function_call_output`` items,
one more response. Only one run per thread is active at a time (checked under a store lock).

A ``requires_action`` run expires 10 minutes after creation. Expiring or cancelling it answers its
pending calls with outputs that say so, because a conversation whose ``function_call`` has no output
refuses every later response.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, cast

import httpx2
import openai
from openai._models import construct_type
from openai.types.beta import Thread
from openai.types.beta.assistant_stream_event import (
    ThreadCreated,
    ThreadRunCreated,
    ThreadRunInProgress,
    ThreadRunQueued,
    ThreadRunStepCompleted,
)
from openai.types.beta.threads import Run
from openai.types.beta.threads.run import Usage as RunUsage
from openai.types.beta.threads.runs import RunStep
from openai.types.beta.threads.runs.run_step import Usage as StepUsage
from openai.types.responses import Response, ResponseErrorEvent, ResponseOutputMessage
from pydantic import BaseModel, Field, PrivateAttr

from .._context import Context
from .._effects import Call, Emit, Op, Pull, Sleep
from .._errors import bad_request, not_found
from ..store import StoredRecord
from ..translate import from_responses, legacy, to_responses
from ..translate.legacy import tool_resources as check_tool_resources
from ..translate.stream import RunStreamState
from ..translate.to_conversations import thread_message_to_item
from ._common import (
    ACTIVE_RUN_STATUSES,
    Listing,
    MessageMeta,
    check_metadata,
    latest_run,
    list_args,
    page_records,
    request_options,
    require,
)
from .threads import create_thread, retrieve_conversation

__all__ = [
    "cancel_run",
    "create_thread_and_run",
    "create_thread_and_run_poll",
    "stream_thread_and_run",
    "list_runs",
    "create_run",
    "create_run_and_poll",
    "submit_tool_outputs_and_poll",
    "ensure_no_active_run",
    "poll_run",
    "retrieve_run",
    "stream_run",
    "stream_submit_tool_outputs",
    "submit_tool_outputs",
    "update_run",
]

logger = logging.getLogger(__name__)

EXPIRY_SECONDS = 600
# a run in these states belongs to the call driving its model turn (the legacy API refused updates then)
_BUSY_STATUSES = frozenset({"queued", "in_progress"})
TERMINAL_STATUSES = frozenset({"requires_action", "cancelled", "completed", "failed", "expired", "incomplete"})
_EXPIRED_OUTPUT = "The run expired before this tool call was answered."
_CANCELLED_OUTPUT = "The run was cancelled before this tool call was answered."
_OUTPUT = "function_call_output"
_FAILED = frozenset({"failed", "cancelled"})


class RunState(BaseModel):
    """The ``data`` of a run record: the legacy Run plus what the shim needs to continue it."""

    run: dict[str, Any]
    response_ids: list[str] = []
    usages: list[dict[str, Any] | None] = []
    tool_step_id: str | None = None
    # whether the pending tool step is its response's first step, the one that reports the response's usage
    tool_step_first: bool = True
    reasoning_effort: str | None = None
    tool_resources: list[dict[str, Any] | None] = []
    options: dict[str, Any] = Field(default_factory=dict[str, Any], exclude=True)
    _run: Run | None = PrivateAttr(default=None)

    def legacy(self) -> Run:
        """The legacy Run, a new copy on each call.

        It is built like the SDK builds server objects (so legacy nulls survive) once per state, then copied:
        building it is the costliest step of a streamed turn.
        """
        if self._run is None:
            self._run = cast(Run, construct_type(type_=Run, value=self.run))
        return self._run.model_copy()

    def with_run(self, run: Run) -> RunState:
        """This state holding ``run``."""
        state = self.model_copy(update={"run": _dump(run)})
        state._run = run.model_copy()
        return state

    def summed_usage(self) -> RunUsage | None:
        """The run's usage over all its responses."""
        return from_responses.run_usage([RunUsage.model_validate(u) if u is not None else None for u in self.usages])

    def record(self) -> StoredRecord:
        """The store row."""
        return StoredRecord(
            kind="run",
            id=self.run["id"],
            parent_id=self.run["thread_id"],
            created_at=self.run["created_at"],
            data=self.model_dump(mode="json"),
        )


def _dump(model: BaseModel) -> dict[str, Any]:
    # by alias: ``json_schema.schema`` is the field ``schema_``, which would not be read back
    return model.model_dump(mode="json", by_alias=True, warnings=False)


def _load(context: Context, thread_id: str, run_id: str, args: Mapping[str, Any] | None = None) -> RunState:
    """The stored run (see :func:`_state_of`)."""
    return _state_of(require(context.store, "run", run_id, parent_id=thread_id), args)


def _state_of(record: StoredRecord, args: Mapping[str, Any] | None) -> RunState:
    """A run record's state; the request options of the call (``args``) go with whatever requests it leads to."""
    return RunState.model_validate({**record.data, "options": request_options(args or {})})


# --- building a run -------------------------------------------------------------------------------


def _instructions(assistant: Mapping[str, Any], args: Mapping[str, Any]) -> str | None:
    base = args["instructions"] if args.get("instructions") is not None else assistant.get("instructions")
    extra = args.get("additional_instructions")
    if not extra:
        return base
    return f"{base}\n\n{extra}" if base else extra


def _setting(assistant: Mapping[str, Any], args: Mapping[str, Any], name: str, default: Any) -> Any:
    if args.get(name) is not None:
        return args[name]
    value = assistant.get(name)
    return default if value is None else value


def build_run(
    *, run_id: str, thread_id: str, assistant: Mapping[str, Any], args: Mapping[str, Any], now: int
) -> dict[str, Any]:
    """The legacy Run JSON of a new run: run-level overrides over the assistant's settings."""
    tools = cast(
        list[Mapping[str, Any]], args["tools"] if args.get("tools") is not None else assistant.get("tools") or []
    )
    return {
        "id": run_id,
        "object": "thread.run",
        "created_at": now,
        "assistant_id": assistant["id"],
        "thread_id": thread_id,
        "status": "queued",
        "started_at": None,
        "expires_at": now + EXPIRY_SECONDS,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "required_action": None,
        "last_error": None,
        "model": _setting(assistant, args, "model", None),
        "instructions": _instructions(assistant, args),
        "tools": legacy.run_tools(tools),
        "tool_resources": check_tool_resources(args.get("tool_resources")),
        "metadata": check_metadata(args.get("metadata")),
        "temperature": _setting(assistant, args, "temperature", 1.0),
        "top_p": _setting(assistant, args, "top_p", 1.0),
        "reasoning_effort": _setting(assistant, args, "reasoning_effort", None),
        "max_completion_tokens": args.get("max_completion_tokens"),
        "max_prompt_tokens": args.get("max_prompt_tokens"),
        "truncation_strategy": args.get("truncation_strategy") or {"type": "auto", "last_messages": None},
        "incomplete_details": None,
        "usage": None,
        "response_format": _setting(assistant, args, "response_format", "auto"),
        "tool_choice": args.get("tool_choice") or "auto",
        "parallel_tool_calls": args.get("parallel_tool_calls", True),
    }


def _prepare(context: Context, thread_id: str, args: Mapping[str, Any]) -> RunState:
    assistant = dict(require(context.store, "assistant", args["assistant_id"]).data)
    thread = context.store.get("thread", thread_id)
    run = build_run(run_id=context.ids("run"), thread_id=thread_id, assistant=assistant, args=args, now=context.clock())
    try:
        legacy = cast(Run, construct_type(type_=Run, value=run))
    except Exception as exc:  # pragma: no cover - construct_type is lenient
        raise bad_request(f"Invalid run parameters: {exc}") from exc
    state = RunState(
        run=run,
        reasoning_effort=run["reasoning_effort"],
        tool_resources=[
            assistant.get("tool_resources"),
            thread.data.get("tool_resources") if thread else None,
            run["tool_resources"] or None,
        ],
        options=request_options(args),
    )
    return state.with_run(legacy)


def _message_items(messages: Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for index, message in enumerate(messages or []):
        items.append(thread_message_to_item(message, param=f"additional_messages[{index}]"))
    return items


# --- the guard: one active run per thread ------------------------------------------------------


def ensure_no_active_run(
    context: Context, thread_id: str, *, action: str, args: Mapping[str, Any] | None = None
) -> Op[None]:
    """Raise the legacy 400 when the thread has an active run (expiring a stale one first).

    ``action`` completes the legacy message: ``"add messages to"`` gives ``Can't add messages to
    thread_x while a run run_y is active.``
    """
    run = yield from _settle_latest(context, thread_id, args)
    if run is not None and run.status in ACTIVE_RUN_STATUSES:
        raise bad_request(f"Can't {action} {thread_id} while a run {run.id} is active.")


def _settle_latest(context: Context, thread_id: str, args: Mapping[str, Any] | None = None) -> Op[Run | None]:
    """The thread's latest run, expired first when its time has passed (with the options of ``args``)."""
    record = latest_run(context.store, thread_id)
    if record is None:
        return None
    state = yield from settle_expiry(context, _state_of(record, args))
    return state.legacy()


def _insert(context: Context, state: RunState) -> None:
    """Insert the new run unless another became active meanwhile (checked under the thread's lock)."""
    thread_id = state.run["thread_id"]
    with context.store.transaction(lock=thread_id):
        record = latest_run(context.store, thread_id)
        if record is not None and record.data["run"]["status"] in ACTIVE_RUN_STATUSES:
            active = record.data["run"]["id"]
            raise bad_request(f"Thread {thread_id} already has an active run {active}.")
        context.store.put(state.record())


def settle_expiry(context: Context, state: RunState) -> Op[RunState]:
    """An active run past ``expires_at`` becomes ``expired``; its pending calls get outputs saying so."""
    run = state.legacy()
    now = context.clock()
    if run.status not in ACTIVE_RUN_STATUSES or run.expires_at is None or now < run.expires_at:
        return state
    yield from _answer_pending(context, state, _EXPIRED_OUTPUT)
    run = run.model_copy(update={"status": "expired", "expires_at": None, "required_action": None})
    state, _ = _close_tool_step(context, state.with_run(run), status="expired", outputs={})
    context.store.put(state.record())
    return state


def _answer_pending(context: Context, state: RunState, output: str) -> Op[None]:
    run = state.legacy()
    if run.required_action is None:
        return
    calls = run.required_action.submit_tool_outputs.tool_calls
    items = to_responses.tool_outputs_to_items([{"tool_call_id": c.id, "output": output} for c in calls])
    yield Call(
        ("conversations", "items", "create"), {"conversation_id": run.thread_id, "items": items, **state.options}
    )


def _close_tool_step(
    context: Context,
    state: RunState,
    *,
    status: str,
    outputs: Mapping[str, str],
    record: StoredRecord | None = None,
) -> tuple[RunState, RunStep | None]:
    """Finish the run's pending ``tool_calls`` step (outputs filled in): the state without it, and the step.

    ``record`` is the step's row when the caller has already read it.
    """
    if state.tool_step_id is None:
        return state, None
    if record is None:
        record = context.store.get("step", state.tool_step_id)
    step: RunStep | None = None
    if record is not None:
        step = cast(RunStep, construct_type(type_=RunStep, value=dict(record.data)))
        details = step.step_details
        if details.type == "tool_calls":
            for call in details.tool_calls:
                if call.type == "function" and call.id in outputs:
                    call.function.output = outputs[call.id]
        now = context.clock()
        stamp = {"completed": "completed_at", "cancelled": "cancelled_at", "expired": "expired_at"}[status]
        update: dict[str, Any] = {"status": status, stamp: now}
        if step.usage is None and state.tool_step_first and state.usages and state.usages[-1] is not None:
            # the step came from the run's latest response: its usage, as the legacy step.completed had
            # (unless a message step of that response already reports it)
            update["usage"] = construct_type(type_=StepUsage, value=state.usages[-1])
        step = step.model_copy(update=update)
        context.store.put(record.model_copy(update={"data": _dump(step)}))
    return state.model_copy(update={"tool_step_id": None}), step


# --- calling the server ------------------------------------------------------------------------


def _request(state: RunState, input_items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    run = state.legacy()
    params = to_responses.run_to_response_params(
        run=run,
        conversation_id=run.thread_id,
        input_items=input_items,
        tool_resources=state.tool_resources,
        reasoning_effort=state.reasoning_effort,
    )
    return {**params, **state.options}


def _call(context: Context, state: RunState, params: dict[str, Any], *, undo: Sequence[StoredRecord] | None) -> Op[Any]:
    """``responses.create``; server refusals are raised as the legacy errors, nothing half-written.

    ``undo`` is ``None`` for the first turn of a run, else the records a refused continuation puts back.
    """
    try:
        return (yield Call(("responses", "create"), params))
    except openai.NotFoundError as exc:
        _forget(context, state, undo=undo)
        raise not_found(f"No thread found with id '{state.run['thread_id']}'.") from exc
    except openai.APIStatusError as exc:
        if exc.status_code < 500:
            _forget(context, state, undo=undo)
            raise
        yield from _fail_turn(context, state, params, str(exc), undo=undo)
        raise
    except openai.APIError as exc:
        yield from _fail_turn(context, state, params, str(exc), undo=undo)
        raise


def _fail_turn(
    context: Context, state: RunState, params: Mapping[str, Any], message: str, *, undo: Sequence[StoredRecord] | None
) -> Op[None]:
    """The turn could not be completed: the run fails; a continuation keeps its tool outputs."""
    _fail(context, state, message)
    if undo is not None:
        yield from _keep_outputs(context, state, params)


def _forget(context: Context, state: RunState, *, undo: Sequence[StoredRecord] | None) -> None:
    """A refused first turn leaves no run behind; a refused continuation leaves the run waiting for its
    outputs again, as the legacy API did when it refused them."""
    with context.store.transaction(lock=state.run["thread_id"]):
        if undo is None:
            context.store.delete("run", state.run["id"])
            return
        for record in undo:
            context.store.put(record)


def _keep_outputs(context: Context, state: RunState, params: Mapping[str, Any]) -> Op[None]:
    """After a continuation failed, put its tool outputs in the conversation unless the server kept them.

    A conversation whose ``function_call`` has no output refuses every later response, so without them
    the thread would be unusable. Best effort: the caller sees the original error either way.
    """
    outputs = [i for i in cast(Sequence[Mapping[str, Any]], params.get("input") or []) if i.get("type") == _OUTPUT]
    if not outputs:
        return
    thread_id = state.run["thread_id"]
    try:
        page: Any = yield Call(
            ("conversations", "items", "list"),
            {"conversation_id": thread_id, "order": "desc", "limit": 100, **state.options},
        )
        kept = {getattr(i, "call_id", None) for i in page.data if getattr(i, "type", None) == _OUTPUT}
        missing = [dict(o) for o in outputs if o["call_id"] not in kept]
        if missing:
            yield Call(
                ("conversations", "items", "create"),
                {"conversation_id": thread_id, "items": missing, **state.options},
            )
    except openai.APIError:
        logger.warning("could not answer the tool calls of the failed run %s", state.run["id"], exc_info=True)


def _fail(context: Context, state: RunState, message: str) -> RunState:
    """The run ends ``failed`` with a ``server_error`` (a connection cut, a 5xx)."""
    run = state.legacy()
    last_error = {"code": "server_error", "message": message}
    failed = cast(
        Run,
        construct_type(
            type_=Run,
            value={
                **_dump(run),
                "status": "failed",
                "failed_at": context.clock(),
                "expires_at": None,
                "required_action": None,
                "last_error": last_error,
            },
        ),
    )
    state = state.with_run(failed)
    context.store.put(state.record())
    return state


def _set_status(context: Context, state: RunState, status: str) -> RunState:
    run = state.legacy()
    update: dict[str, Any] = {"status": status}
    if status == "in_progress" and run.started_at is None:
        update["started_at"] = context.clock()
    state = state.with_run(run.model_copy(update=update))
    context.store.put(state.record())
    return state


def _record_turn(
    context: Context, state: RunState, response: Response, steps: Sequence[RunStep] | None = None
) -> RunState:
    """Store what one ended response produced: steps, assistant-message records, the updated run."""
    run = state.legacy()
    now = context.clock()
    usages = [*state.usages, _usage_json(response)]
    state = state.model_copy(update={"usages": usages, "response_ids": [*state.response_ids, response.id]})
    if steps is None:
        steps = from_responses.response_to_steps(
            run=run, response=response, new_step_id=lambda: context.ids("step"), now=now
        )
    finished = from_responses.response_to_run(run=run, response=response, usage=state.summed_usage(), now=now)
    tool_step = next((s.id for s in steps if s.type == "tool_calls"), None)
    first = bool(steps) and steps[0].id == tool_step
    state = state.with_run(finished).model_copy(update={"tool_step_id": tool_step, "tool_step_first": first})
    with context.store.transaction(lock=run.thread_id):
        for step in steps:
            context.store.put(_step_record(step))
        for item in response.output:
            if isinstance(item, ResponseOutputMessage):
                meta = _assistant_message_meta(run, item, response, now=now)
                context.store.put(meta.to_record(message_id=item.id, thread_id=run.thread_id))
        context.store.put(state.record())
    return state


def _assistant_message_meta(run: Run, item: ResponseOutputMessage, response: Response, *, now: int) -> MessageMeta:
    """The record of a message the run wrote: completed, or incomplete with the legacy reason."""
    meta = MessageMeta(created_at=now, assistant_id=run.assistant_id, run_id=run.id)
    if item.status == "completed":
        return meta.model_copy(update={"completed_at": now})
    reason = from_responses.message_incomplete_reason(response)
    return meta.model_copy(update={"incomplete_at": now, "incomplete_reason": reason})


def _usage_json(response: Response) -> dict[str, Any] | None:
    usage = from_responses.usage_to_run_usage(response.usage)
    return _dump(usage) if usage is not None else None


def _step_record(step: RunStep) -> StoredRecord:
    return StoredRecord(
        kind="step",
        id=step.id,
        parent_id=step.run_id,
        group_id=step.thread_id,
        created_at=step.created_at,
        data=_dump(step),
    )


def _after_additional(context: Context, state: RunState, response: Response, args: Mapping[str, Any]) -> Op[None]:
    """Store the metadata of the run's ``additional_messages`` once the server has given them ids."""
    messages = cast(Sequence[Mapping[str, Any]], list(args.get("additional_messages") or []))
    if not messages:
        return
    page: Any = yield Call(
        ("responses", "input_items", "list"), {"response_id": response.id, "order": "asc", **state.options}
    )
    items = [i for i in page.data if getattr(i, "type", None) == "message"][: len(messages)]
    for item, message in zip(items, messages, strict=False):
        meta = MessageMeta(
            created_at=state.run["created_at"],
            metadata=check_metadata(message.get("metadata")),
        )
        context.store.put(meta.to_record(message_id=item.id, thread_id=state.run["thread_id"]))


# --- the operations ----------------------------------------------------------------------------


def _begin(context: Context, thread_id: str, args: Mapping[str, Any]) -> Op[tuple[RunState, dict[str, Any]]]:
    """Validate, guard, insert the run ``in_progress``; the state and the first request."""
    state = _prepare(context, thread_id, args)
    input_items = _message_items(args.get("additional_messages"))
    # the legacy API refused a second active run with the message ``_insert`` raises
    yield from _settle_latest(context, thread_id, args)
    _insert(context, state)
    state = _set_status(context, state, "in_progress")
    return state, _request(state, input_items)


def create_run(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.create`` without streaming: one model turn, the run in the state it reached."""
    thread_id: str = args["thread_id"]
    state, params = yield from _begin(context, thread_id, args)
    response = cast(Response, (yield from _call(context, state, params, undo=None)))
    state = _record_turn(context, state, response)
    yield from _after_additional(context, state, response, args)
    return state.legacy()


def retrieve_run(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.retrieve``: the stored run (expired when its time has passed)."""
    state = yield from settle_expiry(context, _load(context, args["thread_id"], args["run_id"], args))
    return state.legacy()


def poll_run(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.poll``: re-read the run until it reaches a terminal state (another process may drive it)."""
    interval = float(args.get("poll_interval_ms", 1000)) / 1000
    while True:
        run = yield from retrieve_run(context, args)
        if run.status in TERMINAL_STATUSES:
            return run
        yield Sleep(interval)


def create_run_and_poll(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.create_and_poll``: ``runs.create``, then poll the run to a terminal state."""
    run = yield from create_run(context, args)
    return (yield from poll_run(context, {**args, "run_id": run.id}))


def submit_tool_outputs_and_poll(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.submit_tool_outputs_and_poll``: submit, then poll the run to a terminal state."""
    run = yield from submit_tool_outputs(context, args)
    return (yield from poll_run(context, {**args, "run_id": run.id}))


def update_run(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.update``: metadata, kept in the store; not while the run's model turn is under way."""
    state = _load(context, args["thread_id"], args["run_id"])
    status = state.run["status"]
    if status in _BUSY_STATUSES:
        raise bad_request(f"Cannot update run with status '{status}'.")
    if "metadata" in args:
        run = state.legacy().model_copy(update={"metadata": check_metadata(args["metadata"])})
        state = state.with_run(run)
        context.store.put(state.record())
    return state.legacy()
    yield


def cancel_run(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.cancel``: a ``requires_action`` run is cancelled and its pending calls answered."""
    state = yield from settle_expiry(context, _load(context, args["thread_id"], args["run_id"], args))
    run = state.legacy()
    if run.status not in ACTIVE_RUN_STATUSES:
        raise bad_request(f"Cannot cancel run with status '{run.status}'.")
    if run.status != "requires_action":
        raise bad_request(
            f"Cannot cancel run with status '{run.status}': its model turn is already running on the server."
        )
    yield from _answer_pending(context, state, _CANCELLED_OUTPUT)
    now = context.clock()
    cancelled = run.model_copy(
        update={"status": "cancelled", "cancelled_at": now, "expires_at": None, "required_action": None}
    )
    state, _ = _close_tool_step(context, state.with_run(cancelled), status="cancelled", outputs={})
    context.store.put(state.record())
    return run.model_copy(update={"status": "cancelling"})


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
    """A run answered and in progress again: its state, the next request, the step it closed and the
    records as they were before (put back if the server refuses the request)."""

    state: RunState
    params: dict[str, Any]
    closed: RunStep | None
    undo: list[StoredRecord]


def _resume(context: Context, args: Mapping[str, Any]) -> Op[_Resumed]:
    """Answer the run's pending calls."""
    thread_id: str = args["thread_id"]
    run_id: str = args["run_id"]
    state = yield from settle_expiry(context, _load(context, thread_id, run_id, args))
    tool_outputs = list(args.get("tool_outputs") or [])
    outputs = _check_outputs(state.legacy(), tool_outputs)
    step = context.store.get("step", state.tool_step_id) if state.tool_step_id else None
    undo = [state.record(), *([step] if step is not None else [])]
    with context.store.transaction(lock=thread_id):
        state, closed = _close_tool_step(context, state, status="completed", outputs=outputs, record=step)
        state = state.model_copy(update={"options": {**state.options, **request_options(args)}})
        waiting = state.with_run(state.legacy().model_copy(update={"required_action": None}))
        state = _set_status(context, _set_status(context, waiting, "queued"), "in_progress")
    return _Resumed(state, _request(state, to_responses.tool_outputs_to_items(tool_outputs)), closed, undo)


def submit_tool_outputs(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``runs.submit_tool_outputs`` without streaming: the next model turn, the run in its new state."""
    state, params, _, undo = yield from _resume(context, args)
    response = cast(Response, (yield from _call(context, state, params, undo=undo)))
    state = _record_turn(context, state, response)
    if state.run["status"] in _FAILED:
        yield from _keep_outputs(context, state, params)
    return state.legacy()


# --- streaming ----------------------------------------------------------------------------------


def stream_run(context: Context, args: Mapping[str, Any]) -> Op[None]:
    """``runs.create(stream=True)``: the legacy events of one streamed model turn."""
    thread_id: str = args["thread_id"]
    state = _prepare(context, thread_id, args)
    input_items = _message_items(args.get("additional_messages"))
    # the legacy API refused a second active run with the message ``_insert`` raises
    yield from _settle_latest(context, thread_id, args)
    _insert(context, state)
    try:
        yield Emit(ThreadRunCreated(data=state.legacy(), event="thread.run.created"))
        yield Emit(ThreadRunQueued(data=state.legacy(), event="thread.run.queued"))
        state = _set_status(context, state, "in_progress")
        yield Emit(ThreadRunInProgress(data=state.legacy(), event="thread.run.in_progress"))
        response = yield from _stream_turn(context, state, _request(state, input_items), undo=None)
    except GeneratorExit:
        _abandon(context, thread_id, state.run["id"])
        raise
    if response is not None:
        yield from _after_additional(context, state, response, args)


def stream_submit_tool_outputs(context: Context, args: Mapping[str, Any]) -> Op[None]:
    """``runs.submit_tool_outputs(stream=True)``: the legacy events of the next streamed turn."""
    thread_id: str = args["thread_id"]
    run_id: str = args["run_id"]
    state, params, closed, undo = yield from _resume(context, args)
    if closed is not None:
        yield Emit(ThreadRunStepCompleted(data=closed, event="thread.run.step.completed"))
    queued = state.legacy().model_copy(update={"status": "queued"})
    try:
        yield Emit(ThreadRunQueued(data=queued, event="thread.run.queued"))
        yield Emit(ThreadRunInProgress(data=state.legacy(), event="thread.run.in_progress"))
        yield from _stream_turn(context, state, params, undo=undo)
    except GeneratorExit:
        _abandon(context, thread_id, run_id)
        raise


def _stream_turn(
    context: Context, state: RunState, params: dict[str, Any], *, undo: Sequence[StoredRecord] | None
) -> Op[Response | None]:
    """Stream one response, translating each event; the run is stored before its final events go out.

    ``undo`` as for :func:`_call`; when a continuation fails, its tool outputs are kept (:func:`_keep_outputs`).
    """
    stream = yield from _call(context, state, {**params, "stream": True}, undo=undo)
    translator = RunStreamState(
        run=state.legacy(),
        prior_usage=state.summed_usage(),
        new_step_id=lambda: context.ids("step"),
        clock=context.clock,
    )
    try:
        while not translator.done:
            event = yield Pull(stream)
            if event is None:
                break
            events = translator.handle_event(event)
            if translator.done:
                yield from _drain(stream, translator)
                yield from _record_streamed(context, state, translator, params, undo=undo)
            for legacy in events:
                yield Emit(legacy)
    except openai.APIError as exc:
        error_event = _error_event(exc)
        if error_event is None or translator.done:
            yield from _fail_turn(context, state, params, f"The stream was interrupted: {exc}", undo=undo)
            raise
        # the SDK raises a stream's ``error`` event; the legacy stream reported it as run.failed + error
        events = translator.handle_event(error_event)
        yield from _record_streamed(context, state, translator, params, undo=undo)
        for legacy in events:
            yield Emit(legacy)
    if not translator.done:
        yield from _fail_turn(context, state, params, "The stream ended before the response did.", undo=undo)
        raise openai.APIConnectionError(
            message="The response stream ended before the run finished.", request=_request_of(stream)
        )
    return translator.final_response


def _error_event(exc: openai.APIError) -> ResponseErrorEvent | None:
    """The stream ``error`` event the SDK turned into ``exc`` (``None`` for transport and HTTP errors)."""
    raw: object = exc.body
    if type(exc) is not openai.APIError or not isinstance(raw, Mapping):
        return None
    body = cast(Mapping[str, Any], raw)
    value = {
        "type": "error",
        "code": body.get("code"),
        "message": body.get("message") or exc.message,
        "param": body.get("param"),
        "sequence_number": 0,
        "error": dict(body),
    }
    return cast(ResponseErrorEvent, construct_type(type_=ResponseErrorEvent, value=value))


def _abandon(context: Context, thread_id: str, run_id: str) -> None:
    """The caller closed the stream mid-turn: the run fails, so the thread is free again."""
    record = context.store.get("run", run_id)
    if record is not None and record.data["run"]["status"] in ("queued", "in_progress"):
        _fail(context, RunState.model_validate(dict(record.data)), "The stream was closed before the run finished.")


def _drain(stream: Any, translator: RunStreamState) -> Op[None]:
    """Read the stream to its end (a ``response.failed`` may follow an ``error``) so the conversation is
    free before the caller acts on the final events."""
    while True:
        event = yield Pull(stream)
        if event is None:
            return
        translator.handle_event(event)


def _record_streamed(
    context: Context,
    state: RunState,
    translator: RunStreamState,
    params: Mapping[str, Any],
    *,
    undo: Sequence[StoredRecord] | None,
) -> Op[None]:
    """Store the streamed turn; a failed continuation keeps its tool outputs (:func:`_keep_outputs`)."""
    response = translator.final_response
    if response is None:
        context.store.put(state.with_run(translator.run).record())
    else:
        _record_turn(context, state, response, steps=translator.steps)
    if undo is not None and translator.run.status in _FAILED:
        yield from _keep_outputs(context, state, params)


def _request_of(stream: Any) -> httpx2.Request:
    request = getattr(getattr(stream, "response", None), "request", None)
    return request if isinstance(request, httpx2.Request) else httpx2.Request("POST", "https://compat.invalid/v1")


def list_runs(context: Context, args: Mapping[str, Any]) -> Op[Listing[Run]]:
    """``runs.list``: the thread's runs from the store, legacy paging; the legacy 404 for an unknown thread."""
    thread_id: str = args["thread_id"]
    records, has_more = page_records(context.store, "run", list_args(args), parent_id=thread_id)
    if not records and context.store.get("thread", thread_id) is None:
        # no trace of the thread here: it may be a conversation made without the shim, or none at all
        yield from retrieve_conversation(thread_id, request_options(args))
    runs = [RunState.model_validate(dict(r.data)).legacy() for r in records]
    return Listing[Run](data=runs, has_more=has_more)


# --- threads.create_and_run ----------------------------------------------------------------------


def _thread_args(args: Mapping[str, Any]) -> dict[str, Any]:
    thread = cast(Mapping[str, Any], args.get("thread") or {})
    out = {k: thread[k] for k in ("messages", "metadata", "tool_resources") if thread.get(k) is not None}
    return {**out, **request_options(args)}


def _new_thread(context: Context, args: Mapping[str, Any]) -> Op[Thread]:
    """The thread of ``create_and_run``, once the run's own arguments are known to be valid."""
    assistant = dict(require(context.store, "assistant", args["assistant_id"]).data)
    _message_items(args.get("additional_messages"))
    # the run's arguments are checked before a conversation exists that a refused run would orphan
    build_run(run_id="", thread_id="", assistant=assistant, args=args, now=0)
    thread = yield from create_thread(context, _thread_args(args))
    return thread


def create_thread_and_run(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``threads.create_and_run``: a new thread (conversation), then one run on it."""
    thread = yield from _new_thread(context, args)
    return (yield from create_run(context, {**args, "thread_id": thread.id}))


def create_thread_and_run_poll(context: Context, args: Mapping[str, Any]) -> Op[Run]:
    """``threads.create_and_run_poll``: as ``create_and_run``, then poll to a terminal state."""
    run = yield from create_thread_and_run(context, args)
    return (yield from poll_run(context, {**args, "thread_id": run.thread_id, "run_id": run.id}))


def stream_thread_and_run(context: Context, args: Mapping[str, Any]) -> Op[None]:
    """``threads.create_and_run(stream=True)``: ``thread.created``, then the run's legacy events."""
    thread = yield from _new_thread(context, args)
    yield Emit(ThreadCreated(data=thread, event="thread.created"))
    yield from stream_run(context, {**args, "thread_id": thread.id})
