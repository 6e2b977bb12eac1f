"""Fixtures: compat clients on an in-process emulator, a SQLite store and deterministic ids and clock."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx2
import pytest

import compat
from compat.emulator import AsyncEmulatorTransport, Emulator, EmulatorTransport, counter_ids, fixed_clock
from compat.store.sqlite import SQLiteStore

BASE_URL = "http://emulator.local/v1"
NOW = 1_700_000_000


def prefix_ids() -> Callable[[str], str]:
    """Deterministic legacy ids: one counter per prefix (``run_0001``, ``step_0001``, ``step_0002``...)."""
    counters: dict[str, itertools.count[int]] = {}

    def next_id(prefix: str) -> str:
        counter = counters.setdefault(prefix, itertools.count(1))
        return f"{prefix}_{next(counter):04d}"

    return next_id


def make_emulator() -> Emulator:
    return Emulator(ids=counter_ids(), clock=fixed_clock(NOW))


def make_client(emulator: Emulator, db: Path) -> compat.OpenAI:
    client = compat.OpenAI(
        api_key="test",
        base_url=BASE_URL,
        max_retries=0,
        http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
        store=SQLiteStore(str(db)),
    )
    client.compat_context.ids = prefix_ids()
    client.compat_context.clock = fixed_clock(NOW)
    return client


def make_async_client(emulator: Emulator, db: Path) -> compat.AsyncOpenAI:
    client = compat.AsyncOpenAI(
        api_key="test",
        base_url=BASE_URL,
        max_retries=0,
        http_client=httpx2.AsyncClient(transport=AsyncEmulatorTransport(emulator)),
        store=SQLiteStore(str(db)),
    )
    client.compat_context.ids = prefix_ids()
    client.compat_context.clock = fixed_clock(NOW)
    return client


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def emulator() -> Emulator:
    return make_emulator()


@pytest.fixture
def client(emulator: Emulator, tmp_path: Path) -> Iterator[compat.OpenAI]:
    with make_client(emulator, tmp_path / "state.db") as sdk:
        yield sdk
        close = getattr(sdk.compat_context.store, "close", None)
        if close is not None:
            close()


@pytest.fixture
async def async_client(emulator: Emulator, tmp_path: Path) -> AsyncIterator[compat.AsyncOpenAI]:
    async with make_async_client(emulator, tmp_path / "state.db") as sdk:
        yield sdk
        close = getattr(sdk.compat_context.store, "close", None)
        if close is not None:
            close()
