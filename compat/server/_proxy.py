"""Every other ``/v1`` path, forwarded to the upstream API unchanged, streaming included.

One base URL then serves code that mixes legacy calls (answered by the library) with current ones
(``/v1/responses``, ``/v1/files``, ``/v1/chat/completions``...). Rules:

- Only OpenAI API paths: the first segment after ``/v1`` must be one of :data:`API_RESOURCES` (the
  top-level resources of the OpenAPI spec; a test keeps the two equal) and no segment may be ``.`` or
  ``..``; anything else is the legacy 404 ``Invalid URL``. The legacy resources themselves
  (``assistants``, ``threads``) never reach the upstream: a method the legacy API lacked is a 404 here.
- A request without a bearer key is refused (401) before anything is sent: the server is no open relay.
- The request goes out with its method, path, query string and body as received (the body read up to the
  size limit, else 413) and its headers but the hop-by-hop ones and ``Host``: the caller's
  ``Authorization``, ``OpenAI-Organization`` and ``OpenAI-Project`` included, nothing of the server's.
- The answer comes back with its status, headers (but hop-by-hop ones and ``Set-Cookie``) and body bytes
  as they arrive (still encoded: ``Content-Encoding`` is passed on), so SSE streams flow through as sent.
  Redirects are passed on, not followed.
- An upstream that cannot be reached is a 502 (a timeout a 504) in the legacy envelope.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import httpx2
from starlette.requests import Request
from starlette.responses import Response

from ._errors import LegacyError, envelope, invalid_url
from ._responses import ClosingStreamingResponse

__all__ = ["API_RESOURCES", "LEGACY_RESOURCES", "forward", "upstream_target"]

LEGACY_RESOURCES = frozenset({"assistants", "threads"})
"""Served by the library, never forwarded."""

API_RESOURCES = frozenset(
    {
        "audio",
        "batches",
        "chat",
        "chatkit",
        "completions",
        "containers",
        "content_provenance_checks",
        "conversations",
        "embeddings",
        "evals",
        "files",
        "fine_tuning",
        "images",
        "models",
        "moderations",
        "organization",
        "projects",
        "realtime",
        "responses",
        "skills",
        "uploads",
        "vector_stores",
        "videos",
    }
)
"""The top-level resources of the OpenAI API (``/v1/<resource>/...``) that are forwarded."""

_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
_NOT_FORWARDED = _HOP_BY_HOP | {"host", "content-length"}
_NOT_RETURNED = _HOP_BY_HOP | {"set-cookie"}


def upstream_target(method: str, raw_path: str, query_string: str, upstream: str) -> str:
    """The upstream URL for a request to ``raw_path`` (starting ``/v1/``); 404 when it is no API path."""
    rest = raw_path.removeprefix("/v1")
    segments = rest.split("/")[1:]
    if not raw_path.startswith("/v1/") or segments[0] not in API_RESOURCES or any(map(_is_dot_segment, segments)):
        raise invalid_url(method, raw_path)
    return upstream.rstrip("/") + rest + (f"?{query_string}" if query_string else "")


def _is_dot_segment(segment: str) -> bool:
    """``.`` or ``..``, also percent-encoded: they would climb out of ``/v1`` once the URL is normalised."""
    return segment.lower().replace("%2e", ".") in (".", "..")


async def forward(request: Request, body: bytes, *, target: str, http: httpx2.AsyncClient) -> Response:
    """Send the request (its ``body`` already read) on to ``target`` and stream the answer back."""
    headers = [(key, value) for key, value in request.headers.items() if key.lower() not in _NOT_FORWARDED]
    outgoing = http.build_request(request.method, httpx2.URL(target), headers=headers, content=body)
    try:
        answer = await http.send(outgoing, stream=True, follow_redirects=False)
    except httpx2.TimeoutException:
        raise LegacyError(504, envelope("The upstream API timed out.", type="server_error")) from None
    except httpx2.TransportError:
        raise LegacyError(502, envelope("The upstream API could not be reached.", type="server_error")) from None
    response = ClosingStreamingResponse(_relay(answer), status_code=answer.status_code)
    response.raw_headers = [
        (key.encode("latin-1"), value.encode("latin-1"))
        for key, value in answer.headers.multi_items()
        if key.lower() not in _NOT_RETURNED
    ]
    return response


async def _relay(answer: httpx2.Response) -> AsyncIterator[bytes]:
    """The answer's bytes as they arrive; the upstream connection goes back to the pool however it ends."""
    try:
        async for chunk in answer.aiter_raw():
            yield chunk
    finally:
        with anyio.CancelScope(shield=True):
            await answer.aclose()
