"""The model turns of a run: one ``responses.create`` each, and what the store keeps of it.

A run's first turn and the turns after tool outputs differ only in what a failure undoes, and that is
explicit in the :data:`Turn` passed along:

- :class:`FirstTurn`: a request the server refuses (a 4xx) deletes the run, as if it was never created;
- :class:`NextTurn`: a refused request puts the run and its tool step back as they were (waiting for
  outputs again, as the legacy API did when it refused them); a turn that fails after the outputs were
  sent keeps them in the conversation, because a ``function_call`` without output makes the conversation
  refuse every later response.

Any other failure (a 5xx, a cut connection, a stream that ends early) ends the run ``failed``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import httpx2
import openai
from openai._models import construct_type
from openai.types.beta import AssistantStreamEvent
from openai.types.beta.threads import Run
from openai.types.beta.threads.runs import RunStep
from openai.types.responses import Response, ResponseErrorEvent, ResponseOutputMessage
from pydantic import BaseModel

from .._context import Context
from .._effects import Op, call, emit, local, open_stream, pull, write
from .._errors import not_found
from ..store import Store, StoredRecord
from ..store.records import BUSY, CUT_SHORT, MessageRecord, RunRecord, StepRecord
from ..translate import from_responses, to_responses
from ..translate.legacy import legacy_run
from ..translate.stream import RunStreamState
from ..translate.to_conversations import item_batches
from ._common import request_options
from ._files import annotation_file_row, container_file_rows
from ._settle import answer_calls
from ._truncation import detached, rejoin

__all__ = [
    "FirstTurn",
    "over_prompt_budget",
    "abandon_run",
    "NextTurn",
    "Turn",
    "fail_run",
    "submitted_outputs",
    "record_turn",
    "send_turn",
    "stream_turn",
    "turn_request",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")

_OUTPUT = "function_call_output"


@dataclass(frozen=True)
class FirstTurn:
    """The run's first model turn: a refused request leaves no run behind."""


@dataclass(frozen=True)
class NextTurn:
    """A turn after tool outputs; ``before`` are the rows a refused request puts back."""

    before: tuple[StoredRecord, ...]


Turn = FirstTurn | NextTurn


def turn_request(
    context: Context, record: RunRecord, input_items: Sequence[dict[str, Any]], options: Mapping[str, Any]
) -> dict[str, Any]:
    """The ``responses.create`` arguments of the run's next turn (its model as mapped upstream), with the
    caller's request options."""
    params = to_responses.run_to_response_params(
        run=record.run,
        conversation_id=record.thread_id,
        input_items=input_items,
        tool_resources=record.tool_resources,
        reasoning_effort=record.reasoning_effort,
        completion_tokens_used=sum(usage.completion_tokens for usage in record.usages if usage is not None),
        auto_truncation=record.asked_truncation or context.auto_truncation,
    )
    if isinstance(params.get("model"), str):
        params["model"] = context.models.upstream(params["model"])
    return {**params, **options}


def _sent(
    context: Context,
    record: RunRecord,
    params: dict[str, Any],
    turn: Turn,
    request: Callable[[dict[str, Any]], Op[T]],
) -> Op[T]:
    """Perform the turn's request (``request(params)``); refusals are raised as the legacy errors, failures
    fail the run. A server that requires ``input`` on every response gets an empty one from then on."""
    if context.requires_input and "input" not in params:
        params = {**params, "input": []}
    try:
        return (yield from request(params))
    except openai.APIStatusError as exc:
        if _input_required(exc, params):
            logger.info("the upstream requires `input` on every response: sending an empty one")
            context.requires_input = True
            return (yield from _sent(context, record, params, turn, request))
        if exc.status_code >= 500:
            yield from _fail_turn(context, record, params, str(exc), turn)
            raise
        yield from local(lambda: _forget(context.store, record, turn))
        if isinstance(exc, openai.NotFoundError) and _names_conversation(exc, record.thread_id):
            raise not_found(f"No thread found with id '{record.thread_id}'.") from exc
        raise
    except openai.APIError as exc:
        yield from _fail_turn(context, record, params, str(exc), turn)
        raise


def _input_required(error: openai.APIStatusError, params: Mapping[str, Any]) -> bool:
    """Whether a refusal says the response needs ``input`` (a request that had none): the error names the
    parameter ``input``, or says a required ``input`` is missing."""
    if error.status_code not in (400, 422) or "input" in params:
        return False
    raw: object = error.body
    param = cast(Mapping[str, Any], raw).get("param") if isinstance(raw, Mapping) else None
    if param == "input":
        return True
    text = str(error.message).lower()
    return "input" in text and ("missing" in text or "required" in text)


def _names_conversation(error: openai.NotFoundError, thread_id: str) -> bool:
    """Whether a 404 is about the conversation (the thread), not e.g. an unknown model."""
    raw: object = error.body
    code = cast(Mapping[str, Any], raw).get("code") if isinstance(raw, Mapping) else None
    if code is not None and "model" in str(code):
        return False
    text = str(error).lower()
    return thread_id.lower() in text or "conversation" in text


_COUNTED = frozenset(
    {
        "model",
        "conversation",
        "previous_response_id",
        "input",
        "instructions",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "reasoning",
        "text",
    }
)


def over_prompt_budget(context: Context, record: RunRecord, params: Mapping[str, Any]) -> Op[RunRecord | None]:
    """With ``max_prompt_tokens``, the run ended ``incomplete`` when the turn would read more input tokens.

    The input is counted upstream (``responses.input_tokens.count``, one request per turn of such a run);
    over budget, no model turn happens: the turn's new items (messages added with the run, tool outputs)
    still join the conversation, and the run ends with ``incomplete_details.reason = max_prompt_tokens``.
    """
    budget = record.run.max_prompt_tokens
    if budget is None:
        return None
    sent = yield from detached(record.run, record.response_ids, params)
    counted_args = {key: value for key, value in sent.items() if key in _COUNTED}
    options = request_options(params)
    counted = yield from call(lambda api: api.responses.input_tokens.count(**counted_args, **options))
    if counted.input_tokens <= budget:
        return None
    items = cast(Sequence[dict[str, Any]], params.get("input") or [])
    for batch in item_batches(items):
        yield from write(
            lambda api, batch=batch: api.conversations.items.create(record.thread_id, items=cast(Any, batch), **options)
        )
    now = context.clock()
    run = record.run.model_dump(mode="json", by_alias=True, warnings=False)
    ending = {"status": "incomplete", "completed_at": now, "expires_at": None, "required_action": None}
    reason = {"reason": "max_prompt_tokens"}
    ended = record.model_copy(
        update={"run": legacy_run({**run, **ending, "incomplete_details": reason}), "owner": None, "deadline": None}
    )
    yield from local(lambda: context.store.put(ended.to_row()))
    return ended


def send_turn(context: Context, record: RunRecord, params: dict[str, Any], turn: Turn) -> Op[Response]:
    """``responses.create``: the turn's response (made beside the conversation for a truncated run, see
    :mod:`._truncation`)."""
    sent = yield from detached(record.run, record.response_ids, params)

    def request(body: dict[str, Any]) -> Op[Response]:
        nonlocal sent
        sent = body
        return (yield from write(lambda api: cast(Response, api.responses.create(**body))))

    response = yield from _sent(context, record, sent, turn, request)
    response, _ = yield from _rejoined(context, record, response, sent, turn)
    return response


def _rejoined(
    context: Context, record: RunRecord, response: Response, sent: Mapping[str, Any], turn: Turn
) -> Op[tuple[Response, dict[str, str]]]:
    """A truncated run's turn added to the conversation; a failure to add it fails the run."""
    try:
        return (yield from rejoin(record.run, record.thread_id, response, sent))
    except openai.APIError as exc:
        yield from _fail_turn(context, record, sent, f"The turn could not be added to the thread: {exc}", turn)
        raise


def _fail_turn(
    context: Context,
    record: RunRecord,
    params: Mapping[str, Any],
    message: str,
    turn: Turn,
    translator: RunStreamState | None = None,
) -> Op[None]:
    """The turn could not be completed: the run fails; a later turn keeps its tool outputs.

    A stream cut midway has already announced steps and messages as the run's: they stay its own, the
    open steps failed with the run's error.
    """
    now = context.clock()
    rows = _announced_rows(record, translator, message, now=now) if translator is not None else []
    failed = yield from local(lambda: fail_run(context.store, record, message, now=now, rows=rows))
    yield from answer_calls(context, failed, request_options(params), submitted_outputs(params))


def _forget(store: Store, record: RunRecord, turn: Turn) -> None:
    """Undo what a refused turn wrote (see :data:`Turn`)."""
    with store.transaction(lock=record.thread_id):
        if isinstance(turn, FirstTurn):
            store.delete("run", record.id)
            return
        for row in turn.before:
            store.put(row)


def _announced_rows(record: RunRecord, translator: RunStreamState, message: str, *, now: int) -> list[StoredRecord]:
    """The rows of the steps and messages a cut stream announced: open steps failed, messages the run's."""
    error = {"code": "server_error", "message": message}
    rows: list[StoredRecord] = []
    for step in translator.steps:
        if step.status == "in_progress":
            update = {"status": "failed", "failed_at": now, "last_error": error}
            rows.append(StepRecord.to_row(RunStep.model_validate({**step.model_dump(mode="json"), **update})))
        else:
            rows.append(StepRecord.to_row(step))
    run = record.run
    for legacy_message in translator.messages:
        meta = MessageRecord(created_at=legacy_message.created_at, assistant_id=run.assistant_id, run_id=run.id)
        rows.append(meta.to_row(message_id=legacy_message.id, thread_id=run.thread_id))
    return rows


def fail_run(
    store: Store, record: RunRecord, message: str, *, now: int, rows: Sequence[StoredRecord] = ()
) -> RunRecord:
    """The run ends ``failed`` with a ``server_error`` (a cut connection, a 5xx); stored with ``rows``."""
    failed = record.failed(message, now=now)
    store.put_many([*rows, failed.to_row()])
    return failed


def submitted_outputs(params: Mapping[str, Any]) -> dict[str, str]:
    """The tool outputs a turn's request carries, by call id."""
    sent = cast(Sequence[Mapping[str, Any]], params.get("input") or [])
    return {str(item["call_id"]): str(item["output"]) for item in sent if item.get("type") == _OUTPUT}


# --- what a turn leaves in the store --------------------------------------------------------------


def record_turn(
    context: Context, record: RunRecord, response: Response, steps: Sequence[RunStep] | None = None
) -> Op[RunRecord]:
    """Store what one ended response produced: steps, assistant-message records, the updated run."""
    now = context.clock()
    run = record.run
    usage = from_responses.usage_to_run_usage(response.usage)
    record = record.model_copy(
        update={"usages": [*record.usages, usage], "response_ids": [*record.response_ids, response.id]}
    )
    if steps is None:
        steps = from_responses.response_to_steps(
            run=run, response=response, new_step_id=lambda: context.ids("step"), now=now, include=_STORED_INCLUDE
        )
    finished = from_responses.response_to_run(
        run=run, response=response, usage=from_responses.run_usage(record.usages), now=now
    )
    waiting = from_responses.function_calls_step(steps)
    tool_step = waiting.id if waiting is not None else None
    first = tool_step is not None and from_responses.usage_step_id(steps) == tool_step
    record = record.model_copy(
        update={
            "run": finished,
            "tool_step_id": tool_step,
            "tool_step_first": first,
            "owner": None,
            "deadline": None,
            # a failed or cancelled turn may leave calls without outputs
            "check_calls": finished.status in CUT_SHORT,
        }
    )
    rows = [StepRecord.to_row(step) for step in steps]
    rows += [
        _assistant_message(run, item, response, now=now).to_row(message_id=item.id, thread_id=run.thread_id)
        for item in response.output
        if isinstance(item, ResponseOutputMessage)
    ]
    rows += container_file_rows(response, now=now)
    rows.append(record.to_row())
    yield from local(lambda: context.store.put_many(rows))
    return record


def _assistant_message(run: Run, item: ResponseOutputMessage, response: Response, *, now: int) -> MessageRecord:
    """The record of a message the run wrote: completed, or incomplete with the legacy reason."""
    if item.status == "completed":
        return MessageRecord(created_at=now, assistant_id=run.assistant_id, run_id=run.id, completed_at=now)
    reason = from_responses.message_incomplete_reason(response)
    return MessageRecord(
        created_at=now, assistant_id=run.assistant_id, run_id=run.id, incomplete_at=now, incomplete_reason=reason
    )


# --- streaming -----------------------------------------------------------------------------------


def stream_turn(context: Context, record: RunRecord, params: dict[str, Any], turn: Turn) -> Op[Response | None]:
    """Stream one response, emitting its legacy events; the run is stored before its final events go out."""
    params = yield from detached(record.run, record.response_ids, params)

    def request(body: dict[str, Any]) -> Op[openai.Stream[Any]]:
        nonlocal params
        params = body
        return (yield from open_stream(lambda api: api.responses.create(**body, stream=True)))

    stream = yield from _sent(context, record, params, turn, request)
    translator = RunStreamState(
        run=record.run,
        prior_usage=from_responses.run_usage(record.usages),
        new_step_id=lambda: context.ids("step"),
        clock=context.clock,
        include=_STORED_INCLUDE,
    )
    yield from _translate(context, record, params, turn, stream, translator)
    return translator.final_response


def _translate(
    context: Context,
    record: RunRecord,
    params: dict[str, Any],
    turn: Turn,
    stream: openai.Stream[Any],
    translator: RunStreamState,
) -> Op[None]:
    """Feed the stream's events to the translator and emit the legacy events it answers."""
    try:
        while not translator.done:
            event = yield from pull(stream)
            if event is None:
                break
            events = translator.handle_event(event)
            if event.type == "response.output_text.annotation.added":
                # a handler may download a file the code wrote as soon as it hears of it
                yield from _known_file(context, event)
            if translator.done:
                yield from _drain(stream, translator)
                yield from _record_streamed(context, record, translator, params, turn)
            for legacy in events:
                yield from emit(_shown(legacy, record.include))
    except openai.APIError as exc:
        error_event = _error_event(exc)
        if error_event is None or translator.done:
            yield from _fail_turn(context, record, params, f"The stream was interrupted: {exc}", turn, translator)
            raise
        # the SDK raises a stream's ``error`` event; the legacy stream reported it as run.failed + error
        events = translator.handle_event(error_event)
        yield from _record_streamed(context, record, translator, params, turn)
        for legacy in events:
            yield from emit(legacy)
    if not translator.done:
        yield from _fail_turn(context, record, params, "The stream ended before the response did.", turn, translator)
        raise openai.APIConnectionError(
            message="The response stream ended before the run finished.", request=_request_of(stream)
        )


_STORED_INCLUDE = (from_responses.FILE_SEARCH_RESULT_CONTENT,)
"""Steps are stored with their file search result content; each request shows it as its ``include`` says."""


def _shown(event: AssistantStreamEvent, include: Sequence[str]) -> AssistantStreamEvent:
    """A legacy event as the run's ``include`` shows it (a completed step without result content unless asked)."""
    if event.event != "thread.run.step.completed" or from_responses.FILE_SEARCH_RESULT_CONTENT in include:
        return event
    return event.model_copy(update={"data": from_responses.step_for_include(event.data, include=include)})


def _known_file(context: Context, event: Any) -> Op[None]:
    """Store where a cited container file lives before its legacy file id is announced."""
    annotation = cast(object, event.annotation)
    # the SDK gives the annotation its own model, or a plain object for a type it does not know
    if isinstance(annotation, BaseModel):
        annotation = annotation.model_dump(mode="json")
    if not isinstance(annotation, Mapping):
        return
    row = annotation_file_row(cast(Mapping[str, Any], annotation), now=context.clock())
    if row is not None:
        yield from local(lambda: context.store.put(row))


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


def abandon_run(store: Store, run_id: str, *, now: int) -> RunRecord | None:
    """The caller closed the stream mid-turn: the run fails, so the thread is free again (the failed run)."""
    row = store.get("run", run_id)
    if row is None:
        return None
    record = RunRecord.from_row(row)
    if record.status not in BUSY:
        return None
    return fail_run(store, record, "The stream was closed before the run finished.", now=now)


def _drain(stream: openai.Stream[Any], translator: RunStreamState) -> Op[None]:
    """Read the stream to its end (a ``response.failed`` may follow an ``error``) so the conversation is
    free before the caller acts on the final events."""
    while True:
        event = yield from pull(stream)
        if event is None:
            return
        translator.handle_event(event)


def _record_streamed(
    context: Context, record: RunRecord, translator: RunStreamState, params: Mapping[str, Any], turn: Turn
) -> Op[None]:
    """Store the streamed turn; a failed later turn keeps its tool outputs (:func:`keep_outputs`)."""
    response = translator.final_response
    if response is None:
        ended = record.model_copy(update={"run": translator.run, "owner": None, "deadline": None, "check_calls": True})
        yield from local(lambda: context.store.put(ended.to_row()))
    else:
        response, renamed = yield from _rejoined(context, record, response, params, turn)
        ended = yield from record_turn(context, record, response, steps=_renamed_steps(translator.steps, renamed))
    if ended.check_calls:
        yield from answer_calls(context, ended, request_options(params), submitted_outputs(params))


def _renamed_steps(steps: Sequence[RunStep], renamed: Mapping[str, str]) -> list[RunStep]:
    """The streamed steps naming the messages by the ids the conversation gave them (see ``_truncation``)."""
    if not renamed:
        return list(steps)
    return [_step_renamed(step, renamed) for step in steps]


def _step_renamed(step: RunStep, renamed: Mapping[str, str]) -> RunStep:
    details = step.step_details
    if details.type != "message_creation" or details.message_creation.message_id not in renamed:
        return step
    creation = details.message_creation.model_copy(update={"message_id": renamed[details.message_creation.message_id]})
    return step.model_copy(update={"step_details": details.model_copy(update={"message_creation": creation})})


def _request_of(stream: object) -> httpx2.Request:
    request = getattr(getattr(stream, "response", None), "request", None)
    return request if isinstance(request, httpx2.Request) else httpx2.Request("POST", "https://compat.invalid/v1")
