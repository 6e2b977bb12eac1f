"""Choosing the backend: :func:`compat.store.open_store` URLs, the environment variable, the default path."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from compat.store import ENV_VAR, Store, StoredRecord, default_store_path, open_store
from compat.store.sqlite import SQLiteStore

RECORD = StoredRecord(kind="assistant", id="asst_1", created_at=1_700_000_000, data={"name": "x"})


@pytest.fixture
def opened() -> Iterator[list[Store]]:
    """Stores a test opened, closed at its end."""
    stores: list[Store] = []
    yield stores
    for store in stores:
        store.close()


def open_and_write(url: str | None, opened: list[Store]) -> Store:
    """Open ``url`` and write ``RECORD`` into it."""
    store = open_store(url)
    opened.append(store)
    store.put(RECORD)
    return store


def read_back(store: Store, opened: list[Store]) -> StoredRecord | None:
    """``RECORD`` as ``store``, a fresh handle, reads it."""
    opened.append(store)
    return store.get("assistant", "asst_1")


@pytest.fixture(autouse=True)
def no_env_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests choose the URL themselves."""
    monkeypatch.delenv(ENV_VAR, raising=False)


def test_relative_sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[Store]) -> None:
    monkeypatch.chdir(tmp_path)
    store = open_and_write("sqlite:///sub.db", opened)
    assert isinstance(store, SQLiteStore)
    assert (tmp_path / "sub.db").is_file()
    assert read_back(open_store("sqlite:///sub.db"), opened) == RECORD
    assert read_back(SQLiteStore(str(tmp_path / "sub.db")), opened) == RECORD, "relative to the working directory"


def test_absolute_sqlite_url(tmp_path: Path, opened: list[Store]) -> None:
    path = tmp_path / "abs.db"
    assert str(path).startswith("/")
    open_and_write(f"sqlite:///{path}", opened)
    assert path.is_file()
    reopened = open_store(f"sqlite:///{path}")
    opened.append(reopened)
    assert reopened.get("assistant", "asst_1") == RECORD


def test_memory_sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[Store]) -> None:
    monkeypatch.chdir(tmp_path)
    store = open_and_write("sqlite://:memory:", opened)
    assert isinstance(store, SQLiteStore)
    assert store.get("assistant", "asst_1") == RECORD
    assert list(tmp_path.iterdir()) == [], "nothing is written to disk"


def test_env_var_chooses_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[Store]) -> None:
    monkeypatch.setenv(ENV_VAR, f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store = open_and_write(None, opened)
    assert isinstance(store, SQLiteStore)
    assert (tmp_path / "env.db").is_file()
    assert read_back(SQLiteStore(str(tmp_path / "env.db")), opened) == RECORD
    assert read_back(open_store(), opened) == RECORD
    assert not (tmp_path / "data").exists(), "the default store is not touched"


def test_the_argument_wins_over_the_env_var(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[Store]
) -> None:
    monkeypatch.setenv(ENV_VAR, f"sqlite:///{tmp_path / 'env.db'}")
    open_and_write(f"sqlite:///{tmp_path / 'arg.db'}", opened)
    assert read_back(SQLiteStore(str(tmp_path / "arg.db")), opened) == RECORD
    assert not (tmp_path / "env.db").exists()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG_DATA_HOME is for Linux and Unix")
def test_default_store_honours_xdg_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[Store]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    expected = tmp_path / "data" / "assistants-compat" / "state.db"
    assert default_store_path() == expected
    store = open_and_write(None, opened)
    assert isinstance(store, SQLiteStore)
    assert expected.is_file()
    assert read_back(SQLiteStore(str(expected)), opened) == RECORD
    assert read_back(open_store(), opened) == RECORD


@pytest.mark.postgres
@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_postgresql_url(postgres_url: str, scheme: str, opened: list[Store]) -> None:
    from compat.store.postgres import PostgresStore

    store = open_and_write(postgres_url.replace("postgresql", scheme, 1), opened)
    assert isinstance(store, PostgresStore)
    assert store.get("assistant", "asst_1") == RECORD
    assert read_back(PostgresStore(postgres_url), opened) == RECORD


@pytest.mark.parametrize("url", ["mysql://localhost/db", "sqlite:/missing-slash.db", "state.db", "http://x"])
def test_unsupported_url_raises_value_error(url: str) -> None:
    with pytest.raises(ValueError, match="unsupported store URL"):
        open_store(url)


def test_postgres_without_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # makes `import psycopg` raise ImportError
    from compat.store.postgres import PostgresStore

    with pytest.raises(ImportError, match=r"pip install 'assistants-compat\[postgres\]'"):
        PostgresStore("postgresql://127.0.0.1:1/none")


def test_sqlite_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    SQLiteStore(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(RuntimeError, match="schema version 99"):
        SQLiteStore(str(path))


@pytest.mark.postgres
def test_postgres_refuses_a_newer_schema(postgres_url: str) -> None:
    import psycopg

    from compat.store.postgres import PostgresStore

    PostgresStore(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("INSERT INTO compat_schema (version) VALUES (99)")
    try:
        with pytest.raises(RuntimeError, match="schema version 99"):
            PostgresStore(postgres_url)
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute("DELETE FROM compat_schema WHERE version = 99")
