"""SDK-shaped results of the streaming legacy methods: event streams and stream managers.

- ``runs.create(stream=True)`` and friends return a :class:`LegacyStream` (an ``openai.Stream`` of
  ``AssistantStreamEvent``): iterable, closable, a context manager. The operation runs up to its
  first event before the call returns, so refusals (unknown ids, bad arguments, an active run) raise
  from the call itself, as the legacy API's did.
- ``runs.stream`` / ``submit_tool_outputs_stream`` / ``create_and_run_stream`` return the SDK's own
  ``AssistantStreamManager`` around a :class:`LegacyStream`, so a user's ``AssistantEventHandler``
  gets every hook exactly as the SDK drives it. The operation starts when the manager is entered.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from types import TracebackType
from typing import Any

import httpx2
import openai
from openai import AssistantEventHandler, AsyncAssistantEventHandler
from openai.lib.streaming import (
    AssistantStreamManager,
    AsyncAssistantStreamManager,
)
from openai.types.beta import AssistantStreamEvent

from .._effects import Op, stream_async, stream_sync

__all__ = [
    "AsyncLegacyStream",
    "LegacyStream",
    "async_stream_manager",
    "open_async_stream",
    "open_stream",
    "stream_manager",
]


def _legacy_response() -> httpx2.Response:
    """What a stream's ``response`` is here: a 200 SSE answer standing for the several requests of the turn
    (``with_streaming_response`` gives the upstream's own, see ``_raw``)."""
    request = httpx2.Request("POST", "https://compat.invalid/v1/threads/runs")
    return httpx2.Response(200, headers={"content-type": "text/event-stream"}, request=request)


class LegacyStream(openai.Stream[AssistantStreamEvent]):
    """The legacy event stream of one run turn, fed by the shim instead of an HTTP body."""

    def __init__(self, events: Iterator[AssistantStreamEvent], first: AssistantStreamEvent | None) -> None:
        self._events = events
        self._first = first
        self._iterator = self.__stream__()
        self.response = _legacy_response()

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
        self.response = _legacy_response()

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
