"""SDK-shaped results of the legacy methods: event streams, stream managers and auto-paginating lists.

- ``runs.create(stream=True)`` and friends return a :class:`LegacyStream` (an ``openai.Stream`` of
  ``AssistantStreamEvent``): iterable, closable, a context manager. The operation runs up to its
  first event before the call returns, so refusals (unknown ids, bad arguments, an active run) raise
  from the call itself, as the legacy API's did.
- ``runs.stream`` / ``submit_tool_outputs_stream`` / ``create_and_run_stream`` return the SDK's own
  ``AssistantStreamManager`` around a :class:`LegacyStream`, so a user's ``AssistantEventHandler``
  gets every hook exactly as the SDK drives it. The operation starts when the manager is entered.
- Lists return :class:`~compat.resources.core.common.CompatSyncPage` (sync) or an awaitable,
  async-iterable :class:`CompatAsyncPaginator` (async), like the SDK's ``AsyncPaginator``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from types import TracebackType
from typing import Any, Generic, TypeVar

import openai
from openai import AssistantEventHandler, AsyncAssistantEventHandler
from openai.lib.streaming import (
    AssistantStreamManager,
    AsyncAssistantStreamManager,
)
from openai.types.beta import AssistantStreamEvent
from pydantic import BaseModel

from .._effects import Op, run_async, run_sync, stream_async, stream_sync
from .core.common import CompatAsyncPage, CompatSyncPage, Listing, make_async_page, make_page

__all__ = [
    "AsyncLegacyStream",
    "CompatAsyncPaginator",
    "LegacyStream",
    "async_page",
    "async_stream_manager",
    "open_async_stream",
    "open_stream",
    "stream_manager",
    "sync_page",
]

T = TypeVar("T", bound=BaseModel)


class LegacyStream(openai.Stream[AssistantStreamEvent]):
    """The legacy event stream of one run turn, fed by the shim instead of an HTTP body."""

    def __init__(self, events: Iterator[AssistantStreamEvent], first: AssistantStreamEvent | None) -> None:
        self._events = events
        self._first = first
        self._iterator = self.__stream__()

    def __stream__(self) -> Iterator[AssistantStreamEvent]:
        if self._first is not None:
            first, self._first = self._first, None
            yield first
        yield from self._events

    def close(self) -> None:
        """Stop the run's stream and release the underlying connection."""
        close = getattr(self._events, "close", None)
        if close is not None:
            close()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncLegacyStream(openai.AsyncStream[AssistantStreamEvent]):
    """The async twin of :class:`LegacyStream`."""

    def __init__(self, events: AsyncIterator[AssistantStreamEvent], first: AssistantStreamEvent | None) -> None:
        self._events = events
        self._first = first
        self._iterator = self.__stream__()

    async def __stream__(self) -> AsyncIterator[AssistantStreamEvent]:
        if self._first is not None:
            first, self._first = self._first, None
            yield first
        async for event in self._events:
            yield event

    async def close(self) -> None:
        """Stop the run's stream and release the underlying connection."""
        aclose = getattr(self._events, "aclose", None)
        if aclose is not None:
            await aclose()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        await self.close()


def open_stream(op: Op[Any], client: object) -> LegacyStream:
    """Start a streaming op (up to its first event) and wrap it as the SDK's stream type."""
    events = stream_sync(op, client)
    first = next(events, None)
    return LegacyStream(events, first)


async def open_async_stream(op: Op[Any], client: object) -> AsyncLegacyStream:
    """Start a streaming op (up to its first event) with the async client."""
    events = stream_async(op, client)
    first = await anext_or_none(events)
    return AsyncLegacyStream(events, first)


async def anext_or_none(events: AsyncIterator[AssistantStreamEvent]) -> AssistantStreamEvent | None:
    """The next event, or ``None`` at the end."""
    try:
        return await events.__anext__()
    except StopAsyncIteration:
        return None


def stream_manager(make_op: Callable[[], Op[Any]], client: object, event_handler: AssistantEventHandler | None) -> Any:
    """The SDK's ``AssistantStreamManager``; the op starts when the manager is entered."""
    handler: Any = event_handler if event_handler is not None else AssistantEventHandler()
    return AssistantStreamManager(lambda: open_stream(make_op(), client), event_handler=handler)


def async_stream_manager(
    make_op: Callable[[], Op[Any]], client: object, event_handler: AsyncAssistantEventHandler | None
) -> Any:
    """The SDK's ``AsyncAssistantStreamManager``; the op starts when the manager is entered."""
    handler: Any = event_handler if event_handler is not None else AsyncAssistantEventHandler()
    request: Any = _lazy(lambda: open_async_stream(make_op(), client))
    return AsyncAssistantStreamManager(request, event_handler=handler)


class _lazy:
    """An awaitable that starts its coroutine only when awaited (managers may be entered later)."""

    def __init__(self, start: Callable[[], Awaitable[Any]]) -> None:
        self._start = start

    def __await__(self) -> Generator[Any, None, Any]:
        return self._start().__await__()


def sync_page(
    make_op: Callable[[Mapping[str, Any]], Op[Listing[T]]], args: Mapping[str, Any], client: object
) -> CompatSyncPage[T]:
    """One page of a legacy list; iterating it walks the following pages too."""
    listing = run_sync(make_op(args), client)
    return make_page(listing, lambda after: sync_page(make_op, _next_args(args, after), client))


def _next_args(args: Mapping[str, Any], after: str) -> dict[str, Any]:
    return {**{k: v for k, v in args.items() if k != "before"}, "after": after}


class CompatAsyncPaginator(Generic[T]):
    """Like the SDK's ``AsyncPaginator``: ``await`` it for the first page, ``async for`` for every item."""

    def __init__(
        self, make_op: Callable[[Mapping[str, Any]], Op[Listing[T]]], args: Mapping[str, Any], client: object
    ) -> None:
        self._make_op = make_op
        self._args = dict(args)
        self._client = client

    def __await__(self) -> Generator[Any, None, CompatAsyncPage[T]]:
        return self._page(self._args).__await__()

    async def _page(self, args: Mapping[str, Any]) -> CompatAsyncPage[T]:
        listing = await run_async(self._make_op(args), self._client)
        return make_async_page(listing, lambda after: self._page(_next_args(args, after)))

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self
        async for item in page:
            yield item


def async_page(make_op: Callable[[Mapping[str, Any]], Op[Listing[T]]], args: Mapping[str, Any], client: object) -> Any:
    """The async list result: an awaitable, async-iterable paginator."""
    return CompatAsyncPaginator(make_op, args, client)
