"""Synthetic Responses stream events, built from the SDK's own event models."""

from __future__ import annotations

import itertools
from typing import Any

from openai.types.responses import (
    Response,
    ResponseCompletedEvent,
    ResponseContentPartAddedEvent,
    ResponseContentPartDoneEvent,
    ResponseCreatedEvent,
    ResponseErrorEvent,
    ResponseFailedEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseFunctionToolCall,
    ResponseIncompleteEvent,
    ResponseInProgressEvent,
    ResponseOutputItem,
    ResponseOutputItemAddedEvent,
    ResponseOutputItemDoneEvent,
    ResponseOutputMessage,
    ResponseOutputRefusal,
    ResponseOutputText,
    ResponseReasoningItem,
    ResponseReasoningSummaryPartAddedEvent,
    ResponseReasoningSummaryTextDeltaEvent,
    ResponseRefusalDeltaEvent,
    ResponseRefusalDoneEvent,
    ResponseStreamEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
    ResponseUsage,
)
from openai.types.responses.response_reasoning_item import Summary
from openai.types.responses.response_reasoning_summary_part_added_event import Part as SummaryPart
from openai.types.responses.response_usage import InputTokensDetails, OutputTokensDetails


def usage(input_tokens: int, output_tokens: int, *, cached: int = 0, reasoning: int = 0) -> ResponseUsage:
    return ResponseUsage(
        input_tokens=input_tokens,
        input_tokens_details=InputTokensDetails(cached_tokens=cached, cache_write_tokens=0),
        output_tokens=output_tokens,
        output_tokens_details=OutputTokensDetails(reasoning_tokens=reasoning),
        total_tokens=input_tokens + output_tokens,
    )


def response(status: Any, output: list[ResponseOutputItem], **fields: Any) -> Response:
    return Response(
        id="resp_1",
        object="response",
        created_at=1,
        model="gpt-4o-2024-08-06",
        status=status,
        output=output,
        parallel_tool_calls=True,
        tool_choice="auto",
        tools=[],
        **fields,
    )


def message(
    item_id: str, parts: list[ResponseOutputText | ResponseOutputRefusal], status: Any
) -> ResponseOutputMessage:
    return ResponseOutputMessage(id=item_id, type="message", role="assistant", status=status, content=parts)


def text(value: str) -> ResponseOutputText:
    return ResponseOutputText(type="output_text", text=value, annotations=[], logprobs=[])


def refusal(value: str) -> ResponseOutputRefusal:
    return ResponseOutputRefusal(type="refusal", refusal=value)


def call(item_id: str, call_id: str, name: str, arguments: str, status: Any = "completed") -> ResponseFunctionToolCall:
    return ResponseFunctionToolCall(
        id=item_id, type="function_call", call_id=call_id, name=name, arguments=arguments, status=status
    )


def reasoning(item_id: str, summary: str) -> ResponseReasoningItem:
    return ResponseReasoningItem(id=item_id, type="reasoning", summary=[Summary(type="summary_text", text=summary)])


class Stream:
    """Builds one response's events with increasing sequence numbers."""

    def __init__(self) -> None:
        self._numbers = itertools.count()
        self.events: list[ResponseStreamEvent] = []

    def _n(self) -> int:
        return next(self._numbers)

    def start(self) -> Stream:
        opening = response("in_progress", [])
        self.events.append(ResponseCreatedEvent(type="response.created", response=opening, sequence_number=self._n()))
        self.events.append(
            ResponseInProgressEvent(type="response.in_progress", response=opening, sequence_number=self._n())
        )
        return self

    def added(self, index: int, item: ResponseOutputItem) -> None:
        self.events.append(
            ResponseOutputItemAddedEvent(
                type="response.output_item.added", output_index=index, item=item, sequence_number=self._n()
            )
        )

    def done(self, index: int, item: ResponseOutputItem) -> None:
        self.events.append(
            ResponseOutputItemDoneEvent(
                type="response.output_item.done", output_index=index, item=item, sequence_number=self._n()
            )
        )

    def message(
        self, index: int, final: ResponseOutputMessage, deltas: list[list[str]], *, done: bool = True
    ) -> Stream:
        """``added``, then per part ``content_part.added``, its deltas and ``*.done``, then ``done``."""
        self.added(index, final.model_copy(update={"status": "in_progress", "content": []}))
        for content_index, (part, pieces) in enumerate(zip(final.content, deltas, strict=True)):
            self._part(index, final.id, content_index, part, pieces)
        if done:
            self.done(index, final)
        return self

    def _part(
        self,
        index: int,
        item_id: str,
        content_index: int,
        part: ResponseOutputText | ResponseOutputRefusal,
        pieces: list[str],
    ) -> None:
        empty = text("") if isinstance(part, ResponseOutputText) else refusal("")
        where: dict[str, Any] = {"item_id": item_id, "output_index": index, "content_index": content_index}
        self.events.append(
            ResponseContentPartAddedEvent(
                type="response.content_part.added", part=empty, sequence_number=self._n(), **where
            )
        )
        for piece in pieces:
            if isinstance(part, ResponseOutputText):
                self.events.append(
                    ResponseTextDeltaEvent(
                        type="response.output_text.delta", delta=piece, logprobs=[], sequence_number=self._n(), **where
                    )
                )
            else:
                self.events.append(
                    ResponseRefusalDeltaEvent(
                        type="response.refusal.delta", delta=piece, sequence_number=self._n(), **where
                    )
                )
        if isinstance(part, ResponseOutputText):
            self.events.append(
                ResponseTextDoneEvent(
                    type="response.output_text.done", text=part.text, logprobs=[], sequence_number=self._n(), **where
                )
            )
        else:
            self.events.append(
                ResponseRefusalDoneEvent(
                    type="response.refusal.done", refusal=part.refusal, sequence_number=self._n(), **where
                )
            )
        self.events.append(
            ResponseContentPartDoneEvent(
                type="response.content_part.done", part=part, sequence_number=self._n(), **where
            )
        )

    def call(self, index: int, final: ResponseFunctionToolCall, deltas: list[str]) -> Stream:
        assert final.id is not None
        self.added(index, final.model_copy(update={"status": "in_progress", "arguments": ""}))
        for piece in deltas:
            self.events.append(
                ResponseFunctionCallArgumentsDeltaEvent(
                    type="response.function_call_arguments.delta",
                    item_id=final.id,
                    output_index=index,
                    delta=piece,
                    sequence_number=self._n(),
                )
            )
        self.events.append(
            ResponseFunctionCallArgumentsDoneEvent(
                type="response.function_call_arguments.done",
                item_id=final.id,
                output_index=index,
                name=final.name,
                arguments=final.arguments,
                sequence_number=self._n(),
            )
        )
        self.done(index, final)
        return self

    def reasoning(self, index: int, final: ResponseReasoningItem) -> Stream:
        self.added(index, final.model_copy(update={"summary": []}))
        where: dict[str, Any] = {"item_id": final.id, "output_index": index, "summary_index": 0}
        self.events.append(
            ResponseReasoningSummaryPartAddedEvent(
                type="response.reasoning_summary_part.added",
                part=SummaryPart(type="summary_text", text=""),
                sequence_number=self._n(),
                **where,
            )
        )
        self.events.append(
            ResponseReasoningSummaryTextDeltaEvent(
                type="response.reasoning_summary_text.delta",
                delta=final.summary[0].text,
                sequence_number=self._n(),
                **where,
            )
        )
        self.done(index, final)
        return self

    def completed(self, final: Response) -> list[ResponseStreamEvent]:
        self.events.append(ResponseCompletedEvent(type="response.completed", response=final, sequence_number=self._n()))
        return self.events

    def failed(self, final: Response) -> list[ResponseStreamEvent]:
        self.events.append(ResponseFailedEvent(type="response.failed", response=final, sequence_number=self._n()))
        return self.events

    def incomplete(self, final: Response) -> list[ResponseStreamEvent]:
        self.events.append(
            ResponseIncompleteEvent(type="response.incomplete", response=final, sequence_number=self._n())
        )
        return self.events

    def error(self, code: str, message: str) -> list[ResponseStreamEvent]:
        self.events.append(
            ResponseErrorEvent(type="error", code=code, message=message, param=None, sequence_number=self._n())
        )
        return self.events
