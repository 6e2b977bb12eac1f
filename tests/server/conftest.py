"""Fixtures of the server tests: an emulator served on 127.0.0.1 as the upstream, the server in front of it
(uvicorn in a thread, a SQLite store in ``tmp_path``), raw HTTP clients for it, and a fresh PostgreSQL
database per test on a throwaway server (see ``tests/pg_server.py``)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from pg_server import postgres_url_or_skip

from compat.emulator import Emulator, serve
from compat.server import ServerConfig, create_app

from ._servers import running_app

API_KEY = "sk-test-caller"


@pytest.fixture
def emulator() -> Emulator:
    """The upstream's model: queue turns on it; ``emulator.requests`` shows what reached it."""
    return Emulator()


@pytest.fixture
def upstream(emulator: Emulator) -> Iterator[str]:
    """The emulator's base URL (``.../v1``) on 127.0.0.1."""
    with serve(emulator) as running:
        yield running.base_url


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "server_config(**settings): ServerConfig fields of the server under test")


@pytest.fixture
def server_config(upstream: str, tmp_path: Path, request: pytest.FixtureRequest) -> ServerConfig:
    """Settings of the server under test: the emulator upstream, a fresh SQLite store, and the fields a
    ``@pytest.mark.server_config(cors_origins=..., max_body_bytes=...)`` mark gives."""
    marker = request.node.get_closest_marker("server_config")
    settings: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    return ServerConfig(upstream=upstream, store_url=f"sqlite:///{tmp_path / 'state.db'}", **settings)


@pytest.fixture
def server(server_config: ServerConfig) -> Iterator[str]:
    """The server's base URL (``http://127.0.0.1:<port>/v1``)."""
    with running_app(create_app(server_config)) as base_url:
        yield base_url


@pytest.fixture
def http(server: str) -> Iterator[httpx2.Client]:
    """Raw HTTP to the server, as a legacy client sends it (bearer key, ``OpenAI-Beta: assistants=v2``)."""
    headers = {"authorization": f"Bearer {API_KEY}", "openai-beta": "assistants=v2"}
    with httpx2.Client(base_url=server, headers=headers, timeout=30) as client:
        yield client


@pytest.fixture
def anonymous(server: str) -> Iterator[httpx2.Client]:
    """Raw HTTP to the server without any key."""
    with httpx2.Client(base_url=server, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A DSN of a throwaway PostgreSQL server (skipped without binaries, failed when ``CI`` is set)."""
    yield from postgres_url_or_skip()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the throwaway server, dropped afterwards."""
    import psycopg

    name = f"server_{secrets.token_hex(6)}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield postgres_server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
