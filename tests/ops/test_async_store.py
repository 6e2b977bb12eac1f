"""The async client never blocks the event loop on the store: store calls run in a worker thread."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import anyio
import httpx2
import pytest

from compat import AsyncOpenAI
from compat.emulator import AsyncEmulatorTransport, Emulator, counter_ids, fixed_clock
from compat.store.sqlite import SQLiteStore

HOLD_SECONDS = 0.4
TICK_SECONDS = 0.01


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def hold_write_lock(path: Path, locked: threading.Event) -> None:
    """Another connection takes the database's write lock and keeps it for a while."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        locked.set()
        time.sleep(HOLD_SECONDS)
        conn.execute("COMMIT")
    finally:
        conn.close()


@pytest.mark.anyio
async def test_the_loop_keeps_running_while_the_store_waits_for_a_lock(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = SQLiteStore(str(path))
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    client = AsyncOpenAI(
        api_key="test",
        base_url="http://127.0.0.1:9/v1",
        http_client=httpx2.AsyncClient(transport=AsyncEmulatorTransport(emulator)),
        store=store,
    )
    locked = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(path, locked))
    holder.start()
    locked.wait()
    ticks = 0
    created_at_tick: list[int] = []

    async def tick() -> None:
        nonlocal ticks
        while not created_at_tick:
            ticks += 1
            await anyio.sleep(TICK_SECONDS)

    async def create() -> None:
        started = time.monotonic()
        assistant = await client.beta.assistants.create(model="gpt-4o", name="waits for the lock")
        assert time.monotonic() - started >= HOLD_SECONDS / 2  # it did wait for the other connection
        assert (await client.beta.assistants.retrieve(assistant.id)).name == "waits for the lock"
        created_at_tick.append(ticks)

    try:
        async with anyio.create_task_group() as group:
            group.start_soon(tick)
            group.start_soon(create)
    finally:
        holder.join()
        store.close()
    # ~40 ticks fit in the wait; a blocked loop would have ticked once or twice
    assert created_at_tick[0] >= 10


@pytest.mark.anyio
async def test_opening_the_store_happens_off_the_loop_too(tmp_path: Path) -> None:
    """A client made with a store URL opens (and migrates) the store on its first call, in a worker thread."""
    path = tmp_path / "state.db"
    SQLiteStore(str(path)).close()  # the file exists; opening it takes the write lock to check its schema
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    client = AsyncOpenAI(
        api_key="test",
        base_url="http://127.0.0.1:9/v1",
        http_client=httpx2.AsyncClient(transport=AsyncEmulatorTransport(emulator)),
        store=f"sqlite:///{path}",
    )
    locked = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(path, locked))
    holder.start()
    locked.wait()
    ticks = 0
    done: list[int] = []

    async def tick() -> None:
        nonlocal ticks
        while not done:
            ticks += 1
            await anyio.sleep(TICK_SECONDS)

    async def first_call() -> None:
        assert (await client.beta.assistants.list()).data == []
        done.append(ticks)

    try:
        async with anyio.create_task_group() as group:
            group.start_soon(tick)
            group.start_soon(first_call)
    finally:
        holder.join()
        client.compat_context.store.close()
    assert done[0] >= 10
