"""The storage Protocol: what the shim keeps that the server cannot hold.

The store is a small ordered document store. Every record has a ``kind`` (``assistant``, ``thread``,
``run``, ``step``, ``message``, ``alias``, ``file``), an ``id`` unique within its kind, an optional ``parent_id``
(the thread of a run or message, the run of a step; ``""`` for top-level records such as assistants),
an optional ``group_id`` (a secondary key: the run that produced a message), a ``created_at`` in Unix
seconds and a JSON-able ``data`` mapping. Records are listed in insertion order, which the backend keeps
with its own sequence: many records share a ``created_at`` second.

Rules every backend follows (checked by ``tests/store/test_contract.py``):

- ``put`` inserts a record, or replaces the one with the same ``kind`` and ``id`` while keeping its
  position in the insertion order; ``put_many`` puts several in one transaction.
- ``list`` pages through the records of one ``kind`` and ``parent_id`` in insertion order (``asc``) or
  its reverse (``desc``), starting strictly after the record ``after`` and stopping strictly before the
  record ``before``; unknown cursors raise ``KeyError``.
- ``transaction`` groups writes so that either all of them land or none does, and with ``lock`` it
  serialises callers (across processes too) that name the same lock.
- A handle from ``for_tenant(t)`` reads, lists, writes and deletes only ``t``'s records: two tenants may
  even hold records of the same kind and id without seeing each other's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Kind", "Order", "Store", "StoredRecord"]

Kind = Literal["assistant", "thread", "run", "step", "message", "alias", "file"]
Order = Literal["asc", "desc"]


class StoredRecord(BaseModel):
    """One row of the store."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    id: str
    parent_id: str = ""
    group_id: str = ""
    created_at: int
    data: Mapping[str, Any] = Field(default_factory=dict[str, Any])


@runtime_checkable
class Store(Protocol):
    """Persistence for what the server cannot hold. Backends: SQLite (default) and PostgreSQL."""

    def get(self, kind: Kind, id: str) -> StoredRecord | None:
        """The record of this kind and id, or ``None``."""
        ...

    def get_many(self, kind: Kind, ids: Sequence[str]) -> dict[str, StoredRecord]:
        """The records of this kind with these ids that exist, by id (missing ids are left out)."""
        ...

    def put(self, record: StoredRecord) -> None:
        """Insert the record, or replace the one with the same kind and id (keeping its position)."""
        ...

    def put_many(self, records: Sequence[StoredRecord]) -> None:
        """Put every record (as :meth:`put`), in order, in one transaction: all of them land or none."""
        ...

    def delete(self, kind: Kind, id: str) -> bool:
        """Delete one record; ``True`` when it existed."""
        ...

    def delete_children(self, kind: Kind, parent_id: str) -> int:
        """Delete every record of this kind under ``parent_id``; the number deleted."""
        ...

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

        ``after`` / ``before`` are record ids of the same kind; the page excludes them. ``limit=None``
        returns every matching record.
        """
        ...

    def transaction(self, lock: str | None = None) -> AbstractContextManager[None]:
        """All writes inside land together or not at all; ``lock`` serialises callers naming it."""
        ...

    @property
    def tenant(self) -> str:
        """The tenant whose records this handle reads and writes (``""`` for the unscoped handle)."""
        ...

    def for_tenant(self, tenant: str) -> Store:
        """A handle on the same backend that sees only ``tenant``'s records (records of no tenant, left by a
        release without tenants, are given to the first tenant that asks)."""
        ...

    def secret(self) -> str:
        """A random salt kept in the store, the same for every handle (for tenant fingerprints)."""
        ...

    def close(self) -> None:
        """Release connections (shared by every tenant's handle)."""
        ...


def iter_all(store: Store, kind: Kind, *, parent_id: str = "") -> Iterator[StoredRecord]:
    """Every record of a kind under a parent, oldest first."""
    yield from store.list(kind, parent_id=parent_id, order="asc")
