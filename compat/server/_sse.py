"""The legacy SSE wire format: the library's ``AssistantStreamEvent`` objects as the Assistants API sent them.

::

    event: thread.run.created
    data: {"id":"run_...","object":"thread.run",...}

    ...

    event: done
    data: [DONE]

Rules:

- one frame per event, ``event:`` the event's name, ``data:`` its object as compact JSON on one line;
- a ``*.delta`` object carries only the fields its delta holds (``to_dict`` leaves out unset fields: the
  Node SDK's accumulator throws on a ``null`` meeting an accumulated value), whole objects keep their
  explicit ``null``s;
- the stream ends with ``event: done`` / ``data: [DONE]`` when the run's stream ends normally;
- a failure after the first event (the upstream breaking off, say) ends it with one ``event: error`` whose
  data is ``{"error": {"message", "type", "param", "code"}}``, which the SDKs' stream parsers raise as an
  ``APIError``; there is no ``done`` after it;
- however the stream ends, the library's stream is closed, also when the caller goes away mid-stream, so
  the run is wound up in the store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
from openai import AsyncStream
from openai.types.beta import AssistantStreamEvent

from ._errors import error_of
from ._responses import ClosingStreamingResponse, dumps

__all__ = ["DONE", "encode_event", "event_stream_response", "frame"]

DONE = b"event: done\ndata: [DONE]\n\n"

_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}


def frame(event: str, data: str) -> bytes:
    """One SSE frame; ``data`` holds no newline (compact JSON)."""
    return f"event: {event}\ndata: {data}\n\n".encode()


def encode_event(event: AssistantStreamEvent) -> bytes:
    """The frame of one legacy event."""
    return frame(event.event, dumps(event.data.to_dict(mode="json")))


async def frames(stream: AsyncStream[AssistantStreamEvent]) -> AsyncIterator[bytes]:
    """Every frame of the stream, then ``done`` (or an ``error`` frame); the stream is closed in any case."""
    try:
        async for event in stream:
            yield encode_event(event)
    except Exception as exc:
        _, body = error_of(exc)
        yield frame("error", dumps(body))
        return
    finally:
        # also on cancellation (the caller went away): the library winds the run up on its way out
        with anyio.CancelScope(shield=True):
            await stream.close()
    yield DONE


def event_stream_response(stream: AsyncStream[AssistantStreamEvent]) -> ClosingStreamingResponse:
    """A ``text/event-stream`` response sending the stream's frames as they come."""
    return ClosingStreamingResponse(frames(stream), media_type="text/event-stream; charset=utf-8", headers=_HEADERS)
