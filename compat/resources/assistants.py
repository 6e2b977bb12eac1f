"""``client.beta.assistants``: assistants kept in the local store.

The Responses API has no assistant object (prompts are dashboard-only), so an assistant is a record in
the shim's store and its settings are sent inline on every response of a run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import httpx2
import openai
from openai._base_client import AsyncPaginator
from openai._types import Body, Headers, NotGiven, Omit, Query, not_given, omit
from openai.pagination import AsyncCursorPage, SyncCursorPage
from openai.resources.beta import assistants as _sdk
from openai.types.beta import assistant_create_params, assistant_update_params
from openai.types.beta.assistant import Assistant
from openai.types.beta.assistant_deleted import AssistantDeleted
from openai.types.beta.assistant_response_format_option_param import AssistantResponseFormatOptionParam
from openai.types.beta.assistant_tool_param import AssistantToolParam
from openai.types.shared.chat_model import ChatModel
from openai.types.shared.reasoning_effort import ReasoningEffort
from openai.types.shared_params.metadata import Metadata

from .._context import Context, given
from .._effects import run_async, run_sync
from ..ops import assistants as core
from ..params import check
from ._pages import CompatAsyncPaginator, sync_page
from ._raw import NoRawResponse

__all__ = ["Assistants", "AsyncAssistants"]


class Assistants(NoRawResponse, _sdk.Assistants):
    """Assistants kept in the local store."""

    _legacy_path = "client.beta.assistants"

    def __init__(self, client: openai.OpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    def create(
        self,
        *,
        model: str | ChatModel,
        description: str | Omit | None = omit,
        instructions: str | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        name: str | Omit | None = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_resources: assistant_create_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit = omit,
        top_p: float | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Assistant:
        """Create an assistant, kept in the local store."""
        args = given(locals())
        check("assistants.create", args)
        return run_sync(core.create_assistant(self._context, args), self._client)

    def retrieve(
        self,
        assistant_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Assistant:
        """Retrieve a stored assistant."""
        args = given(locals())
        check("assistants.retrieve", args)
        return run_sync(core.retrieve_assistant(self._context, args), self._client)

    def update(
        self,
        assistant_id: str,
        *,
        description: str | Omit | None = omit,
        instructions: str | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str
        | Literal[
            "gpt-5",
            "gpt-5-mini",
            "gpt-5-nano",
            "gpt-5-2025-08-07",
            "gpt-5-mini-2025-08-07",
            "gpt-5-nano-2025-08-07",
            "gpt-4.1",
            "gpt-4.1-mini",
            "gpt-4.1-nano",
            "gpt-4.1-2025-04-14",
            "gpt-4.1-mini-2025-04-14",
            "gpt-4.1-nano-2025-04-14",
            "o3-mini",
            "o3-mini-2025-01-31",
            "o1",
            "o1-2024-12-17",
            "gpt-4o",
            "gpt-4o-2024-11-20",
            "gpt-4o-2024-08-06",
            "gpt-4o-2024-05-13",
            "gpt-4o-mini",
            "gpt-4o-mini-2024-07-18",
            "gpt-4.5-preview",
            "gpt-4.5-preview-2025-02-27",
            "gpt-4-turbo",
            "gpt-4-turbo-2024-04-09",
            "gpt-4-0125-preview",
            "gpt-4-turbo-preview",
            "gpt-4-1106-preview",
            "gpt-4-vision-preview",
            "gpt-4",
            "gpt-4-0314",
            "gpt-4-0613",
            "gpt-4-32k",
            "gpt-4-32k-0314",
            "gpt-4-32k-0613",
            "gpt-3.5-turbo",
            "gpt-3.5-turbo-16k",
            "gpt-3.5-turbo-0613",
            "gpt-3.5-turbo-1106",
            "gpt-3.5-turbo-0125",
            "gpt-3.5-turbo-16k-0613",
        ]
        | Omit = omit,
        name: str | Omit | None = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_resources: assistant_update_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit = omit,
        top_p: float | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Assistant:
        """Modify a stored assistant: only the given fields change."""
        args = given(locals())
        check("assistants.update", args)
        return run_sync(core.update_assistant(self._context, args), self._client)

    def list(
        self,
        *,
        after: str | Omit = omit,
        before: str | Omit = omit,
        limit: int | Omit = omit,
        order: Literal["asc", "desc"] | Omit = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> SyncCursorPage[Assistant]:
        """List the stored assistants."""
        args = given(locals())
        check("assistants.list", args)
        return sync_page(lambda a: core.list_assistants(self._context, a), args, self._client)

    def delete(
        self,
        assistant_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AssistantDeleted:
        """Delete a stored assistant."""
        args = given(locals())
        check("assistants.delete", args)
        return run_sync(core.delete_assistant(self._context, args), self._client)


class AsyncAssistants(NoRawResponse, _sdk.AsyncAssistants):
    """Assistants kept in the local store."""

    _legacy_path = "client.beta.assistants"

    def __init__(self, client: openai.AsyncOpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    async def create(
        self,
        *,
        model: str | ChatModel,
        description: str | Omit | None = omit,
        instructions: str | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        name: str | Omit | None = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_resources: assistant_create_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit = omit,
        top_p: float | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Assistant:
        """Create an assistant, kept in the local store."""
        args = given(locals())
        check("assistants.create", args)
        return await run_async(core.create_assistant(self._context, args), self._client)

    async def retrieve(
        self,
        assistant_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Assistant:
        """Retrieve a stored assistant."""
        args = given(locals())
        check("assistants.retrieve", args)
        return await run_async(core.retrieve_assistant(self._context, args), self._client)

    async def update(
        self,
        assistant_id: str,
        *,
        description: str | Omit | None = omit,
        instructions: str | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        model: str
        | Literal[
            "gpt-5",
            "gpt-5-mini",
            "gpt-5-nano",
            "gpt-5-2025-08-07",
            "gpt-5-mini-2025-08-07",
            "gpt-5-nano-2025-08-07",
            "gpt-4.1",
            "gpt-4.1-mini",
            "gpt-4.1-nano",
            "gpt-4.1-2025-04-14",
            "gpt-4.1-mini-2025-04-14",
            "gpt-4.1-nano-2025-04-14",
            "o3-mini",
            "o3-mini-2025-01-31",
            "o1",
            "o1-2024-12-17",
            "gpt-4o",
            "gpt-4o-2024-11-20",
            "gpt-4o-2024-08-06",
            "gpt-4o-2024-05-13",
            "gpt-4o-mini",
            "gpt-4o-mini-2024-07-18",
            "gpt-4.5-preview",
            "gpt-4.5-preview-2025-02-27",
            "gpt-4-turbo",
            "gpt-4-turbo-2024-04-09",
            "gpt-4-0125-preview",
            "gpt-4-turbo-preview",
            "gpt-4-1106-preview",
            "gpt-4-vision-preview",
            "gpt-4",
            "gpt-4-0314",
            "gpt-4-0613",
            "gpt-4-32k",
            "gpt-4-32k-0314",
            "gpt-4-32k-0613",
            "gpt-3.5-turbo",
            "gpt-3.5-turbo-16k",
            "gpt-3.5-turbo-0613",
            "gpt-3.5-turbo-1106",
            "gpt-3.5-turbo-0125",
            "gpt-3.5-turbo-16k-0613",
        ]
        | Omit = omit,
        name: str | Omit | None = omit,
        reasoning_effort: ReasoningEffort | Omit | None = omit,
        response_format: AssistantResponseFormatOptionParam | Omit | None = omit,
        temperature: float | Omit | None = omit,
        tool_resources: assistant_update_params.ToolResources | Omit | None = omit,
        tools: Iterable[AssistantToolParam] | Omit = omit,
        top_p: float | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Assistant:
        """Modify a stored assistant: only the given fields change."""
        args = given(locals())
        check("assistants.update", args)
        return await run_async(core.update_assistant(self._context, args), self._client)

    def list(
        self,
        *,
        after: str | Omit = omit,
        before: str | Omit = omit,
        limit: int | Omit = omit,
        order: Literal["asc", "desc"] | Omit = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncPaginator[Assistant, AsyncCursorPage[Assistant]]:
        """List the stored assistants."""
        args = given(locals())
        check("assistants.list", args)
        return CompatAsyncPaginator(lambda a: core.list_assistants(self._context, a), args, self._client)

    async def delete(
        self,
        assistant_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AssistantDeleted:
        """Delete a stored assistant."""
        args = given(locals())
        check("assistants.delete", args)
        return await run_async(core.delete_assistant(self._context, args), self._client)
