"""``client.beta.threads.runs``: runs on the Responses API (see ``compat.ops.runs``)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Literal

import httpx2
import openai
from openai._base_client import AsyncPaginator
from openai._compat import cached_property
from openai._streaming import AsyncStream, Stream
from openai._types import Body, Headers, NotGiven, Omit, Query, not_given, omit
from openai.lib.streaming import (
    AssistantEventHandler,
    AssistantEventHandlerT,
    AssistantStreamManager,
    AsyncAssistantEventHandler,
    AsyncAssistantEventHandlerT,
    AsyncAssistantStreamManager,
)
from openai.pagination import AsyncCursorPage, SyncCursorPage
from openai.resources.beta.threads.runs import runs as _sdk
from openai.types.beta.assistant_response_format_option_param import AssistantResponseFormatOptionParam
from openai.types.beta.assistant_stream_event import AssistantStreamEvent
from openai.types.beta.assistant_tool_choice_option_param import AssistantToolChoiceOptionParam
from openai.types.beta.assistant_tool_param import AssistantToolParam
from openai.types.beta.threads import run_create_params, run_submit_tool_outputs_params
from openai.types.beta.threads.run import Run
from openai.types.beta.threads.runs.run_step_include import RunStepInclude
from openai.types.shared.chat_model import ChatModel
from openai.types.shared.reasoning_effort import ReasoningEffort
from openai.types.shared_params.metadata import Metadata
from typing_extensions import overload

from .._context import Context, given
from .._effects import run_async, run_sync
from ..ops import runs as core
from ..params import check
from ._pages import CompatAsyncPaginator, sync_page
from ._raw import NoRawResponse
from ._streams import async_stream_manager, open_async_stream, open_stream, stream_manager
from .steps import AsyncSteps, Steps

__all__ = ["AsyncRuns", "Runs"]


class Runs(NoRawResponse, _sdk.Runs):
    """Runs on the Responses API: each model turn is one ``responses.create`` on the thread's conversation."""

    _legacy_path = "client.beta.threads.runs"

    def __init__(self, client: openai.OpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    @cached_property
    def steps(self) -> Steps:
        """Run steps, kept in the local store."""
        return Steps(self._client, self._context)

    def create_and_poll(
        self,
        *,
        assistant_id: str,
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        poll_interval_ms: int | Omit = omit,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run:
        args = given(locals())
        check("runs.create_and_poll", args)
        run = run_sync(core.create_run(self._context, args), self._client)
        return run_sync(core.poll_run(self._context, {**args, "run_id": run.id}), self._client)

    @overload
    def create_and_stream(
        self,
        *,
        assistant_id: str,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AssistantStreamManager[AssistantEventHandler]: ...

    @overload
    def create_and_stream(
        self,
        *,
        assistant_id: str,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        thread_id: str,
        event_handler: AssistantEventHandlerT,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AssistantStreamManager[AssistantEventHandlerT]: ...

    def create_and_stream(
        self,
        *,
        assistant_id: str,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        thread_id: str,
        event_handler: AssistantEventHandlerT | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AssistantStreamManager[AssistantEventHandler] | AssistantStreamManager[AssistantEventHandlerT]:
        args = given(locals())
        check("runs.create_and_stream", args)
        return stream_manager(lambda: core.stream_run(self._context, args), self._client, event_handler)

    def poll(
        self,
        run_id: str,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
        poll_interval_ms: int | Omit = omit,
    ) -> Run:
        args = given(locals())
        check("runs.poll", args)
        return run_sync(core.poll_run(self._context, args), self._client)

    @overload
    def stream(
        self,
        *,
        assistant_id: str,
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AssistantStreamManager[AssistantEventHandler]: ...

    @overload
    def stream(
        self,
        *,
        assistant_id: str,
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        thread_id: str,
        event_handler: AssistantEventHandlerT,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AssistantStreamManager[AssistantEventHandlerT]: ...

    def stream(
        self,
        *,
        assistant_id: str,
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        thread_id: str,
        event_handler: AssistantEventHandlerT | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AssistantStreamManager[AssistantEventHandler] | AssistantStreamManager[AssistantEventHandlerT]:
        args = given(locals())
        check("runs.stream", args)
        return stream_manager(lambda: core.stream_run(self._context, args), self._client, event_handler)

    def submit_tool_outputs_and_poll(
        self,
        *,
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        run_id: str,
        thread_id: str,
        poll_interval_ms: int | Omit = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run:
        args = given(locals())
        check("runs.submit_tool_outputs_and_poll", args)
        run = run_sync(core.submit_tool_outputs(self._context, args), self._client)
        return run_sync(core.poll_run(self._context, {**args, "run_id": run.id}), self._client)

    @overload
    def submit_tool_outputs_stream(
        self,
        *,
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        run_id: str,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AssistantStreamManager[AssistantEventHandler]: ...

    @overload
    def submit_tool_outputs_stream(
        self,
        *,
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        run_id: str,
        thread_id: str,
        event_handler: AssistantEventHandlerT,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AssistantStreamManager[AssistantEventHandlerT]: ...

    def submit_tool_outputs_stream(
        self,
        *,
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        run_id: str,
        thread_id: str,
        event_handler: AssistantEventHandlerT | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AssistantStreamManager[AssistantEventHandler] | AssistantStreamManager[AssistantEventHandlerT]:
        args = given(locals())
        check("runs.submit_tool_outputs_stream", args)
        return stream_manager(lambda: core.stream_submit_tool_outputs(self._context, args), self._client, event_handler)

    @overload
    def create(
        self,
        thread_id: str,
        *,
        assistant_id: str,
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        stream: Literal[False] | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run: ...

    @overload
    def create(
        self,
        thread_id: str,
        *,
        assistant_id: str,
        stream: Literal[True],
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Stream[AssistantStreamEvent]: ...

    @overload
    def create(
        self,
        thread_id: str,
        *,
        assistant_id: str,
        stream: bool,
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run | Stream[AssistantStreamEvent]: ...

    def create(
        self,
        thread_id: str,
        *,
        assistant_id: str,
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        stream: Literal[False] | Literal[True] | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run | Stream[AssistantStreamEvent]:
        args = given(locals())
        check("runs.create", args)
        if args.get("stream"):
            return open_stream(core.stream_run(self._context, args), self._client)
        return run_sync(core.create_run(self._context, args), self._client)

    def retrieve(
        self,
        run_id: str,
        *,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run:
        args = given(locals())
        check("runs.retrieve", args)
        return run_sync(core.retrieve_run(self._context, args), self._client)

    def update(
        self,
        run_id: str,
        *,
        thread_id: str,
        metadata: Metadata | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run:
        args = given(locals())
        check("runs.update", args)
        return run_sync(core.update_run(self._context, args), self._client)

    def list(
        self,
        thread_id: str,
        *,
        after: str | Omit = omit,
        before: str | Omit = omit,
        limit: int | Omit = omit,
        order: Literal["asc", "desc"] | Omit = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> SyncCursorPage[Run]:
        args = given(locals())
        check("runs.list", args)
        return sync_page(lambda a: core.list_runs(self._context, a), args, self._client)

    def cancel(
        self,
        run_id: str,
        *,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run:
        args = given(locals())
        check("runs.cancel", args)
        return run_sync(core.cancel_run(self._context, args), self._client)

    @overload
    def submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        stream: Literal[False] | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run: ...

    @overload
    def submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        stream: Literal[True],
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Stream[AssistantStreamEvent]: ...

    @overload
    def submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        stream: bool,
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run | Stream[AssistantStreamEvent]: ...

    def submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        stream: Literal[False] | Literal[True] | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run | Stream[AssistantStreamEvent]:
        args = given(locals())
        check("runs.submit_tool_outputs", args)
        if args.get("stream"):
            return open_stream(core.stream_submit_tool_outputs(self._context, args), self._client)
        return run_sync(core.submit_tool_outputs(self._context, args), self._client)


class AsyncRuns(NoRawResponse, _sdk.AsyncRuns):
    """Runs on the Responses API, for ``AsyncOpenAI``."""

    _legacy_path = "client.beta.threads.runs"

    def __init__(self, client: openai.AsyncOpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    @cached_property
    def steps(self) -> AsyncSteps:
        """Run steps, kept in the local store."""
        return AsyncSteps(self._client, self._context)

    async def create_and_poll(
        self,
        *,
        assistant_id: str,
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        poll_interval_ms: int | Omit = omit,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run:
        args = given(locals())
        check("runs.create_and_poll", args)
        run = await run_async(core.create_run(self._context, args), self._client)
        return await run_async(core.poll_run(self._context, {**args, "run_id": run.id}), self._client)

    @overload
    def create_and_stream(
        self,
        *,
        assistant_id: str,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandler]: ...

    @overload
    def create_and_stream(
        self,
        *,
        assistant_id: str,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        thread_id: str,
        event_handler: AsyncAssistantEventHandlerT,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandlerT]: ...

    def create_and_stream(
        self,
        *,
        assistant_id: str,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        thread_id: str,
        event_handler: AsyncAssistantEventHandlerT | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> (
        AsyncAssistantStreamManager[AsyncAssistantEventHandler]
        | AsyncAssistantStreamManager[AsyncAssistantEventHandlerT]
    ):
        args = given(locals())
        check("runs.create_and_stream", args)
        return async_stream_manager(lambda: core.stream_run(self._context, args), self._client, event_handler)

    async def poll(
        self,
        run_id: str,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
        poll_interval_ms: int | Omit = omit,
    ) -> Run:
        args = given(locals())
        check("runs.poll", args)
        return await run_async(core.poll_run(self._context, args), self._client)

    @overload
    def stream(
        self,
        *,
        assistant_id: str,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandler]: ...

    @overload
    def stream(
        self,
        *,
        assistant_id: str,
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        thread_id: str,
        event_handler: AsyncAssistantEventHandlerT,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandlerT]: ...

    def stream(
        self,
        *,
        assistant_id: str,
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        thread_id: str,
        event_handler: AsyncAssistantEventHandlerT | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> (
        AsyncAssistantStreamManager[AsyncAssistantEventHandler]
        | AsyncAssistantStreamManager[AsyncAssistantEventHandlerT]
    ):
        args = given(locals())
        check("runs.stream", args)
        return async_stream_manager(lambda: core.stream_run(self._context, args), self._client, event_handler)

    async def submit_tool_outputs_and_poll(
        self,
        *,
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        run_id: str,
        thread_id: str,
        poll_interval_ms: int | Omit = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run:
        args = given(locals())
        check("runs.submit_tool_outputs_and_poll", args)
        run = await run_async(core.submit_tool_outputs(self._context, args), self._client)
        return await run_async(core.poll_run(self._context, {**args, "run_id": run.id}), self._client)

    @overload
    def submit_tool_outputs_stream(
        self,
        *,
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        run_id: str,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandler]: ...

    @overload
    def submit_tool_outputs_stream(
        self,
        *,
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        run_id: str,
        thread_id: str,
        event_handler: AsyncAssistantEventHandlerT,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandlerT]: ...

    def submit_tool_outputs_stream(
        self,
        *,
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        run_id: str,
        thread_id: str,
        event_handler: AsyncAssistantEventHandlerT | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> (
        AsyncAssistantStreamManager[AsyncAssistantEventHandler]
        | AsyncAssistantStreamManager[AsyncAssistantEventHandlerT]
    ):
        args = given(locals())
        check("runs.submit_tool_outputs_stream", args)
        return async_stream_manager(
            lambda: core.stream_submit_tool_outputs(self._context, args), self._client, event_handler
        )

    @overload
    async def create(
        self,
        thread_id: str,
        *,
        assistant_id: str,
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        stream: Literal[False] | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run: ...

    @overload
    async def create(
        self,
        thread_id: str,
        *,
        assistant_id: str,
        stream: Literal[True],
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncStream[AssistantStreamEvent]: ...

    @overload
    async def create(
        self,
        thread_id: str,
        *,
        assistant_id: str,
        stream: bool,
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run | AsyncStream[AssistantStreamEvent]: ...

    async def create(
        self,
        thread_id: str,
        *,
        assistant_id: str,
        include: builtins.list[RunStepInclude] | Omit = omit,
        additional_instructions: str | Omit | None = omit,
        additional_messages: Iterable[run_create_params.AdditionalMessage] | Omit | None = omit,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        stream: Literal[False] | Literal[True] | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: run_create_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run | AsyncStream[AssistantStreamEvent]:
        args = given(locals())
        check("runs.create", args)
        if args.get("stream"):
            return await open_async_stream(core.stream_run(self._context, args), self._client)
        return await run_async(core.create_run(self._context, args), self._client)

    async def retrieve(
        self,
        run_id: str,
        *,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run:
        args = given(locals())
        check("runs.retrieve", args)
        return await run_async(core.retrieve_run(self._context, args), self._client)

    async def update(
        self,
        run_id: str,
        *,
        thread_id: str,
        metadata: Metadata | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run:
        args = given(locals())
        check("runs.update", args)
        return await run_async(core.update_run(self._context, args), self._client)

    def list(
        self,
        thread_id: str,
        *,
        after: str | Omit = omit,
        before: str | Omit = omit,
        limit: int | Omit = omit,
        order: Literal["asc", "desc"] | Omit = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncPaginator[Run, AsyncCursorPage[Run]]:
        args = given(locals())
        check("runs.list", args)
        return CompatAsyncPaginator(lambda a: core.list_runs(self._context, a), args, self._client)

    async def cancel(
        self,
        run_id: str,
        *,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run:
        args = given(locals())
        check("runs.cancel", args)
        return await run_async(core.cancel_run(self._context, args), self._client)

    @overload
    async def submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        stream: Literal[False] | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run: ...

    @overload
    async def submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        stream: Literal[True],
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncStream[AssistantStreamEvent]: ...

    @overload
    async def submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        stream: bool,
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run | AsyncStream[AssistantStreamEvent]: ...

    async def submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        tool_outputs: Iterable[run_submit_tool_outputs_params.ToolOutput],
        stream: Literal[False] | Literal[True] | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run | AsyncStream[AssistantStreamEvent]:
        args = given(locals())
        check("runs.submit_tool_outputs", args)
        if args.get("stream"):
            return await open_async_stream(core.stream_submit_tool_outputs(self._context, args), self._client)
        return await run_async(core.submit_tool_outputs(self._context, args), self._client)
