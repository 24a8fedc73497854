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

import threading
import time
from collections import OrderedDict
from typing import Protocol

from .._validate import seconds, whole_number
from ..exceptions import ValidationError

DEFAULT_LEASE = 60.0
DEFAULT_TTL = 7 * 24 * 3600.0


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
        check_key(key)
        with self._lock:
            now = self._expire()
            if key in self._claims or key in self._done:
                return False
            self._make_room()
            self._claims[key] = now
            return True

    def is_done(self, key: str) -> bool:
        """Whether the key was marked done (and has not expired)."""
        check_key(key)
        with self._lock:
            self._expire()
            return key in self._done

    def done(self, key: str) -> None:
        """Mark the key handled: claims of it fail until it expires."""
        check_key(key)
        with self._lock:
            now = self._expire()
            self._claims.pop(key, None)
            self._done.pop(key, None)
            self._make_room()
            self._done[key] = now

    def release(self, key: str) -> None:
        """Forget a claim (its handler failed), so that the next delivery is handled."""
        check_key(key)
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


def check_key(key: object) -> None:
    if not isinstance(key, str) or not key:
        raise ValidationError(f"a dedupe key must be a non-empty str, got {key!r:.40}")
