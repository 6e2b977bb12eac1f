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
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Generator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .base import Kind, Order, StoredRecord

if TYPE_CHECKING:
    from typing_extensions import LiteralString

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
)

_COLUMNS: LiteralString = "kind, id, parent_id, group_id, created_at, data"


class SQLiteStore:
    """A :class:`~compat.store.base.Store` in a SQLite database file, or in memory for ``":memory:"``."""

    def __init__(self, path: str) -> None:
        """Open (creating when needed) the database at ``path`` and bring its schema up to date."""
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False)
        try:
            if path != ":memory:":
                self._use_wal()
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

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

    def get(self, kind: Kind, id: str) -> StoredRecord | None:
        """The record of this kind and id, or ``None``."""
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_COLUMNS} FROM compat_records WHERE kind = ? AND id = ?", (kind, id)
            ).fetchone()
        return None if row is None else _record(row)

    def put(self, record: StoredRecord) -> None:
        """Insert the record, or replace the one with the same kind and id (keeping its position)."""
        with self._lock:
            self._conn.execute(
                f"""
                INSERT INTO compat_records ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (kind, id) DO UPDATE SET
                    parent_id = excluded.parent_id,
                    group_id = excluded.group_id,
                    created_at = excluded.created_at,
                    data = excluded.data
                """,
                (
                    record.kind,
                    record.id,
                    record.parent_id,
                    record.group_id,
                    record.created_at,
                    json.dumps(dict(record.data), ensure_ascii=False, separators=(",", ":")),
                ),
            )

    def delete(self, kind: Kind, id: str) -> bool:
        """Delete one record; ``True`` when it existed."""
        with self._lock:
            cursor = self._conn.execute("DELETE FROM compat_records WHERE kind = ? AND id = ?", (kind, id))
        return cursor.rowcount > 0

    def delete_children(self, kind: Kind, parent_id: str) -> int:
        """Delete every record of this kind under ``parent_id``; the number deleted."""
        with self._lock:
            cursor = self._conn.execute(
                "DELETE FROM compat_records WHERE kind = ? AND parent_id = ?", (kind, parent_id)
            )
        return cursor.rowcount

    def list(
        self,
        kind: Kind,
        *,
        parent_id: str = "",
        group_id: str | None = None,
        order: Order = "desc",
        after: str | None = None,
        before: str | None = None,
        limit: int | None = None,
    ) -> list[StoredRecord]:
        """Records of one kind under one parent (and group, when given), in insertion order or its reverse.

        ``after`` / ``before`` are record ids of the same kind, read in the direction of ``order``; the
        page excludes them and holds the first ``limit`` records after ``after`` (every one for ``None``).
        An unknown cursor raises ``KeyError``.
        """
        with self._lock:
            seqs = [self._seq(kind, id) if id is not None else None for id in (after, before)]
            sql, params = page_query(kind, parent_id, group_id, order, seqs, limit, mark="?")
            rows = self._conn.execute(sql, params).fetchall()
        return [_record(row) for row in rows]

    def _seq(self, kind: Kind, id: str) -> int:
        row = self._conn.execute("SELECT seq FROM compat_records WHERE kind = ? AND id = ?", (kind, id)).fetchone()
        if row is None:
            raise KeyError(f"no {kind} with id {id!r}")
        return int(row[0])

    @contextmanager
    def transaction(self, lock: str | None = None) -> Generator[None, None, None]:
        """All writes inside land together or not at all; ``lock`` serialises callers naming it.

        SQLite has one write lock per database, so every transaction is serialised against every other
        one, across threads and processes, whatever its ``lock``.
        """
        with self._lock:
            if self._depth:
                with self._savepoint():
                    yield
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:  # also when COMMIT itself failed
                    self._conn.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0

    @contextmanager
    def _savepoint(self) -> Generator[None, None, None]:
        self._depth += 1
        name = f"compat_{self._depth}"
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
            self._depth -= 1

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()


def page_query(
    kind: Kind,
    parent_id: str,
    group_id: str | None,
    order: Order,
    cursor_seqs: list[int | None],
    limit: int | None,
    *,
    mark: LiteralString,
) -> tuple[LiteralString, list[Any]]:
    """The ``SELECT`` of one page of :meth:`SQLiteStore.list` and its parameters (``mark``: placeholder).

    ``cursor_seqs`` holds the positions of the ``after`` and ``before`` records (``None`` when not given);
    both are read in the direction of ``order``.
    """
    where: list[LiteralString] = [f"kind = {mark}", f"parent_id = {mark}"]
    params: list[Any] = [kind, parent_id]
    if group_id is not None:
        where.append(f"group_id = {mark}")
        params.append(group_id)
    bounds: tuple[LiteralString, LiteralString] = (">", "<") if order == "asc" else ("<", ">")
    for seq, comparison in zip(cursor_seqs, bounds, strict=True):
        if seq is not None:
            where.append(f"seq {comparison} {mark}")
            params.append(seq)
    direction = "ASC" if order == "asc" else "DESC"
    sql: LiteralString = f"SELECT {_COLUMNS} FROM compat_records WHERE {' AND '.join(where)} ORDER BY seq {direction}"
    if limit is not None:
        sql += f" LIMIT {mark}"
        params.append(limit)
    return sql, params


def check_schema_version(version: int, *, known: int, store: str) -> None:
    """Refuse a schema written by a newer release: its rows may mean what this one cannot honour."""
    if version > known:
        raise RuntimeError(
            f"the store {store} has schema version {version}, newer than the {known} this release of "
            "assistants-compat knows: upgrade assistants-compat"
        )


def _statements(script: str) -> list[str]:
    """The statements of a migration script (they hold no ``;`` inside literals)."""
    return [statement.strip() for statement in script.split(";") if statement.strip()]


def _record(row: Any) -> StoredRecord:
    kind, id, parent_id, group_id, created_at, data = row
    return StoredRecord(
        kind=kind, id=id, parent_id=parent_id, group_id=group_id, created_at=created_at, data=json.loads(data)
    )
