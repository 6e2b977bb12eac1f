"""Responses API objects → legacy Assistants objects (runs, run steps, assistant messages).

Rules:

- A run takes one response per model turn. The run's outcome is the outcome of its latest response:
  ``completed`` with ``function_call`` items in ``output`` → ``requires_action``, one tool call per item
  (``tool_call.id`` is the item's ``call_id``); ``completed`` otherwise → ``completed``; ``failed`` →
  ``failed`` with the legacy ``last_error``; ``incomplete`` → ``incomplete`` (``max_output_tokens`` →
  ``max_completion_tokens``); ``cancelled`` → ``cancelled``; ``queued``/``in_progress`` → ``in_progress``.
- ``usage`` is ``None`` until the run ends (a ``requires_action`` run has none, as in the legacy API);
  then it is summed over every response of the run with the legacy names: ``input_tokens`` →
  ``prompt_tokens``, ``output_tokens`` → ``completion_tokens``, ``total_tokens``,
  ``input_tokens_details.cached_tokens`` → ``prompt_token_details.cached_tokens``,
  ``output_tokens_details.reasoning_tokens`` → ``completion_tokens_details.reasoning_tokens``.
- Each output ``message`` item is a legacy assistant message with the item's id, and one
  ``message_creation`` step. All ``function_call`` items of one response are one ``tool_calls`` step
  whose outputs are filled in once submitted. The first step of a response carries its usage.
- Message steps end ``completed``, also when the response stopped ``incomplete`` (the step did create
  its message); ``failed`` when the response failed or was cancelled. An incomplete message carries
  ``incomplete_details.reason``: ``max_output_tokens`` → ``max_tokens``, ``content_filter`` →
  ``content_filter``. An ``incomplete`` run has ``completed_at`` set, as it had in the legacy API.
- ``output_text`` parts become ``text`` content; ``refusal`` parts ``refusal`` content. Annotations:
  ``file_citation`` → ``file_citation`` (no quoted text is available: ``text`` is empty and both
  indexes are the citation's ``index``); ``file_path`` → ``file_path``; ``url_citation`` and
  ``container_file_citation`` have no legacy form and are dropped with a log line.
- ``reasoning`` items have no legacy form: they stay in the conversation and produce no step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, cast

from openai.types.beta.threads import (
    FileCitationAnnotation,
    FilePathAnnotation,
    Message,
    RefusalContentBlock,
    Run,
    Text,
    TextContentBlock,
)
from openai.types.beta.threads.annotation import Annotation
from openai.types.beta.threads.file_citation_annotation import FileCitation
from openai.types.beta.threads.file_path_annotation import FilePath
from openai.types.beta.threads.message import IncompleteDetails as MessageIncompleteDetails
from openai.types.beta.threads.message_content import MessageContent
from openai.types.beta.threads.required_action_function_tool_call import (
    Function as RequiredFunction,
    RequiredActionFunctionToolCall,
)
from openai.types.beta.threads.run import (
    IncompleteDetails,
    LastError,
    RequiredAction,
    RequiredActionSubmitToolOutputs,
    Usage as RunUsage,
)
from openai.types.beta.threads.runs import (
    FunctionToolCall,
    MessageCreationStepDetails,
    RunStep,
    ToolCallsStepDetails,
)
from openai.types.beta.threads.runs.function_tool_call import Function as StepFunction
from openai.types.beta.threads.runs.message_creation_step_details import MessageCreation
from openai.types.beta.threads.runs.run_step import Usage as StepUsage
from openai.types.responses import (
    Response,
    ResponseFunctionToolCall,
    ResponseOutputMessage,
    ResponseOutputRefusal,
    ResponseOutputText,
    ResponseUsage,
)
from pydantic import BaseModel

__all__ = [
    "MessageIncompleteReason",
    "function_calls",
    "message_creation_step",
    "message_incomplete_reason",
    "message_step_status",
    "output_message_to_message",
    "output_text_to_content",
    "response_to_run",
    "response_to_steps",
    "run_usage",
    "tool_calls_step",
    "usage_to_run_usage",
]

logger = logging.getLogger(__name__)

StepStatus = Literal["in_progress", "cancelled", "failed", "completed", "expired"]
MessageIncompleteReason = Literal["content_filter", "max_tokens", "run_cancelled", "run_expired", "run_failed"]
"""The legacy ``Message.incomplete_details.reason``."""


def _legacy_usage(*, prompt: int, completion: int, total: int, cached: int, reasoning: int) -> dict[str, Any]:
    # The SDK's legacy Usage types declare only the three counts; the API also sent the details, under
    # these names (``prompt_token_details``, singular, as recorded), and the SDK keeps such fields as extras.
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": total,
        "prompt_token_details": {"cached_tokens": cached},
        "completion_tokens_details": {"reasoning_tokens": reasoning},
    }


def _detail(usage: BaseModel, field: str, count: str) -> int:
    """A count inside a legacy usage's undeclared details (0 when absent, as in records made before them)."""
    details: object = (usage.model_extra or {}).get(field)
    if not isinstance(details, Mapping):
        return 0
    value: object = cast("Mapping[str, object]", details).get(count)
    return value if isinstance(value, int) else 0


def usage_to_run_usage(usage: ResponseUsage | None) -> RunUsage | None:
    """One response's usage with the legacy field names."""
    if usage is None:
        return None
    fields = _legacy_usage(
        prompt=usage.input_tokens,
        completion=usage.output_tokens,
        total=usage.total_tokens,
        cached=usage.input_tokens_details.cached_tokens,
        reasoning=usage.output_tokens_details.reasoning_tokens,
    )
    return RunUsage.model_validate(fields)


def run_usage(usages: Sequence[RunUsage | None]) -> RunUsage | None:
    """The sum of several responses' usage (``None`` when none reported any)."""
    known = [u for u in usages if u is not None]
    if not known:
        return None
    fields = _legacy_usage(
        prompt=sum(u.prompt_tokens for u in known),
        completion=sum(u.completion_tokens for u in known),
        total=sum(u.total_tokens for u in known),
        cached=sum(_detail(u, "prompt_token_details", "cached_tokens") for u in known),
        reasoning=sum(_detail(u, "completion_tokens_details", "reasoning_tokens") for u in known),
    )
    return RunUsage.model_validate(fields)


def function_calls(response: Response) -> list[ResponseFunctionToolCall]:
    """The ``function_call`` items of a response's output, in order."""
    return [item for item in response.output if isinstance(item, ResponseFunctionToolCall)]


def _required_action(calls: Sequence[ResponseFunctionToolCall]) -> RequiredAction:
    tool_calls = [
        RequiredActionFunctionToolCall(
            id=call.call_id,
            type="function",
            function=RequiredFunction(name=call.name, arguments=call.arguments),
        )
        for call in calls
    ]
    return RequiredAction(
        type="submit_tool_outputs",
        submit_tool_outputs=RequiredActionSubmitToolOutputs(tool_calls=tool_calls),
    )


def _last_error(response: Response) -> LastError:
    error = response.error
    code = error.code if error is not None else "server_error"
    legacy_code = code if code in ("server_error", "rate_limit_exceeded", "invalid_prompt") else "server_error"
    message = error.message if error is not None else "The response failed."
    return LastError(code=legacy_code, message=message)


def _incomplete_details(response: Response) -> IncompleteDetails:
    reason = response.incomplete_details.reason if response.incomplete_details else None
    return IncompleteDetails(reason="max_completion_tokens" if reason == "max_output_tokens" else None)


def response_to_run(*, run: Run, response: Response, usage: RunUsage | None, now: int) -> Run:
    """The run after ``response`` (its latest response) ended; ``usage`` is the run's summed usage,
    reported once the run has ended.

    Raises ``ValueError`` for a response that has not ended (``queued`` / ``in_progress``): the caller
    keeps the run ``in_progress`` then.
    """
    status = response.status
    base: dict[str, Any] = {"usage": usage, "started_at": run.started_at or now, "required_action": None}
    if status == "completed":
        calls = function_calls(response)
        if calls:
            # the run has not ended: the legacy API reported no usage until it did
            update = {"status": "requires_action", "required_action": _required_action(calls), "usage": None}
            return run.model_copy(update={**base, **update})
        return run.model_copy(update={**base, "status": "completed", "completed_at": now, "expires_at": None})
    if status == "failed":
        update = {
            "status": "failed",
            "failed_at": now,
            "last_error": _last_error(response),
            "expires_at": None,
        }
        return run.model_copy(update={**base, **update})
    if status == "incomplete":
        update = {
            "status": "incomplete",
            "incomplete_details": _incomplete_details(response),
            "completed_at": now,
            "expires_at": None,
        }
        return run.model_copy(update={**base, **update})
    if status == "cancelled":
        return run.model_copy(update={**base, "status": "cancelled", "cancelled_at": now, "expires_at": None})
    raise ValueError(f"response {response.id} has not ended (status {status!r})")


def _annotation(annotation: Any) -> Annotation | None:
    kind = getattr(annotation, "type", None)
    if kind == "file_citation":
        index = int(annotation.index)
        return FileCitationAnnotation(
            type="file_citation",
            text="",
            start_index=index,
            end_index=index,
            file_citation=FileCitation(file_id=annotation.file_id),
        )
    if kind == "file_path":
        index = int(annotation.index)
        return FilePathAnnotation(
            type="file_path",
            text="",
            start_index=index,
            end_index=index,
            file_path=FilePath(file_id=annotation.file_id),
        )
    logger.info("dropping a %s annotation: the Assistants API has no equivalent", kind)
    return None


def output_text_to_content(part: ResponseOutputText) -> TextContentBlock:
    """An ``output_text`` part as legacy ``text`` content."""
    annotations = [a for a in (_annotation(x) for x in part.annotations) if a is not None]
    return TextContentBlock(type="text", text=Text(value=part.text, annotations=annotations))


def _content(item: ResponseOutputMessage) -> list[MessageContent]:
    content: list[MessageContent] = []
    for part in item.content:
        if isinstance(part, ResponseOutputText):
            content.append(output_text_to_content(part))
        elif isinstance(part, ResponseOutputRefusal):  # pyright: ignore[reportUnnecessaryIsInstance]
            content.append(RefusalContentBlock(type="refusal", refusal=part.refusal))
    return content


def message_incomplete_reason(response: Response) -> MessageIncompleteReason | None:
    """Why the incomplete messages of ``response`` are incomplete, in legacy words (``None`` when the
    response gives no reason)."""
    reason = response.incomplete_details.reason if response.incomplete_details else None
    if reason == "max_output_tokens":
        return "max_tokens"
    if reason == "content_filter":
        return "content_filter"
    return None


def output_message_to_message(
    *,
    item: ResponseOutputMessage,
    thread_id: str,
    run_id: str | None,
    assistant_id: str | None,
    created_at: int,
    metadata: Mapping[str, str] | None = None,
    incomplete_reason: MessageIncompleteReason | None = None,
) -> Message:
    """An assistant ``message`` output item as a legacy message (id = item id); ``incomplete_reason`` is
    the legacy ``incomplete_details.reason`` of an incomplete item (see :func:`message_incomplete_reason`)."""
    completed = item.status == "completed"
    details = None if completed or incomplete_reason is None else MessageIncompleteDetails(reason=incomplete_reason)
    return Message(
        id=item.id,
        object="thread.message",
        created_at=created_at,
        assistant_id=assistant_id,
        thread_id=thread_id,
        run_id=run_id,
        role="assistant",
        content=_content(item),
        attachments=[],
        metadata=dict(metadata or {}),
        status="completed" if completed else "incomplete",
        completed_at=created_at if completed else None,
        incomplete_at=None if completed else created_at,
        incomplete_details=details,
    )


def _step_usage(usage: RunUsage | None) -> StepUsage | None:
    if usage is None:
        return None
    return StepUsage.model_validate(usage.model_dump())


def _step(
    *,
    step_id: str,
    run: Run,
    details: MessageCreationStepDetails | ToolCallsStepDetails,
    created_at: int,
    status: StepStatus,
    usage: RunUsage | None,
) -> RunStep:
    ended = status != "in_progress"
    return RunStep(
        id=step_id,
        object="thread.run.step",
        created_at=created_at,
        run_id=run.id,
        assistant_id=run.assistant_id,
        thread_id=run.thread_id,
        type=details.type,
        status=status,
        cancelled_at=created_at if status == "cancelled" else None,
        completed_at=created_at if status == "completed" else None,
        expired_at=created_at if status == "expired" else None,
        failed_at=created_at if status == "failed" else None,
        last_error=None,
        step_details=details,
        usage=_step_usage(usage) if ended else None,
    )


def message_creation_step(
    *, step_id: str, run: Run, message_id: str, created_at: int, status: StepStatus, usage: RunUsage | None
) -> RunStep:
    """The ``message_creation`` step of one assistant message."""
    details = MessageCreationStepDetails(
        type="message_creation", message_creation=MessageCreation(message_id=message_id)
    )
    return _step(step_id=step_id, run=run, details=details, created_at=created_at, status=status, usage=usage)


def tool_calls_step(
    *,
    step_id: str,
    run: Run,
    calls: Sequence[ResponseFunctionToolCall],
    outputs: Mapping[str, str],
    created_at: int,
    status: StepStatus,
    usage: RunUsage | None,
) -> RunStep:
    """The ``tool_calls`` step of one response's function calls; ``outputs`` by ``call_id`` once submitted."""
    tool_calls = [
        FunctionToolCall(
            id=call.call_id,
            type="function",
            function=StepFunction(name=call.name, arguments=call.arguments, output=outputs.get(call.call_id)),
        )
        for call in calls
    ]
    details = ToolCallsStepDetails(type="tool_calls", tool_calls=list(tool_calls))
    return _step(step_id=step_id, run=run, details=details, created_at=created_at, status=status, usage=usage)


def message_step_status(response: Response) -> StepStatus:
    """How the message steps of an ended response end: ``completed``, also when the response stopped
    ``incomplete`` (the legacy step completed with the message cut short); ``failed`` otherwise."""
    return "completed" if response.status in ("completed", "incomplete") else "failed"


def response_to_steps(*, run: Run, response: Response, new_step_id: Callable[[], str], now: int) -> list[RunStep]:
    """The run steps one ended response produced, in output order.

    Message steps are ``completed`` (see :func:`message_step_status`); a ``tool_calls`` step is
    ``in_progress`` until its outputs are submitted.
    """
    usage = usage_to_run_usage(response.usage)
    steps: list[RunStep] = []
    message_status = message_step_status(response)
    calls = function_calls(response)
    for item in response.output:
        step_usage = usage if not steps else None
        if isinstance(item, ResponseOutputMessage):
            steps.append(
                message_creation_step(
                    step_id=new_step_id(),
                    run=run,
                    message_id=item.id,
                    created_at=now,
                    status=message_status,
                    usage=step_usage,
                )
            )
        elif isinstance(item, ResponseFunctionToolCall) and item is calls[0]:
            steps.append(
                tool_calls_step(
                    step_id=new_step_id(),
                    run=run,
                    calls=calls,
                    outputs={},
                    created_at=now,
                    status="in_progress",
                    usage=step_usage,
                )
            )
    return steps
