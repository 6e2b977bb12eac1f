"""``client.beta.threads``: threads on conversations (``thread.id`` is the conversation id)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal, cast

import httpx2
import openai
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
from openai.resources.beta.threads import threads as _sdk
from openai.types.beta import thread_create_and_run_params, thread_create_params, thread_update_params
from openai.types.beta.assistant_response_format_option_param import AssistantResponseFormatOptionParam
from openai.types.beta.assistant_stream_event import AssistantStreamEvent
from openai.types.beta.assistant_tool_choice_option_param import AssistantToolChoiceOptionParam
from openai.types.beta.assistant_tool_param import AssistantToolParam
from openai.types.beta.thread import Thread
from openai.types.beta.thread_deleted import ThreadDeleted
from openai.types.beta.threads.run import Run
from openai.types.shared.chat_model import ChatModel
from openai.types.shared_params.metadata import Metadata
from typing_extensions import overload

from .._context import Context, given
from .._effects import run_async, run_sync
from ..ops import runs as runs_ops, threads as core
from ..params import check
from ._raw import NoRawResponse
from .messages import AsyncMessages, Messages

if TYPE_CHECKING:
    from .runs import AsyncRuns, Runs

__all__ = ["AsyncThreads", "Threads"]


def _runs_op(name: str) -> Callable[..., Any]:
    """A create-thread-and-run operation of ``compat.ops.runs``."""
    return cast("Callable[..., Any]", getattr(runs_ops, name))


class Threads(NoRawResponse, _sdk.Threads):
    """Threads on conversations, with their messages and runs."""

    _legacy_path = "client.beta.threads"

    def __init__(self, client: openai.OpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    @cached_property
    def runs(self) -> Runs:
        """Runs: responses created with ``conversation=thread_id``."""
        from .runs import Runs

        return Runs(self._client, self._context)

    @cached_property
    def messages(self) -> Messages:
        """Messages: the conversation's message items."""
        return Messages(self._client, self._context)

    def create_and_run_poll(
        self,
        *,
        assistant_id: str,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        poll_interval_ms: int | Omit = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run:
        """Create a thread, start a run on it and poll it to a terminal state."""
        args = given(locals())
        check("threads.create_and_run_poll", args)
        return run_sync(_runs_op("create_thread_and_run_poll")(self._context, args), self._client)

    @overload
    def create_and_run_stream(
        self,
        *,
        assistant_id: str,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AssistantStreamManager[AssistantEventHandler]: ...

    @overload
    def create_and_run_stream(
        self,
        *,
        assistant_id: str,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        event_handler: AssistantEventHandlerT,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AssistantStreamManager[AssistantEventHandlerT]: ...

    def create_and_run_stream(
        self,
        *,
        assistant_id: str,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        event_handler: AssistantEventHandlerT | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AssistantStreamManager[AssistantEventHandler] | AssistantStreamManager[AssistantEventHandlerT]:
        """Create a thread and stream the run back."""
        args = given(locals())
        check("threads.create_and_run_stream", args)
        from ._streams import stream_manager

        make_op = _runs_op("stream_thread_and_run")
        return stream_manager(lambda: make_op(self._context, args), self._client, event_handler)

    def create(
        self,
        *,
        messages: Iterable[thread_create_params.Message] | Omit = omit,
        metadata: Metadata | Omit | None = omit,
        tool_resources: thread_create_params.ToolResources | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Thread:
        """Create a thread: a conversation, with the initial messages as its items."""
        args = given(locals())
        check("threads.create", args)
        return run_sync(core.create_thread(self._context, args), self._client)

    def retrieve(
        self,
        thread_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Thread:
        """Retrieve a thread (its conversation)."""
        args = given(locals())
        check("threads.retrieve", args)
        return run_sync(core.retrieve_thread(self._context, args), self._client)

    def update(
        self,
        thread_id: str,
        *,
        metadata: Metadata | Omit | None = omit,
        tool_resources: thread_update_params.ToolResources | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Thread:
        """Modify a thread: metadata on the conversation, tool resources in the store."""
        args = given(locals())
        check("threads.update", args)
        return run_sync(core.update_thread(self._context, args), self._client)

    def delete(
        self,
        thread_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> ThreadDeleted:
        """Delete a thread: its conversation and its local records."""
        args = given(locals())
        check("threads.delete", args)
        return run_sync(core.delete_thread(self._context, args), self._client)

    @overload
    def create_and_run(
        self,
        *,
        assistant_id: str,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        stream: Literal[False] | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run: ...

    @overload
    def create_and_run(
        self,
        *,
        assistant_id: str,
        stream: Literal[True],
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Stream[AssistantStreamEvent]: ...

    @overload
    def create_and_run(
        self,
        *,
        assistant_id: str,
        stream: bool,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run | Stream[AssistantStreamEvent]: ...

    def create_and_run(
        self,
        *,
        assistant_id: str,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        stream: Literal[False] | Literal[True] | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run | Stream[AssistantStreamEvent]:
        """Create a thread and start a run on it."""
        args = given(locals())
        check("threads.create_and_run", args)
        if args.get("stream"):
            from ._streams import open_stream

            return open_stream(_runs_op("stream_thread_and_run")(self._context, args), self._client)
        return run_sync(_runs_op("create_thread_and_run")(self._context, args), self._client)


class AsyncThreads(NoRawResponse, _sdk.AsyncThreads):
    """Threads on conversations, with their messages and runs."""

    _legacy_path = "client.beta.threads"

    def __init__(self, client: openai.AsyncOpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    @cached_property
    def runs(self) -> AsyncRuns:
        """Runs: responses created with ``conversation=thread_id``."""
        from .runs import AsyncRuns

        return AsyncRuns(self._client, self._context)

    @cached_property
    def messages(self) -> AsyncMessages:
        """Messages: the conversation's message items."""
        return AsyncMessages(self._client, self._context)

    async def create_and_run_poll(
        self,
        *,
        assistant_id: str,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        poll_interval_ms: int | Omit = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run:
        """Create a thread, start a run on it and poll it to a terminal state."""
        args = given(locals())
        check("threads.create_and_run_poll", args)
        return await run_async(_runs_op("create_thread_and_run_poll")(self._context, args), self._client)

    @overload
    def create_and_run_stream(
        self,
        *,
        assistant_id: str,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandler]: ...

    @overload
    def create_and_run_stream(
        self,
        *,
        assistant_id: str,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        event_handler: AsyncAssistantEventHandlerT,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandlerT]: ...

    def create_and_run_stream(
        self,
        *,
        assistant_id: str,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        event_handler: AsyncAssistantEventHandlerT | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> (
        AsyncAssistantStreamManager[AsyncAssistantEventHandler]
        | AsyncAssistantStreamManager[AsyncAssistantEventHandlerT]
    ):
        """Create a thread and stream the run back."""
        args = given(locals())
        check("threads.create_and_run_stream", args)
        from ._streams import async_stream_manager

        make_op = _runs_op("stream_thread_and_run")
        return async_stream_manager(lambda: make_op(self._context, args), self._client, event_handler)

    async def create(
        self,
        *,
        messages: Iterable[thread_create_params.Message] | Omit = omit,
        metadata: Metadata | Omit | None = omit,
        tool_resources: thread_create_params.ToolResources | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Thread:
        """Create a thread: a conversation, with the initial messages as its items."""
        args = given(locals())
        check("threads.create", args)
        return await run_async(core.create_thread(self._context, args), self._client)

    async def retrieve(
        self,
        thread_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Thread:
        """Retrieve a thread (its conversation)."""
        args = given(locals())
        check("threads.retrieve", args)
        return await run_async(core.retrieve_thread(self._context, args), self._client)

    async def update(
        self,
        thread_id: str,
        *,
        metadata: Metadata | Omit | None = omit,
        tool_resources: thread_update_params.ToolResources | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Thread:
        """Modify a thread: metadata on the conversation, tool resources in the store."""
        args = given(locals())
        check("threads.update", args)
        return await run_async(core.update_thread(self._context, args), self._client)

    async def delete(
        self,
        thread_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> ThreadDeleted:
        """Delete a thread: its conversation and its local records."""
        args = given(locals())
        check("threads.delete", args)
        return await run_async(core.delete_thread(self._context, args), self._client)

    @overload
    async def create_and_run(
        self,
        *,
        assistant_id: str,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        stream: Literal[False] | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run: ...

    @overload
    async def create_and_run(
        self,
        *,
        assistant_id: str,
        stream: Literal[True],
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncStream[AssistantStreamEvent]: ...

    @overload
    async def create_and_run(
        self,
        *,
        assistant_id: str,
        stream: bool,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run | AsyncStream[AssistantStreamEvent]: ...

    async def create_and_run(
        self,
        *,
        assistant_id: str,
        instructions: str | Omit | None = omit,
        max_completion_tokens: int | Omit | None = omit,
        max_prompt_tokens: int | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str | ChatModel | Omit | None = omit,
        parallel_tool_calls: bool | Omit = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        stream: Literal[False] | Literal[True] | Omit | None = omit,
        temperature: float | Omit | None = omit,
        thread: thread_create_and_run_params.Thread | Omit = omit,
        tool_choice: AssistantToolChoiceOptionParam | Omit | None = omit,
        tool_resources: thread_create_and_run_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit | None = omit,
        top_p: float | Omit | None = omit,
        truncation_strategy: thread_create_and_run_params.TruncationStrategy | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Run | AsyncStream[AssistantStreamEvent]:
        """Create a thread and start a run on it."""
        args = given(locals())
        check("threads.create_and_run", args)
        if args.get("stream"):
            from ._streams import open_async_stream

            return await open_async_stream(_runs_op("stream_thread_and_run")(self._context, args), self._client)
        return await run_async(_runs_op("create_thread_and_run")(self._context, args), self._client)
