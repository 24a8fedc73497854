"""Dedupe stores: which callbacks are being handled, and which were handled already.

Flowroute posts a callback at least once and posts it again when it is not answered 200, so a
receiver claims each callback's key before handling it. A key is in one of three states:

* unknown: :meth:`claim` takes it and returns True;
* claimed: being handled. :meth:`done` marks it handled, :meth:`release` forgets it (the
  handler failed, so the next delivery is handled again). A claim neither done nor released
  within the lease is free again: the worker holding it died mid-handler;
* done: :meth:`claim` returns False until the key expires, ``ttl`` after it was marked.

The default lease is one minute: Flowroute re-posts four times, 30 seconds apart, so after a
crash a later re-post still finds the claim expired and is handled. A handler must therefore
finish well within the lease (it should answer in seconds anyway).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections import OrderedDict
from contextlib import closing, contextmanager
from typing import Iterator, Protocol, Union

from .._validate import seconds, whole_number
from ..exceptions import ValidationError

DEFAULT_LEASE = 60.0
DEFAULT_TTL = 7 * 24 * 3600.0
# Purging expired rows costs a scan of the index; once in this many claims is plenty.
_PURGE_EVERY = 1000


class DedupeStore(Protocol):
    """What :class:`WebhookReceiver` needs from a store (write your own for Redis, say)."""

    def claim(self, key: str) -> bool: ...

    def is_done(self, key: str) -> bool: ...

    def done(self, key: str) -> None: ...

    def release(self, key: str) -> None: ...


class MemoryDedupeStore:
    """A dedupe store in this process's memory: thread-safe and bounded.

    For one process only (several workers each have their own memory: use
    :class:`SQLiteDedupeStore` there). Holds at most ``max_keys`` keys; when full, the oldest
    done keys make room first, then the oldest claims.

    Args:
        lease: seconds a claim holds before it may be claimed again.
        ttl: seconds a done key is remembered.
        max_keys: the most keys held.
    """

    def __init__(
        self, *, lease: float = DEFAULT_LEASE, ttl: float = DEFAULT_TTL, max_keys: int = 100_000
    ) -> None:
        self._lease = seconds(lease, "lease")
        self._ttl = seconds(ttl, "ttl")
        self._max_keys = whole_number(max_keys, "max_keys", minimum=1)
        self._lock = threading.Lock()
        # Both ordered oldest first, so expiry and eviction pop from the front.
        self._claims: OrderedDict[str, float] = OrderedDict()
        self._done: OrderedDict[str, float] = OrderedDict()

    def claim(self, key: str) -> bool:
        """True, and the key is claimed, if it is neither claimed nor done."""
        _check_key(key)
        with self._lock:
            now = self._expire()
            if key in self._claims or key in self._done:
                return False
            self._make_room()
            self._claims[key] = now
            return True

    def is_done(self, key: str) -> bool:
        """Whether the key was marked done (and has not expired)."""
        _check_key(key)
        with self._lock:
            self._expire()
            return key in self._done

    def done(self, key: str) -> None:
        """Mark the key handled: claims of it fail until it expires."""
        _check_key(key)
        with self._lock:
            now = self._expire()
            self._claims.pop(key, None)
            self._done.pop(key, None)
            self._make_room()
            self._done[key] = now

    def release(self, key: str) -> None:
        """Forget a claim (its handler failed), so that the next delivery is handled."""
        _check_key(key)
        with self._lock:
            self._claims.pop(key, None)

    def _expire(self) -> float:
        now = time.monotonic()
        for table, keep in ((self._claims, self._lease), (self._done, self._ttl)):
            while table:
                key, at = next(iter(table.items()))
                if now - at < keep:
                    break
                del table[key]
        return now

    def _make_room(self) -> None:
        while len(self._claims) + len(self._done) >= self._max_keys:
            (self._done or self._claims).popitem(last=False)


class SQLiteDedupeStore:
    """A dedupe store in an SQLite file, shared by the processes of one machine.

    For several workers (gunicorn, uWSGI) on one host: every operation opens its own
    connection, so the store is safe from any thread and any process. Claims run in a
    ``BEGIN IMMEDIATE`` transaction (one writer at a time, waiting up to ``timeout`` for the
    lock); the file is in WAL mode. Not for network file systems, where SQLite's locks do not
    hold. Times are wall-clock, as the processes share no other clock.

    Args:
        path: the database file; created (with its table) if missing.
        lease: seconds a claim holds before it may be claimed again.
        ttl: seconds a done key is remembered.
        timeout: seconds to wait for another process's lock.
    """

    def __init__(
        self,
        path: Union[str, os.PathLike[str]],
        *,
        lease: float = DEFAULT_LEASE,
        ttl: float = DEFAULT_TTL,
        timeout: float = 5.0,
    ) -> None:
        if not isinstance(path, (str, os.PathLike)):
            raise ValidationError(f"path must be a file path, not {type(path).__name__}")
        self._path = os.fspath(path)
        if self._path in ("", ":memory:"):
            raise ValidationError(
                "path must be a file: an in-memory database is not shared "
                "(use MemoryDedupeStore for one process)"
            )
        self._lease = seconds(lease, "lease")
        self._ttl = seconds(ttl, "ttl")
        self._timeout = seconds(timeout, "timeout")
        self._claims = 0
        self._count_lock = threading.Lock()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS callbacks"
                " (key TEXT PRIMARY KEY, done INTEGER NOT NULL, at REAL NOT NULL)"
            )
            db.execute("CREATE INDEX IF NOT EXISTS callbacks_by_age ON callbacks (done, at)")
            self._purge(db, time.time())

    def __repr__(self) -> str:
        return f"<SQLiteDedupeStore {self._path!r}>"

    def claim(self, key: str) -> bool:
        """True, and the key is claimed, if it is neither claimed nor done (in any process)."""
        _check_key(key)
        now = time.time()
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            if self._purge_due():
                self._purge(db, now)
            row = db.execute("SELECT done, at FROM callbacks WHERE key = ?", (key,)).fetchone()
            free = row is None or now - row[1] >= (self._ttl if row[0] else self._lease)
            if free:
                db.execute("INSERT OR REPLACE INTO callbacks VALUES (?, 0, ?)", (key, now))
            db.execute("COMMIT")
            return free

    def is_done(self, key: str) -> bool:
        """Whether the key was marked done (and has not expired)."""
        _check_key(key)
        with self._connect() as db:
            row = db.execute(
                "SELECT 1 FROM callbacks WHERE key = ? AND done = 1 AND at > ?",
                (key, time.time() - self._ttl),
            ).fetchone()
            return row is not None

    def done(self, key: str) -> None:
        """Mark the key handled: claims of it fail until it expires."""
        _check_key(key)
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO callbacks VALUES (?, 1, ?)", (key, time.time()))

    def release(self, key: str) -> None:
        """Forget a claim (its handler failed), so that the next delivery is handled."""
        _check_key(key)
        with self._connect() as db:
            db.execute("DELETE FROM callbacks WHERE key = ? AND done = 0", (key,))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # Autocommit, so that each statement is its own transaction unless BEGIN says
        # otherwise; closing a connection mid-transaction rolls it back.
        with closing(
            sqlite3.connect(self._path, timeout=self._timeout, isolation_level=None)
        ) as db:
            # A crash may lose the last few marks (a callback then runs twice, which handlers
            # tolerate anyway) but never corrupts the file; it saves an fsync per mark.
            db.execute("PRAGMA synchronous=NORMAL")
            yield db

    def _purge_due(self) -> bool:
        with self._count_lock:
            self._claims += 1
            return self._claims % _PURGE_EVERY == 0

    def _purge(self, db: sqlite3.Connection, now: float) -> None:
        db.execute("DELETE FROM callbacks WHERE done = 0 AND at <= ?", (now - self._lease,))
        db.execute("DELETE FROM callbacks WHERE done = 1 AND at <= ?", (now - self._ttl,))


def _check_key(key: object) -> None:
    if not isinstance(key, str) or not key:
        raise ValidationError(f"a dedupe key must be a non-empty str, got {key!r:.40}")
