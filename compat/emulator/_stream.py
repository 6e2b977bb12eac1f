"""A streamed response body: SSE bytes produced one event at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from ._errors import StreamCut
from ._events import Event, encode_event


class EventStream:
    """Iterates the SSE bytes of ``events``; runs ``on_end`` once, when exhausted, broken off or closed.

    With ``cut_after`` set, iteration raises ``StreamCut`` after that many events, as a dropped connection
    would; the response still completes on the server, as it does on the live service.
    """

    def __init__(self, events: list[Event], *, on_end: Callable[[], None], cut_after: int | None = None) -> None:
        self.events = events
        self._on_end = on_end
        self._cut_after = cut_after
        self._ended = False
        self._lock = threading.Lock()
        self._chunks = self._generate()

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        return next(self._chunks)

    def _generate(self) -> Iterator[bytes]:
        try:
            for number, event in enumerate(self.events):
                if self._cut_after is not None and number >= self._cut_after:
                    raise StreamCut(f"stream cut after {number} events")
                yield encode_event(event)
        finally:
            self.close()

    def close(self) -> None:
        """End the stream (idempotent): the response reaches its final state."""
        with self._lock:
            if self._ended:
                return
            self._ended = True
        self._on_end()
