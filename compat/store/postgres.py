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
from collections.abc import Generator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ._sql import RecordsTable, check_schema_version

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
    # 2: tenants (part of the key; rows of earlier versions have none until a tenant adopts them)
    (
        "ALTER TABLE compat_records ADD COLUMN tenant TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE compat_records DROP CONSTRAINT compat_records_kind_id_key",
        "ALTER TABLE compat_records ADD CONSTRAINT compat_records_tenant_kind_id_key UNIQUE (tenant, kind, id)",
        "DROP INDEX compat_records_parent",
        "CREATE INDEX compat_records_parent ON compat_records (tenant, kind, parent_id, seq)",
        "DROP INDEX compat_records_group",
        "CREATE INDEX compat_records_group ON compat_records (tenant, kind, group_id)",
        "CREATE TABLE compat_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
)


class PostgresStore(RecordsTable):
    """A :class:`~compat.store.base.Store` in a PostgreSQL database, shareable by processes and hosts."""

    _mark = "%s"

    def __init__(self, url: str) -> None:
        """Connect to ``url`` (``postgresql://user:pass@host:port/dbname``); bring the schema up to date."""
        psycopg = _import_psycopg()
        self._jsonb: Any = psycopg.types.json.Jsonb
        self._lock = threading.RLock()
        self._conn: psycopg.Connection[tuple[Any, ...]] = psycopg.connect(url, autocommit=True)
        try:
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    def _encode(self, data: Mapping[str, Any]) -> object:
        return self._jsonb(dict(data))

    def _decode(self, value: Any) -> dict[str, Any]:
        return dict(value)

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


def _import_psycopg() -> Any:
    try:
        import psycopg
        import psycopg.types.json  # pyright: ignore[reportUnusedImport]  # loads Jsonb for _encode
    except ImportError as exc:
        raise ImportError("the PostgreSQL store needs psycopg 3: pip install 'assistants-compat[postgres]'") from exc
    return psycopg
