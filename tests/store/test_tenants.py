"""Tenants in the store: every backend keeps each tenant's records apart (see ``conftest.py``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from compat.store import Store, StoredRecord
from compat.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    from .conftest import StoreFactory

NOW = 1_700_000_000


def run(id: str, thread: str = "thread_1", **data: object) -> StoredRecord:
    return StoredRecord(kind="run", id=id, parent_id=thread, created_at=NOW, data=data)


def test_tenants_never_see_each_others_records(store: Store) -> None:
    alice, bob = store.for_tenant("alice"), store.for_tenant("bob")
    alice.put(run("run_1", owner="alice"))
    bob.put(run("run_2", owner="bob"))

    assert alice.get("run", "run_2") is None
    assert bob.get("run", "run_1") is None
    assert alice.list("run", parent_id="thread_1") == [run("run_1", owner="alice")]
    assert bob.list("run", parent_id="thread_1") == [run("run_2", owner="bob")]
    assert alice.get_many("run", ["run_1", "run_2"]) == {"run_1": run("run_1", owner="alice")}
    assert alice.delete("run", "run_2") is False
    assert alice.delete_children("run", "thread_1") == 1
    assert bob.get("run", "run_2") == run("run_2", owner="bob")
    assert (alice.tenant, bob.tenant) == ("alice", "bob")


def test_two_tenants_may_hold_the_same_id(store: Store) -> None:
    """A conversation reached with two keys is a thread of each: same id, two separate records."""
    alice, bob = store.for_tenant("alice"), store.for_tenant("bob")
    alice.put(StoredRecord(kind="thread", id="conv_1", created_at=NOW, data={"tool_resources": {"a": 1}}))
    bob.put(StoredRecord(kind="thread", id="conv_1", created_at=NOW, data={"tool_resources": {}}))
    alice_thread, bob_thread = alice.get("thread", "conv_1"), bob.get("thread", "conv_1")
    assert alice_thread is not None and bob_thread is not None
    assert (alice_thread.data, bob_thread.data) == ({"tool_resources": {"a": 1}}, {"tool_resources": {}})


def test_a_cursor_of_another_tenant_is_unknown(store: Store) -> None:
    alice, bob = store.for_tenant("alice"), store.for_tenant("bob")
    alice.put(run("run_1"))
    bob.put(run("run_2"))
    try:
        bob.list("run", parent_id="thread_1", after="run_1")
    except KeyError:
        pass
    else:
        raise AssertionError("a cursor naming another tenant's record must be unknown")


def test_records_of_no_tenant_go_to_the_first_tenant_that_asks(store: Store) -> None:
    store.put(run("run_old", kept="yes"))
    first = store.for_tenant("first")
    second = store.for_tenant("second")
    assert first.get("run", "run_old") == run("run_old", kept="yes")
    assert second.get("run", "run_old") is None
    assert store.get("run", "run_old") is None  # the unscoped handle no longer sees it


def test_the_secret_is_random_per_store_and_stable(store_factory: StoreFactory) -> None:
    first, again = store_factory(), store_factory()
    secret = first.secret()
    assert len(secret) == 64 and int(secret, 16) >= 0
    assert again.secret() == secret
    assert first.for_tenant("alice").secret() == secret


def test_a_store_of_schema_version_1_is_migrated_and_adopted(tmp_path: Path) -> None:
    """A database written before tenants: its rows survive the upgrade and go to the first tenant."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(
        """
        CREATE TABLE compat_records (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, id TEXT NOT NULL,
            parent_id TEXT NOT NULL DEFAULT '', group_id TEXT NOT NULL DEFAULT '',
            created_at INTEGER NOT NULL, data TEXT NOT NULL, UNIQUE (kind, id));
        CREATE INDEX compat_records_parent ON compat_records (kind, parent_id, seq);
        CREATE INDEX compat_records_group ON compat_records (kind, group_id);
        INSERT INTO compat_records (kind, id, parent_id, group_id, created_at, data)
            VALUES ('run', 'run_b', 'thread_1', '', 1700000000, '{"n":1}'),
                   ('run', 'run_a', 'thread_1', '', 1700000000, '{"n":2}');
        PRAGMA user_version = 1;
        """
    )
    conn.close()
    store = SQLiteStore(str(path))
    try:
        owner = store.for_tenant("owner")
        assert owner.list("run", parent_id="thread_1", order="asc") == [run("run_b", n=1), run("run_a", n=2)]
        (version,) = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()
        assert version == 2
    finally:
        store.close()
