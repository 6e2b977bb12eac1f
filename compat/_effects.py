"""One core for the sync and the async client: operations are generators of typed effects.

Every legacy method is written once, as a generator (an *op*) that yields the I/O it needs as effect
values and receives each result back. Ops never touch the network or the store themselves; they use the
small helpers below, whose return types pyright checks end to end:

- :func:`call` — ``yield from call(lambda api: api.conversations.retrieve(thread_id))``: a typed function of
  the client. The sync driver calls it with ``openai.OpenAI``; the async driver with ``openai.AsyncOpenAI``,
  whose methods have the same names and arguments, and awaits what it returns. Reads keep the SDK's retry
  policy.
- :func:`write` — the same for a request that changes state upstream (a model turn, an item added). It is
  never retried blindly: the SDK's automatic retries are off for it, and only a request that provably did
  not leave (the connection could not be made) is tried again; anything else is the op's to reconcile.
- :func:`open_stream` / :func:`pull` — a streaming call, then its events one at a time (``None`` at the
  end); streams an op opened are closed by the driver however the op ends.
- :func:`local` — blocking local work, in practice the store: ``yield from local(lambda: store.get(...))``.
  The sync driver runs it in place; the async driver in a worker thread, so a busy SQLite file or a
  PostgreSQL lock never stalls the event loop.
- :func:`sleep` — wait (``runs.poll`` between reads of a run another process is driving);
- :func:`emit` — hand a legacy stream event to the caller of a streaming method.

An exception raised while performing an effect is thrown into the op at its ``yield``, so ops handle
server errors with ordinary ``try``/``except``. A body that is not valid JSON reaches the op as
``openai.APIResponseValidationError``, never as a ``json`` error. When the caller abandons a stream (closes it, or drops
it), the driver throws :class:`StreamClosed` into the op and keeps performing its effects until the op
re-raises it: an op can still write to the store on its way out, off the event loop.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import anyio
import anyio.to_thread
import httpx2
import openai
from openai.types.beta import AssistantStreamEvent

__all__ = [
    "Call",
    "Effect",
    "Emit",
    "Local",
    "Op",
    "Pull",
    "Sleep",
    "StreamClosed",
    "call",
    "emit",
    "is_ambiguous",
    "write",
    "local",
    "open_stream",
    "pull",
    "run_async",
    "run_sync",
    "sleep",
    "stream_async",
    "stream_sync",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")
E = TypeVar("E")

Api = openai.OpenAI
"""What an effect's function is given: the sync client (the async one mirrors it, method for method)."""


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """Call the API: ``fn(client)``, awaited with an async client; ``stream`` marks a stream to close later,
    ``write`` a request that changes state upstream (see :func:`write`)."""

    fn: Callable[[Api], T]
    stream: bool = False
    write: bool = False


@dataclass(frozen=True, slots=True)
class Pull(Generic[E]):
    """Take the next event of a stream a ``Call`` opened; ``None`` once it is exhausted."""

    stream: openai.Stream[E]


@dataclass(frozen=True, slots=True)
class Local(Generic[T]):
    """Blocking local work (the store): in place with the sync driver, in a worker thread with the async one."""

    fn: Callable[[], T]


@dataclass(frozen=True, slots=True)
class Sleep:
    """Wait this many seconds."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Emit:
    """Hand one legacy stream event to the caller."""

    event: AssistantStreamEvent


Effect = Call[Any] | Pull[Any] | Local[Any] | Sleep | Emit
Op = Generator[Effect, Any, T]


class StreamClosed(Exception):
    """Thrown into a streaming op whose caller closed or dropped the stream; the op re-raises it."""


def call(fn: Callable[[Api], T]) -> Op[T]:
    """The result of ``fn(client)``: one API request (or any SDK call)."""
    return cast(T, (yield Call(fn)))


def write(fn: Callable[[Api], T]) -> Op[T]:
    """The result of ``fn(client)``, a request that changes state upstream: sent again only when it never left."""
    return cast(T, (yield Call(fn, write=True)))


def open_stream(fn: Callable[[Api], openai.Stream[E]]) -> Op[openai.Stream[E]]:
    """A stream opened by ``fn(client)`` (a model turn: a write); the driver closes it when the op ends."""
    return cast("openai.Stream[E]", (yield Call(fn, stream=True, write=True)))


def pull(stream: openai.Stream[E]) -> Op[E | None]:
    """The stream's next event, or ``None`` at its end."""
    return cast("E | None", (yield Pull(stream)))


def local(fn: Callable[[], T]) -> Op[T]:
    """The result of blocking local work (a store call), off the event loop with the async client."""
    return cast(T, (yield Local(fn)))


def sleep(seconds: float) -> Op[None]:
    """Wait ``seconds``."""
    yield Sleep(seconds)


def emit(event: AssistantStreamEvent) -> Op[None]:
    """Hand ``event`` to the caller of the streaming method."""
    yield Emit(event)


# --- the sync driver -----------------------------------------------------------------------------


CONNECT_ATTEMPTS = 3
"""How often a write whose connection could not be made is tried in all."""
_CONNECT_BACKOFF_SECONDS = 0.5


def _never_left(error: Exception) -> bool:
    """Whether a failed request provably never reached the server: its connection could not be made."""
    return isinstance(error, openai.APIConnectionError) and isinstance(
        error.__cause__, (httpx2.ConnectError, httpx2.ConnectTimeout)
    )


def is_ambiguous(error: openai.APIError) -> bool:
    """Whether a failed write may have taken effect: its answer was lost or garbled (a timeout, a cut
    connection, a 5xx, a body that is not JSON), as opposed to a refusal or a request that never left."""
    if isinstance(error, openai.APIStatusError):
        return error.status_code >= 500
    if isinstance(error, openai.APIConnectionError):
        return not _never_left(error)
    return isinstance(error, openai.APIResponseValidationError)


def _without_retries(client: object) -> Api:
    """The client with the SDK's automatic retries off (made once per client)."""
    twin = client.__dict__.get("_compat_without_retries")
    if twin is None:
        twin = cast(Api, client).with_options(max_retries=0)
        client.__dict__["_compat_without_retries"] = twin
    return cast(Api, twin)


def _bad_body(error: ValueError) -> openai.APIResponseValidationError:
    request = httpx2.Request("GET", "https://compat.invalid/v1")
    response = httpx2.Response(200, request=request)
    return openai.APIResponseValidationError(
        response, None, message=f"The server answered a body that is not JSON: {error}"
    )


def _call_sync(effect: Call[Any], client: object) -> Any:
    if not effect.write:
        return effect.fn(cast(Api, client))
    api = _without_retries(client)
    for attempt in range(1, CONNECT_ATTEMPTS + 1):
        try:
            return effect.fn(api)
        except openai.APIConnectionError as error:
            if attempt == CONNECT_ATTEMPTS or not _never_left(error):
                raise
            logger.info("connection not made (attempt %d), trying again: %s", attempt, error)
            time.sleep(_CONNECT_BACKOFF_SECONDS * attempt)
    raise AssertionError("unreachable")


def _perform_sync(effect: Effect, client: object) -> Any:
    try:
        return _perform_sync_raw(effect, client)
    except json.JSONDecodeError as error:
        raise _bad_body(error) from error


def _perform_sync_raw(effect: Effect, client: object) -> Any:
    if isinstance(effect, Local):
        return effect.fn()
    if isinstance(effect, Call):
        return _call_sync(effect, client)
    if isinstance(effect, Pull):
        return next(effect.stream, None)
    if isinstance(effect, Sleep):
        time.sleep(effect.seconds)
        return None
    raise TypeError(f"{effect!r} cannot be performed here")


def _finish_sync(op: Op[Any], client: object) -> None:
    """Throw :class:`StreamClosed` into an abandoned op and perform what it still needs (events dropped)."""
    try:
        effect = op.throw(StreamClosed())
        while True:
            result: Any = None if isinstance(effect, Emit) else _perform_sync(effect, client)
            effect = op.send(result)
    except (StopIteration, StreamClosed):
        return
    except Exception:
        logger.warning("an abandoned stream could not be wound up", exc_info=True)
    finally:
        op.close()


def _drive_sync(op: Op[T], client: object) -> Generator[AssistantStreamEvent, None, T]:
    """Perform the op's effects; streams it opened are closed when it ends, however it ends."""
    result: Any = None
    error: BaseException | None = None
    opened: list[openai.Stream[Any]] = []
    finished = False
    try:
        while True:
            try:
                effect = op.throw(error) if error is not None else op.send(result)
            except StopIteration as stop:
                finished = True
                return cast(T, stop.value)
            except BaseException:
                finished = True
                raise
            result, error = None, None
            if isinstance(effect, Emit):
                yield effect.event
                continue
            try:
                result = _perform_sync(effect, client)
            except Exception as exc:
                error = exc
            if isinstance(effect, Call) and effect.stream and error is None:
                opened.append(result)
    finally:
        if not finished:
            _finish_sync(op, client)
        for stream in opened:
            stream.close()


def run_sync(op: Op[T], client: object) -> T:
    """Run an op that emits no events with a synchronous client; its return value."""
    driver = _drive_sync(op, client)
    try:
        event = next(driver)
    except StopIteration as stop:
        return cast(T, stop.value)
    driver.close()
    raise RuntimeError(f"a non-streaming operation emitted {event.event!r}")


def stream_sync(op: Op[Any], client: object) -> Iterator[AssistantStreamEvent]:
    """Run a streaming op with a synchronous client, yielding the legacy events it emits."""
    yield from _drive_sync(op, client)


# --- the async driver ----------------------------------------------------------------------------


async def _call_async(effect: Call[Any], client: object) -> Any:
    if not effect.write:
        awaitable: Any = effect.fn(cast(Api, client))
        return await awaitable
    api = _without_retries(client)
    for attempt in range(1, CONNECT_ATTEMPTS + 1):
        try:
            pending: Any = effect.fn(api)
            return await pending
        except openai.APIConnectionError as error:
            if attempt == CONNECT_ATTEMPTS or not _never_left(error):
                raise
            logger.info("connection not made (attempt %d), trying again: %s", attempt, error)
            await anyio.sleep(_CONNECT_BACKOFF_SECONDS * attempt)
    raise AssertionError("unreachable")


async def _perform_async(effect: Effect, client: object) -> Any:
    try:
        return await _perform_async_raw(effect, client)
    except json.JSONDecodeError as error:
        raise _bad_body(error) from error


async def _perform_async_raw(effect: Effect, client: object) -> Any:
    if isinstance(effect, Local):
        return await anyio.to_thread.run_sync(effect.fn)
    if isinstance(effect, Call):
        return await _call_async(effect, client)
    if isinstance(effect, Pull):
        stream = cast("openai.AsyncStream[Any]", effect.stream)
        try:
            return await stream.__anext__()
        except StopAsyncIteration:
            return None
    if isinstance(effect, Sleep):
        await anyio.sleep(effect.seconds)
        return None
    raise TypeError(f"{effect!r} cannot be performed here")


async def _perform_async_safely(effect: Effect, client: object) -> tuple[Any, BaseException | None]:
    try:
        return await _perform_async(effect, client), None
    except Exception as exc:
        return None, exc


async def _finish_async(op: Op[Any], client: object) -> None:
    """The async twin of :func:`_finish_sync`."""
    try:
        effect = op.throw(StreamClosed())
        while True:
            result: Any = None if isinstance(effect, Emit) else await _perform_async(effect, client)
            effect = op.send(result)
    except (StopIteration, StreamClosed):
        return
    except Exception:
        logger.warning("an abandoned stream could not be wound up", exc_info=True)
    finally:
        op.close()


async def run_async(op: Op[T], client: object) -> T:
    """Run an op that emits no events with an asynchronous client; its return value."""
    result: Any = None
    error: BaseException | None = None
    while True:
        try:
            effect = op.throw(error) if error is not None else op.send(result)
        except StopIteration as stop:
            return cast(T, stop.value)
        if isinstance(effect, Emit):
            op.close()
            raise RuntimeError(f"a non-streaming operation emitted {effect.event.event!r}")
        result, error = await _perform_async_safely(effect, client)


async def stream_async(op: Op[Any], client: object) -> AsyncIterator[AssistantStreamEvent]:
    """Run a streaming op with an asynchronous client, yielding the legacy events it emits."""
    result: Any = None
    error: BaseException | None = None
    opened: list[openai.AsyncStream[Any]] = []
    finished = False
    try:
        while True:
            try:
                effect = op.throw(error) if error is not None else op.send(result)
            except StopIteration:
                finished = True
                return
            except BaseException:
                finished = True
                raise
            if isinstance(effect, Emit):
                result, error = None, None
                yield effect.event
                continue
            result, error = await _perform_async_safely(effect, client)
            if isinstance(effect, Call) and effect.stream and error is None:
                opened.append(result)
    finally:
        if not finished:
            await _finish_async(op, client)
        for stream in opened:
            await stream.close()
