"""Fixtures shared by the whole suite: the anyio backend, pytest-recording's VCR setup and a legacy client,
and the one rule for tests whose data this checkout may lack.

Cassettes are replayed by default (``--record-mode=none`` in pyproject). To re-record against the emulator's
HTTP server: ``pytest tests/e2e --record-mode=rewrite``; against OpenAI, see MIGRATION.md.

Tests reading ``../shared`` (the real recordings in ``../shared/realwire``) call :func:`shared_path`, or use
the ``realwire`` fixture: without the data they are skipped, and when ``CI`` is set they fail, so that a CI
run cannot pass by skipping them. Helpers import these names with ``from conftest import ...``; that works
because this is the only ``conftest.py`` of the suite outside a package (pytest imports each of those as
``conftest``).
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import httpx2
import openai
import pytest
from pg_server import postgres_url_or_skip

import compat
from compat.emulator import Emulator, counter_ids, fixed_clock, serve

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
REALWIRE = SHARED / "realwire"
REPLAY_BASE_URL = "http://127.0.0.1:9/v1"  # nothing listens there: in replay mode VCR answers every request
FIXED_TIME = 1_700_000_000

_FILTERED_HEADERS = ["authorization", "openai-organization", "openai-project", "cookie", "set-cookie", "user-agent"]


def _drop_stainless_headers(request: Any) -> Any:
    for name in list(request.headers):
        if name.lower().startswith("x-stainless-"):
            del request.headers[name]
    return request


def _drop_response_cookies(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in ("set-cookie", "openai-organization", "openai-project"):
            del headers[name]
    return response


def _json_or_raw(body: bytes | str | None) -> Any:
    if body is None or body in (b"", ""):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body


def json_body(r1: Any, r2: Any) -> None:
    """VCR matcher: request bodies equal as JSON (key order and whitespace do not matter)."""
    left, right = _json_or_raw(r1.body), _json_or_raw(r2.body)
    assert left == right, f"request bodies differ: {left!r} != {right!r}"


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_matcher("json_body", json_body)


def skip_or_fail(requirement: str, reason: str) -> NoReturn:
    """End a test that needs ``requirement``, which this machine lacks: skip it, or fail it when ``CI`` is set."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and {requirement} is required: {reason}", pytrace=False)
    pytest.skip(reason)


def shared_path(*parts: str) -> Path:
    """``../shared/<parts>``; the test is skipped (failed under ``CI``) when this checkout lacks it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        skip_or_fail("../shared", f"{path} is not available")
    return path


@pytest.fixture(scope="session")
def realwire() -> Path:
    """``../shared/realwire``, the recorded OpenAI traffic (see :func:`shared_path`)."""
    return shared_path("realwire")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def vcr_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {
        "filter_headers": _FILTERED_HEADERS,
        "before_record_request": _drop_stainless_headers,
        "before_record_response": _drop_response_cookies,
        "match_on": ["method", "path", "query", "json_body"],
        "record_mode": request.config.getoption("--record-mode"),
        "decode_compressed_response": True,
    }


def recording(request: pytest.FixtureRequest) -> bool:
    """Whether this session records cassettes (anything but ``--record-mode=none``)."""
    return request.config.getoption("--record-mode") != "none"


def counter_legacy_ids() -> Callable[[str], str]:
    """Deterministic legacy ids: ``asst_0001``, ``run_0002``, ... (one counter for every prefix)."""
    counter = itertools.count(1)
    return lambda prefix: f"{prefix}_{next(counter):04d}"


@pytest.fixture
def legacy_emulator() -> Emulator:
    """The emulator behind ``legacy_client`` while recording; queue turns on it (replay ignores it)."""
    return Emulator(ids=counter_ids(), clock=fixed_clock(FIXED_TIME))


@pytest.fixture
def legacy_requests() -> list[httpx2.Request]:
    """Every HTTP request ``legacy_client`` sent, in order, as it left the client (before VCR saw it)."""
    return []


@pytest.fixture
def legacy_client(
    request: pytest.FixtureRequest, tmp_path: Path, legacy_emulator: Emulator, legacy_requests: list[httpx2.Request]
) -> Iterator[compat.OpenAI]:
    """A ``compat.OpenAI`` with a SQLite store in ``tmp_path`` and deterministic ids and clock.

    Recording: its base URL is the emulator's HTTP server on 127.0.0.1. Replaying: an address where
    nothing listens, so every request must come from the cassette. The requests it sends are appended
    to ``legacy_requests``.
    """
    server = serve(legacy_emulator) if recording(request) else None
    client = compat.OpenAI(
        api_key="test",
        max_retries=0,
        base_url=server.base_url if server is not None else REPLAY_BASE_URL,
        store=f"sqlite:///{tmp_path / 'state.db'}",
        http_client=openai.DefaultHttpxClient(event_hooks={"request": [legacy_requests.append]}),
    )
    client.compat_context.ids = counter_legacy_ids()
    client.compat_context.clock = lambda: FIXED_TIME
    try:
        yield client
    finally:
        client.close()
        client.compat_context.store.close()
        if server is not None:
            server.close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A DSN for one throwaway PostgreSQL server per session (skipped without binaries, failed when ``CI`` is set)."""
    yield from postgres_url_or_skip()
