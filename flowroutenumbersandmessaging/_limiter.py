"""The client-side send limiter: Flowroute's per-second send limits, held where Flowroute counts.

Flowroute counts a send when it arrives, and a send arrives at some unknown moment between the
start of the request and the end of its answer. So a send holds one of the ``limit`` slots of
its kind from its start until one second after it has finished (or failed). Then for any
``limit + 1`` sends, two of them can never hold a slot at the same time, so one of them arrived
at least a second after the other: no one-second window at Flowroute sees more than ``limit``.
Counting from the start only (as a plain sliding window would) lets network jitter push one
second's sends into the next one's window.
"""

from __future__ import annotations

import math
import threading
import time
from contextlib import contextmanager
from typing import Iterator, Mapping, Optional

from ._transport import remaining

WINDOW = 1.0


class SendLimiter:
    """At most ``limits[kind]`` sends of a kind in any one-second window, across threads."""

    def __init__(self, limits: Mapping[str, int]) -> None:
        # When each slot is free again: math.inf while its send is under way.
        self._free_at: dict[str, list[float]] = {
            kind: [0.0] * n for kind, n in limits.items() if n > 0
        }
        self._changed = threading.Condition()

    @contextmanager
    def slot(self, kind: str) -> Iterator[None]:
        """Hold a slot of ``kind`` for the send made inside the block.

        Waits for a free slot, but not past the calling thread's deadline: then the block
        runs without one, and finds its deadline passed before sending.
        """
        slots = self._free_at.get(kind)
        if slots is None:  # a kind without a limit
            yield
            return
        taken = self._take(slots)
        try:
            yield
        finally:
            if taken is not None:
                with self._changed:
                    slots[taken] = time.monotonic() + WINDOW
                    self._changed.notify_all()

    def _take(self, slots: list[float]) -> Optional[int]:
        give_up = time.monotonic() + remaining()
        with self._changed:
            while True:
                now = time.monotonic()
                index = min(range(len(slots)), key=slots.__getitem__)
                if slots[index] <= now:
                    slots[index] = math.inf
                    return index
                if now >= give_up:
                    return None
                wait = min(slots[index], give_up) - now
                self._changed.wait(None if math.isinf(wait) else wait)
