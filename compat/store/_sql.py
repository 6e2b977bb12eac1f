"""What the SQLite and PostgreSQL stores share: one ``compat_records`` table, read and written alike.

The two differ in their parameter mark (``?`` / ``%s``), in how ``data`` is encoded (JSON text / JSONB),
and in how transactions, locks and schema versions are kept; :class:`RecordsTable` holds the rest.

Every row belongs to a tenant (the ``tenant`` column, part of the key): a store opened from a URL is the
unscoped handle (tenant ``""``), and :meth:`RecordsTable.for_tenant` gives a handle on the same connection
that reads and writes one tenant's rows only. Rows written before tenants existed (tenant ``""``) go to the
first tenant that asks for its handle.
"""

from __future__ import annotations

import copy
import secrets
import threading
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, ClassVar, cast

from .base import Kind, Order, StoredRecord

if TYPE_CHECKING:
    from typing_extensions import LiteralString, Self

__all__ = ["COLUMNS", "RecordsTable", "check_schema_version", "page_query"]

_SALT_KEY = "tenant_salt"

COLUMNS: LiteralString = "kind, id, parent_id, group_id, created_at, data"


class RecordsTable:
    """Reads and single writes of ``compat_records`` on one connection shared behind a re-entrant lock.

    Subclasses open ``_conn`` (a DB-API connection in autocommit mode: each single write is atomic) and
    set ``_mark``, ``_encode`` and ``_decode``.
    """

    _mark: ClassVar[LiteralString]
    _conn: Any
    _lock: threading.RLock
    _tenant: str = ""

    @property
    def tenant(self) -> str:
        """The tenant whose rows this handle reads and writes (``""``: the unscoped handle)."""
        return self._tenant

    def for_tenant(self, tenant: str) -> Self:
        """A handle on the same connection scoped to ``tenant``; unowned rows are given to it first."""
        if not tenant:
            raise ValueError("a tenant name must not be empty")
        m = self._mark
        shared = self._shared()
        if not shared.get("adopted"):
            with self.transaction(lock="assistants-compat:tenants"):
                self._conn.execute(f"UPDATE compat_records SET tenant = {m} WHERE tenant = ''", (tenant,))
            shared["adopted"] = True
        view = copy.copy(self)
        view._tenant = tenant
        return view

    def _shared(self) -> dict[str, object]:
        """What every handle of this connection shares (made once, before the first copy)."""
        return cast("dict[str, object]", self.__dict__.setdefault("_shared_state", {}))

    def secret(self) -> str:
        """This store's random salt for tenant fingerprints, made on first use (never a key)."""
        shared = self._shared()
        if "secret" not in shared:
            shared["secret"] = self._read_secret()
        return str(shared["secret"])

    def _read_secret(self) -> str:
        m = self._mark
        with self.transaction(lock="assistants-compat:tenants"):
            row = self._conn.execute(f"SELECT value FROM compat_meta WHERE key = {m}", (_SALT_KEY,)).fetchone()
            if row is not None:
                return str(row[0])
            salt = secrets.token_hex(32)
            self._conn.execute(f"INSERT INTO compat_meta (key, value) VALUES ({m}, {m})", (_SALT_KEY, salt))
        return salt

    def _encode(self, data: Mapping[str, Any]) -> object:
        """The ``data`` column's value for a record's data."""
        raise NotImplementedError

    def _decode(self, value: Any) -> dict[str, Any]:
        """A record's data from the ``data`` column's value."""
        raise NotImplementedError

    def get(self, kind: Kind, id: str) -> StoredRecord | None:
        """The record of this kind and id, or ``None``."""
        m = self._mark
        with self._lock:
            row = self._conn.execute(
                f"SELECT {COLUMNS} FROM compat_records WHERE tenant = {m} AND kind = {m} AND id = {m}",
                (self._tenant, kind, id),
            ).fetchone()
        return None if row is None else self._record(row)

    def get_many(self, kind: Kind, ids: Sequence[str]) -> dict[str, StoredRecord]:
        """The records of this kind with these ids that exist, by id."""
        if not ids:
            return {}
        marks = ", ".join([self._mark] * len(ids))
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {COLUMNS} FROM compat_records WHERE tenant = {self._mark} AND kind = {self._mark} "
                f"AND id IN ({marks})",
                (self._tenant, kind, *ids),
            ).fetchall()
        return {record.id: record for record in map(self._record, rows)}

    def put(self, record: StoredRecord) -> None:
        """Insert the record, or replace the one with the same kind and id (keeping its position)."""
        with self._lock:
            self._conn.execute(self._upsert(), self._row(record))

    def put_many(self, records: Sequence[StoredRecord]) -> None:
        """Put every record, in order, in one transaction."""
        if not records:
            return
        with self.transaction():
            self._conn.cursor().executemany(self._upsert(), [self._row(record) for record in records])

    def transaction(self, lock: str | None = None) -> AbstractContextManager[None]:
        """All writes inside land together or not at all (each backend provides it)."""
        raise NotImplementedError

    def _upsert(self) -> LiteralString:
        m = self._mark
        return f"""
            INSERT INTO compat_records (tenant, {COLUMNS}) VALUES ({m}, {m}, {m}, {m}, {m}, {m}, {m})
            ON CONFLICT (tenant, kind, id) DO UPDATE SET
                parent_id = excluded.parent_id,
                group_id = excluded.group_id,
                created_at = excluded.created_at,
                data = excluded.data
            """

    def _row(self, record: StoredRecord) -> tuple[object, ...]:
        return (
            self._tenant,
            record.kind,
            record.id,
            record.parent_id,
            record.group_id,
            record.created_at,
            self._encode(record.data),
        )

    def delete(self, kind: Kind, id: str) -> bool:
        """Delete one record; ``True`` when it existed."""
        m = self._mark
        with self._lock:
            cursor = self._conn.execute(
                f"DELETE FROM compat_records WHERE tenant = {m} AND kind = {m} AND id = {m}", (self._tenant, kind, id)
            )
        return cursor.rowcount > 0

    def delete_children(self, kind: Kind, parent_id: str) -> int:
        """Delete every record of this kind under ``parent_id``; the number deleted."""
        m = self._mark
        with self._lock:
            cursor = self._conn.execute(
                f"DELETE FROM compat_records WHERE tenant = {m} AND kind = {m} AND parent_id = {m}",
                (self._tenant, kind, parent_id),
            )
        return int(cursor.rowcount)

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
            sql, params = page_query(self._tenant, kind, parent_id, group_id, order, seqs, limit, mark=self._mark)
            rows = self._conn.execute(sql, params).fetchall()
        return [self._record(row) for row in rows]

    def close(self) -> None:
        """Close the connection (shared by every tenant's handle of this store)."""
        with self._lock:
            self._conn.close()

    def _seq(self, kind: Kind, id: str) -> int:
        m = self._mark
        row = self._conn.execute(
            f"SELECT seq FROM compat_records WHERE tenant = {m} AND kind = {m} AND id = {m}", (self._tenant, kind, id)
        ).fetchone()
        if row is None:
            raise KeyError(f"no {kind} with id {id!r}")
        return int(row[0])

    def _record(self, row: Any) -> StoredRecord:
        kind, id, parent_id, group_id, created_at, data = row
        # the row was validated when it was written
        return StoredRecord.model_construct(
            kind=kind,
            id=id,
            parent_id=parent_id,
            group_id=group_id,
            created_at=created_at,
            data=self._decode(data),
        )


def page_query(
    tenant: str,
    kind: Kind,
    parent_id: str,
    group_id: str | None,
    order: Order,
    cursor_seqs: list[int | None],
    limit: int | None,
    *,
    mark: LiteralString,
) -> tuple[LiteralString, list[Any]]:
    """The ``SELECT`` of one page of :meth:`RecordsTable.list` and its parameters (``mark``: placeholder).

    ``cursor_seqs`` holds the positions of the ``after`` and ``before`` records (``None`` when not given);
    both are read in the direction of ``order``.
    """
    where: list[LiteralString] = [f"tenant = {mark}", f"kind = {mark}", f"parent_id = {mark}"]
    params: list[Any] = [tenant, kind, parent_id]
    if group_id is not None:
        where.append(f"group_id = {mark}")
        params.append(group_id)
    bounds: tuple[LiteralString, LiteralString] = (">", "<") if order == "asc" else ("<", ">")
    for seq, comparison in zip(cursor_seqs, bounds, strict=True):
        if seq is not None:
            where.append(f"seq {comparison} {mark}")
            params.append(seq)
    direction = "ASC" if order == "asc" else "DESC"
    sql: LiteralString = f"SELECT {COLUMNS} FROM compat_records WHERE {' AND '.join(where)} ORDER BY seq {direction}"
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
