"""An emulator HTTP server in a child process, and a log of the requests sent to it, for benchmarks.

The server runs in its own process so that its work does not compete with the measured client for the
interpreter lock; the turns it will answer with are scripted up front, in order. ``RequestLog`` records what
each flow sent (method, path, parameter names) so that the sides can be checked to send the same requests.
"""

from __future__ import annotations

import json
import multiprocessing
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection

import httpx2

from compat.emulator import Emulator, Turn, serve

START_TIMEOUT_SECONDS = 30.0


def _serve(turns: Sequence[Turn], channel: Connection) -> None:
    emulator = Emulator()
    emulator.queue(*turns)
    server = serve(emulator)
    channel.send(server.base_url)
    channel.recv()  # any message (or the parent's end closing) stops the server
    server.close()


@contextmanager
def emulator_process(turns: Sequence[Turn]) -> Iterator[str]:
    """Serve an emulator scripted with ``turns`` on 127.0.0.1 in a child process; yields its base URL."""
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(target=_serve, args=(list(turns), child), daemon=True)
    process.start()
    try:
        if not parent.poll(START_TIMEOUT_SECONDS):
            raise RuntimeError("the emulator process did not start")
        yield str(parent.recv())
        parent.send("stop")
    finally:
        process.join(START_TIMEOUT_SECONDS)
        if process.is_alive():
            process.kill()


ID_SEGMENT = re.compile(r"[a-z]+_[0-9A-Za-z]{16,}")
"""A path segment that is an object id (``conv_…``, ``resp_…``, ``msg_…``), shown as ``{id}``."""


@dataclass(frozen=True)
class Request:
    """What one HTTP request asked for, ids left out: method, path, and the names of its parameters."""

    method: str
    path: str
    query: tuple[str, ...]
    body: tuple[str, ...]

    @classmethod
    def of(cls, request: httpx2.Request) -> Request:
        path = "/".join("{id}" if ID_SEGMENT.fullmatch(part) else part for part in request.url.path.split("/"))
        query = tuple(sorted({key for key, _ in request.url.params.multi_items()}))
        try:
            body = json.loads(request.content or b"{}")
            names = tuple(sorted(body)) if isinstance(body, dict) else ("<JSON array>",)
        except ValueError:
            names = ("<not JSON>",)
        return cls(request.method, path.removeprefix("/v1"), query, names)

    def __str__(self) -> str:
        query = f"?{'&'.join(self.query)}" if self.query else ""
        body = f"  {{{', '.join(self.body)}}}" if self.body else ""
        return f"{self.method} {self.path}{query}{body}"


Flow = tuple[Request, ...]


class RequestLog:
    """Records the HTTP requests of the clients it is attached to (an httpx ``request`` event hook, which only
    keeps the request: they are read in ``take()``, outside the timed flow); ``take()`` hands over those of the
    flow that just ran."""

    def __init__(self) -> None:
        self._pending: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> None:
        self._pending.append(request)

    def client(self) -> httpx2.Client:
        """An HTTP client whose requests this log records."""
        return httpx2.Client(event_hooks={"request": [self]})

    def take(self) -> Flow:
        """The requests recorded since the last ``take()``."""
        pending, self._pending = self._pending, []
        return tuple(Request.of(request) for request in pending)


def print_requests(sides: Sequence[tuple[str, Sequence[Flow]]]) -> None:
    """Prints the requests of one flow of each side (method, path, parameter names), checking that every flow
    of a side sent the same ones and that every side sent what the first (the reference) did."""
    reference = sides[0][1][0]
    print("requests of one flow (method, path?query parameters  {body parameters}; ids as {id}):")
    for name, flows in sides:
        distinct = Counter(flows)
        if len(distinct) > 1:
            print(f"  {name} sent {len(distinct)} different request sequences over {len(flows)} flows")
        flow = flows[0]
        if name != sides[0][0] and flow == reference:
            print(f"  {name} the same {len(flow)} requests")
            continue
        print(f"  {name} {len(flow)} requests" + ("" if name == sides[0][0] else ", NOT the same:"))
        for number, request in enumerate(flow, start=1):
            mark = "" if number <= len(reference) and request == reference[number - 1] else "  <- differs"
            print(f"    {number}. {request}{mark}")
