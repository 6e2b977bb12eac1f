"""One core for the sync and the async client: operations are generators of effects.

Every legacy method is written once, as a generator (an *op*) that yields the I/O it needs as effect
values and receives each result back; the store, being local, is called directly. A driver performs
the effects with a synchronous or an asynchronous ``openai`` client:

- :class:`Call` calls a client method by path (``("responses", "create")``) and sends back its result;
- :class:`Pull` takes the next event of a stream opened by a ``Call`` (``None`` once it is exhausted);
- :class:`Close` closes such a stream;
- :class:`Sleep` waits (``runs.poll`` between reads of a run another process is driving);
- :class:`Emit` hands a legacy stream event to the caller of a streaming method.

An exception raised while performing an effect is thrown into the op at the ``yield``, so ops handle
server errors with ordinary ``try``/``except``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio
from openai.types.beta import AssistantStreamEvent

__all__ = [
    "Call",
    "Close",
    "Effect",
    "Emit",
    "Op",
    "Pull",
    "Sleep",
    "run_async",
    "run_sync",
    "stream_async",
    "stream_sync",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    """Call ``client.<path>(**kwargs)``; the op receives the return value."""

    path: tuple[str, ...]
    kwargs: Mapping[str, Any] = field(default_factory=dict[str, Any])


@dataclass(frozen=True)
class Pull:
    """Take the next event of an open stream; the op receives the event, or ``None`` at its end."""

    stream: Any


@dataclass(frozen=True)
class Close:
    """Close an open stream."""

    stream: Any


@dataclass(frozen=True)
class Sleep:
    """Wait this many seconds."""

    seconds: float


@dataclass(frozen=True)
class Emit:
    """Hand one legacy stream event to the caller."""

    event: AssistantStreamEvent


Effect = Call | Pull | Close | Sleep | Emit
Op = Generator[Effect, Any, T]


def _method(client: object, path: tuple[str, ...]) -> Any:
    target: Any = client
    for name in path:
        target = getattr(target, name)
    return target


def _perform_sync(effect: Effect, client: object) -> Any:
    if isinstance(effect, Call):
        return _method(client, effect.path)(**effect.kwargs)
    if isinstance(effect, Pull):
        return next(effect.stream, None)
    if isinstance(effect, Close):
        effect.stream.close()
        return None
    if isinstance(effect, Sleep):
        time.sleep(effect.seconds)
        return None
    raise TypeError(f"{effect!r} cannot be performed here")


async def _perform_async(effect: Effect, client: object) -> Any:
    if isinstance(effect, Call):
        return await _method(client, effect.path)(**effect.kwargs)
    if isinstance(effect, Pull):
        try:
            return await effect.stream.__anext__()
        except StopAsyncIteration:
            return None
    if isinstance(effect, Close):
        await effect.stream.close()
        return None
    if isinstance(effect, Sleep):
        await anyio.sleep(effect.seconds)
        return None
    raise TypeError(f"{effect!r} cannot be performed here")


def _advance(op: Op[Any], result: Any, error: BaseException | None) -> Effect:
    """Resume the op with the last result (or error); StopIteration carries its return value."""
    if error is not None:
        return op.throw(error)
    return op.send(result)


def _opens_stream(effect: Effect) -> bool:
    return isinstance(effect, Call) and effect.kwargs.get("stream") is True


def _drive_sync(op: Op[T], client: object) -> Generator[AssistantStreamEvent, None, T]:
    """Perform the op's effects; streams it opened are closed when it ends, however it ends."""
    result: Any = None
    error: BaseException | None = None
    opened: list[Any] = []
    try:
        while True:
            try:
                effect = _advance(op, result, error)
            except StopIteration as stop:
                return stop.value  # pyright: ignore[reportUnknownVariableType, reportUnknownMemberType]
            result, error = None, None
            if isinstance(effect, Emit):
                yield effect.event
                continue
            try:
                result = _perform_sync(effect, client)
            except Exception as exc:
                error = exc
            if _opens_stream(effect) and error is None:
                opened.append(result)
    finally:
        op.close()
        for stream in opened:
            stream.close()


def run_sync(op: Op[T], client: object) -> T:
    """Run an op that emits no events with a synchronous client; its return value."""
    driver = _drive_sync(op, client)
    try:
        event = next(driver)
    except StopIteration as stop:
        return stop.value  # pyright: ignore[reportUnknownVariableType, reportUnknownMemberType]
    driver.close()
    raise RuntimeError(f"a non-streaming operation emitted {event.event!r}")


def stream_sync(op: Op[Any], client: object) -> Iterator[AssistantStreamEvent]:
    """Run a streaming op with a synchronous client, yielding the legacy events it emits."""
    yield from _drive_sync(op, client)


async def run_async(op: Op[T], client: object) -> T:
    """Run an op that emits no events with an asynchronous client; its return value."""
    result: Any = None
    error: BaseException | None = None
    while True:
        try:
            effect = _advance(op, result, error)
        except StopIteration as stop:
            return stop.value  # pyright: ignore[reportUnknownVariableType, reportUnknownMemberType]
        if isinstance(effect, Emit):
            op.close()
            raise RuntimeError(f"a non-streaming operation emitted {effect.event.event!r}")
        result, error = await _perform_async_safely(effect, client)


async def stream_async(op: Op[Any], client: object) -> AsyncIterator[AssistantStreamEvent]:
    """Run a streaming op with an asynchronous client, yielding the legacy events it emits."""
    result: Any = None
    error: BaseException | None = None
    opened: list[Any] = []
    try:
        while True:
            try:
                effect = _advance(op, result, error)
            except StopIteration:
                return
            if isinstance(effect, Emit):
                result, error = None, None
                yield effect.event
                continue
            result, error = await _perform_async_safely(effect, client)
            if _opens_stream(effect) and error is None:
                opened.append(result)
    finally:
        op.close()
        for stream in opened:
            await stream.close()


async def _perform_async_safely(effect: Effect, client: object) -> tuple[Any, BaseException | None]:
    try:
        return await _perform_async(effect, client), None
    except Exception as exc:
        return None, exc
