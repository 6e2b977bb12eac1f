"""``client.beta.threads``: threads on conversations (``thread.id`` is the conversation id)."""

# pyright: reportDeprecated=false
# (the legacy methods are bound to the SDK's, which the SDK marks deprecated)

from __future__ import annotations

import openai
from openai._compat import cached_property
from openai.resources.beta.threads import threads as _sdk

from .._context import Context
from ..ops import runs as run_ops, threads as thread_ops
from ._bind import call, manager, streamable
from .messages import AsyncMessages, Messages
from .runs import AsyncRuns, Runs

__all__ = ["AsyncThreads", "Threads"]


class Threads(_sdk.Threads):
    """Threads on conversations, with their messages and runs."""

    def __init__(self, client: openai.OpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    @cached_property
    def runs(self) -> Runs:
        """Runs: responses created with ``conversation=thread_id``."""
        return Runs(self._client, self._context)

    @cached_property
    def messages(self) -> Messages:
        """Messages: the conversation's message items."""
        return Messages(self._client, self._context)

    create = call(_sdk.Threads.create, thread_ops.create_thread)
    retrieve = call(_sdk.Threads.retrieve, thread_ops.retrieve_thread)
    update = call(_sdk.Threads.update, thread_ops.update_thread)
    delete = call(_sdk.Threads.delete, thread_ops.delete_thread)
    create_and_run = streamable(
        _sdk.Threads.create_and_run, run_ops.create_thread_and_run, run_ops.stream_thread_and_run
    )
    create_and_run_poll = call(_sdk.Threads.create_and_run_poll, run_ops.create_thread_and_run_poll)
    create_and_run_stream = manager(_sdk.Threads.create_and_run_stream, run_ops.stream_thread_and_run)


class AsyncThreads(_sdk.AsyncThreads):
    """Threads on conversations, with their messages and runs, for ``AsyncOpenAI``."""

    def __init__(self, client: openai.AsyncOpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    @cached_property
    def runs(self) -> AsyncRuns:
        """Runs: responses created with ``conversation=thread_id``."""
        return AsyncRuns(self._client, self._context)

    @cached_property
    def messages(self) -> AsyncMessages:
        """Messages: the conversation's message items."""
        return AsyncMessages(self._client, self._context)

    create = call(_sdk.AsyncThreads.create, thread_ops.create_thread)
    retrieve = call(_sdk.AsyncThreads.retrieve, thread_ops.retrieve_thread)
    update = call(_sdk.AsyncThreads.update, thread_ops.update_thread)
    delete = call(_sdk.AsyncThreads.delete, thread_ops.delete_thread)
    create_and_run = streamable(
        _sdk.AsyncThreads.create_and_run, run_ops.create_thread_and_run, run_ops.stream_thread_and_run
    )
    create_and_run_poll = call(_sdk.AsyncThreads.create_and_run_poll, run_ops.create_thread_and_run_poll)
    create_and_run_stream = manager(_sdk.AsyncThreads.create_and_run_stream, run_ops.stream_thread_and_run)
