"""Dedupe stores: atomic claims, done marks that expire, leases that free a dead worker's claim."""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest

from flowroutenumbersandmessaging.exceptions import ValidationError
from flowroutenumbersandmessaging.webhooks import MemoryDedupeStore, SQLiteDedupeStore


@pytest.fixture(params=["memory", "sqlite"])
def make_store(request, tmp_path):
    def make(**options):
        if request.param == "memory":
            return MemoryDedupeStore(**options)
        return SQLiteDedupeStore(tmp_path / "dedupe.sqlite3", **options)

    return make


def test_a_key_is_claimed_once(make_store):
    store = make_store()
    assert store.claim("message:a") is True
    assert store.claim("message:a") is False
    assert store.claim("message:b") is True
    assert store.is_done("message:a") is False


def test_a_done_key_cannot_be_claimed_again(make_store):
    store = make_store()
    store.claim("k")
    store.done("k")
    assert store.is_done("k") is True
    assert store.claim("k") is False
    store.release("k")  # releasing a done key changes nothing
    assert store.claim("k") is False


def test_a_released_claim_can_be_claimed_again(make_store):
    store = make_store()
    store.claim("k")
    store.release("k")
    assert store.claim("k") is True


def test_a_claim_past_its_lease_can_be_claimed_again(make_store):
    store = make_store(lease=0.03)
    assert store.claim("k") is True
    assert store.claim("k") is False
    time.sleep(0.06)
    assert store.claim("k") is True


def test_a_done_key_is_forgotten_after_its_ttl(make_store):
    store = make_store(ttl=0.03)
    store.claim("k")
    store.done("k")
    assert store.claim("k") is False
    time.sleep(0.06)
    assert store.is_done("k") is False
    assert store.claim("k") is True


def test_only_one_of_many_threads_claims_a_key(make_store):
    store = make_store()
    start = threading.Barrier(8)

    def claim(_):
        start.wait()
        return store.claim("contended")

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(claim, range(8)))
    assert results.count(True) == 1


@pytest.mark.parametrize("key", ["", None, 5, b"k"])
def test_a_key_must_be_non_empty_text(make_store, key):
    store = make_store()
    with pytest.raises(ValidationError):
        store.claim(key)


@pytest.mark.parametrize("option", [{"lease": 0}, {"ttl": -1}, {"lease": "5"}])
def test_bad_lease_or_ttl_is_refused(make_store, option):
    with pytest.raises(ValidationError):
        make_store(**option)


def test_memory_store_evicts_the_oldest_done_keys_first():
    store = MemoryDedupeStore(max_keys=3)
    store.claim("old-done")
    store.done("old-done")
    store.claim("in-flight")
    store.claim("new-done")
    store.done("new-done")
    assert store.claim("newcomer") is True  # full: one key must go
    assert store.is_done("old-done") is False
    assert store.is_done("new-done") is True
    assert store.claim("in-flight") is False


def test_memory_store_never_holds_more_than_max_keys():
    store = MemoryDedupeStore(max_keys=10)
    for n in range(100):
        store.claim(f"k{n}")
        if n % 2:
            store.done(f"k{n}")
    assert sum(store.claim(f"k{n}") is False for n in range(100)) <= 10


def test_memory_store_refuses_max_keys_below_one():
    with pytest.raises(ValidationError):
        MemoryDedupeStore(max_keys=0)


def test_sqlite_stores_on_one_file_share_their_keys(tmp_path):
    path = tmp_path / "shared.sqlite3"
    first, second = SQLiteDedupeStore(path), SQLiteDedupeStore(str(path))
    assert first.claim("k") is True
    assert second.claim("k") is False
    first.done("k")
    assert second.is_done("k") is True


def test_sqlite_store_keeps_its_keys_across_reopening(tmp_path):
    path = tmp_path / "kept.sqlite3"
    SQLiteDedupeStore(path).done("k")
    assert SQLiteDedupeStore(path).claim("k") is False


def open_and_close_when_all_are_ready(path, ready):
    ready.wait(5)
    SQLiteDedupeStore(path).close()


def test_sqlite_stores_opened_at_once_on_a_new_file_all_open(tmp_path):
    # The workers of one server start together: each opens the store while the others are
    # switching the new file to write-ahead logging. One round seldom hits the race; sixty
    # rounds mostly do.
    for attempt in range(60):
        path, ready = tmp_path / f"new{attempt}.sqlite3", threading.Barrier(4)
        with ThreadPoolExecutor(4) as pool:
            opened = [pool.submit(open_and_close_when_all_are_ready, path, ready) for _ in range(4)]
        for store in opened:
            store.result()


def test_sqlite_store_uses_write_ahead_logging(tmp_path):
    path = tmp_path / "wal.sqlite3"
    SQLiteDedupeStore(path)
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("path", [":memory:", "", 5, None])
def test_sqlite_store_refuses_a_database_that_is_not_a_shared_file(path):
    with pytest.raises(ValidationError):
        SQLiteDedupeStore(path)


def test_sqlite_store_still_works_after_close(tmp_path):
    store = SQLiteDedupeStore(tmp_path / "closed.sqlite3")
    store.claim("a")
    store.close()
    store.close()
    assert store.claim("a") is False
    assert store.claim("b") is True
