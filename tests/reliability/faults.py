"""A transport that injects faults between the shim and the emulator, as a network or a server would.

Kinds, each on the first matching request:

- ``connect``: the connection cannot be made (the request never leaves);
- ``429``, ``locked``: the server refuses the request before doing anything (rate limit, conversation locked);
- ``500``, ``503``: the server did the work, then answered an error;
- ``timeout``, ``reset``: the server did the work, the answer is lost (read timeout, connection reset);
- ``malformed``: the server did the work and answered a body that is not JSON;
- ``cut``: a streamed answer breaks off midway (the server still finishes the response).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx2

from compat.emulator import EmulatorTransport

KINDS = ("connect", "429", "locked", "500", "503", "timeout", "reset", "malformed", "cut")
BEFORE = frozenset({"connect", "429", "locked"})


def _error(status: int, message: str, code: str | None, kind: str) -> httpx2.Response:
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return httpx2.Response(status, json=body)


@dataclass
class Fault:
    """One fault for the first request of ``method`` whose path matches ``path`` (and ``stream``, if set)."""

    kind: str
    method: str
    path: str
    stream: bool | None = None
    fired: int = 0

    def matches(self, request: httpx2.Request) -> bool:
        if self.fired or request.method != self.method or not re.search(self.path, request.url.path):
            return False
        if self.stream is None:
            return True
        body = json.loads(request.content) if request.content else {}
        return bool(body.get("stream")) == self.stream


class _Cut(httpx2.SyncByteStream):
    """Half of the SSE events, then a dropped connection; the rest still reaches the server's end."""

    def __init__(self, inner: httpx2.SyncByteStream) -> None:
        self._inner = inner

    def __iter__(self) -> Iterator[bytes]:
        chunks = list(self._inner)
        yield from chunks[: max(1, len(chunks) // 2)]
        raise httpx2.RemoteProtocolError("peer closed connection without sending complete message body")


class FaultyTransport(httpx2.BaseTransport):
    """The emulator's transport with :class:`Fault` s injected."""

    def __init__(self, inner: EmulatorTransport, *faults: Fault) -> None:
        self.inner = inner
        self.faults = list(faults)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        fault = next((f for f in self.faults if f.matches(request)), None)
        if fault is None:
            return self.inner.handle_request(request)
        fault.fired += 1
        return self._inject(fault.kind, request)

    def _inject(self, kind: str, request: httpx2.Request) -> httpx2.Response:
        if kind == "connect":
            raise httpx2.ConnectError("[Errno 111] Connection refused", request=request)
        if kind == "429":
            return _error(429, "Rate limit reached for requests.", "rate_limit_exceeded", "requests")
        if kind == "locked":
            message = "Another process is currently operating on this conversation. Please retry in a few seconds."
            return _error(400, message, "conversation_locked", "invalid_request_error")
        answer = self.inner.handle_request(request)
        if (
            kind == "cut"
            and isinstance(answer.stream, httpx2.SyncByteStream)
            and answer.headers.get("content-type", "").startswith("text/event-stream")
        ):
            return httpx2.Response(answer.status_code, headers=answer.headers, stream=_Cut(answer.stream))
        answer.read()  # the server finishes its work (a streamed response completes)
        answer.close()
        if kind in ("500", "503"):
            return _error(int(kind), "The server had an error while processing your request.", None, "server_error")
        if kind == "timeout":
            raise httpx2.ReadTimeout("The read operation timed out", request=request)
        if kind in ("reset", "cut"):
            raise httpx2.ReadError("[Errno 104] Connection reset by peer", request=request)
        return httpx2.Response(200, headers={"content-type": "application/json"}, content=b'{"id": "resp_1", "obj')
