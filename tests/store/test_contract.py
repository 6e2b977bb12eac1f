"""The contract of :class:`compat.store.Store`, run against every backend (see ``conftest.py``)."""

from __future__ import annotations

import multiprocessing
import threading
import time
from typing import TYPE_CHECKING, Any

import pytest

from compat.store import Kind, Order, Store, StoredRecord
from compat.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    from .conftest import StoreFactory

THREAD = "thread_1"
NOW = 1_700_000_000


def message(id: str, *, parent_id: str = THREAD, group_id: str = "", **data: Any) -> StoredRecord:
    """A message record under ``THREAD``, all created in the same second."""
    return StoredRecord(kind="message", id=id, parent_id=parent_id, group_id=group_id, created_at=NOW, data=data)


def ids(records: list[StoredRecord]) -> list[str]:
    """The ids of ``records``, in order."""
    return [record.id for record in records]


def put_messages(store: Store, count: int) -> list[str]:
    """Put ``m0`` .. ``m<count-1>`` in that order; their ids."""
    for index in range(count):
        store.put(message(f"m{index}", index=index))
    return [f"m{index}" for index in range(count)]


def test_backend_is_a_store_its_handles_share(store_factory: StoreFactory) -> None:
    """A backend is a ``Store``, and what one handle writes another handle on the same database reads
    (``:memory:`` has a single handle, so there both are the same)."""
    writer, reader = store_factory(), store_factory()
    assert isinstance(writer, Store)
    assert isinstance(reader, Store)
    record = StoredRecord(
        kind="run", id="run_1", parent_id=THREAD, group_id="g", created_at=NOW, data={"status": "queued"}
    )
    writer.put(record)
    assert reader.get("run", "run_1") == record
    assert reader.list("run", parent_id=THREAD) == [record]
    assert reader.delete("run", "run_1") is True
    assert writer.get("run", "run_1") is None


def test_get_unknown_is_none(store: Store) -> None:
    assert store.get("message", "nope") is None


def test_put_then_get_round_trips(store: Store) -> None:
    record = StoredRecord(
        kind="run", id="run_1", parent_id=THREAD, group_id="g", created_at=NOW, data={"status": "queued"}
    )
    store.put(record)
    assert store.get("run", "run_1") == record


def test_ids_are_unique_per_kind_only(store: Store) -> None:
    store.put(StoredRecord(kind="thread", id="x", created_at=NOW, data={"k": "thread"}))
    store.put(StoredRecord(kind="alias", id="x", created_at=NOW, data={"k": "alias"}))
    thread, alias = store.get("thread", "x"), store.get("alias", "x")
    assert thread is not None and thread.data == {"k": "thread"}
    assert alias is not None and alias.data == {"k": "alias"}


def test_put_replaces_and_keeps_position(store: Store) -> None:
    put_messages(store, 3)
    replacement = message("m0", group_id="run_9", status="completed")
    store.put(replacement.model_copy(update={"created_at": NOW + 50}))
    assert ids(store.list("message", parent_id=THREAD, order="asc")) == ["m0", "m1", "m2"]
    assert store.get("message", "m0") == replacement.model_copy(update={"created_at": NOW + 50})


def test_delete_reports_whether_it_existed(store: Store) -> None:
    put_messages(store, 2)
    assert store.delete("message", "m0") is True
    assert store.delete("message", "m0") is False
    assert store.get("message", "m0") is None
    assert ids(store.list("message", parent_id=THREAD)) == ["m1"]


def test_delete_children_only_touches_that_kind_and_parent(store: Store) -> None:
    put_messages(store, 3)
    store.put(message("other", parent_id="thread_2"))
    store.put(StoredRecord(kind="run", id="run_1", parent_id=THREAD, created_at=NOW))
    assert store.delete_children("message", THREAD) == 3
    assert store.delete_children("message", THREAD) == 0
    assert store.list("message", parent_id=THREAD) == []
    assert ids(store.list("message", parent_id="thread_2")) == ["other"]
    assert store.get("run", "run_1") is not None


def test_list_orders_by_insertion_not_by_id_or_time(store: Store) -> None:
    for id, created_at in (("c", NOW), ("a", NOW + 5), ("b", NOW - 5)):
        store.put(StoredRecord(kind="assistant", id=id, created_at=created_at))
    assert ids(store.list("assistant", order="asc")) == ["c", "a", "b"]
    assert ids(store.list("assistant", order="desc")) == ["b", "a", "c"]
    assert ids(store.list("assistant")) == ["b", "a", "c"], "desc is the default"


def test_list_is_scoped_to_kind_and_parent(store: Store) -> None:
    put_messages(store, 2)
    store.put(message("elsewhere", parent_id="thread_2"))
    store.put(StoredRecord(kind="run", id="run_1", parent_id=THREAD, created_at=NOW))
    store.put(StoredRecord(kind="message", id="top", created_at=NOW))
    assert ids(store.list("message", parent_id=THREAD, order="asc")) == ["m0", "m1"]
    assert ids(store.list("message")) == ["top"], "parent_id defaults to top-level records"
    assert ids(store.list("run", parent_id=THREAD)) == ["run_1"]


@pytest.mark.parametrize(
    ("order", "after", "before", "limit", "expected"),
    [
        ("asc", None, None, None, ["m0", "m1", "m2", "m3", "m4", "m5"]),
        ("asc", None, None, 2, ["m0", "m1"]),
        ("asc", None, None, 0, []),
        ("asc", None, None, 100, ["m0", "m1", "m2", "m3", "m4", "m5"]),
        ("asc", "m1", None, None, ["m2", "m3", "m4", "m5"]),
        ("asc", "m1", None, 2, ["m2", "m3"]),
        ("asc", None, "m3", None, ["m0", "m1", "m2"]),
        ("asc", None, "m3", 2, ["m0", "m1"]),
        ("asc", "m1", "m4", None, ["m2", "m3"]),
        ("asc", "m1", "m4", 1, ["m2"]),
        ("asc", "m2", "m3", None, []),
        ("asc", "m5", None, None, []),
        ("asc", "m4", "m1", None, []),
        ("desc", None, None, None, ["m5", "m4", "m3", "m2", "m1", "m0"]),
        ("desc", None, None, 2, ["m5", "m4"]),
        ("desc", "m4", None, None, ["m3", "m2", "m1", "m0"]),
        ("desc", "m4", None, 2, ["m3", "m2"]),
        ("desc", None, "m2", None, ["m5", "m4", "m3"]),
        ("desc", None, "m2", 1, ["m5"]),
        ("desc", "m4", "m1", None, ["m3", "m2"]),
        ("desc", "m4", "m1", 1, ["m3"]),
        ("desc", "m0", None, None, []),
        ("desc", "m1", "m4", None, []),
    ],
)
def test_list_pages_with_exclusive_cursors(
    store: Store, order: Order, after: str | None, before: str | None, limit: int | None, expected: list[str]
) -> None:
    put_messages(store, 6)
    page = store.list("message", parent_id=THREAD, order=order, after=after, before=before, limit=limit)
    assert ids(page) == expected


def test_paging_with_after_visits_every_record_once(store: Store) -> None:
    expected = put_messages(store, 7)[::-1]
    seen: list[str] = []
    after: str | None = None
    while page := store.list("message", parent_id=THREAD, after=after, limit=3):
        seen += ids(page)
        after = page[-1].id
    assert seen == expected


def test_cursors_survive_replacement_and_deleted_neighbours(store: Store) -> None:
    put_messages(store, 5)
    store.put(message("m2", status="edited"))
    store.delete("message", "m3")
    assert ids(store.list("message", parent_id=THREAD, order="asc", after="m2")) == ["m4"]
    assert ids(store.list("message", parent_id=THREAD, order="asc", before="m2")) == ["m0", "m1"]


def test_group_filter(store: Store) -> None:
    for index, group in enumerate(["run_a", "run_b", "run_a", "", "run_a"]):
        store.put(message(f"m{index}", group_id=group))
    listed = store.list("message", parent_id=THREAD, group_id="run_a", order="asc")
    assert ids(listed) == ["m0", "m2", "m4"]
    assert ids(store.list("message", parent_id=THREAD, group_id="run_a", after="m2", order="asc")) == ["m4"]
    assert ids(store.list("message", parent_id=THREAD, group_id="run_a", after="m1", limit=1)) == ["m0"]
    assert ids(store.list("message", parent_id=THREAD, group_id="")) == ["m3"]
    assert store.list("message", parent_id=THREAD, group_id="run_z") == []


@pytest.mark.parametrize("cursor", ["after", "before"])
def test_unknown_cursor_raises_key_error(store: Store, cursor: str) -> None:
    put_messages(store, 2)
    store.put(StoredRecord(kind="run", id="run_1", parent_id=THREAD, created_at=NOW))
    with pytest.raises(KeyError):
        store.list("message", parent_id=THREAD, **{cursor: "missing"})
    with pytest.raises(KeyError):
        store.list("message", parent_id=THREAD, **{cursor: "run_1"})  # an id of another kind


def test_json_round_trip_of_nested_unicode_data(store: Store) -> None:
    data: dict[str, Any] = {
        "text": 'héllo wörld — 你好 — שלום — 🧵🤖 — "quoted" \\ back\nslash\ttab',
        "metadata": {"ключ": "значение", "empty": "", "emoji 🔑": "✓"},
        "content": [
            {"type": "text", "text": {"value": "x", "annotations": []}},
            {"type": "image_file", "image_file": {"file_id": "file_1", "detail": None}},
        ],
        "numbers": [0, -1, 2**53 + 1, 1.5, -0.25, 1e-9],
        "flags": [True, False, None],
        "deep": {"a": {"b": {"c": {"d": [[], {}, [1, [2, [3]]]]}}}},
    }
    record = StoredRecord(kind="message", id="msg_ünï", parent_id="thread_ü", created_at=NOW, data=data)
    store.put(record)
    assert store.get("message", "msg_ünï") == record
    assert store.list("message", parent_id="thread_ü") == [record]


def test_transaction_commits_all_writes(store_factory: StoreFactory) -> None:
    store = store_factory()
    store.put(message("old"))
    with store.transaction():
        store.put(message("m0"))
        store.put(message("old", status="replaced"))
        store.delete("message", "m0")
        store.put(message("m1"))
    other = store_factory()
    assert ids(other.list("message", parent_id=THREAD, order="asc")) == ["old", "m1"]
    old = other.get("message", "old")
    assert old is not None and old.data == {"status": "replaced"}


def test_transaction_rolls_back_everything_on_exception(store: Store) -> None:
    put_messages(store, 3)
    store.put(StoredRecord(kind="run", id="run_1", parent_id=THREAD, created_at=NOW, data={"n": 1}))
    before = store.list("message", parent_id=THREAD)
    with pytest.raises(RuntimeError, match="boom"), store.transaction(lock=THREAD):
        store.put(message("new"))
        store.put(StoredRecord(kind="run", id="run_1", parent_id=THREAD, created_at=NOW, data={"n": 2}))
        store.delete("message", "m1")
        store.delete_children("message", THREAD)
        raise RuntimeError("boom")
    assert store.list("message", parent_id=THREAD) == before
    run = store.get("run", "run_1")
    assert run is not None and run.data == {"n": 1}
    store.put(message("after"))  # the store stays usable
    assert store.get("message", "after") is not None


def test_writes_inside_a_transaction_are_invisible_to_others_until_commit(
    backend: str, store_factory: StoreFactory
) -> None:
    if backend == "sqlite-memory":
        pytest.skip("an in-memory database has a single handle")
    store, other = store_factory(), store_factory()
    with store.transaction():
        store.put(message("m0"))
        assert store.get("message", "m0") is not None, "a transaction reads its own writes"
        assert other.get("message", "m0") is None
    assert other.get("message", "m0") is not None


def test_nested_transaction_joins_the_outer_one(store_factory: StoreFactory) -> None:
    store = store_factory()
    with pytest.raises(RuntimeError), store.transaction(lock="outer"):
        store.put(message("outer"))
        with store.transaction(lock="inner"):
            store.put(message("inner"))
        assert store.get("message", "inner") is not None
        raise RuntimeError("the outer block fails after the inner one finished")
    assert store.list("message", parent_id=THREAD) == [], "the inner writes went with the outer rollback"

    with store.transaction():
        with store.transaction(), store.transaction():
            store.put(message("m0"))
        store.put(message("m1"))
    assert ids(store_factory().list("message", parent_id=THREAD, order="asc")) == ["m0", "m1"]


def test_failed_nested_transaction_undoes_only_its_own_writes(store: Store) -> None:
    with store.transaction():
        store.put(message("kept"))
        with pytest.raises(ValueError), store.transaction():
            store.put(message("undone"))
            store.delete("message", "kept")
            raise ValueError("inner failure, handled by the outer block")
        store.put(message("also-kept"))
    assert ids(store.list("message", parent_id=THREAD, order="asc")) == ["kept", "also-kept"]


def increment(store: Store, times: int) -> None:
    """Read-modify-write a counter ``times`` times, each under the lock ``"k"``; slow enough to race."""
    for _ in range(times):
        with store.transaction(lock="k"):
            counter = store.get("thread", "counter")
            assert counter is not None
            time.sleep(0.0005)
            store.put(counter.model_copy(update={"data": {"n": counter.data["n"] + 1}}))


def test_lock_serialises_threads(store_factory: StoreFactory) -> None:
    store = store_factory()
    store.put(StoredRecord(kind="thread", id="counter", created_at=NOW, data={"n": 0}))
    # Each thread has its own handle (its own connection) where the backend allows one.
    handles = [store_factory() for _ in range(3)]
    errors: list[BaseException] = []

    def work(handle: Store) -> None:
        try:
            increment(handle, 40)
        except BaseException as exc:
            errors.append(exc)
            raise

    threads = [threading.Thread(target=work, args=(handle,)) for handle in handles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    counter = store.get("thread", "counter")
    assert counter is not None and counter.data == {"n": 120}


def _increment_in_process(path: str, times: int, start: Any) -> None:
    store = SQLiteStore(path)
    try:
        start.wait(timeout=30)  # begin together, so the transactions really overlap
        increment(store, times)
    finally:
        store.close()


def test_sqlite_lock_serialises_processes(tmp_path: Any) -> None:
    path = str(tmp_path / "shared.db")
    store = SQLiteStore(path)
    store.put(StoredRecord(kind="thread", id="counter", created_at=NOW, data={"n": 0}))
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(3)
    workers = [context.Process(target=_increment_in_process, args=(path, 10, start)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    try:
        assert [worker.exitcode for worker in workers] == [0, 0, 0]
        counter = store.get("thread", "counter")
        assert counter is not None and counter.data == {"n": 30}
    finally:
        for worker in workers:
            worker.kill()
        store.close()


def test_records_outlive_the_handle(backend: str, store_factory: StoreFactory) -> None:
    if backend == "sqlite-memory":
        pytest.skip("an in-memory database ends with its handle")
    store = store_factory()
    put_messages(store, 2)
    store.close()
    reopened = store_factory()  # runs the schema set-up again on an existing database
    assert ids(reopened.list("message", parent_id=THREAD, order="asc")) == ["m0", "m1"]


def test_every_kind_can_be_stored(store: Store) -> None:
    kinds: list[Kind] = ["assistant", "thread", "run", "step", "message", "alias"]
    for kind in kinds:
        store.put(StoredRecord(kind=kind, id=f"{kind}_1", created_at=NOW))
    assert [ids(store.list(kind)) for kind in kinds] == [[f"{kind}_1"] for kind in kinds]
