"""One response's stream of Responses events → the legacy Assistants stream events of its run.

``RunStreamState`` is fed one Responses stream event at a time and returns the legacy events that event
implies; it does no I/O, and ids and the clock come from the caller. The caller emits the run's opening
events (``thread.created``, ``thread.run.created``, ``thread.run.queued``, ``thread.run.in_progress``)
before the stream and the final ``done`` after it.

Rules:

- ``message`` item added → ``thread.run.step.created`` + ``thread.run.step.in_progress`` (a
  ``message_creation`` step) and ``thread.message.created`` + ``thread.message.in_progress`` (an
  ``in_progress`` message with no content).
- ``response.output_text.delta`` → ``thread.message.delta`` with a ``text`` block at the part's
  ``content_index``; the first delta of a part also carries ``annotations: []``, as the legacy API did.
  ``response.refusal.delta`` → a ``refusal`` block. ``response.output_text.annotation.added`` → its
  legacy form (``from_responses.legacy_annotations``): a ``file_citation`` is a ``text`` delta whose
  ``value`` is the citation's marker with the annotation (``file_citation.quote: ""``), as the legacy
  API streamed it; the marker goes where the stream is, which is the citation's ``index`` in every
  recorded stream (the annotation comes when the text reaches it). A spanned ``container_file_citation``
  is a ``file_path`` annotation delta; an empty-span one an ``image_file`` block after the part's
  blocks; ``url_citation`` is dropped. A part that gets no delta is announced with an empty block before
  a later part of the same message, so that content indexes stay dense for clients; a part's legacy
  index counts the image blocks of the parts before it.
- ``message`` item done → ``thread.message.completed``, the message built by
  ``from_responses.output_message_to_message`` from the done item. An item done ``incomplete`` is closed
  by the terminal event (``thread.message.incomplete``), which carries the reason
  (``incomplete_details.reason``, ``from_responses.message_incomplete_reason``).
- The first ``function_call`` item opens the response's one ``tool_calls`` step
  (``thread.run.step.created`` with no tool calls yet, ``thread.run.step.in_progress``); every call
  adds a ``thread.run.step.delta`` announcing it (``index``, ``id`` = ``call_id``, ``name``,
  ``arguments: ""``, ``output: null``) and every ``response.function_call_arguments.delta`` a step
  delta with the argument fragment.
- A ``file_search_call`` or ``code_interpreter_call`` item added opens its own ``tool_calls`` step
  (``thread.run.step.created`` with no tool calls, ``thread.run.step.in_progress``) and announces the
  call in a step delta (``index: 0``, ``id`` = item id; ``file_search: {ranking_options, results: []}``
  or ``code_interpreter: {input: "", outputs: []}``). ``response.code_interpreter_call_code.delta`` →
  a step delta with the ``input`` fragment (``.done`` sends what the deltas did not carry). The item
  done → one step delta with the code interpreter ``outputs`` (when there are any), then
  ``thread.run.step.completed`` (``failed`` for a failed call) with the whole call (file search results
  as ``include`` says). A code interpreter call with ``image`` outputs ends with the response instead:
  the images' file ids come from the message that cites them. ``response.file_search_call.*`` and
  ``response.code_interpreter_call.*`` add nothing to these events.
- The terminal event (``response.completed`` / ``failed`` / ``incomplete``) closes what is still open:
  incomplete messages and items that never got their ``output_item.done``, then every message step
  (``thread.run.step.completed``, also for an ``incomplete`` response, or ``thread.run.step.failed``
  when it failed or was cancelled: ``from_responses.message_step_status``) and every built-in step still
  open. The response's usage goes on the step ``from_responses.usage_step_id`` names (a built-in step
  that ended earlier gets it in its final snapshot only). A function ``tool_calls`` step stays
  ``in_progress`` until its outputs are submitted, so it gets no event here. Then the run event built by
  ``from_responses.response_to_run``: ``thread.run.requires_action`` | ``completed`` | ``incomplete`` |
  ``failed`` | ``cancelled``; a failed run is followed by a legacy ``error`` event.
- A stream ``error`` event ends the run at once as failed (``last_error`` from the error) with the same
  closing events; a ``response.failed`` that follows it only supplies ``final_response`` and usage.
- Reasoning items and every other Responses event without a legacy form produce no events (they are
  listed in ``_NO_LEGACY_FORM``); an event type this module does not know is logged once and skipped.

Snapshots (``run``, ``steps``, ``messages``) are built with the ``from_responses`` builders, so they are
the objects the non-streaming path builds from ``final_response`` given the same step ids and clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias, get_args

from openai.types.beta.assistant_stream_event import (
    AssistantStreamEvent,
    ErrorEvent,
    ThreadMessageCompleted,
    ThreadMessageCreated,
    ThreadMessageDelta,
    ThreadMessageIncomplete,
    ThreadMessageInProgress,
    ThreadRunCancelled,
    ThreadRunCompleted,
    ThreadRunFailed,
    ThreadRunIncomplete,
    ThreadRunRequiresAction,
    ThreadRunStepCancelled,
    ThreadRunStepCompleted,
    ThreadRunStepCreated,
    ThreadRunStepDelta,
    ThreadRunStepFailed,
    ThreadRunStepInProgress,
)
from openai.types.beta.threads import (
    FileCitationAnnotation,
    FileCitationDeltaAnnotation,
    FilePathDeltaAnnotation,
    ImageFileDelta,
    ImageFileDeltaBlock,
    Message,
    MessageDelta,
    MessageDeltaEvent,
    RefusalDeltaBlock,
    Run,
    TextDelta,
    TextDeltaBlock,
)
from openai.types.beta.threads.annotation_delta import AnnotationDelta
from openai.types.beta.threads.file_citation_delta_annotation import FileCitation as DeltaFileCitation
from openai.types.beta.threads.file_path_delta_annotation import FilePath as DeltaFilePath
from openai.types.beta.threads.message_content_delta import MessageContentDelta
from openai.types.beta.threads.run import Usage as RunUsage
from openai.types.beta.threads.runs import (
    CodeInterpreterLogs,
    CodeInterpreterToolCall,
    CodeInterpreterToolCallDelta,
    FileSearchToolCallDelta,
    FunctionToolCallDelta,
    RunStep,
    RunStepDelta,
    RunStepDeltaEvent,
    ToolCall,
    ToolCallDelta,
    ToolCallDeltaObject,
)
from openai.types.beta.threads.runs.code_interpreter_output_image import (
    CodeInterpreterOutputImage as DeltaCodeInterpreterOutputImage,
    Image as DeltaImage,
)
from openai.types.beta.threads.runs.code_interpreter_tool_call import CodeInterpreterOutput, CodeInterpreterOutputLogs
from openai.types.beta.threads.runs.code_interpreter_tool_call_delta import (
    CodeInterpreter as DeltaCodeInterpreter,
    CodeInterpreterOutput as DeltaCodeInterpreterOutput,
)
from openai.types.beta.threads.runs.function_tool_call_delta import Function as DeltaFunction
from openai.types.responses import (
    Response,
    ResponseAudioDeltaEvent,
    ResponseAudioDoneEvent,
    ResponseAudioTranscriptDeltaEvent,
    ResponseAudioTranscriptDoneEvent,
    ResponseCodeInterpreterCallCodeDeltaEvent,
    ResponseCodeInterpreterCallCodeDoneEvent,
    ResponseCodeInterpreterCallCompletedEvent,
    ResponseCodeInterpreterCallInProgressEvent,
    ResponseCodeInterpreterCallInterpretingEvent,
    ResponseCodeInterpreterToolCall,
    ResponseCompactionCompactingEvent,
    ResponseContentPartAddedEvent,
    ResponseContentPartDoneEvent,
    ResponseCreatedEvent,
    ResponseCustomToolCallInputDeltaEvent,
    ResponseCustomToolCallInputDoneEvent,
    ResponseError,
    ResponseErrorEvent,
    ResponseFileSearchCallCompletedEvent,
    ResponseFileSearchCallInProgressEvent,
    ResponseFileSearchCallSearchingEvent,
    ResponseFileSearchToolCall,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseFunctionToolCall,
    ResponseImageGenCallCompletedEvent,
    ResponseImageGenCallGeneratingEvent,
    ResponseImageGenCallInProgressEvent,
    ResponseImageGenCallPartialImageEvent,
    ResponseInProgressEvent,
    ResponseMcpCallArgumentsDeltaEvent,
    ResponseMcpCallArgumentsDoneEvent,
    ResponseMcpCallCompletedEvent,
    ResponseMcpCallFailedEvent,
    ResponseMcpCallInProgressEvent,
    ResponseMcpListToolsCompletedEvent,
    ResponseMcpListToolsFailedEvent,
    ResponseMcpListToolsInProgressEvent,
    ResponseOutputItem,
    ResponseOutputMessage,
    ResponseOutputRefusal,
    ResponseOutputText,
    ResponseOutputTextAnnotationAddedEvent,
    ResponseQueuedEvent,
    ResponseReasoningSummaryPartAddedEvent,
    ResponseReasoningSummaryPartDoneEvent,
    ResponseReasoningSummaryTextDeltaEvent,
    ResponseReasoningSummaryTextDoneEvent,
    ResponseReasoningTextDeltaEvent,
    ResponseReasoningTextDoneEvent,
    ResponseRefusalDeltaEvent,
    ResponseRefusalDoneEvent,
    ResponseShellCallCommandAddedEvent,
    ResponseShellCallCommandDeltaEvent,
    ResponseShellCallCommandDoneEvent,
    ResponseShellCallOutputContentDeltaEvent,
    ResponseShellCallOutputContentDoneEvent,
    ResponseStreamEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
    ResponseWebSearchCallCompletedEvent,
    ResponseWebSearchCallInProgressEvent,
    ResponseWebSearchCallSearchingEvent,
)
from openai.types.responses.response_code_interpreter_tool_call import OutputImage
from openai.types.responses.response_output_item_added_event import ResponseOutputItemAddedEvent
from openai.types.responses.response_output_item_done_event import ResponseOutputItemDoneEvent
from openai.types.shared import ErrorObject
from typing_extensions import assert_never

from compat.translate import from_responses
from compat.translate.from_responses import BuiltinCall, StepStatus

__all__ = ["RunStreamState"]

logger = logging.getLogger(__name__)

_NO_LEGACY_FORM = (
    ResponseCreatedEvent,
    ResponseInProgressEvent,
    ResponseQueuedEvent,
    ResponseContentPartDoneEvent,
    ResponseTextDoneEvent,
    ResponseRefusalDoneEvent,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseReasoningSummaryPartAddedEvent,
    ResponseReasoningSummaryPartDoneEvent,
    ResponseReasoningSummaryTextDeltaEvent,
    ResponseReasoningSummaryTextDoneEvent,
    ResponseReasoningTextDeltaEvent,
    ResponseReasoningTextDoneEvent,
    ResponseAudioDeltaEvent,
    ResponseAudioDoneEvent,
    ResponseAudioTranscriptDeltaEvent,
    ResponseAudioTranscriptDoneEvent,
    # the step of a built-in call is opened and closed by its output item events
    ResponseCodeInterpreterCallCompletedEvent,
    ResponseCodeInterpreterCallInProgressEvent,
    ResponseCodeInterpreterCallInterpretingEvent,
    ResponseCompactionCompactingEvent,
    ResponseFileSearchCallCompletedEvent,
    ResponseFileSearchCallInProgressEvent,
    ResponseFileSearchCallSearchingEvent,
    ResponseWebSearchCallCompletedEvent,
    ResponseWebSearchCallInProgressEvent,
    ResponseWebSearchCallSearchingEvent,
    ResponseImageGenCallCompletedEvent,
    ResponseImageGenCallGeneratingEvent,
    ResponseImageGenCallInProgressEvent,
    ResponseImageGenCallPartialImageEvent,
    ResponseMcpCallArgumentsDeltaEvent,
    ResponseMcpCallArgumentsDoneEvent,
    ResponseMcpCallCompletedEvent,
    ResponseMcpCallFailedEvent,
    ResponseMcpCallInProgressEvent,
    ResponseMcpListToolsCompletedEvent,
    ResponseMcpListToolsFailedEvent,
    ResponseMcpListToolsInProgressEvent,
    ResponseShellCallCommandAddedEvent,
    ResponseShellCallCommandDeltaEvent,
    ResponseShellCallCommandDoneEvent,
    ResponseShellCallOutputContentDeltaEvent,
    ResponseShellCallOutputContentDoneEvent,
    ResponseCustomToolCallInputDeltaEvent,
    ResponseCustomToolCallInputDoneEvent,
)
"""Known Responses events with no legacy form: they return no events."""

# Dispatch is on the ``type`` string: the SDK builds an event of an unknown type as some other member of
# the union, so ``isinstance`` alone would silently misroute it.
_NO_LEGACY_FORM_TYPES = frozenset(get_args(cls.model_fields["type"].annotation)[0] for cls in _NO_LEGACY_FORM)

_ContentEvent: TypeAlias = (
    ResponseContentPartAddedEvent
    | ResponseTextDeltaEvent
    | ResponseRefusalDeltaEvent
    | ResponseOutputTextAnnotationAddedEvent
)
_ContentPart: TypeAlias = ResponseOutputText | ResponseOutputRefusal


class RunStreamState:
    """Translates the stream of one response of a run into legacy events."""

    def __init__(
        self,
        *,
        run: Run,
        prior_usage: RunUsage | None,
        new_step_id: Callable[[], str],
        clock: Callable[[], int],
        include: Sequence[str] = (),
    ) -> None:
        """``run`` as stored before this response; ``prior_usage`` summed over its earlier responses;
        ``include`` the legacy ``include`` of the request (file search result content)."""
        self._run_before = run
        self._include = tuple(include)
        self._run = run
        self._prior_usage = prior_usage
        self._new_step_id = new_step_id
        self._clock = clock
        self._final: Response | None = None
        self._done = False
        self._logged_unknown: set[str] = set()
        # Steps in output order, by step id.
        self._steps: dict[str, RunStep] = {}
        self._message_step_ids: dict[str, str] = {}
        self._tool_step_id: str | None = None
        self._tool_step_stale = False
        # Messages by item id: the accumulated item, the latest snapshot, which are closed.
        self._items: dict[str, ResponseOutputMessage] = {}
        # text deltas not yet folded into their part, by (item id, content index): appending to a list keeps
        # the accumulation linear in the answer's length (``part.text += delta`` copies the text each time)
        self._pending_text: dict[tuple[str, int], list[str]] = {}
        self._messages: dict[str, Message] = {}
        self._closed_messages: set[str] = set()
        self._announced_parts: dict[str, int] = {}
        # Built-in calls (file search, code interpreter) by item id: each has its own step.
        self._builtins: dict[str, _Builtin] = {}
        # Function calls by item id, in the order they were announced (their legacy ``index``).
        self._calls: dict[str, ResponseFunctionToolCall] = {}

    @property
    def run(self) -> Run:
        """The latest run snapshot (final once ``done``)."""
        return self._run

    @property
    def final_response(self) -> Response | None:
        """The response carried by ``response.completed`` / ``failed`` / ``incomplete``."""
        return self._final

    @property
    def steps(self) -> list[RunStep]:
        """Snapshots of the steps this response produced, in order."""
        self._settle_tool_step()
        for builtin in self._builtins.values():
            if not builtin.ended:
                self._steps[builtin.step_id] = self._builtin_step(builtin, status="in_progress")
        return list(self._steps.values())

    @property
    def messages(self) -> list[Message]:
        """Snapshots of the assistant messages this response produced, in order."""
        return [
            message if item_id in self._closed_messages else self._open_message(item_id)
            for item_id, message in self._messages.items()
        ]

    @property
    def done(self) -> bool:
        """Whether the response ended (``response.completed`` / ``failed`` / ``incomplete``, ``error``)."""
        return self._done

    def handle_event(self, event: ResponseStreamEvent) -> list[AssistantStreamEvent]:
        """The legacy events implied by one Responses stream event."""
        # ``==`` comparisons (not ``in``) so that the type checker narrows the event union.
        if self._done:
            return self._after_done(event)
        if event.type == "response.output_item.added" or event.type == "response.output_item.done":  # noqa: PLR1714
            return self._on_item_event(event)
        if (
            event.type == "response.content_part.added"  # noqa: PLR1714
            or event.type == "response.output_text.delta"
            or event.type == "response.refusal.delta"
            or event.type == "response.output_text.annotation.added"
        ):
            return self._on_content_event(event)
        if event.type == "response.function_call_arguments.delta":
            return self._on_arguments_delta(event)
        if event.type == "response.code_interpreter_call_code.delta" or (  # noqa: PLR1714
            event.type == "response.code_interpreter_call_code.done"
        ):
            return self._on_code_event(event)
        if (
            event.type == "response.completed"  # noqa: PLR1714
            or event.type == "response.failed"
            or event.type == "response.incomplete"
        ):
            self._final = event.response
            return self._finish(event.response, error=None)
        if event.type == "error":
            return self._on_error(event)
        if isinstance(event, _NO_LEGACY_FORM):  # pyright: ignore[reportUnnecessaryIsInstance]
            return self._skip(event.type)
        if TYPE_CHECKING:
            assert_never(event)
        return self._skip(event.type)

    # -- dispatch helpers -------------------------------------------------------------------------

    def _skip(self, event_type: str) -> list[AssistantStreamEvent]:
        """Nothing for a known event without a legacy form; log an unknown event type once."""
        if event_type not in _NO_LEGACY_FORM_TYPES and event_type not in self._logged_unknown:
            self._logged_unknown.add(event_type)
            logger.warning("skipping Responses stream events of unknown type %r", event_type)
        return []

    def _after_done(self, event: ResponseStreamEvent) -> list[AssistantStreamEvent]:
        """After an ``error`` ended the run, a terminal event only supplies the response and its usage."""
        if (
            event.type == "response.completed"  # noqa: PLR1714
            or event.type == "response.failed"
            or event.type == "response.incomplete"
        ) and self._final is None:
            self._final = event.response
            self._run = self._run.model_copy(update={"usage": self._run_usage(event.response)})
        return []

    def _on_item_event(
        self, event: ResponseOutputItemAddedEvent | ResponseOutputItemDoneEvent
    ) -> list[AssistantStreamEvent]:
        if event.type == "response.output_item.added":
            return self._on_item_added(event.item)
        return self._on_item_done(event.item)

    def _on_code_event(
        self, event: ResponseCodeInterpreterCallCodeDeltaEvent | ResponseCodeInterpreterCallCodeDoneEvent
    ) -> list[AssistantStreamEvent]:
        if event.type == "response.code_interpreter_call_code.delta":
            return self._on_code(event.item_id, delta=event.delta)
        return self._on_code(event.item_id, code=event.code)

    def _on_content_event(self, event: _ContentEvent) -> list[AssistantStreamEvent]:
        if event.type == "response.content_part.added":
            return self._on_part_added(event)
        if event.type == "response.output_text.delta":
            return self._on_text_delta(event)
        if event.type == "response.refusal.delta":
            return self._on_refusal_delta(event)
        return self._on_annotation_added(event)

    # -- output items -----------------------------------------------------------------------------

    def _on_item_added(self, item: ResponseOutputItem) -> list[AssistantStreamEvent]:
        """A ``message`` opens its step and message; a ``function_call`` is announced in the tool step."""
        if isinstance(item, ResponseOutputMessage):
            return self._open_message_item(item)
        if isinstance(item, ResponseFunctionToolCall):
            return self._open_function_call(item)
        if isinstance(item, (ResponseFileSearchToolCall, ResponseCodeInterpreterToolCall)):
            return self._open_builtin(item)
        return []

    def _on_item_done(self, item: ResponseOutputItem) -> list[AssistantStreamEvent]:
        """A ``message`` is completed; an incomplete one is closed by the terminal event, which says why
        (``incomplete_details``); a ``function_call`` gets its final arguments."""
        events = [] if self._seen(item) else self._on_item_added(item)
        if isinstance(item, ResponseOutputMessage):
            self._fold_text()  # the item replaces what was accumulated
        if isinstance(item, ResponseOutputMessage) and item.status != "completed":
            self._items[item.id] = item.model_copy(deep=True)
        elif isinstance(item, ResponseOutputMessage):
            events += self._close_message(item)
        elif isinstance(item, ResponseFunctionToolCall):
            events += self._complete_function_call(item)
        elif isinstance(item, (ResponseFileSearchToolCall, ResponseCodeInterpreterToolCall)):
            events += self._complete_builtin(item)
        return events

    def _seen(self, item: ResponseOutputItem) -> bool:
        if isinstance(item, ResponseFunctionToolCall):
            return _call_key(item) in self._calls
        return item.id in self._items or item.id in self._builtins

    def _open_message_item(self, item: ResponseOutputMessage) -> list[AssistantStreamEvent]:
        now = self._clock()
        step_id = self._new_step_id()
        step = from_responses.message_creation_step(
            step_id=step_id,
            run=self._run_before,
            message_id=item.id,
            created_at=now,
            status="in_progress",
            usage=None,
        )
        self._steps[step_id] = step
        self._message_step_ids[item.id] = step_id
        self._items[item.id] = item.model_copy(update={"content": []}, deep=True)
        self._announced_parts[item.id] = 0
        message = self._in_progress_message(self._items[item.id], created_at=now)
        self._messages[item.id] = message
        return [
            ThreadRunStepCreated(event="thread.run.step.created", data=step),
            ThreadRunStepInProgress(event="thread.run.step.in_progress", data=step),
            ThreadMessageCreated(event="thread.message.created", data=message),
            ThreadMessageInProgress(event="thread.message.in_progress", data=message),
        ]

    def _close_message(
        self, item: ResponseOutputMessage, *, response: Response | None = None
    ) -> list[AssistantStreamEvent]:
        message = self._build_message(item, created_at=self._messages[item.id].created_at, response=response)
        self._messages[item.id] = message
        self._closed_messages.add(item.id)
        if message.status == "completed":
            return [ThreadMessageCompleted(event="thread.message.completed", data=message)]
        return [ThreadMessageIncomplete(event="thread.message.incomplete", data=message)]

    def _open_function_call(self, item: ResponseFunctionToolCall) -> list[AssistantStreamEvent]:
        events: list[AssistantStreamEvent] = []
        if self._tool_step_id is None:
            step_id = self._new_step_id()
            self._tool_step_id = step_id
            step = self._tool_calls_step(step_id, calls=[], created_at=self._clock(), usage=None)
            self._steps[step_id] = step
            events.append(ThreadRunStepCreated(event="thread.run.step.created", data=step))
            events.append(ThreadRunStepInProgress(event="thread.run.step.in_progress", data=step))
        index = len(self._calls)
        self._calls[_call_key(item)] = item.model_copy(deep=True)
        self._refresh_tool_step()
        announce = FunctionToolCallDelta(
            index=index,
            type="function",
            id=item.call_id,
            function=DeltaFunction(name=item.name, arguments=item.arguments, output=None),
        )
        events.append(self._step_delta(announce))
        return events

    def _complete_function_call(self, item: ResponseFunctionToolCall) -> list[AssistantStreamEvent]:
        """Sends whatever part of the final arguments the deltas did not carry."""
        key = _call_key(item)
        streamed = self._calls[key].arguments
        index = list(self._calls).index(key)
        self._calls[key] = item.model_copy(deep=True)
        self._refresh_tool_step()
        if item.arguments == streamed or not item.arguments.startswith(streamed):
            return []
        rest = item.arguments[len(streamed) :]
        return [
            self._step_delta(
                FunctionToolCallDelta(index=index, type="function", function=DeltaFunction(arguments=rest))
            )
        ]

    def _on_arguments_delta(self, event: ResponseFunctionCallArgumentsDeltaEvent) -> list[AssistantStreamEvent]:
        call = self._calls.get(event.item_id)
        if call is None:
            return []
        call.arguments += event.delta
        self._refresh_tool_step()
        index = list(self._calls).index(event.item_id)
        delta = FunctionToolCallDelta(index=index, type="function", function=DeltaFunction(arguments=event.delta))
        return [self._step_delta(delta)]

    # -- built-in calls ---------------------------------------------------------------------------

    def _open_builtin(self, item: BuiltinCall) -> list[AssistantStreamEvent]:
        """A built-in call opens its own ``tool_calls`` step and announces the call in it."""
        now = self._clock()
        builtin = _Builtin(step_id=self._new_step_id(), item=item.model_copy(deep=True), created_at=now)
        self._builtins[item.id] = builtin
        step = from_responses.builtin_call_step(
            step_id=builtin.step_id, run=self._run_before, call=None, created_at=now, status="in_progress", usage=None
        )
        self._steps[builtin.step_id] = step
        announce: ToolCallDelta
        if isinstance(item, ResponseFileSearchToolCall):
            ranking = from_responses.ranking_options(self._run_before).model_dump()
            search: dict[str, Any] = {"ranking_options": ranking, "results": []}
            announce = FileSearchToolCallDelta(index=0, type="file_search", id=item.id, file_search=search)
        else:
            code = DeltaCodeInterpreter(input=item.code or "", outputs=[])
            announce = CodeInterpreterToolCallDelta(index=0, type="code_interpreter", id=item.id, code_interpreter=code)
        return [
            ThreadRunStepCreated(event="thread.run.step.created", data=step),
            ThreadRunStepInProgress(event="thread.run.step.in_progress", data=step),
            self._step_delta(announce, step_id=builtin.step_id),
        ]

    def _on_code(self, item_id: str, *, delta: str = "", code: str | None = None) -> list[AssistantStreamEvent]:
        """Code written by the code interpreter: a ``delta``, or the whole ``code`` (what was not streamed
        of it is sent)."""
        builtin = self._builtins.get(item_id)
        if builtin is None or not isinstance(builtin.item, ResponseCodeInterpreterToolCall) or builtin.ended:
            return []
        streamed = builtin.item.code or ""
        if code is not None:
            delta = code[len(streamed) :] if code.startswith(streamed) else ""
        if not delta:
            return []
        builtin.item.code = streamed + delta
        return [self._code_delta(builtin, DeltaCodeInterpreter(input=delta))]

    def _complete_builtin(self, item: BuiltinCall) -> list[AssistantStreamEvent]:
        """The done item ends its step, unless it shows images: their file ids are known only from the
        message that cites them, so that step ends with the response."""
        builtin = self._builtins[item.id]
        if builtin.ended:
            return []
        events = self._on_code(item.id, code=item.code) if isinstance(item, ResponseCodeInterpreterToolCall) else []
        builtin.item = item.model_copy(deep=True)
        if isinstance(item, ResponseCodeInterpreterToolCall) and any(
            isinstance(out, OutputImage) for out in item.outputs or []
        ):
            return events
        return events + self._end_builtin(builtin, response=None, images={}, usage=None)

    def _end_builtin(
        self,
        builtin: _Builtin,
        *,
        response: Response | None,
        images: Mapping[str, Sequence[str]],
        usage: RunUsage | None,
    ) -> list[AssistantStreamEvent]:
        """The call's outputs (code interpreter) and the step's end event."""
        events: list[AssistantStreamEvent] = []
        step = self._builtin_step(builtin, response=response, images=images, usage=usage)
        call = _only_call(step)
        if isinstance(call, CodeInterpreterToolCall) and call.code_interpreter.outputs:
            outputs = [_output_delta(index, out) for index, out in enumerate(call.code_interpreter.outputs)]
            events.append(self._code_delta(builtin, DeltaCodeInterpreter(outputs=outputs)))
        builtin.ended = True
        self._steps[builtin.step_id] = step
        return [*events, _step_end_event(step)]

    def _builtin_step(
        self,
        builtin: _Builtin,
        *,
        status: StepStatus | None = None,
        response: Response | None = None,
        images: Mapping[str, Sequence[str]] | None = None,
        usage: RunUsage | None = None,
    ) -> RunStep:
        if images is None:
            # the images cited so far (a step still open is read before its message has them all)
            known: list[ResponseOutputItem] = [b.item for b in self._builtins.values()]
            images = from_responses.code_interpreter_images([*known, *self._items.values()])
        call = from_responses.legacy_builtin_call(
            item=builtin.item, run=self._run_before, include=self._include, images=images
        )
        return from_responses.builtin_call_step(
            step_id=builtin.step_id,
            run=self._run_before,
            call=call,
            created_at=builtin.created_at,
            status=status or from_responses.builtin_step_status(builtin.item, response),
            usage=usage,
        )

    def _code_delta(self, builtin: _Builtin, code: DeltaCodeInterpreter) -> ThreadRunStepDelta:
        delta = CodeInterpreterToolCallDelta(index=0, type="code_interpreter", code_interpreter=code)
        return self._step_delta(delta, step_id=builtin.step_id)

    # -- message content --------------------------------------------------------------------------

    def _on_part_added(self, event: ResponseContentPartAddedEvent) -> list[AssistantStreamEvent]:
        """Tracks the part; the legacy API announced a part with its first delta, so nothing is sent."""
        item = self._items.get(event.item_id)
        if item is not None and isinstance(event.part, (ResponseOutputText, ResponseOutputRefusal)):
            item.content.append(event.part.model_copy(deep=True))
        return []

    def _on_text_delta(self, event: ResponseTextDeltaEvent) -> list[AssistantStreamEvent]:
        part = self._part(event.item_id, event.content_index)
        if not isinstance(part, ResponseOutputText):
            return []
        self._pending_text.setdefault((event.item_id, event.content_index), []).append(event.delta)
        return self._message_delta(event.item_id, event.content_index, value=event.delta)

    def _fold_text(self) -> None:
        """Put the pending text deltas into their parts (before the accumulated items are read)."""
        for (item_id, index), chunks in self._pending_text.items():
            item = self._items.get(item_id)
            part = item.content[index] if item is not None and index < len(item.content) else None
            if isinstance(part, ResponseOutputText):
                part.text += "".join(chunks)
        self._pending_text.clear()

    def _on_refusal_delta(self, event: ResponseRefusalDeltaEvent) -> list[AssistantStreamEvent]:
        part = self._part(event.item_id, event.content_index)
        if not isinstance(part, ResponseOutputRefusal):
            return []
        part.refusal += event.delta
        return self._message_delta(event.item_id, event.content_index, value=event.delta)

    def _on_annotation_added(self, event: ResponseOutputTextAnnotationAddedEvent) -> list[AssistantStreamEvent]:
        """The legacy form of the annotation (``from_responses.legacy_annotations``): a citation's marker
        with its annotation, a ``file_path`` annotation, or an ``image_file`` block after the part."""
        part = self._part(event.item_id, event.content_index)
        added = from_responses.output_text_annotation(event.annotation) if event.annotation is not None else None
        if not isinstance(part, ResponseOutputText) or added is None:
            return []
        self._fold_text()
        part.annotations = [*part.annotations, added]
        converted = from_responses.legacy_annotations(part)
        legacy = converted[-1]
        if legacy is None:
            return []
        if isinstance(legacy, from_responses.ShownImage):
            return self._message_delta(event.item_id, event.content_index, image_file_id=legacy.file_id)
        index = sum(1 for a in converted[:-1] if a is not None and not isinstance(a, from_responses.ShownImage))
        annotation: AnnotationDelta
        if isinstance(legacy, FileCitationAnnotation):
            annotation = FileCitationDeltaAnnotation(
                index=index,
                type="file_citation",
                text=legacy.text,
                start_index=legacy.start_index,
                end_index=legacy.end_index,
                # the legacy deltas carried an empty quote (openai-dotnet ``FileSearchStreamingWorks``)
                file_citation=DeltaFileCitation(file_id=legacy.file_citation.file_id, quote=""),
            )
            # the marker is text the legacy API streamed, where the citation was
            return self._message_delta(event.item_id, event.content_index, value=legacy.text, annotation=annotation)
        annotation = FilePathDeltaAnnotation(
            index=index,
            type="file_path",
            text=legacy.text,
            start_index=legacy.start_index,
            end_index=legacy.end_index,
            file_path=DeltaFilePath(file_id=legacy.file_path.file_id),
        )
        return self._message_delta(event.item_id, event.content_index, annotation=annotation)

    def _part(self, item_id: str, content_index: int) -> _ContentPart | None:
        item = self._items.get(item_id)
        if item is None or content_index >= len(item.content):
            return None
        return item.content[content_index]

    def _message_delta(
        self,
        item_id: str,
        content_index: int,
        *,
        value: str | None = None,
        annotation: AnnotationDelta | None = None,
        image_file_id: str | None = None,
    ) -> list[AssistantStreamEvent]:
        """One ``thread.message.delta``, opening any earlier part that had no delta yet; an image shown
        by the part is a new ``image_file`` block after the part's blocks."""
        announced = self._announced_parts[item_id]
        blocks = [self._content_block(item_id, index, opening=True) for index in range(announced, content_index)]
        opening = content_index >= announced
        if image_file_id is None or opening:
            blocks.append(
                self._content_block(item_id, content_index, opening=opening, value=value, annotation=annotation)
            )
        if image_file_id is not None:
            part = self._items[item_id].content[content_index]
            shown = from_responses.shown_images(part) if isinstance(part, ResponseOutputText) else 0
            image = ImageFileDelta(file_id=image_file_id)
            index = self._legacy_index(item_id, content_index) + shown
            blocks.append(ImageFileDeltaBlock(index=index, type="image_file", image_file=image))
        self._announced_parts[item_id] = max(announced, content_index + 1)
        delta = MessageDeltaEvent(id=item_id, object="thread.message.delta", delta=MessageDelta(content=blocks))
        return [ThreadMessageDelta(event="thread.message.delta", data=delta)]

    def _legacy_index(self, item_id: str, content_index: int) -> int:
        """The legacy index of a part's first block: the images shown by earlier parts come before it."""
        earlier = self._items[item_id].content[:content_index]
        return content_index + sum(
            from_responses.shown_images(part) for part in earlier if isinstance(part, ResponseOutputText)
        )

    def _content_block(
        self,
        item_id: str,
        index: int,
        *,
        opening: bool,
        value: str | None = None,
        annotation: AnnotationDelta | None = None,
    ) -> MessageContentDelta:
        """A legacy content delta block; only set fields are sent, as clients merge what they receive."""
        legacy_index = self._legacy_index(item_id, index)
        if isinstance(self._items[item_id].content[index], ResponseOutputRefusal):
            return RefusalDeltaBlock(index=legacy_index, type="refusal", refusal=value or "")
        fields: dict[str, Any] = {}
        if value is not None or annotation is None:
            fields["value"] = value or ""
        if opening or annotation is not None:
            fields["annotations"] = [annotation] if annotation is not None else []
        return TextDeltaBlock(index=legacy_index, type="text", text=TextDelta(**fields))

    # -- the end of the response ------------------------------------------------------------------

    def _on_error(self, event: ResponseErrorEvent) -> list[AssistantStreamEvent]:
        """A stream ``error`` ends the run as failed, whether or not ``response.failed`` follows."""
        error = _stream_error(event)
        self._fold_text()
        builtins = [builtin.item for builtin in self._builtins.values()]
        output: list[ResponseOutputItem] = [*builtins, *self._items.values(), *self._calls.values()]
        failed = Response.model_construct(
            id="",
            object="response",
            status="failed",
            error=ResponseError.model_construct(code=error.code, message=error.message),
            incomplete_details=None,
            output=output,
            usage=None,
        )
        return self._finish(failed, error=error)

    def _finish(self, response: Response, *, error: ErrorObject | None) -> list[AssistantStreamEvent]:
        """Closes open messages and message steps, then reports the run's outcome."""
        self._done = True
        events = self._close_missing_items(response)
        events += self._end_steps(response)
        self._run = from_responses.response_to_run(
            run=self._run_before, response=response, usage=self._run_usage(response), now=self._clock()
        )
        events.append(_run_event(self._run))
        if self._run.status == "failed":
            events.append(ErrorEvent(event="error", data=error or _response_error(response)))
        return events

    def _close_missing_items(self, response: Response) -> list[AssistantStreamEvent]:
        """Closes the incomplete messages and the items whose ``output_item.done`` never came (from the
        response's output if there)."""
        events: list[AssistantStreamEvent] = []
        self._fold_text()
        for item in response.output:
            if self._still_open(item):
                events += self._on_item_done(item)
        for item_id, item in self._items.items():
            if item_id not in self._closed_messages:
                events += self._close_message(item, response=response)
        return events

    def _still_open(self, item: ResponseOutputItem) -> bool:
        """Whether an item of the final output was not closed by its ``output_item.done``."""
        if isinstance(item, (ResponseOutputMessage, ResponseFunctionToolCall)):
            return item.id not in self._closed_messages
        if isinstance(item, (ResponseFileSearchToolCall, ResponseCodeInterpreterToolCall)):
            return not (item.id in self._builtins and self._builtins[item.id].ended)
        return False

    def _end_steps(self, response: Response) -> list[AssistantStreamEvent]:
        """Final step snapshots: one carries the response's usage (``from_responses.usage_step_id``);
        message steps and the built-in steps still open end."""
        usage = from_responses.usage_to_run_usage(response.usage)
        builtins = {builtin.step_id: builtin for builtin in self._builtins.values()}
        carrier = from_responses.usage_position([step_id in builtins for step_id in self._steps])
        images = from_responses.code_interpreter_images(response.output)
        events: list[AssistantStreamEvent] = []
        for position, (step_id, step) in enumerate(self._steps.items()):
            step_usage = usage if position == carrier else None
            if step_id == self._tool_step_id:
                calls = from_responses.function_calls(response) or list(self._calls.values())
                self._steps[step_id] = self._tool_calls_step(
                    step_id, calls=calls, created_at=step.created_at, usage=step_usage
                )
                self._tool_step_stale = False
            elif step_id in builtins:
                events += self._end_builtin_step(builtins[step_id], response, images=images, usage=step_usage)
            else:
                ended = from_responses.message_creation_step(
                    step_id=step_id,
                    run=self._run_before,
                    message_id=_message_id(step),
                    created_at=step.created_at,
                    status=from_responses.message_step_status(response),
                    usage=step_usage,
                )
                self._steps[step_id] = ended
                events.append(_step_end_event(ended))
        return events

    def _end_builtin_step(
        self, builtin: _Builtin, response: Response, *, images: Mapping[str, Sequence[str]], usage: RunUsage | None
    ) -> list[AssistantStreamEvent]:
        """A built-in step still open ends now; one already ended gets its final snapshot."""
        final = next((item for item in response.output if item.id == builtin.item.id), None)
        if isinstance(final, (ResponseFileSearchToolCall, ResponseCodeInterpreterToolCall)):
            builtin.item = final.model_copy(deep=True)
        if not builtin.ended:
            return self._end_builtin(builtin, response=response, images=images, usage=usage)
        self._steps[builtin.step_id] = self._builtin_step(builtin, response=response, images=images, usage=usage)
        return []

    # -- snapshots --------------------------------------------------------------------------------

    def _run_usage(self, response: Response) -> RunUsage | None:
        return from_responses.run_usage([self._prior_usage, from_responses.usage_to_run_usage(response.usage)])

    def _build_message(
        self, item: ResponseOutputMessage, *, created_at: int, response: Response | None = None
    ) -> Message:
        """The message of ``item``; ``response``, once ended, says why an incomplete one is."""
        return from_responses.output_message_to_message(
            item=item,
            thread_id=self._run_before.thread_id,
            run_id=self._run_before.id,
            assistant_id=self._run_before.assistant_id,
            created_at=created_at,
            incomplete_reason=from_responses.message_incomplete_reason(response) if response else None,
        )

    def _in_progress_message(self, item: ResponseOutputMessage, *, created_at: int) -> Message:
        message = self._build_message(item, created_at=created_at)
        return message.model_copy(update={"status": "in_progress", "completed_at": None, "incomplete_at": None})

    def _open_message(self, item_id: str) -> Message:
        """The snapshot of a message still being written, with the content streamed so far."""
        self._fold_text()
        return self._in_progress_message(self._items[item_id], created_at=self._messages[item_id].created_at)

    def _tool_calls_step(
        self,
        step_id: str,
        *,
        calls: Sequence[ResponseFunctionToolCall],
        created_at: int,
        usage: RunUsage | None,
    ) -> RunStep:
        return from_responses.tool_calls_step(
            step_id=step_id,
            run=self._run_before,
            calls=calls,
            outputs={},
            created_at=created_at,
            status="in_progress",
            usage=usage,
        )

    def _refresh_tool_step(self) -> None:
        """The calls changed: the tool step's snapshot is rebuilt when it is next read, not per delta."""
        self._tool_step_stale = True

    def _settle_tool_step(self) -> None:
        if not self._tool_step_stale or self._tool_step_id is None:
            return
        step = self._steps[self._tool_step_id]
        self._steps[step.id] = self._tool_calls_step(
            step.id, calls=list(self._calls.values()), created_at=step.created_at, usage=None
        )
        self._tool_step_stale = False

    def _step_delta(self, tool_call: ToolCallDelta, *, step_id: str | None = None) -> ThreadRunStepDelta:
        """A ``thread.run.step.delta`` of the step ``step_id`` (by default the function calls' step)."""
        step_id = step_id or self._tool_step_id
        assert step_id is not None
        details = ToolCallDeltaObject(type="tool_calls", tool_calls=[tool_call])
        delta = RunStepDeltaEvent(id=step_id, object="thread.run.step.delta", delta=RunStepDelta(step_details=details))
        return ThreadRunStepDelta(event="thread.run.step.delta", data=delta)


@dataclass
class _Builtin:
    """A built-in call being streamed: its step, the item as accumulated, whether its step ended."""

    step_id: str
    item: BuiltinCall
    created_at: int
    ended: bool = False


def _only_call(step: RunStep) -> ToolCall:
    details = step.step_details
    assert details.type == "tool_calls" and len(details.tool_calls) == 1
    return details.tool_calls[0]


def _output_delta(index: int, output: CodeInterpreterOutput) -> DeltaCodeInterpreterOutput:
    """A legacy code interpreter output as a delta (as the legacy API streamed outputs, with an index)."""
    if isinstance(output, CodeInterpreterOutputLogs):
        return CodeInterpreterLogs(index=index, type="logs", logs=output.logs)
    image = DeltaImage(file_id=output.image.file_id)
    return DeltaCodeInterpreterOutputImage(index=index, type="image", image=image)


def _step_end_event(step: RunStep) -> AssistantStreamEvent:
    """The legacy event announcing a step that has ended."""
    if step.status == "completed":
        return ThreadRunStepCompleted(event="thread.run.step.completed", data=step)
    if step.status == "cancelled":
        return ThreadRunStepCancelled(event="thread.run.step.cancelled", data=step)
    return ThreadRunStepFailed(event="thread.run.step.failed", data=step)


def _call_key(item: ResponseFunctionToolCall) -> str:
    """Function calls are tracked by item id (what argument deltas name), else by ``call_id``."""
    return item.id or item.call_id


def _message_id(step: RunStep) -> str:
    details = step.step_details
    assert details.type == "message_creation"
    return details.message_creation.message_id


def _run_event(run: Run) -> AssistantStreamEvent:
    """The legacy event announcing a run that has stopped."""
    status = run.status
    if status == "requires_action":
        return ThreadRunRequiresAction(event="thread.run.requires_action", data=run)
    if status == "completed":
        return ThreadRunCompleted(event="thread.run.completed", data=run)
    if status == "incomplete":
        return ThreadRunIncomplete(event="thread.run.incomplete", data=run)
    if status == "failed":
        return ThreadRunFailed(event="thread.run.failed", data=run)
    if status == "cancelled":
        return ThreadRunCancelled(event="thread.run.cancelled", data=run)
    raise ValueError(f"run {run.id} has not stopped (status {status!r})")


def _response_error(response: Response) -> ErrorObject:
    """The legacy ``error`` event's object for a failed response."""
    error = response.error
    if error is None:
        return ErrorObject(code="server_error", message="The response failed.", param=None, type="server_error")
    return ErrorObject(code=error.code, message=error.message, param=None, type="server_error")


def _stream_error(event: ResponseErrorEvent) -> ErrorObject:
    """The error of a stream ``error`` event.

    The SDK models the fields at the top level; recorded streams nest them under ``error``
    (``{"type": "error", "error": {"type", "code", "message", "param"}}``), so both are read.
    """
    nested: object = (event.model_extra or {}).get("error")
    fields: dict[str, Any] = {"code": event.code, "message": event.message, "param": event.param}
    if isinstance(nested, dict):
        recorded: dict[str, Any] = dict(nested)  # pyright: ignore[reportUnknownArgumentType]
        fields.update({key: value for key, value in recorded.items() if value is not None})
    return ErrorObject(
        code=fields.get("code"),
        message=fields.get("message") or "The response failed.",
        param=fields.get("param"),
        type=fields.get("type") or "server_error",
    )
