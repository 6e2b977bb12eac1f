"""The ``backend`` the legacy scenarios run against (see ``tests/backend/test_scenarios.py``).

- ``llama-like`` (always): the in-process emulator behaving as llama-stack does: models named
  ``provider/model``, ``input`` required on every ``responses.create``, a 500 for ``truncation: "auto"``,
  ``status: null`` on conversation items, and ``after`` ignored on item lists (:class:`LlamaLike`).
- ``live`` (only when ``COMPAT_BACKEND_URL`` is set): a real Responses + Conversations server at that URL,
  with ``COMPAT_BACKEND_MODEL`` (default :data:`DEFAULT_LIVE_MODEL`) and ``COMPAT_BACKEND_API_KEY``.
  Without the URL the parameter is not generated at all, so no run passes by skipping it.

Each client has a temporary SQLite store and ``model_map={"gpt-4o": <backend model>}``: the scenarios name
the legacy model ``gpt-4o`` and the server only ever sees its own name.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import httpx2
import openai
import pytest

import compat
from compat.emulator import (
    AsyncEmulatorTransport,
    Emulator,
    EmulatorTransport,
    RecordedRequest,
    Turn,
    counter_ids,
    fixed_clock,
)

LEGACY_MODEL = "gpt-4o"
"""The model name the scenarios use, as legacy code does."""
LLAMA_MODEL = "provider/model"
"""The only model the llama-like backend serves (llama-stack names models ``provider/model``)."""
DEFAULT_LIVE_MODEL = "meta-llama/Llama-3.2-3B-Instruct"
LLAMA_BASE_URL = "http://llama-stack.local:8321/v1"
FIXED_TIME = 1_700_000_000
SERVER_ERROR = {"detail": "Internal server error: An unexpected error occurred."}
"""llama-stack's answer to ``truncation: "auto"`` (a 500 with a FastAPI ``detail``)."""

_ITEMS = re.compile(r"^/v1/conversations/[^/]+/items(/[^/]+)?$")


def live_backend_url() -> str | None:
    """``COMPAT_BACKEND_URL``, when set."""
    return os.environ.get("COMPAT_BACKEND_URL", "").strip() or None


def backend_names() -> list[str]:
    """``llama-like``, and ``live`` when ``COMPAT_BACKEND_URL`` is set."""
    return ["llama-like", "live"] if live_backend_url() else ["llama-like"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", backend_names(), indirect=True)


@dataclass(frozen=True)
class Sent:
    """A request as it left the client: method, path below ``/v1``, query and JSON body."""

    method: str
    path: str
    query: dict[str, list[str]]
    json: Any


def _sent(request: httpx2.Request) -> Sent:
    content = request.content
    multipart = request.headers.get("content-type", "").startswith("multipart/")
    body = json.loads(content) if content and not multipart else None
    path = request.url.path
    path = path[path.index("/v1") + 3 :] if "/v1" in path else path
    query: dict[str, list[str]] = {}
    for key, value in request.url.params.multi_items():
        query.setdefault(key, []).append(value)
    return Sent(request.method, path, query, body)


def _object(value: Any) -> dict[str, Any] | None:
    """``value`` when it is a JSON object."""
    return cast(dict[str, Any], value) if isinstance(value, dict) else None


class Deviations:
    """What llama-stack does otherwise than OpenAI, beyond the emulator's own options (models, required input).

    A ``responses.create`` with ``truncation: "auto"`` gets a 500 (the emulator never sees it; its body is
    noted in ``refused``); ``after`` is dropped from item lists; conversation items come with ``status: null``.
    """

    def __init__(self) -> None:
        self.refused: list[Any] = []

    def refusal(self, request: httpx2.Request) -> httpx2.Response | None:
        """The 500 for a ``responses.create`` asking for ``truncation: "auto"``."""
        if request.method != "POST" or not request.url.path.endswith("/responses") or not request.content:
            return None
        body = _object(json.loads(request.content))
        # a request without the required input is refused for that first (a validation error)
        if body is not None and body.get("truncation") == "auto" and "input" in body:
            self.refused.append(body)
            return httpx2.Response(500, json=SERVER_ERROR, request=request)
        return None

    @staticmethod
    def without_after(request: httpx2.Request) -> httpx2.Request:
        """An item list's request without its ``after``."""
        if request.method != "GET" or not _ITEMS.match(request.url.path) or "after" not in request.url.params:
            return request
        url = request.url.copy_remove_param("after")
        return httpx2.Request(request.method, url, headers=request.headers, content=request.content)

    @staticmethod
    def rewrites(request: httpx2.Request, response: httpx2.Response) -> bool:
        """Whether the answer is conversation items (JSON), whose status is nulled."""
        content_type = response.headers.get("content-type", "")
        return bool(_ITEMS.match(request.url.path)) and content_type.startswith("application/json")

    @staticmethod
    def null_status(request: httpx2.Request, status: int, content: bytes) -> httpx2.Response:
        """The answer with ``status: null`` on each item."""
        body: Any = json.loads(content)
        answer = _object(body)
        items: list[Any] = answer.get("data", [answer]) if answer is not None else []
        for item in map(_object, items):
            if item is not None and "status" in item:
                item["status"] = None
        return httpx2.Response(status, json=body, request=request)


class LlamaLike(httpx2.BaseTransport):
    """The emulator as llama-stack answers (:class:`Deviations`), for a sync client."""

    def __init__(self, emulator: Emulator, deviations: Deviations) -> None:
        self.inner = EmulatorTransport(emulator)
        self.deviations = deviations

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        refusal = self.deviations.refusal(request)
        if refusal is not None:
            return refusal
        response = self.inner.handle_request(self.deviations.without_after(request))
        if not self.deviations.rewrites(request, response):
            return response
        return self.deviations.null_status(request, response.status_code, response.read())


class AsyncLlamaLike(httpx2.AsyncBaseTransport):
    """The emulator as llama-stack answers (:class:`Deviations`), for an async client."""

    def __init__(self, emulator: Emulator, deviations: Deviations) -> None:
        self.inner = AsyncEmulatorTransport(emulator)
        self.deviations = deviations

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        await request.aread()
        refusal = self.deviations.refusal(request)
        if refusal is not None:
            return refusal
        response = await self.inner.handle_async_request(self.deviations.without_after(request))
        if not self.deviations.rewrites(request, response):
            return response
        return self.deviations.null_status(request, response.status_code, await response.aread())


def counter_legacy_ids() -> Callable[[str], str]:
    """Deterministic legacy ids, one counter per prefix (``run_0001``, ``step_0001``, ``step_0002``...)."""
    counters: dict[str, itertools.count[int]] = {}
    return lambda prefix: f"{prefix}_{next(counters.setdefault(prefix, itertools.count(1))):04d}"


@dataclass
class Backend:
    """One Responses + Conversations server and the legacy clients of the scenarios.

    ``sent`` lists every request the clients sent (sync and async); on the llama-like backend ``emulator``
    is the server (queue turns with :meth:`queue`, read what it received in ``emulator.requests``).
    """

    name: str
    model: str
    base_url: str
    tmp_path: Path
    emulator: Emulator | None = None
    deviations: Deviations | None = None
    api_key: str = "test"
    sent: list[Sent] = field(default_factory=list[Sent])
    _clients: list[compat.OpenAI] = field(default_factory=list[compat.OpenAI])
    _async_clients: list[compat.AsyncOpenAI] = field(default_factory=list[compat.AsyncOpenAI])
    client: compat.OpenAI = field(init=False)

    def __post_init__(self) -> None:
        self.client = self.sync_client()

    @property
    def scripted(self) -> bool:
        """Whether the model's turns are scripted (the llama-like backend): exact text can be asserted."""
        return self.emulator is not None

    def queue(self, *turns: Turn) -> None:
        """Script the next model turns on the llama-like backend; a live model answers as it will."""
        if self.emulator is not None:
            self.emulator.queue(*turns)

    def responses_sent(self) -> list[dict[str, Any]]:
        """The bodies of the ``responses.create`` requests sent, in order."""
        return [r.json for r in self.sent if r.method == "POST" and r.path == "/responses"]

    def received(self) -> list[RecordedRequest]:
        """What the llama-like server received (the emulator's log)."""
        assert self.emulator is not None
        return self.emulator.requests

    def _store(self, name: str) -> str:
        return f"sqlite:///{self.tmp_path / name}"

    def sync_client(self) -> compat.OpenAI:
        """A ``compat.OpenAI`` over the server with a store of its own, closed with the backend."""

        def note(request: httpx2.Request) -> None:
            self.sent.append(_sent(request))

        hooks: dict[str, list[Callable[..., Any]]] = {"request": [note]}
        http = (
            httpx2.Client(transport=LlamaLike(self.emulator, self.deviations), event_hooks=hooks)
            if self.emulator is not None and self.deviations is not None
            else openai.DefaultHttpxClient(event_hooks=hooks)
        )
        client = compat.OpenAI(
            api_key=self.api_key,
            base_url=self.base_url,
            http_client=http,
            store=self._store(f"sync{len(self._clients)}.db"),
            model_map={LEGACY_MODEL: self.model},
            max_retries=0 if self.scripted else 2,
        )
        if self.scripted:
            client.compat_context.ids = counter_legacy_ids()
            client.compat_context.clock = lambda: FIXED_TIME
        self._clients.append(client)
        return client

    def async_client(self) -> compat.AsyncOpenAI:
        """A ``compat.AsyncOpenAI`` over the same server (its own store); use it in ``async with``."""

        async def note(request: httpx2.Request) -> None:
            self.sent.append(_sent(request))

        hooks: dict[str, list[Callable[..., Any]]] = {"request": [note]}
        http = (
            httpx2.AsyncClient(transport=AsyncLlamaLike(self.emulator, self.deviations), event_hooks=hooks)
            if self.emulator is not None and self.deviations is not None
            else openai.DefaultAsyncHttpxClient(event_hooks=hooks)
        )
        client = compat.AsyncOpenAI(
            api_key=self.api_key,
            base_url=self.base_url,
            http_client=http,
            store=self._store(f"async{len(self._async_clients)}.db"),
            model_map={LEGACY_MODEL: self.model},
            max_retries=0 if self.scripted else 2,
        )
        if self.scripted:
            client.compat_context.ids = counter_legacy_ids()
            client.compat_context.clock = lambda: FIXED_TIME
        self._async_clients.append(client)
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()
            client.compat_context.store.close()
        for client in self._async_clients:
            client.compat_context.store.close()


def llama_like(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Backend:
    """The llama-like backend, in the library's defaults (no model map or truncation setting from the environment)."""
    monkeypatch.delenv("COMPAT_MODEL_MAP", raising=False)
    monkeypatch.delenv("COMPAT_AUTO_TRUNCATION", raising=False)
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock(FIXED_TIME), require_input=True, models={LLAMA_MODEL})
    return Backend(
        name="llama-like",
        model=LLAMA_MODEL,
        base_url=LLAMA_BASE_URL,
        tmp_path=tmp_path,
        emulator=emulator,
        deviations=Deviations(),
    )


def live(tmp_path: Path) -> Backend:
    """The server at ``COMPAT_BACKEND_URL``."""
    url = live_backend_url()
    assert url is not None
    return Backend(
        name="live",
        model=os.environ.get("COMPAT_BACKEND_MODEL", "").strip() or DEFAULT_LIVE_MODEL,
        base_url=url,
        tmp_path=tmp_path,
        api_key=os.environ.get("COMPAT_BACKEND_API_KEY", "").strip() or "none",
    )


@pytest.fixture
def backend(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Backend]:
    """A Responses + Conversations server and legacy clients over it (see the module docstring)."""
    chosen = llama_like(tmp_path, monkeypatch) if request.param == "llama-like" else live(tmp_path)
    try:
        yield chosen
    finally:
        chosen.close()
