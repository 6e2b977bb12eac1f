"""An emulator HTTP server in a child process, for benchmarks.

The server runs in its own process so that its work does not compete with the measured client for the
interpreter lock; the turns it will answer with are scripted up front, in order.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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


class RequestCounter:
    """Counts the HTTP requests of the clients it is attached to (an httpx ``request`` event hook)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, _request: httpx2.Request) -> None:
        self.count += 1

    def client(self) -> httpx2.Client:
        """An HTTP client whose requests this counter counts."""
        return httpx2.Client(event_hooks={"request": [self]})
