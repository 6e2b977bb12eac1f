"""Fixtures for the store contract: one fresh database per test, for every backend.

``store_factory`` opens handles on one fresh database (a second handle is a second connection, the way a
second process or host would see the store); ``store`` is the first such handle. The PostgreSQL backend
runs against the throwaway server of :mod:`pg_server`, started once per session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from compat.store import Store
from compat.store.sqlite import SQLiteStore

StoreFactory = Callable[[], Store]

BACKENDS = [
    "sqlite-file",
    "sqlite-memory",
    pytest.param("postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend under test."""
    return str(request.param)


@pytest.fixture
def store_factory(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Opens handles on one fresh database of ``backend``; ``:memory:`` hands out its only handle."""
    opened: list[Store] = []
    opener = _opener(backend, request, tmp_path)

    def open_handle() -> Store:
        if backend == "sqlite-memory" and opened:
            return opened[0]
        opened.append(opener())
        return opened[-1]

    yield open_handle
    for handle in opened:
        handle.close()


@pytest.fixture
def store(store_factory: StoreFactory) -> Store:
    """A store on a fresh database."""
    return store_factory()


def _opener(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    if backend == "sqlite-file":
        path = str(tmp_path / "state.db")
        return lambda: SQLiteStore(path)
    if backend == "sqlite-memory":
        return lambda: SQLiteStore(":memory:")
    url = str(request.getfixturevalue("postgres_url"))
    _drop_tables(url)
    from compat.store.postgres import PostgresStore

    return lambda: PostgresStore(url)


def _drop_tables(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS compat_records, compat_schema, compat_meta")
