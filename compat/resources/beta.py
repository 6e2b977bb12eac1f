"""``client.beta``: the SDK's own ``Beta`` with ``assistants`` and ``threads`` replaced by ours."""

from __future__ import annotations

import openai
from openai._compat import cached_property
from openai.resources.beta import AsyncBeta as _AsyncBeta, Beta as _Beta
from openai.resources.vector_stores import AsyncVectorStores, VectorStores

from .._context import Context
from .assistants import Assistants, AsyncAssistants
from .threads import AsyncThreads, Threads

__all__ = ["AsyncBeta", "Beta"]


class Beta(_Beta):
    """``client.beta`` of :class:`compat.OpenAI`; everything but assistants and threads is the SDK's."""

    def __init__(self, client: openai.OpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    @cached_property
    def assistants(self) -> Assistants:
        """Assistants, kept in the local store."""
        return Assistants(self._client, self._context)

    @cached_property
    def threads(self) -> Threads:
        """Threads on conversations, with messages, runs and run steps."""
        return Threads(self._client, self._context)

    @cached_property
    def vector_stores(self) -> VectorStores:
        """``client.vector_stores``, where code written before openai 1.66 looks for it (``client.beta``)."""
        return self._client.vector_stores


class AsyncBeta(_AsyncBeta):
    """``client.beta`` of :class:`compat.AsyncOpenAI`; everything but assistants and threads is the SDK's."""

    def __init__(self, client: openai.AsyncOpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    @cached_property
    def assistants(self) -> AsyncAssistants:
        """Assistants, kept in the local store."""
        return AsyncAssistants(self._client, self._context)

    @cached_property
    def threads(self) -> AsyncThreads:
        """Threads on conversations, with messages, runs and run steps."""
        return AsyncThreads(self._client, self._context)

    @cached_property
    def vector_stores(self) -> AsyncVectorStores:
        """``client.vector_stores``, where code written before openai 1.66 looks for it (``client.beta``)."""
        return self._client.vector_stores
