"""``with_raw_response`` / ``with_streaming_response`` on the legacy methods: the SDK's own response wrappers.

The SDK's views (``client.beta.assistants.with_raw_response``, ``client.with_raw_response.beta...``,
``...with_streaming_response``) call the method with the ``X-Stainless-Raw-Response`` header in
``extra_headers`` (``"true"`` / ``"stream"``) and expect a response wrapper back, as ``_base_client`` answers
it. ``_bind`` takes the header out (:func:`raw_mode`: it never travels upstream), performs the call as usual,
and answers :func:`respond_sync` / :func:`respond_async`: the SDK's ``LegacyAPIResponse`` for
``with_raw_response``, its ``APIResponse`` / ``AsyncAPIResponse`` for ``with_streaming_response``.

What such a response represents, as a legacy call is several Responses / Conversations requests, or none:

- ``parse()`` is the very object the method answers when called directly (a ``Run``, a page, the event
  ``Stream`` of ``stream=True``), with ``_request_id`` set from the response's headers as the SDK sets it;
- ``status_code``, ``headers`` (``x-request-id``, rate limits...) and ``http_request`` are those of the last
  successful upstream HTTP response of the call, as of when the method returns. With ``stream=True`` the
  method returns once the model's stream has opened upstream (the legacy events emitted before are kept
  for the stream), so these are that stream's, as the legacy API's were its own; what the stream
  requests while it is read comes later. The headers that describe the body (``content-type``,
  ``content-length``, encodings) describe the body below;
- a call that sends no request (what the store answers, e.g. ``assistants.retrieve``) answers a synthesized
  ``200`` with a JSON content type and no ``x-request-id``; its ``http_request`` is the legacy request the SDK
  would have sent for the call (built by the SDK, never sent);
- the body (``content``, ``text``, ``iter_lines()``...) is the legacy JSON of the result (a list's
  ``{"object": "list", "data", "first_id", "last_id", "has_more"}``), or for ``stream=True`` the legacy SSE
  frames, read from the very stream ``parse()`` answers (read the one or the other); closing the response
  closes the stream, so leaving a ``with_streaming_response`` block ends it as the SDK's does;
- ``with_raw_response``'s body is read (the response is closed), ``with_streaming_response``'s is not,
  until it is read or the context manager exits; errors raise as they do without the wrappers.

The upstream responses are seen through a response hook that the first raw call of a client adds to its
HTTP client (``httpx2`` event hooks, kept for the client's copies that share it); it records only inside
a raw call (a context variable), so every other call pays one context-variable read per response.
"""

from __future__ import annotations

import datetime
import functools
import inspect
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, cast

import httpx2
import openai
from openai._constants import RAW_RESPONSE_HEADER
from openai._legacy_response import LegacyAPIResponse
from openai._models import FinalRequestOptions, add_request_id
from openai._response import APIResponse, AsyncAPIResponse, BaseAPIResponse
from openai.pagination import AsyncCursorPage, SyncCursorPage
from openai.types.beta import AssistantStreamEvent

from ._streams import AsyncLegacyStream, LegacyStream, anext_or_none

__all__ = ["RawCall", "raw_mode", "respond_async", "respond_sync"]

_HEADER = RAW_RESPONSE_HEADER.lower()
_JSON = "application/json"
_SSE = "text/event-stream; charset=utf-8"
_BODY_HEADERS = ("content-type", "content-length", "content-encoding", "transfer-encoding")
_DONE = b"event: done\ndata: [DONE]\n\n"


def raw_mode(arguments: dict[str, Any]) -> str | None:
    """The wrapper a call asks for (``"true"``: raw, ``"stream"``: streaming), or ``None`` for a plain call.

    The header is taken out of ``extra_headers`` (which go away when nothing else is left in them), so that
    the operation sees the arguments of the plain call.
    """
    headers = arguments.get("extra_headers")
    if not isinstance(headers, Mapping):
        return None
    mode: object = None
    kept: dict[Any, Any] = {}
    for name, value in cast("Mapping[Any, Any]", headers).items():
        if isinstance(name, str) and name.lower() == _HEADER:
            mode = value
        else:
            kept[name] = value
    if not mode:
        return None
    if kept:
        arguments["extra_headers"] = kept
    else:
        del arguments["extra_headers"]
    return str(mode)


@dataclass(frozen=True)
class RawCall:
    """A legacy call made through a raw or streaming-response view.

    ``resource`` is the legacy resource, ``function`` the SDK method the legacy one is bound to, ``arguments``
    the caller's (the header taken out).
    """

    mode: str
    resource: Any
    function: Callable[..., Any]
    arguments: dict[str, Any]

    @property
    def resource_class(self) -> type[Any]:
        """The legacy resource's class, whose methods lead to the SDK's."""
        return cast("type[Any]", type(self.resource))


def respond_sync(call: RawCall, produce: Callable[[], Any]) -> Any:
    """The SDK's response wrapper around ``produce()``, the legacy method's result, for the sync client."""
    client = call.resource._client
    _listen(client)
    recording = _Recording()
    token = _recording.set(recording)
    try:
        result = produce()
        if isinstance(result, openai.Stream):
            result = _opened(cast("openai.Stream[AssistantStreamEvent]", result), recording)
    finally:
        _recording.reset(token)
    return _wrap(result, call, _legacy_request(call, result), recording.response, is_async=False)


async def respond_async(call: RawCall, produce: Callable[[], Awaitable[Any]]) -> Any:
    """The SDK's response wrapper around ``await produce()``, for the async client."""
    client = call.resource._client
    _listen(client)
    recording = _Recording()
    token = _recording.set(recording)
    try:
        result = await produce()
        if isinstance(result, openai.AsyncStream):
            result = await _async_opened(cast("openai.AsyncStream[AssistantStreamEvent]", result), recording)
    finally:
        _recording.reset(token)
    return _wrap(result, call, await _async_legacy_request(call, result), recording.response, is_async=True)


# --- the upstream responses of a call ------------------------------------------------------------


class _Recording:
    """The last successful upstream response of the raw call under way."""

    __slots__ = ("response",)

    def __init__(self) -> None:
        self.response: httpx2.Response | None = None


_recording: ContextVar[_Recording | None] = ContextVar("compat_raw_recording", default=None)


def _record(response: httpx2.Response) -> None:
    recording = _recording.get()
    if recording is not None and response.is_success:
        recording.response = response


async def _record_async(response: httpx2.Response) -> None:
    _record(response)


def _listen(client: Any) -> None:
    """Add the recording hook to the client's HTTP client, once."""
    http: httpx2.Client | httpx2.AsyncClient = client._client
    hooks = http.event_hooks["response"]
    hook = _record_async if isinstance(http, httpx2.AsyncClient) else _record
    if hook not in hooks:
        hooks.append(hook)


def _stream_opened(recording: _Recording) -> bool:
    response = recording.response
    return response is not None and response.headers.get("content-type", "").startswith("text/event-stream")


def _opened(stream: openai.Stream[AssistantStreamEvent], recording: _Recording) -> LegacyStream:
    """The stream, once it has opened the model's stream upstream (or ended): the events read so far first."""
    read: list[AssistantStreamEvent] = []
    while not _stream_opened(recording) and (event := next(stream, None)) is not None:
        read.append(event)
    return LegacyStream(_replay(read, stream), None)


async def _async_opened(stream: openai.AsyncStream[AssistantStreamEvent], recording: _Recording) -> AsyncLegacyStream:
    """The async twin of :func:`_opened`."""
    read: list[AssistantStreamEvent] = []
    while not _stream_opened(recording) and (event := await anext_or_none(stream)) is not None:
        read.append(event)
    return AsyncLegacyStream(_async_replay(read, stream), None)


def _replay(
    read: list[AssistantStreamEvent], stream: openai.Stream[AssistantStreamEvent]
) -> Iterator[AssistantStreamEvent]:
    try:
        yield from read
        yield from stream
    finally:
        stream.close()


async def _async_replay(
    read: list[AssistantStreamEvent], stream: openai.AsyncStream[AssistantStreamEvent]
) -> AsyncIterator[AssistantStreamEvent]:
    try:
        for event in read:
            yield event
        async for event in stream:
            yield event
    finally:
        await stream.close()


# --- the legacy request the SDK would have sent --------------------------------------------------


class _Captured(Exception):
    """What the SDK method's body asked its client to send (raised to stop it there)."""

    def __init__(self, method: str, path: str, kwargs: dict[str, Any]) -> None:
        super().__init__(method, path)
        self.method = method
        self.path = path
        self.kwargs = kwargs


class _Capture:
    """Stands for the resource in the SDK method's body: the request it would send is raised, not sent.

    A helper's body (``create_and_poll``) calls the resource's other SDK methods: their first request is it.
    """

    def __init__(self, resource_class: type[Any]) -> None:
        self._resource_class = resource_class

    def _get(self, path: str, **kwargs: Any) -> Any:
        raise _Captured("get", path, kwargs)

    def _post(self, path: str, **kwargs: Any) -> Any:
        raise _Captured("post", path, kwargs)

    def _delete(self, path: str, **kwargs: Any) -> Any:
        raise _Captured("delete", path, kwargs)

    def _get_api_list(self, path: str, **kwargs: Any) -> Any:
        raise _Captured(kwargs.get("method", "get"), path, kwargs)

    def __getattr__(self, name: str) -> Any:
        return functools.partial(inspect.unwrap(getattr(self._resource_class, name)), self)


def _legacy_request(call: RawCall, result: Any) -> _Captured:
    try:
        call.function(_Capture(call.resource_class), **call.arguments)
    except _Captured as captured:
        return captured
    return _nothing_captured(result)


async def _async_legacy_request(call: RawCall, result: Any) -> _Captured:
    try:
        pending = call.function(_Capture(call.resource_class), **call.arguments)
        if inspect.isawaitable(pending):
            await pending
    except _Captured as captured:
        return captured
    return _nothing_captured(result)


def _nothing_captured(result: Any) -> _Captured:
    """For an SDK method that sends nothing itself (none of the legacy methods): the result's own type."""
    return _Captured("get", "/", {"cast_to": type(result)})


def _options(captured: _Captured) -> FinalRequestOptions:
    """The SDK's request options for the captured call, as its ``get`` / ``post`` / ``delete`` build them."""
    options = cast("dict[str, Any]", captured.kwargs.get("options", {}))
    return FinalRequestOptions.construct(
        method=captured.method, url=captured.path, json_data=captured.kwargs.get("body"), **options
    )


def _synthesized_request(client: Any, options: FinalRequestOptions) -> httpx2.Request:
    """The request the SDK would have sent (headers included), built by the client, never sent."""
    try:
        return client._build_request(options)
    except (TypeError, ValueError):  # e.g. no credentials to put in the headers
        return httpx2.Request(options.method.upper(), client._prepare_url(options.url))


# --- the wrappers --------------------------------------------------------------------------------


def _wrap(
    result: Any, call: RawCall, captured: _Captured, upstream: httpx2.Response | None, *, is_async: bool
) -> BaseAPIResponse[Any] | LegacyAPIResponse[Any]:
    client = call.resource._client
    options = _options(captured)
    request = upstream.request if upstream is not None else _synthesized_request(client, options)
    raw = _http_response(result, upstream, request, read=call.mode == "true")
    cast_to: Any = captured.kwargs.get("page") or captured.kwargs["cast_to"]
    wrapper: type[Any] = LegacyAPIResponse
    if call.mode != "true":
        wrapper = AsyncAPIResponse if is_async else APIResponse
    response = wrapper(
        raw=raw,
        cast_to=cast_to,
        client=client,
        stream=bool(captured.kwargs.get("stream")),
        stream_cls=captured.kwargs.get("stream_cls"),
        options=options,
    )
    if isinstance(result, openai.BaseModel):
        add_request_id(result, raw.headers.get("x-request-id"))
    # ``parse()`` answers the legacy object itself: the SDK's parser would read the body, not the operation
    response._parsed_by_type[cast_to] = result
    return response


def _http_response(
    result: Any, upstream: httpx2.Response | None, request: httpx2.Request, *, read: bool
) -> httpx2.Response:
    """The upstream response's status and headers around the legacy body of ``result``."""
    headers = httpx2.Headers(upstream.headers if upstream is not None else None)
    for name in _BODY_HEADERS:
        headers.pop(name, None)
    status = upstream.status_code if upstream is not None else 200
    if isinstance(result, openai.Stream):
        headers["content-type"] = _SSE
        frames = _EventFrames(cast("openai.Stream[AssistantStreamEvent]", result))
        response = httpx2.Response(status, headers=headers, stream=frames, request=request)
    elif isinstance(result, openai.AsyncStream):
        headers["content-type"] = _SSE
        async_frames = _AsyncEventFrames(cast("openai.AsyncStream[AssistantStreamEvent]", result))
        response = httpx2.Response(status, headers=headers, stream=async_frames, request=request)
    else:
        body = _legacy_json(result)
        headers["content-type"] = _JSON
        headers["content-length"] = str(len(body))
        if read:
            response = httpx2.Response(status, headers=headers, content=body, request=request)
        else:
            response = httpx2.Response(status, headers=headers, stream=httpx2.ByteStream(body), request=request)
    response.elapsed = _elapsed(upstream)
    return response


def _elapsed(upstream: httpx2.Response | None) -> datetime.timedelta:
    try:
        return upstream.elapsed if upstream is not None else datetime.timedelta(0)
    except RuntimeError:  # a streamed upstream body not read yet
        return datetime.timedelta(0)


def _legacy_json(result: Any) -> bytes:
    """The legacy API's JSON for a result: the object's, or a list page's."""
    if isinstance(result, (SyncCursorPage, AsyncCursorPage)):
        page = cast("SyncCursorPage[openai.BaseModel]", result)
        data = [item.to_dict(mode="json") for item in page.data]
        body: object = {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
            "has_more": bool(page.has_more),
        }
    else:
        body = cast(openai.BaseModel, result).to_dict(mode="json")
    return json.dumps(body, separators=(",", ":")).encode()


def _frame(event: AssistantStreamEvent) -> bytes:
    data = json.dumps(event.data.to_dict(mode="json"), separators=(",", ":"))
    return f"event: {event.event}\ndata: {data}\n\n".encode()


class _EventFrames(httpx2.SyncByteStream):
    """The legacy SSE frames of an event stream, taken from it as the body is read; closing closes it."""

    def __init__(self, stream: openai.Stream[AssistantStreamEvent]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        for event in self._stream:
            yield _frame(event)
        yield _DONE

    def close(self) -> None:
        self._stream.close()


class _AsyncEventFrames(httpx2.AsyncByteStream):
    """The async twin of :class:`_EventFrames`."""

    def __init__(self, stream: openai.AsyncStream[AssistantStreamEvent]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for event in self._stream:
            yield _frame(event)
        yield _DONE

    async def aclose(self) -> None:
        await self._stream.close()
