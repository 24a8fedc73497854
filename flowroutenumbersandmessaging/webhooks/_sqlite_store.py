"""The dedupe store for several processes of one machine: an SQLite file."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager
from typing import Iterator, Union

from .._validate import seconds
from ..exceptions import ValidationError
from ._stores import DEFAULT_LEASE, DEFAULT_TTL, check_key

# Purging expired rows costs a scan of the index; once in this many claims is plenty.
_PURGE_EVERY = 1000
# Idle connections kept for reuse: opening one costs twenty times the statements it runs.
_IDLE = 8


class SQLiteDedupeStore:
    """A dedupe store in an SQLite file, shared by the processes of one machine.

    For several workers (gunicorn, uWSGI) on one host. Claims run in a ``BEGIN IMMEDIATE``
    transaction (one writer at a time, waiting up to ``timeout`` for another's lock); the file
    is in WAL mode. Safe from any thread: each operation takes a connection of its own, and
    idle connections are reused, then closed by :meth:`close` (or when the store is collected,
    or just before the process forks, so that no worker inherits one). Not for network file
    systems, where SQLite's locks do not hold. Times are wall-clock: the processes share no
    other clock.

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
        timeout = seconds(timeout, "timeout")
        self._pool = _Pool(self._path, timeout)
        self._close = weakref.finalize(self, self._pool.close)
        self._claims = 0
        self._count_lock = threading.Lock()
        with self._pool.connection() as db:
            _use_wal(db, timeout)
            db.execute(
                "CREATE TABLE IF NOT EXISTS callbacks"
                " (key TEXT PRIMARY KEY, done INTEGER NOT NULL, at REAL NOT NULL)"
            )
            db.execute("CREATE INDEX IF NOT EXISTS callbacks_by_age ON callbacks (done, at)")
            self._purge(db, time.time())

    def __repr__(self) -> str:
        return f"<SQLiteDedupeStore {self._path!r}>"

    def close(self) -> None:
        """Close the connections kept for reuse; later operations open one each."""
        self._close()

    def claim(self, key: str) -> bool:
        """True, and the key is claimed, if it is neither claimed nor done (in any process)."""
        check_key(key)
        now = time.time()
        with self._pool.connection() as db:
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
        check_key(key)
        with self._pool.connection() as db:
            row = db.execute(
                "SELECT 1 FROM callbacks WHERE key = ? AND done = 1 AND at > ?",
                (key, time.time() - self._ttl),
            ).fetchone()
            return row is not None

    def done(self, key: str) -> None:
        """Mark the key handled: claims of it fail until it expires."""
        check_key(key)
        with self._pool.connection() as db:
            db.execute("INSERT OR REPLACE INTO callbacks VALUES (?, 1, ?)", (key, time.time()))

    def release(self, key: str) -> None:
        """Forget a claim (its handler failed), so that the next delivery is handled."""
        check_key(key)
        with self._pool.connection() as db:
            db.execute("DELETE FROM callbacks WHERE key = ? AND done = 0", (key,))

    def _purge_due(self) -> bool:
        with self._count_lock:
            self._claims += 1
            return self._claims % _PURGE_EVERY == 0

    def _purge(self, db: sqlite3.Connection, now: float) -> None:
        db.execute("DELETE FROM callbacks WHERE done = 0 AND at <= ?", (now - self._lease,))
        db.execute("DELETE FROM callbacks WHERE done = 1 AND at <= ?", (now - self._ttl,))


def _use_wal(db: sqlite3.Connection, timeout: float) -> None:
    # Processes that open a new file at once all switch it to WAL; SQLite fails all but one of
    # them at once ("database is locked") rather than wait, so wait here, as for any lock.
    give_up = time.monotonic() + timeout
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= give_up:
                raise
        time.sleep(0.005)


class _Pool:
    """Connections to one file, each used by one thread at a time and kept for reuse."""

    def __init__(self, path: str, timeout: float) -> None:
        self._path = path
        self._timeout = timeout
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        _POOLS.add(self)

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = self._idle.pop() if self._idle else None
        if db is None:
            # Autocommit: each statement is its own transaction unless BEGIN says otherwise.
            db = sqlite3.connect(
                self._path, timeout=self._timeout, isolation_level=None, check_same_thread=False
            )
            # A crash may lose the last few marks (a callback then runs twice, which handlers
            # tolerate anyway) but never corrupts the file; it saves an fsync per mark.
            db.execute("PRAGMA synchronous=NORMAL")
        try:
            yield db
        except BaseException:
            db.close()  # it may be mid-transaction: closing rolls back
            raise
        with self._lock:
            if not self._closed and len(self._idle) < _IDLE:
                self._idle.append(db)
                return
        db.close()

    def close_idle(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for db in idle:
            db.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self.close_idle()


# SQLite connections must not cross a fork (gunicorn --preload creates the store in the master,
# then forks the workers): idle ones are closed just before, in the parent.
_POOLS: weakref.WeakSet[_Pool] = weakref.WeakSet()


def _close_idle_before_fork() -> None:
    for pool in list(_POOLS):
        pool.close_idle()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_close_idle_before_fork)
