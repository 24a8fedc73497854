"""The sandbox's world and its accounts, behind one lock.

``State`` is the world every account shares: the inventory of purchasable numbers (a number
one account buys is gone for the others), the sizes of registered media, the clocks, the id
generators and the way out for webhooks. Each access key has its own :class:`Account`, created
on first use with the same starting contents: numbers, routes, E911 and CNAM records,
messages, CDR exports, callbacks and call history. An account also runs the life cycles that
are not a single request: CNAM approval, CDR export processing, delivery receipts, inbound
messages, and the count of sends per second when a send rate is set. Nothing here knows HTTP.
"""

from __future__ import annotations

import dataclasses
import mimetypes
import posixpath
import random
import secrets
import threading
import time
from collections import deque
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping, Optional
from urllib.parse import urlsplit

from ..messaging import count_segments
from . import _shapes
from ._catalogue import NUMBER_ROUTE, Call, Number, PastMessage, World, build_world
from ._cdr_files import export_file
from ._records import E911, CdrExport, Cnam, Media, Message, Route, mdr_time, utc
from ._rules import cnam_verdict

WebhookSink = Callable[[str, str, dict[str, Any]], None]

MMS_MAX_BYTES = 767840
SMS_NANODOLLARS = 4_000_000
MMS_NANODOLLARS = 19_500_000
CALLBACK_TYPES = (
    "sms_callback",
    "mms_callback",
    "dlr_callback",
    "sms_dlr_callback",
    "mms_dlr_callback",
)
SEED_E911 = {
    "label": "HQ",
    "first_name": "Ana",
    "last_name": "Ruiz",
    "street_number": "1218",
    "street_name": "3rd Ave",
    "address_type": "Suite",
    "address_type_number": "400",
    "city": "Seattle",
    "state": "WA",
    "country": "US",
    "zip": "98101",
}
# The level-2 receipt a message in each final status carries: (status code, description).
LEVEL_2 = {
    "delivered": (1000, "Message delivered to handset"),
    "message buffered": (1003, "Message accepted by Carrier"),
}


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


class Account:
    """One Flowroute account: its numbers and records, and their life cycles."""

    def __init__(self, state: State) -> None:
        self.state = state
        world = state.world
        self.numbers: dict[str, Number] = {
            n.value: dataclasses.replace(n, callbacks={}) for n in world.account
        }
        route_id, route_value, route_alias = NUMBER_ROUTE
        self.routes: dict[str, Route] = {
            "0": Route("0", "sip-reg", None, "sip-reg"),
            route_id: Route(route_id, "number", route_value, route_alias),
        }
        # One record of each, as an account in use has, so that every "look one up" step of
        # the demos and Flowroute's README has something to show.
        self.e911s: dict[str, E911] = {"21845": E911("21845", dict(SEED_E911))}
        self.cnams: dict[str, Cnam] = {
            "22671": Cnam(
                "22671",
                "ACME WIDGETS",
                creation_datetime=state.started,
                is_approved=True,
                approval_datetime=state.started,
            )
        }
        self.exports: dict[str, CdrExport] = {}
        self.messages: dict[str, Message] = {}
        self.calls: tuple[Call, ...] = world.calls
        self.callbacks: dict[str, str] = {}
        self._sends: dict[str, deque[float]] = {}
        for past in world.messages:
            self._past_message(past)

    def sorted_numbers(self) -> list[Number]:
        return [self.numbers[k] for k in sorted(self.numbers)]

    # -- CNAM -----------------------------------------------------------------------------------

    def new_cnam(self, value: str) -> Cnam:
        state = self.state
        cnam = Cnam(state.next_id("cnam"), value, creation_datetime=state.now())
        self.schedule_cnam(cnam)
        self.cnams[cnam.id] = cnam
        return cnam

    def schedule_cnam(self, cnam: Cnam) -> None:
        """Start (or restart) the automatic review of a pending record, when there is one."""
        if self.state.cnam_approval_seconds is not None:
            cnam.due = self.state.monotonic() + self.state.cnam_approval_seconds

    def decide_cnam(self, cnam_id: str, *, approve: bool, reason: Optional[str] = None) -> Cnam:
        with self.state.lock:
            cnam = self.cnams.get(str(cnam_id))
            if cnam is None:
                raise KeyError(f"no CNAM record {cnam_id!r} on this sandbox account")
            cnam.due = None
            if approve:
                cnam.is_approved, cnam.rejection_reason = True, None
                cnam.approval_datetime = self.state.now()
            else:
                cnam.is_approved, cnam.approval_datetime = False, None
                cnam.rejection_reason = reason or "Rejected by reviewer."
                for number in self.numbers.values():
                    if number.cnam_id == cnam.id:
                        number.cnam_id = None
            return cnam

    # -- CDR exports ----------------------------------------------------------------------------

    def new_export(
        self,
        filter_parameters: dict[str, Any],
        window: tuple[datetime, datetime],
        criteria: dict[str, Any],
        callback_url: Optional[str],
    ) -> CdrExport:
        state = self.state
        now = state.now()
        export = CdrExport(
            id=int(state.next_id("export")),
            status="processing",
            callback_url=callback_url,
            filter_parameters=filter_parameters,
            window=window,
            criteria=criteria,
            requested_at=now,
            created_at=now,
        )
        if state.cdr_processing_seconds is not None:
            export.due = state.monotonic() + state.cdr_processing_seconds
        self.exports[str(export.id)] = export
        return export

    def finish_export(self, export_id: Any, *, completed: bool) -> CdrExport:
        state = self.state
        with state.lock:
            export = self.exports.get(str(export_id))
            if export is None:
                raise KeyError(f"no CDR export {export_id!r} on this sandbox account")
            if export.status != "processing":
                raise ValueError(f"CDR export {export_id} is already {export.status}")
            export.due = None
            if completed:
                export.file, export.totals = export_file(self.calls, export)
                now = state.now()
                export.status = "completed"
                export.expires_at = now + timedelta(days=3)
                export.token = secrets.token_hex(16)
                stamp = now.strftime("%Y%m%dT%H%M%SZ")
                export.signed_query = (
                    "X-Amz-Algorithm=AWS4-HMAC-SHA256"
                    f"&X-Amz-Credential=ASIASANDBOX%2F{stamp[:8]}%2Fus-west-2%2Fs3%2Faws4_request"
                    f"&X-Amz-Date={stamp}&X-Amz-Expires=259200&X-Amz-SignedHeaders=host"
                    f"&X-Amz-Signature={secrets.token_hex(32)}"
                )
            else:
                export.status = "failed"
            state.emit("cdr", export.callback_url, _shapes.export_document(export, state.base_uri))
            return export

    # -- messages -------------------------------------------------------------------------------

    def take_send_slot(self, kind: str) -> Optional[int]:
        """Count a send of ``kind`` ("sms" or "mms") against the account's send rate.

        Returns None when the send may go ahead (and counts it), or the seconds to wait when
        the last second already holds as many sends as the rate allows: any one-second window
        holds at most that many accepted sends.
        """
        limit = self.state.send_rate_limits.get(kind)
        if limit is None:
            return None
        now = self.state.monotonic()
        window = self._sends.setdefault(kind, deque())
        while window and window[0] <= now - 1.0:
            window.popleft()
        if len(window) >= limit:
            return 1  # the oldest send leaves the window within the second
        window.append(now)
        return None

    def send_message(
        self,
        sender: Number,
        to: str,
        body: Optional[str],
        *,
        is_mms: bool,
        media_urls: list[str],
        dlr_callback: Optional[str],
    ) -> Message:
        """Store an outbound MDR, deliver it at once, and send its two receipts."""
        state = self.state
        with state.lock:
            media = [state.media(url, None, state.media_sizes.get(url)) for url in media_urls]
            message = self._record(
                state.message_id(),
                "outbound",
                sender,
                sender.value,
                to,
                body,
                state.now(),
                is_mms=is_mms,
                media=media,
                status="delivered",
            )
            url = dlr_callback or self._dlr_url(sender, is_mms)
            for receipt in message.receipts:
                state.emit("dlr", url, _shapes.delivery_receipt(state.base_uri, message, receipt))
            return message

    def receive_message(
        self,
        to: str,
        from_: str,
        body: Optional[str],
        media: Optional[list[dict[str, Any]]],
        *,
        is_mms: bool,
    ) -> Message:
        """An inbound SMS/MMS to one of the account's numbers, POSTed to its callback."""
        state = self.state
        with state.lock:
            number = self.numbers.get(to)
            if number is None:
                raise ValueError(f"{to!r} is not a number on this sandbox account")
            kind = "mms_callback" if is_mms else "sms_callback"
            url = (
                number.callbacks.get(kind)
                or number.messaging_callback_url
                or self.callbacks.get(kind)
            )
            items = [
                state.media(
                    str(m["url"]),
                    m.get("mime_type"),
                    int(m["file_size"]) if m.get("file_size") is not None else None,
                )
                for m in media or ()
            ]
            message = self._record(
                state.message_id(),
                "inbound",
                number,
                from_,
                to,
                body,
                state.now(),
                is_mms=is_mms,
                media=items,
                status="" if is_mms else "delivered",
                callback_url=url,
            )
            payload = _shapes.message_document(state.base_uri, message, with_callback=not is_mms)
            state.emit("mms" if is_mms else "sms", url, payload)
            return message

    def _past_message(self, past: PastMessage) -> None:
        number = self.numbers[past.to if past.direction == "inbound" else past.from_]
        self._record(
            past.id,
            past.direction,
            number,
            past.from_,
            past.to,
            past.body,
            past.timestamp,
            is_mms=False,
            media=[],
            status=past.status,
        )

    def _record(
        self,
        message_id: str,
        direction: str,
        number: Number,
        from_: str,
        to: str,
        body: Optional[str],
        timestamp: datetime,
        *,
        is_mms: bool,
        media: list[Media],
        status: str,
        callback_url: Optional[str] = None,
    ) -> Message:
        """The one place a message record is built and stored: billing, type and receipts."""
        encoding, segments, _, _ = count_segments(body or "")
        message = Message(
            id=message_id,
            from_=from_,
            to=to,
            body=body,
            direction=direction,
            is_mms=is_mms,
            message_type="toll-free" if number.toll_free else "longcode",
            encoding=encoding,
            status=status,
            timestamp=timestamp,
            amount_nanodollars=MMS_NANODOLLARS if is_mms else SMS_NANODOLLARS * segments,
            media=media,
            callback_url=callback_url,
        )
        if direction == "outbound" and status in LEVEL_2:
            code, description = LEVEL_2[status]
            message.receipts = [
                {
                    "level": 1,
                    "status": "smsc submit",
                    "status_code": None,
                    "status_code_description": "Message has been sent",
                    "timestamp": mdr_time(timestamp + timedelta(milliseconds=500)),
                },
                {
                    "level": 2,
                    "status": status,
                    "status_code": code,
                    "status_code_description": description,
                    "timestamp": mdr_time(timestamp + timedelta(seconds=3)),
                },
            ]
        self.messages[message.id] = message
        return message

    def _dlr_url(self, number: Number, is_mms: bool) -> Optional[str]:
        kinds = ("mms_dlr_callback",) if is_mms else ("sms_dlr_callback", "dlr_callback")
        for source in (number.callbacks, self.callbacks):
            for kind in kinds:
                if source.get(kind):
                    return source[kind]
        return None
