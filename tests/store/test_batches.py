"""The batch calls of :class:`compat.store.Store` (``put_many``, ``get_many``), on every backend."""

from __future__ import annotations

import pytest

from compat.store import Store, StoredRecord

THREAD = "thread_1"
NOW = 1_700_000_000


def message(id: str, **data: object) -> StoredRecord:
    return StoredRecord(kind="message", id=id, parent_id=THREAD, created_at=NOW, data=data)


def test_put_many_puts_in_order_and_replaces_in_place(store: Store) -> None:
    store.put(message("m0", n=0))
    store.put_many([message("m1", n=1), message("m0", n=10), message("m2", n=2)])
    assert store.list("message", parent_id=THREAD, order="asc") == [
        message("m0", n=10),
        message("m1", n=1),
        message("m2", n=2),
    ]


def test_put_many_of_nothing_writes_nothing(store: Store) -> None:
    store.put_many([])
    assert store.list("message", parent_id=THREAD) == []


def test_put_many_lands_whole_or_not_at_all(store: Store) -> None:
    """One bad record (not JSON-able) and none of the batch lands."""
    with pytest.raises((TypeError, ValueError)):
        store.put_many([message("m0", n=0), message("m1", n=object())])
    assert store.list("message", parent_id=THREAD) == []


def test_put_many_inside_a_transaction_joins_it(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.put_many([message("m0"), message("m1")])
        raise RuntimeError("undo")
    assert store.get_many("message", ["m0", "m1"]) == {}


def test_get_many_answers_the_records_that_exist_by_id(store: Store) -> None:
    store.put_many([message("m0", n=0), message("m1", n=1)])
    store.put(StoredRecord(kind="run", id="m2", parent_id=THREAD, created_at=NOW))
    assert store.get_many("message", ["m1", "nope", "m2", "m0"]) == {
        "m1": message("m1", n=1),
        "m0": message("m0", n=0),
    }
    assert store.get_many("message", []) == {}
