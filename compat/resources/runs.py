"""``client.beta.threads.runs``: runs on the Responses API (see ``compat.ops.runs``)."""

# pyright: reportDeprecated=false
# (the legacy methods are bound to the SDK's, which the SDK marks deprecated)

from __future__ import annotations

import openai
from openai._compat import cached_property
from openai.resources.beta.threads.runs import runs as _sdk

from .._context import Context
from ..ops import runs as ops
from ._bind import call, manager, page, streamable
from .steps import AsyncSteps, Steps

__all__ = ["AsyncRuns", "Runs"]


class Runs(_sdk.Runs):
    """Runs on the Responses API: each model turn is one ``responses.create`` on the thread's conversation."""

    def __init__(self, client: openai.OpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    @cached_property
    def steps(self) -> Steps:
        """Run steps, kept in the local store."""
        return Steps(self._client, self._context)

    create = streamable(_sdk.Runs.create, ops.create_run, ops.stream_run)
    retrieve = call(_sdk.Runs.retrieve, ops.retrieve_run)
    update = call(_sdk.Runs.update, ops.update_run)
    list = page(_sdk.Runs.list, ops.list_runs)
    cancel = call(_sdk.Runs.cancel, ops.cancel_run)
    submit_tool_outputs = streamable(
        _sdk.Runs.submit_tool_outputs, ops.submit_tool_outputs, ops.stream_submit_tool_outputs
    )
    poll = call(_sdk.Runs.poll, ops.poll_run)
    create_and_poll = call(_sdk.Runs.create_and_poll, ops.create_run_and_poll)
    submit_tool_outputs_and_poll = call(_sdk.Runs.submit_tool_outputs_and_poll, ops.submit_tool_outputs_and_poll)
    stream = manager(_sdk.Runs.stream, ops.stream_run)
    create_and_stream = manager(_sdk.Runs.create_and_stream, ops.stream_run)
    submit_tool_outputs_stream = manager(_sdk.Runs.submit_tool_outputs_stream, ops.stream_submit_tool_outputs)


class AsyncRuns(_sdk.AsyncRuns):
    """Runs on the Responses API, for ``AsyncOpenAI``."""

    def __init__(self, client: openai.AsyncOpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    @cached_property
    def steps(self) -> AsyncSteps:
        """Run steps, kept in the local store."""
        return AsyncSteps(self._client, self._context)

    create = streamable(_sdk.AsyncRuns.create, ops.create_run, ops.stream_run)
    retrieve = call(_sdk.AsyncRuns.retrieve, ops.retrieve_run)
    update = call(_sdk.AsyncRuns.update, ops.update_run)
    list = page(_sdk.AsyncRuns.list, ops.list_runs)
    cancel = call(_sdk.AsyncRuns.cancel, ops.cancel_run)
    submit_tool_outputs = streamable(
        _sdk.AsyncRuns.submit_tool_outputs, ops.submit_tool_outputs, ops.stream_submit_tool_outputs
    )
    poll = call(_sdk.AsyncRuns.poll, ops.poll_run)
    create_and_poll = call(_sdk.AsyncRuns.create_and_poll, ops.create_run_and_poll)
    submit_tool_outputs_and_poll = call(_sdk.AsyncRuns.submit_tool_outputs_and_poll, ops.submit_tool_outputs_and_poll)
    stream = manager(_sdk.AsyncRuns.stream, ops.stream_run)
    create_and_stream = manager(_sdk.AsyncRuns.create_and_stream, ops.stream_run)
    submit_tool_outputs_stream = manager(_sdk.AsyncRuns.submit_tool_outputs_stream, ops.stream_submit_tool_outputs)
