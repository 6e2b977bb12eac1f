"""The default store: one SQLite file (or ``:memory:``) through the standard library's ``sqlite3``.

Rules:

- One connection per store, shared by the threads of the process behind a re-entrant lock; a transaction
  holds that lock from ``BEGIN`` to ``COMMIT``, so threads never interleave inside one.
- Files use WAL mode and a busy timeout, so several processes can read while one writes and writers wait
  for each other instead of failing.
- ``transaction()`` starts with ``BEGIN IMMEDIATE``: it takes the database's write lock up front, which
  serialises every writing transaction across processes, whatever ``lock`` name it gives. A nested
  ``transaction()`` joins the outer one through a ``SAVEPOINT``: an exception leaving the inner block
  undoes only the inner writes, and nothing lands before the outermost block commits.
- Outside a transaction the connection is in autocommit mode: every single write is atomic on its own.
- A new database file is created ``0600`` (its ``-wal`` and ``-shm`` files follow it): it holds users'
  assistants and message metadata.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Generator, Mapping
from contextlib import contextmanager, suppress
from typing import Any

from ._sql import RecordsTable, check_schema_version

__all__ = ["SQLiteStore"]

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_SECONDS = 30.0

# Each entry moves the schema from version ``index`` to ``index + 1`` (kept in ``PRAGMA user_version``).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE compat_records (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        parent_id TEXT NOT NULL DEFAULT '',
        group_id TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        data TEXT NOT NULL,
        UNIQUE (kind, id)
    );
    CREATE INDEX compat_records_parent ON compat_records (kind, parent_id, seq);
    CREATE INDEX compat_records_group ON compat_records (kind, group_id);
    """,
    # 2: tenants (part of the key; rows of earlier versions have none until a tenant adopts them)
    """
    CREATE TABLE compat_records_v2 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        parent_id TEXT NOT NULL DEFAULT '',
        group_id TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        data TEXT NOT NULL,
        UNIQUE (tenant, kind, id)
    );
    INSERT INTO compat_records_v2 (seq, kind, id, parent_id, group_id, created_at, data)
        SELECT seq, kind, id, parent_id, group_id, created_at, data FROM compat_records ORDER BY seq;
    DROP TABLE compat_records;
    ALTER TABLE compat_records_v2 RENAME TO compat_records;
    CREATE INDEX compat_records_parent ON compat_records (tenant, kind, parent_id, seq);
    CREATE INDEX compat_records_group ON compat_records (tenant, kind, group_id);
    CREATE TABLE compat_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
)


class SQLiteStore(RecordsTable):
    """A :class:`~compat.store.base.Store` in a SQLite database file, or in memory for ``":memory:"``."""

    _mark = "?"

    def __init__(self, path: str) -> None:
        """Open (creating when needed) the database at ``path`` and bring its schema up to date."""
        self.path = path
        self._lock = threading.RLock()
        self._nesting = _Nesting()  # shared by every tenant's handle of this connection
        if path != ":memory:":
            _create_private(path)
        self._conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False)
        try:
            if path != ":memory:":
                self._use_wal()
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    def _encode(self, data: Mapping[str, Any]) -> object:
        return json.dumps(dict(data), ensure_ascii=False, separators=(",", ":"))

    def _decode(self, value: Any) -> dict[str, Any]:
        return json.loads(value)

    def _use_wal(self) -> None:
        (mode,) = self._conn.execute("PRAGMA journal_mode").fetchone()
        if mode != "wal":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")

    def _migrate(self) -> None:
        with self.transaction():
            (version,) = self._conn.execute("PRAGMA user_version").fetchone()
            check_schema_version(version, known=len(MIGRATIONS), store=self.path)
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                logger.info("migrating store %s to schema version %d", self.path, number)
                for statement in _statements(script):
                    self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version = {number:d}")

    @contextmanager
    def transaction(self, lock: str | None = None) -> Generator[None, None, None]:
        """All writes inside land together or not at all; ``lock`` serialises callers naming it.

        SQLite has one write lock per database, so every transaction is serialised against every other
        one, across threads and processes, whatever its ``lock``.
        """
        with self._lock:
            if self._nesting.depth:
                with self._savepoint():
                    yield
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._nesting.depth = 1
            try:
                yield
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:  # also when COMMIT itself failed
                    self._conn.execute("ROLLBACK")
                raise
            finally:
                self._nesting = _Nesting()  # shared by every tenant's handle of this connection

    @contextmanager
    def _savepoint(self) -> Generator[None, None, None]:
        self._nesting.depth += 1
        name = f"compat_{self._nesting.depth}"
        self._conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self._conn.execute(f"ROLLBACK TO {name}")
            self._conn.execute(f"RELEASE {name}")
            raise
        else:
            self._conn.execute(f"RELEASE {name}")
        finally:
            self._nesting.depth -= 1


def _create_private(path: str) -> None:
    """Create the database file readable by its owner only; SQLite gives its ``-wal`` / ``-shm`` companions
    the same permissions. An existing file keeps its own."""
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


class _Nesting:
    """How deep the open transaction is (0: none), for every handle on one connection."""

    depth = 0


def _statements(script: str) -> list[str]:
    """The statements of a migration script (they hold no ``;`` inside literals)."""
    return [statement.strip() for statement in script.split(";") if statement.strip()]
