"""One Flowroute account: its numbers and records, and the life cycles they go through.

Every account opens with the same starting contents: two numbers, the ``sip-reg`` route and a
number route, one E911 and one approved CNAM record, a week of messages, ~90 days of calls.
It runs the life cycles that are not a single request: CNAM review, CDR export processing,
delivery receipts, inbound messages, and the count of sends per second when a send rate is
set. Changing anything here happens under the world's lock (``State.lock``).
"""

from __future__ import annotations

import dataclasses
import secrets
from collections import deque
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Optional

from ..messaging import count_segments
from . import _shapes
from ._catalogue import NUMBER_ROUTE, Call, Number, PastMessage
from ._cdr_files import export_file
from ._records import E911, CdrExport, Cnam, Media, Message, Route, mdr_time

if TYPE_CHECKING:
    from ._state import State

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
