"""``client.beta.threads.runs.steps``: run steps from the local store."""

from __future__ import annotations

import builtins
from typing import Literal

import httpx2
import openai
from openai._base_client import AsyncPaginator
from openai._types import Body, Headers, NotGiven, Omit, Query, not_given, omit
from openai.pagination import AsyncCursorPage, SyncCursorPage
from openai.resources.beta.threads.runs import steps as _sdk
from openai.types.beta.threads.runs.run_step import RunStep
from openai.types.beta.threads.runs.run_step_include import RunStepInclude

from .._context import Context, given
from .._effects import run_async, run_sync
from ..ops import steps as core
from ..params import check
from ._pages import CompatAsyncPaginator, sync_page
from ._raw import NoRawResponse

__all__ = ["AsyncSteps", "Steps"]


class Steps(NoRawResponse, _sdk.Steps):
    """Run steps, kept in the local store."""

    _legacy_path = "client.beta.threads.runs.steps"

    def __init__(self, client: openai.OpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    def retrieve(
        self,
        step_id: str,
        *,
        thread_id: str,
        run_id: str,
        include: builtins.list[RunStepInclude] | Omit = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> RunStep:
        args = given(locals())
        check("steps.retrieve", args)
        return run_sync(core.retrieve_step(self._context, args), self._client)

    def list(
        self,
        run_id: str,
        *,
        thread_id: str,
        after: str | Omit = omit,
        before: str | Omit = omit,
        include: builtins.list[RunStepInclude] | Omit = omit,
        limit: int | Omit = omit,
        order: Literal["asc", "desc"] | Omit = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> SyncCursorPage[RunStep]:
        args = given(locals())
        check("steps.list", args)
        return sync_page(lambda a: core.list_steps(self._context, a), args, self._client)


class AsyncSteps(NoRawResponse, _sdk.AsyncSteps):
    """Run steps, kept in the local store, for ``AsyncOpenAI``."""

    _legacy_path = "client.beta.threads.runs.steps"

    def __init__(self, client: openai.AsyncOpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    async def retrieve(
        self,
        step_id: str,
        *,
        thread_id: str,
        run_id: str,
        include: builtins.list[RunStepInclude] | Omit = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> RunStep:
        args = given(locals())
        check("steps.retrieve", args)
        return await run_async(core.retrieve_step(self._context, args), self._client)

    def list(
        self,
        run_id: str,
        *,
        thread_id: str,
        after: str | Omit = omit,
        before: str | Omit = omit,
        include: builtins.list[RunStepInclude] | Omit = omit,
        limit: int | Omit = omit,
        order: Literal["asc", "desc"] | Omit = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncPaginator[RunStep, AsyncCursorPage[RunStep]]:
        args = given(locals())
        check("steps.list", args)
        return CompatAsyncPaginator(lambda a: core.list_steps(self._context, a), args, self._client)
