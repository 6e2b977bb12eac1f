"""Servers for the server tests, all on 127.0.0.1 and stopped by the tests that start them.

- :func:`running_app`: an ASGI app under uvicorn in a thread of the test process, on a free port;
- :func:`serve_command`: ``assistants-compat serve ...`` as a child process, waited for until ``/health``
  answers, stopped with SIGTERM (then killed);
- :func:`free_port`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import httpx2
import uvicorn
from starlette.applications import Starlette

START_TIMEOUT_SECONDS = 30.0


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_app(app: Starlette) -> Iterator[str]:
    """Serve ``app`` in a background thread; yields its base URL (``http://127.0.0.1:<port>/v1``)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="compat-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.should_exit = True
        thread.join(START_TIMEOUT_SECONDS)
        sock.close()


@contextlib.contextmanager
def serve_command(*args: str, log: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Run ``assistants-compat serve --port <free> *args`` (output to ``log``); yields the base URL once it
    answers, and stops it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "compat.cli", "serve", "--port", str(port), "--log-level", "warning", *args]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env={**os.environ, **(env or {})}, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_for_health(port, process, log)
            yield f"http://127.0.0.1:{port}/v1"
        finally:
            _stop(process)


def _wait_for_health(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"assistants-compat serve exited with {process.returncode}:\n{log.read_text()}")
        with contextlib.suppress(httpx2.TransportError):
            if httpx2.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError("assistants-compat serve did not answer /health in time")
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=START_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_node(
    script: Path, *, cwd: Path, env: Mapping[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run a Node script; its output for assertions."""
    return subprocess.run(
        ["node", str(script)],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
