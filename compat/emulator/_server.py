"""A real HTTP server on 127.0.0.1 in front of an ``Emulator``."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ._emulator import Emulator, EmulatorResponse
from ._errors import StreamCut
from ._stream import EventStream

logger = logging.getLogger("compat.emulator")


class RunningServer:
    """A server answering in a background thread; ``base_url`` ends with ``/v1``."""

    def __init__(self, httpd: ThreadingHTTPServer, thread: threading.Thread) -> None:
        self._httpd = httpd
        self._thread = thread
        host, port = httpd.server_address[:2]
        self.host = str(host)
        self.port = int(port)
        self.base_url = f"http://{self.host}:{self.port}/v1"

    def close(self) -> None:
        """Stop serving and wait for the serving thread."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def make_server(emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server (not yet serving) whose handler forwards every request to ``emulator``."""

    class Handler(_EmulatorHandler):
        pass

    Handler.emulator = emulator
    httpd = ThreadingHTTPServer((host, port), Handler)
    httpd.daemon_threads = True
    return httpd


def serve(emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Serve ``emulator`` over HTTP in a background thread (``port=0`` picks a free port)."""
    httpd = make_server(emulator, host, port)
    thread = threading.Thread(target=httpd.serve_forever, name="compat-emulator", daemon=True)
    thread.start()
    server = RunningServer(httpd, thread)
    logger.info("emulator listening on %s", server.base_url)
    return server


class _EmulatorHandler(BaseHTTPRequestHandler):
    """Forwards requests to the emulator; JSON with Content-Length, SSE with chunked framing."""

    emulator: Emulator
    protocol_version = "HTTP/1.1"
    # headers and body go out as separate writes: without this, delayed ACKs add ~40 ms per request
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s - " + format, self.address_string(), *args)

    def _serve(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = "not json"
        if raw and self.headers.get("content-type", "").startswith("multipart/"):
            body = raw
        answer = self.emulator.handle(
            self.command, url.path, query=parse_qs(url.query), body=body, headers=dict(self.headers.items())
        )
        if answer.stream is not None:
            self._send_stream(answer, answer.stream)
        else:
            self._send_json(answer)

    def _send_json(self, answer: EmulatorResponse) -> None:
        content = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
        self.send_response(answer.status)
        for key, value in answer.headers.items():
            self.send_header(key, value)
        self.send_header("content-length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def _send_stream(self, answer: EmulatorResponse, stream: EventStream) -> None:
        self.send_response(answer.status)
        for key, value in answer.headers.items():
            self.send_header(key, value)
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        try:
            for chunk in stream:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        except StreamCut:
            # Drop the connection without the final chunk, as a broken upstream would.
            self.close_connection = True
        except OSError:
            self.close_connection = True
        finally:
            stream.close()
