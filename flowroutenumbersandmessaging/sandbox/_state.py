"""The sandbox's world, shared by every account, behind one lock.

``State`` holds what every account shares: the inventory of purchasable numbers (a number one
account buys is gone for the others), the sizes of registered media, the clocks, the id
generators and the way out for webhooks. Each access key has its own
:class:`~._account.Account`, opened on first use. ``State`` also drives the timed life cycles
of every account (CNAM approval, CDR export processing). Nothing here knows HTTP.
"""

from __future__ import annotations

import mimetypes
import posixpath
import random
import secrets
import threading
import time
from datetime import datetime
from typing import Any, Callable, Mapping, Optional
from urllib.parse import urlsplit

from ._account import Account
from ._catalogue import Number, World, build_world
from ._records import CdrExport, Media, utc
from ._rules import cnam_verdict

WebhookSink = Callable[[str, str, dict[str, Any]], None]


class State:
    """The world and every account. Hold ``lock`` while reading or changing anything.

    Args:
        send_rate_limits: sends per second and account, by kind (``{"sms": 5, "mms": 1}``);
            a kind left out (or ``None`` for all) is not limited.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        cnam_approval_seconds: Optional[float] = None,
        cdr_processing_seconds: Optional[float] = None,
        send_rate_limits: Optional[Mapping[str, int]] = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lock = threading.RLock()
        self.base_uri = ""
        self.clock = clock
        self.monotonic = monotonic
        self.cnam_approval_seconds = cnam_approval_seconds
        self.cdr_processing_seconds = cdr_processing_seconds
        self.send_rate_limits = dict(send_rate_limits or {})
        self.webhook_sink: Optional[WebhookSink] = None
        self._ids = random.Random(seed * 7919 + 1)  # noqa: S311 (reproducible ids)
        self.started = self.now()
        self.world: World = build_world(seed, self.started)
        self.inventory: dict[str, Number] = {n.value: n for n in self.world.inventory}
        self.media_sizes: dict[str, int] = {}
        self.accounts: dict[str, Account] = {}
        self._counters = {"route": 98396, "e911": 21845, "cnam": 22671, "export": 51230}

    def account(self, access_key: str) -> Account:
        """The account of ``access_key``, opened with the starting contents on first use."""
        with self.lock:
            account = self.accounts.get(access_key)
            if account is None:
                account = self.accounts[access_key] = Account(self)
            return account

    # -- basics ---------------------------------------------------------------------------------

    def now(self) -> datetime:
        return utc(self.clock())

    def next_id(self, kind: str) -> str:
        """A new record id; ids never repeat across accounts."""
        with self.lock:
            self._counters[kind] += 1
            return str(self._counters[kind])

    def message_id(self) -> str:
        return f"mdr2-{self._ids.getrandbits(128):032x}"

    def emit(self, kind: str, url: Optional[str], payload: dict[str, Any]) -> None:
        if url and self.webhook_sink is not None:
            self.webhook_sink(kind, url, payload)

    def register_media(self, url: str, size: int) -> None:
        with self.lock:
            self.media_sizes[url] = int(size)

    def mms_size(self, body: Optional[str], media_urls: list[str]) -> int:
        with self.lock:
            text = len(body.encode("utf-8")) if body else 0
            return text + sum(self.media_sizes.get(url, 0) for url in media_urls)

    def media(self, url: str, mime_type: Optional[str], size: Optional[int]) -> Media:
        name = posixpath.basename(urlsplit(url).path) or "attachment"
        guessed = mime_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        return Media(f"{self._ids.getrandbits(48):012x}", url, guessed, size, name)

    # -- timed life cycles, over every account --------------------------------------------------

    def advance(self) -> None:
        """Decide CNAM records and finish CDR exports whose auto-advance time has come."""
        with self.lock:
            tick = self.monotonic()
            for account in self.accounts.values():
                for cnam in account.cnams.values():
                    if cnam.pending and cnam.due is not None and cnam.due <= tick:
                        reason = cnam_verdict(cnam.value)
                        account.decide_cnam(cnam.id, approve=reason is None, reason=reason)
                for export in account.exports.values():
                    due = export.due
                    if export.status == "processing" and due is not None and due <= tick:
                        account.finish_export(export.id, completed=True)

    def seconds_to_next_event(self) -> Optional[float]:
        with self.lock:
            dues = [
                due
                for account in self.accounts.values()
                for due in [
                    *(c.due for c in account.cnams.values()),
                    *(e.due for e in account.exports.values()),
                ]
                if due is not None
            ]
            return max(0.0, min(dues) - self.monotonic()) if dues else None

    def export_by_token(self, token: str) -> Optional[CdrExport]:
        """The export a pre-signed download URL names, whichever account it belongs to."""
        given = token.encode("utf-8", "surrogateescape")
        with self.lock:
            for account in self.accounts.values():
                for export in account.exports.values():
                    if export.token is not None and secrets.compare_digest(
                        export.token.encode(), given
                    ):
                        return export
            return None
