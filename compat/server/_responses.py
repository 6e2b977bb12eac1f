"""The two kinds of answer: legacy JSON, and a stream whose source is closed however the answer ends."""

from __future__ import annotations

import json
from typing import Any

import anyio
from starlette.responses import JSONResponse, StreamingResponse
from starlette.types import Send

__all__ = ["ClosingStreamingResponse", "LegacyJSONResponse", "dumps"]


def dumps(value: Any) -> str:
    """Compact JSON, non-ASCII characters kept as they are."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class LegacyJSONResponse(JSONResponse):
    """JSON as the legacy API sent it: UTF-8, non-ASCII characters as they are."""

    def render(self, content: Any) -> bytes:
        return dumps(content).encode()


class ClosingStreamingResponse(StreamingResponse):
    """A ``StreamingResponse`` that closes its async generator when the answer ends, also when the caller
    went away mid-stream (Starlette then leaves it to the garbage collector): the library's run stream, or
    the upstream connection, is released at once."""

    async def stream_response(self, send: Send) -> None:
        try:
            await super().stream_response(send)
        finally:
            aclose = getattr(self.body_iterator, "aclose", None)
            if aclose is not None:
                with anyio.CancelScope(shield=True):
                    await aclose()
