"""The shared store: PostgreSQL through ``psycopg`` 3, for processes and hosts (the ``postgres`` extra).

Rules:

- One connection per store, shared by the threads of the process behind a re-entrant lock; a transaction
  holds that lock from ``BEGIN`` to ``COMMIT``, so threads never interleave inside one.
- Outside a transaction the connection is in autocommit mode: every single write is atomic on its own.
- ``transaction(lock=...)`` takes ``pg_advisory_xact_lock(hashtext(lock))``, released at commit or
  rollback: callers naming the same lock serialise across processes and hosts. A nested ``transaction()``
  joins the outer one through a ``SAVEPOINT`` (an exception leaving it undoes only its own writes).
- ``data`` is ``JSONB``: objects come back equal, not byte for byte (key order is PostgreSQL's), and
  strings cannot hold ``\\u0000``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Generator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .base import Kind, Order, StoredRecord
from .sqlite import check_schema_version, page_query

if TYPE_CHECKING:
    import psycopg
    from typing_extensions import LiteralString

__all__ = ["PostgresStore"]

logger = logging.getLogger(__name__)

# Serialises schema set-up between processes opening a new database at the same time.
SCHEMA_LOCK = "assistants-compat:schema"

# Each entry moves the schema from version ``index`` to ``index + 1`` (kept in ``compat_schema``).
MIGRATIONS: tuple[tuple[LiteralString, ...], ...] = (
    (
        """
        CREATE TABLE compat_records (
            seq BIGSERIAL PRIMARY KEY,
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            parent_id TEXT NOT NULL DEFAULT '',
            group_id TEXT NOT NULL DEFAULT '',
            created_at BIGINT NOT NULL,
            data JSONB NOT NULL,
            UNIQUE (kind, id)
        )
        """,
        "CREATE INDEX compat_records_parent ON compat_records (kind, parent_id, seq)",
        "CREATE INDEX compat_records_group ON compat_records (kind, group_id)",
    ),
)

_COLUMNS: LiteralString = "kind, id, parent_id, group_id, created_at, data"


class PostgresStore:
    """A :class:`~compat.store.base.Store` in a PostgreSQL database, shareable by processes and hosts."""

    def __init__(self, url: str) -> None:
        """Connect to ``url`` (``postgresql://user:pass@host:port/dbname``); bring the schema up to date."""
        psycopg = _import_psycopg()
        self._lock = threading.RLock()
        self._conn: psycopg.Connection[tuple[Any, ...]] = psycopg.connect(url, autocommit=True)
        try:
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    def _migrate(self) -> None:
        with self.transaction(lock=SCHEMA_LOCK):
            self._conn.execute("CREATE TABLE IF NOT EXISTS compat_schema (version INTEGER NOT NULL)")
            row = self._conn.execute("SELECT max(version) FROM compat_schema").fetchone()
            version = int(row[0]) if row and row[0] is not None else 0
            check_schema_version(version, known=len(MIGRATIONS), store="in PostgreSQL")
            for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
                logger.info("migrating the PostgreSQL store to schema version %d", number)
                for statement in statements:
                    self._conn.execute(statement)
                self._conn.execute("INSERT INTO compat_schema (version) VALUES (%s)", (number,))

    def get(self, kind: Kind, id: str) -> StoredRecord | None:
        """The record of this kind and id, or ``None``."""
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_COLUMNS} FROM compat_records WHERE kind = %s AND id = %s", (kind, id)
            ).fetchone()
        return None if row is None else _record(row)

    def put(self, record: StoredRecord) -> None:
        """Insert the record, or replace the one with the same kind and id (keeping its position)."""
        from psycopg.types.json import Jsonb

        with self._lock:
            self._conn.execute(
                f"""
                INSERT INTO compat_records ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s)
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
                    Jsonb(dict(record.data)),
                ),
            )

    def delete(self, kind: Kind, id: str) -> bool:
        """Delete one record; ``True`` when it existed."""
        with self._lock:
            cursor = self._conn.execute("DELETE FROM compat_records WHERE kind = %s AND id = %s", (kind, id))
        return cursor.rowcount > 0

    def delete_children(self, kind: Kind, parent_id: str) -> int:
        """Delete every record of this kind under ``parent_id``; the number deleted."""
        with self._lock:
            cursor = self._conn.execute(
                "DELETE FROM compat_records WHERE kind = %s AND parent_id = %s", (kind, parent_id)
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
            sql, params = page_query(kind, parent_id, group_id, order, seqs, limit, mark="%s")
            rows = self._conn.execute(sql, params).fetchall()
        return [_record(row) for row in rows]

    def _seq(self, kind: Kind, id: str) -> int:
        sql = "SELECT seq FROM compat_records WHERE kind = %s AND id = %s"
        row = self._conn.execute(sql, (kind, id)).fetchone()
        if row is None:
            raise KeyError(f"no {kind} with id {id!r}")
        return int(row[0])

    @contextmanager
    def transaction(self, lock: str | None = None) -> Generator[None, None, None]:
        """All writes inside land together or not at all; ``lock`` serialises callers naming it.

        The lock is a transaction-level advisory lock: held until the outermost transaction ends, by
        whichever connection (process, host) took it first.
        """
        with self._lock, self._conn.transaction():
            # psycopg opens a SAVEPOINT instead of BEGIN when a transaction is already open.
            if lock is not None:
                self._conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock,))
            yield

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()


def _import_psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise ImportError("the PostgreSQL store needs psycopg 3: pip install 'assistants-compat[postgres]'") from exc
    return psycopg


def _record(row: tuple[Any, ...]) -> StoredRecord:
    kind, id, parent_id, group_id, created_at, data = row
    return StoredRecord(kind=kind, id=id, parent_id=parent_id, group_id=group_id, created_at=created_at, data=data)
