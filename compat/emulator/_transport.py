"""httpx2 transports that serve requests from an ``Emulator`` in-process."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx2

from ._emulator import Emulator, EmulatorResponse
from ._errors import StreamCut
from ._stream import EventStream


def _call(emulator: Emulator, request: httpx2.Request) -> EmulatorResponse:
    body: Any = None
    if request.content:
        multipart = request.headers.get("content-type", "").startswith("multipart/")
        body = request.content if multipart else json.loads(request.content)
    query = parse_qs(request.url.query.decode())
    return emulator.handle(request.method, request.url.path, query=query, body=body, headers=dict(request.headers))


class _SyncEvents(httpx2.SyncByteStream):
    def __init__(self, stream: EventStream) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except StreamCut as cut:
            raise httpx2.RemoteProtocolError("peer closed connection without sending complete message body") from cut

    def close(self) -> None:
        self._stream.close()


class _AsyncEvents(httpx2.AsyncByteStream):
    def __init__(self, stream: EventStream) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            for chunk in self._stream:
                yield chunk
        except StreamCut as cut:
            raise httpx2.RemoteProtocolError("peer closed connection without sending complete message body") from cut

    async def aclose(self) -> None:
        self._stream.close()


def _to_httpx(
    answer: EmulatorResponse,
    request: httpx2.Request,
    stream: httpx2.SyncByteStream | httpx2.AsyncByteStream | None,
) -> httpx2.Response:
    if stream is not None:
        return httpx2.Response(answer.status, headers=answer.headers, stream=stream, request=request)
    content = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
    return httpx2.Response(answer.status, headers=answer.headers, content=content, request=request)


class EmulatorTransport(httpx2.BaseTransport):
    """Serves an ``httpx2.Client``'s requests from ``emulator``; streamed bodies are produced lazily."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Answer one request from the emulator."""
        request.read()
        answer = _call(self.emulator, request)
        stream = _SyncEvents(answer.stream) if answer.stream is not None else None
        return _to_httpx(answer, request, stream)


class AsyncEmulatorTransport(httpx2.AsyncBaseTransport):
    """Serves an ``httpx2.AsyncClient``'s requests from ``emulator``; streamed bodies are produced lazily."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        """Answer one request from the emulator."""
        await request.aread()
        answer = _call(self.emulator, request)
        stream = _AsyncEvents(answer.stream) if answer.stream is not None else None
        return _to_httpx(answer, request, stream)
