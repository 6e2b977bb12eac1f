"""The store's files are private: the database and its companions 0600, a directory we create 0700."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from compat.store import StoredRecord, open_store
from compat.store.sqlite import SQLiteStore


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_wal_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = SQLiteStore(str(path))
    try:
        store.put(StoredRecord(kind="assistant", id="asst_1", created_at=1, data={"name": "x"}))
        files = sorted(tmp_path.iterdir())
        assert [file.name for file in files] == ["state.db", "state.db-shm", "state.db-wal"]
        assert {file.name: mode(file) for file in files} == dict.fromkeys(
            ["state.db", "state.db-shm", "state.db-wal"], 0o600
        )
    finally:
        store.close()


def test_an_existing_database_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    path.touch(mode=0o640)
    path.chmod(0o640)
    SQLiteStore(str(path)).close()
    assert mode(path) == 0o640


def test_the_default_directory_is_created_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMPAT_STORE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store = open_store()
    try:
        folder = tmp_path / "data" / "assistants-compat"
        assert mode(folder) == 0o700
        assert mode(folder / "state.db") == 0o600
    finally:
        store.close()
