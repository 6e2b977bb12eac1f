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
  whose outputs are filled in once submitted.
- Message steps end ``completed``, also when the response stopped ``incomplete`` (the step did create
  its message); ``failed`` when the response failed or was cancelled. An incomplete message carries
  ``incomplete_details.reason``: ``max_output_tokens`` → ``max_tokens``, ``content_filter`` →
  ``content_filter``. An ``incomplete`` run has ``completed_at`` set, as it had in the legacy API.
- ``output_text`` parts become ``text`` content; ``refusal`` parts ``refusal`` content. Annotations
  (:func:`legacy_annotations`; their indexes are those of the text with the markers in it):

  - ``file_citation`` (``{file_id, filename, index}``: no span, no marker in the text) → a marker
    ``【4:{n}†{filename}】`` inserted into the text at ``index`` and a legacy ``file_citation`` whose
    ``text`` is the marker and whose ``start_index``/``end_index`` are its span, so that legacy code
    replacing ``annotation.text`` in the text finds it. ``n`` counts the part's citations from 0, so
    every marker of a part is distinct; ``4`` and the shape are those of the recorded legacy markers
    (``【4:0†favorite_foods.txt】``, openai-dotnet ``FileSearchWorks`` / ``FileSearchStreamingWorks``);
    a citation without a file name reads ``source`` (the older legacy form, not in the recordings).
    Several markers at one index go in annotation order.
  - ``container_file_citation`` with a span (a file the code wrote, cited as
    ``sandbox:/mnt/data/x.csv``) → ``file_path`` with the span's text; with an empty span (a chart the
    code showed) → no annotation but an ``image_file`` content block right after the part's ``text``
    block. POLICY: the legacy file id of a container file is its container file id (``cfile_...``);
    the caller resolves it when the file is asked for.
  - ``file_path`` → ``file_path`` at its (shifted) index; ``url_citation`` has no legacy form and is
    dropped with a log line.
- ``file_search_call`` and ``code_interpreter_call`` items each make one ``tool_calls`` step (the call's
  id is the item id), in output order, so the tool steps come before the message they led to:

  - ``file_search`` holds the run's ``ranking_options`` (the run's ``file_search`` tool settings, else
    the legacy default ``{"ranker": "default_2024_08_21", "score_threshold": 0.0}``) and ``results``:
    ``file_id``, ``file_name``, ``score``, ``attributes`` of every result, ``content`` (``[{"type":
    "text", "text"}]``) only when the legacy ``include`` asked for
    :data:`FILE_SEARCH_RESULT_CONTENT`, as the legacy API did; ``[]`` when the response has none.
  - ``code_interpreter`` holds ``input`` (the code) and ``outputs`` (``[]`` when the response has
    none): ``logs`` as they are; an ``image`` (the Responses API gives a URL, often a ``data:`` URL) takes
    the file id of the response's empty-span ``container_file_citation`` of the same container, the
    n-th image the n-th such citation (:func:`code_interpreter_images`); an image no citation names
    has no file id and is dropped with a log line.
  - The step is ``completed`` when the item is; otherwise ``cancelled`` when the response was
    cancelled and ``failed`` else.
- The response's usage goes on one step (:func:`usage_step_id`): the first message or function
  ``tool_calls`` step, else (a response of built-in calls only) the last step.
- ``reasoning`` items have no legacy form: they stay in the conversation and produce no step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias, cast

from openai.types.beta.threads import (
    FileCitationAnnotation,
    FilePathAnnotation,
    ImageFile,
    ImageFileContentBlock,
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
    CodeInterpreterToolCall,
    FileSearchToolCall,
    FunctionToolCall,
    MessageCreationStepDetails,
    RunStep,
    ToolCall,
    ToolCallsStepDetails,
)
from openai.types.beta.threads.runs.code_interpreter_tool_call import (
    CodeInterpreter,
    CodeInterpreterOutput,
    CodeInterpreterOutputImage,
    CodeInterpreterOutputImageImage,
    CodeInterpreterOutputLogs,
)
from openai.types.beta.threads.runs.file_search_tool_call import (
    FileSearch,
    FileSearchRankingOptions,
    FileSearchResult,
)
from openai.types.beta.threads.runs.function_tool_call import Function as StepFunction
from openai.types.beta.threads.runs.message_creation_step_details import MessageCreation
from openai.types.beta.threads.runs.run_step import Usage as StepUsage
from openai.types.responses import (
    Response,
    ResponseCodeInterpreterToolCall,
    ResponseFileSearchToolCall,
    ResponseFunctionToolCall,
    ResponseOutputItem,
    ResponseOutputMessage,
    ResponseOutputRefusal,
    ResponseOutputText,
    ResponseUsage,
)
from openai.types.responses.response_code_interpreter_tool_call import OutputImage, OutputLogs
from openai.types.responses.response_output_text import (
    Annotation as ResponseAnnotation,
    AnnotationContainerFileCitation,
    AnnotationFileCitation,
    AnnotationFilePath,
)
from pydantic import BaseModel, TypeAdapter, ValidationError

__all__ = [
    "DEFAULT_RANKING_OPTIONS",
    "FILE_SEARCH_RESULT_CONTENT",
    "BuiltinCall",
    "LegacyAnnotation",
    "LegacyBuiltinCall",
    "MessageIncompleteReason",
    "ShownImage",
    "builtin_call_step",
    "builtin_step_status",
    "citation_marker",
    "code_interpreter_images",
    "code_interpreter_tool_call",
    "file_search_tool_call",
    "function_calls",
    "function_calls_step",
    "legacy_annotations",
    "legacy_builtin_call",
    "message_creation_step",
    "message_incomplete_reason",
    "message_step_status",
    "output_text_annotation",
    "output_message_to_message",
    "output_text_to_blocks",
    "output_text_to_content",
    "ranking_options",
    "response_to_run",
    "response_to_steps",
    "run_usage",
    "shown_images",
    "step_for_include",
    "text_with_markers",
    "tool_calls_step",
    "usage_position",
    "usage_step_id",
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


@dataclass(frozen=True)
class ShownImage:
    """An image the code showed (an empty-span ``container_file_citation``): an ``image_file`` block."""

    file_id: str


LegacyAnnotation: TypeAlias = FileCitationAnnotation | FilePathAnnotation | ShownImage | None
"""The legacy form of one Responses annotation (``None``: it has none)."""


_ANNOTATION = TypeAdapter[ResponseAnnotation](ResponseAnnotation)


def output_text_annotation(annotation: BaseModel) -> ResponseAnnotation | None:
    """A streamed annotation (the SDK gives the stream event its own annotation classes) as the
    annotation of an ``output_text`` part; ``None``, logged, for one that is not."""
    try:
        return _ANNOTATION.validate_python(annotation.model_dump(mode="json"))
    except ValidationError:
        logger.warning("skipping an annotation of unknown form: %r", annotation)
        return None


def citation_marker(*, ordinal: int, filename: str | None) -> str:
    """The marker a legacy ``file_citation`` stood for in the text (see the module rules)."""
    return f"【4:{ordinal}†{filename or 'source'}】"


def _markers(part: ResponseOutputText) -> list[tuple[int, str] | None]:
    """``(index, marker)`` of every ``file_citation`` of the part (the index kept within its text),
    aligned with its annotations."""
    markers: list[tuple[int, str] | None] = []
    ordinal = 0
    for annotation in part.annotations:
        if isinstance(annotation, AnnotationFileCitation):
            index = min(max(annotation.index, 0), len(part.text))
            markers.append((index, citation_marker(ordinal=ordinal, filename=annotation.filename)))
            ordinal += 1
        else:
            markers.append(None)
    return markers


def _shift(markers: Sequence[tuple[int, str] | None], position: int, *, inclusive: bool) -> int:
    """``position`` of the text without markers, in the text with them (markers at ``position`` count
    when ``inclusive``: they go before the character there)."""
    return position + sum(
        len(m[1]) for m in markers if m is not None and (m[0] < position or (inclusive and m[0] == position))
    )


def _citation_start(markers: Sequence[tuple[int, str] | None], order: int) -> int:
    """Where the marker of annotation ``order`` starts: after the markers of lower indexes, and of the same
    index but earlier in the list."""
    mark = markers[order]
    assert mark is not None
    before = [m if m is not None and (m[0] < mark[0] or i < order) else None for i, m in enumerate(markers)]
    return _shift(before, mark[0], inclusive=True)


def text_with_markers(part: ResponseOutputText) -> str:
    """The part's text with the marker of each ``file_citation`` at its index."""
    inserted = sorted((m[0], order, m[1]) for order, m in enumerate(_markers(part)) if m is not None)
    pieces: list[str] = []
    at = 0
    for index, _, marker in inserted:
        pieces += [part.text[at:index], marker]
        at = index
    pieces.append(part.text[at:])
    return "".join(pieces)


def legacy_annotations(part: ResponseOutputText, *, text: str | None = None) -> list[LegacyAnnotation]:
    """The legacy form of each annotation of ``part``, aligned with ``part.annotations``; ``text`` is
    :func:`text_with_markers` of the part when the caller has it."""
    marked = text_with_markers(part) if text is None else text
    markers = _markers(part)
    out: list[LegacyAnnotation] = []
    for order, annotation in enumerate(part.annotations):
        mark = markers[order]
        if isinstance(annotation, AnnotationFileCitation) and mark is not None:
            start = _citation_start(markers, order)
            out.append(_file_citation(annotation.file_id, mark[1], start, start + len(mark[1])))
        elif isinstance(annotation, AnnotationContainerFileCitation):
            out.append(_container_file(annotation, markers, marked))
        elif isinstance(annotation, AnnotationFilePath):
            index = _shift(markers, annotation.index, inclusive=True)
            out.append(_file_path(annotation.file_id, "", index, index))
        else:
            logger.info("dropping a %s annotation: the Assistants API has no equivalent", annotation.type)
            out.append(None)
    return out


def _container_file(
    annotation: AnnotationContainerFileCitation, markers: Sequence[tuple[int, str] | None], text: str
) -> LegacyAnnotation:
    if annotation.end_index <= annotation.start_index:
        return ShownImage(file_id=annotation.file_id)
    start = _shift(markers, annotation.start_index, inclusive=True)
    end = _shift(markers, annotation.end_index, inclusive=False)
    return _file_path(annotation.file_id, text[start:end], start, end)


def _file_citation(file_id: str, marker: str, start: int, end: int) -> FileCitationAnnotation:
    return FileCitationAnnotation(
        type="file_citation",
        text=marker,
        start_index=start,
        end_index=end,
        file_citation=FileCitation(file_id=file_id),
    )


def _file_path(file_id: str, text: str, start: int, end: int) -> FilePathAnnotation:
    return FilePathAnnotation(
        type="file_path", text=text, start_index=start, end_index=end, file_path=FilePath(file_id=file_id)
    )


def output_text_to_blocks(part: ResponseOutputText) -> list[MessageContent]:
    """An ``output_text`` part as legacy content: its ``text`` block, then an ``image_file`` block per
    image the code showed."""
    text = text_with_markers(part)
    converted = legacy_annotations(part, text=text)
    annotations: list[Annotation] = [a for a in converted if a is not None and not isinstance(a, ShownImage)]
    blocks: list[MessageContent] = [TextContentBlock(type="text", text=Text(value=text, annotations=annotations))]
    blocks += [
        ImageFileContentBlock(type="image_file", image_file=ImageFile(file_id=a.file_id))
        for a in converted
        if isinstance(a, ShownImage)
    ]
    return blocks


def output_text_to_content(part: ResponseOutputText) -> TextContentBlock:
    """An ``output_text`` part as legacy ``text`` content (the images it shows are not in it: see
    :func:`output_text_to_blocks`)."""
    block = output_text_to_blocks(part)[0]
    assert isinstance(block, TextContentBlock)
    return block


def shown_images(part: ResponseOutputText) -> int:
    """How many ``image_file`` blocks follow the part's ``text`` block."""
    return sum(
        1 for a in part.annotations if isinstance(a, AnnotationContainerFileCitation) and a.end_index <= a.start_index
    )


def _content(item: ResponseOutputMessage) -> list[MessageContent]:
    content: list[MessageContent] = []
    for part in item.content:
        if isinstance(part, ResponseOutputText):
            content += output_text_to_blocks(part)
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


# -- built-in tool calls --------------------------------------------------------------------------

BuiltinCall: TypeAlias = ResponseFileSearchToolCall | ResponseCodeInterpreterToolCall
"""The Responses items of the built-in tools that have a legacy step."""

LegacyBuiltinCall: TypeAlias = FileSearchToolCall | CodeInterpreterToolCall

FILE_SEARCH_RESULT_CONTENT = "step_details.tool_calls[*].file_search.results[*].content"
"""The legacy ``include`` value that shows the content of file search results."""

DEFAULT_RANKING_OPTIONS = FileSearchRankingOptions(ranker="default_2024_08_21", score_threshold=0.0)
"""What legacy steps showed for a ``file_search`` tool without ranking options (openai-dotnet
``FileSearchStreamingWorks``)."""


def ranking_options(run: Run) -> FileSearchRankingOptions:
    """The ranking options of the run's ``file_search`` tool, with the legacy defaults."""
    for tool in run.tools:
        if tool.type == "file_search" and tool.file_search is not None and tool.file_search.ranking_options:
            given = tool.file_search.ranking_options
            ranker = given.ranker if given.ranker is not None else DEFAULT_RANKING_OPTIONS.ranker
            return FileSearchRankingOptions(ranker=ranker, score_threshold=given.score_threshold)
    return DEFAULT_RANKING_OPTIONS


def file_search_tool_call(
    *, item: ResponseFileSearchToolCall, ranking: FileSearchRankingOptions, include: Sequence[str] = ()
) -> FileSearchToolCall:
    """A ``file_search_call`` item as a legacy call; result content only when ``include`` asks for it."""
    with_content = FILE_SEARCH_RESULT_CONTENT in include
    results: list[FileSearchResult] = []
    for result in item.results or []:
        if result.file_id is None:
            continue
        fields: dict[str, Any] = {
            "file_id": result.file_id,
            "file_name": result.filename or "",
            "score": result.score or 0.0,
            # not declared by the SDK, sent by the legacy API (openai-dotnet ``FileSearchWorks``)
            "attributes": dict(result.attributes or {}),
        }
        if with_content and result.text is not None:
            fields["content"] = [{"type": "text", "text": result.text}]
        results.append(FileSearchResult.model_validate(fields))
    return FileSearchToolCall(
        id=item.id, type="file_search", file_search=FileSearch(ranking_options=ranking, results=results)
    )


def code_interpreter_images(output: Sequence[ResponseOutputItem]) -> dict[str, list[str]]:
    """The file ids of each ``code_interpreter_call``'s image outputs, by item id: the n-th image of a
    container is the n-th empty-span ``container_file_citation`` of that container in ``output``."""
    shown: dict[str, list[str]] = {}
    for item in output:
        if isinstance(item, ResponseOutputMessage):
            for part in item.content:
                if isinstance(part, ResponseOutputText):
                    for a in part.annotations:
                        if isinstance(a, AnnotationContainerFileCitation) and a.end_index <= a.start_index:
                            shown.setdefault(a.container_id, []).append(a.file_id)
    images: dict[str, list[str]] = {}
    for item in output:
        if isinstance(item, ResponseCodeInterpreterToolCall):
            queue = shown.get(item.container_id, [])
            count = sum(1 for out in item.outputs or [] if isinstance(out, OutputImage))
            images[item.id], shown[item.container_id] = queue[:count], queue[count:]
    return images


def code_interpreter_tool_call(
    *, item: ResponseCodeInterpreterToolCall, image_file_ids: Sequence[str]
) -> CodeInterpreterToolCall:
    """A ``code_interpreter_call`` item as a legacy call; ``image_file_ids`` name its image outputs in
    order (:func:`code_interpreter_images`)."""
    outputs: list[CodeInterpreterOutput] = []
    images = iter(image_file_ids)
    for out in item.outputs or []:
        if isinstance(out, OutputLogs):
            outputs.append(CodeInterpreterOutputLogs(type="logs", logs=out.logs))
            continue
        file_id = next(images, None)
        if file_id is None:
            logger.info("dropping an image output of %s: no container file names it", item.id)
            continue
        image = CodeInterpreterOutputImageImage(file_id=file_id)
        outputs.append(CodeInterpreterOutputImage(type="image", image=image))
    code = CodeInterpreter(input=item.code or "", outputs=outputs)
    return CodeInterpreterToolCall(id=item.id, type="code_interpreter", code_interpreter=code)


def builtin_step_status(item: BuiltinCall, response: Response | None) -> StepStatus:
    """``completed`` when the call is; else ``cancelled`` with a cancelled response, ``failed`` otherwise."""
    if item.status == "completed":
        return "completed"
    return "cancelled" if response is not None and response.status == "cancelled" else "failed"


def builtin_call_step(
    *,
    step_id: str,
    run: Run,
    call: LegacyBuiltinCall | None,
    created_at: int,
    status: StepStatus,
    usage: RunUsage | None,
) -> RunStep:
    """The ``tool_calls`` step of one built-in call (``None``: announced, not yet known)."""
    details = ToolCallsStepDetails(type="tool_calls", tool_calls=[call] if call is not None else [])
    return _step(step_id=step_id, run=run, details=details, created_at=created_at, status=status, usage=usage)


def legacy_builtin_call(
    *, item: BuiltinCall, run: Run, include: Sequence[str], images: Mapping[str, Sequence[str]]
) -> LegacyBuiltinCall:
    """The legacy call of a built-in call item (``images``: :func:`code_interpreter_images`)."""
    if isinstance(item, ResponseFileSearchToolCall):
        return file_search_tool_call(item=item, ranking=ranking_options(run), include=include)
    return code_interpreter_tool_call(item=item, image_file_ids=images.get(item.id, ()))


_StepItem: TypeAlias = ResponseOutputMessage | BuiltinCall | ResponseFunctionToolCall


def _step_items(response: Response) -> list[_StepItem]:
    """The output items that open a step: messages, built-in calls, the first function call."""
    items: list[_StepItem] = []
    first_call = True
    for item in response.output:
        if isinstance(item, ResponseFunctionToolCall):
            if first_call:
                items.append(item)
            first_call = False
        elif isinstance(item, (ResponseOutputMessage, ResponseFileSearchToolCall, ResponseCodeInterpreterToolCall)):
            items.append(item)
    return items


def usage_position(kinds: Sequence[bool]) -> int | None:
    """Which step carries the response's usage, given for each step in order whether it is a built-in
    call's: the first that is not, else the last."""
    if not kinds:
        return None
    return next((i for i, builtin in enumerate(kinds) if not builtin), len(kinds) - 1)


def usage_step_id(steps: Sequence[RunStep]) -> str | None:
    """The id of the step of one response that carries its usage (see the module rules)."""
    position = usage_position([_is_builtin_step(step) for step in steps])
    return None if position is None else steps[position].id


def function_calls_step(steps: Sequence[RunStep]) -> RunStep | None:
    """The step of one response that holds its function calls (the one waiting for tool outputs)."""
    for step in steps:
        details = step.step_details
        if details.type == "tool_calls" and any(call.type == "function" for call in details.tool_calls):
            return step
    return None


def _is_builtin_step(step: RunStep) -> bool:
    details = step.step_details
    return details.type == "tool_calls" and any(call.type != "function" for call in details.tool_calls)


def step_for_include(step: RunStep, *, include: Sequence[str]) -> RunStep:
    """``step`` as shown to a request with the legacy ``include``: without file search result content
    unless it asks for :data:`FILE_SEARCH_RESULT_CONTENT`."""
    details = step.step_details
    if FILE_SEARCH_RESULT_CONTENT in include or details.type != "tool_calls":
        return step
    calls: list[ToolCall] = []
    for call in details.tool_calls:
        if call.type == "file_search" and call.file_search.results:
            results = [r.model_copy(update={"content": None}) for r in call.file_search.results]
            search = call.file_search.model_copy(update={"results": results})
            call = call.model_copy(update={"file_search": search})  # noqa: PLW2901
        calls.append(call)
    return step.model_copy(update={"step_details": details.model_copy(update={"tool_calls": calls})})


def response_to_steps(
    *, run: Run, response: Response, new_step_id: Callable[[], str], now: int, include: Sequence[str] = ()
) -> list[RunStep]:
    """The run steps one ended response produced, in output order; ``include`` is the legacy
    ``include`` of the request (file search result content, see the module rules).

    Message steps are ``completed`` (see :func:`message_step_status`), built-in call steps as
    :func:`builtin_step_status` says; a function ``tool_calls`` step is ``in_progress`` until its
    outputs are submitted.
    """
    items = _step_items(response)
    carrier = usage_position(
        [isinstance(i, (ResponseFileSearchToolCall, ResponseCodeInterpreterToolCall)) for i in items]
    )
    usage = usage_to_run_usage(response.usage)
    images = code_interpreter_images(response.output)
    steps: list[RunStep] = []
    for position, item in enumerate(items):
        step_usage = usage if position == carrier else None
        step_id = new_step_id()
        if isinstance(item, ResponseOutputMessage):
            status = message_step_status(response)
            step = message_creation_step(
                step_id=step_id, run=run, message_id=item.id, created_at=now, status=status, usage=step_usage
            )
        elif isinstance(item, ResponseFunctionToolCall):
            step = tool_calls_step(
                step_id=step_id,
                run=run,
                calls=function_calls(response),
                outputs={},
                created_at=now,
                status="in_progress",
                usage=step_usage,
            )
        else:
            call = legacy_builtin_call(item=item, run=run, include=include, images=images)
            status = builtin_step_status(item, response)
            step = builtin_call_step(
                step_id=step_id, run=run, call=call, created_at=now, status=status, usage=step_usage
            )
        steps.append(step)
    return steps
