"""The sandbox's world and one account, behind one lock.

``State`` holds the inventory, the account's numbers, routes, E911 and CNAM records, messages,
CDR exports and call history, and the life cycles that are not a single request: CNAM approval,
CDR export processing, delivery receipts and inbound messages. It knows nothing about HTTP;
webhooks leave through ``webhook_sink``.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import mimetypes
import posixpath
import random
import secrets
import threading
import time
from datetime import datetime, timedelta
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

from . import _shapes
from ._catalogue import Call, Number, build_world
from ._records import E911, CdrExport, Cnam, Media, Message, Route, csv_time, mdr_time, utc
from ._rules import cnam_verdict

WebhookSink = Callable[[str, str, dict[str, Any]], None]

CDR_COLUMNS = (
    "direction",
    "start_time",
    "end_time",
    "destination",
    "number_alias",
    "callerid",
    "total_cost",
    "destination_name",
    "callerid_country",
    "line_information",
    "result",
    "call_fail_sip_code",
    "call_fail_reason",
    "duration",
    "billed_duration",
    "rate",
    "first_increment",
    "subsequent_increment",
    "cost_subtotal",
    "connect_fee",
    "usf_fee",
    "ccrf",
    "cnam_lookup_fee",
    "custom_x_tag",
    "customer_ip",
)
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


def encoding_of(body: str) -> int:
    return 0 if all(ord(c) < 128 for c in body) else 8


def segments(body: str, encoding: int) -> int:
    # As api-contract.md §2.3 states them (GSM: 160, then 140 a segment; UCS-2: 70 a segment).
    single, multi = (160, 140) if encoding == 0 else (70, 70)
    return 1 if len(body) <= single else math.ceil(len(body) / multi)


class State:
    """Everything the sandbox knows. Hold ``lock`` while reading or changing anything."""

    def __init__(
        self,
        *,
        seed: int = 0,
        cnam_approval_seconds: Optional[float] = None,
        cdr_processing_seconds: Optional[float] = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lock = threading.RLock()
        self.base_uri = ""
        self.clock = clock
        self.monotonic = monotonic
        self.cnam_approval_seconds = cnam_approval_seconds
        self.cdr_processing_seconds = cdr_processing_seconds
        self.webhook_sink: Optional[WebhookSink] = None
        self._ids = random.Random(seed * 7919 + 1)  # noqa: S311 (reproducible ids)
        world = build_world(seed, self.now())
        self.inventory: dict[str, Number] = {n.value: n for n in world.inventory}
        self.account: dict[str, Number] = {n.value: n for n in world.account}
        self.routes: dict[str, Route] = {
            "0": Route("0", "sip-reg", None, "sip-reg"),
            "83834": Route("83834", "number", world.extra_route_value, "pstn-fallback"),
        }
        # One record of each, as an account in use has, so that every "look one up" step of
        # the demos and the seed README has something to show.
        self.e911s: dict[str, E911] = {"21845": E911("21845", dict(SEED_E911))}
        self.cnams: dict[str, Cnam] = {
            "22671": Cnam(
                "22671",
                "ACME WIDGETS",
                creation_datetime=self.now(),
                is_approved=True,
                approval_datetime=self.now(),
            )
        }
        self.exports: dict[str, CdrExport] = {}
        self.messages: dict[str, Message] = {}
        self.calls: list[Call] = world.calls
        self.account_callbacks: dict[str, str] = {}
        self.media_sizes: dict[str, int] = {}
        self._counters = {"route": 98396, "e911": 21845, "cnam": 22671, "export": 51230}

    # -- basics -----------------------------------------------------------------------------

    def now(self) -> datetime:
        return utc(self.clock())

    def next_id(self, kind: str) -> int:
        self._counters[kind] += 1
        return self._counters[kind]

    def message_id(self) -> str:
        return f"mdr2-{self._ids.getrandbits(128):032x}"

    def media_id(self) -> str:
        return f"{self._ids.getrandbits(32):08x}-{len(self.messages) + 1}"

    def emit(self, kind: str, url: Optional[str], payload: dict[str, Any]) -> None:
        if url and self.webhook_sink is not None:
            self.webhook_sink(kind, url, payload)

    def sorted_account(self) -> list[Number]:
        return [self.account[k] for k in sorted(self.account)]

    # -- timed life cycles --------------------------------------------------------------------

    def advance(self) -> None:
        """Decide CNAM records and finish CDR exports whose auto-advance time has come."""
        with self.lock:
            tick = self.monotonic()
            for cnam in self.cnams.values():
                if cnam.pending and cnam.due is not None and cnam.due <= tick:
                    reason = cnam_verdict(cnam.value)
                    self.decide_cnam(cnam.id, approve=reason is None, reason=reason)
            for export in self.exports.values():
                if export.status == "processing" and export.due is not None and export.due <= tick:
                    self.finish_export(export.id, completed=True)

    def seconds_to_next_event(self) -> Optional[float]:
        with self.lock:
            dues = [c.due for c in self.cnams.values() if c.pending and c.due is not None]
            dues += [
                e.due
                for e in self.exports.values()
                if e.status == "processing" and e.due is not None
            ]
            return max(0.0, min(dues) - self.monotonic()) if dues else None

    # -- CNAM ---------------------------------------------------------------------------------

    def new_cnam(self, value: str) -> Cnam:
        with self.lock:
            cnam = Cnam(str(self.next_id("cnam")), value, creation_datetime=self.now())
            if self.cnam_approval_seconds is not None:
                cnam.due = self.monotonic() + self.cnam_approval_seconds
            self.cnams[cnam.id] = cnam
            return cnam

    def decide_cnam(self, cnam_id: str, *, approve: bool, reason: Optional[str] = None) -> Cnam:
        with self.lock:
            cnam = self.cnams.get(str(cnam_id))
            if cnam is None:
                raise KeyError(f"no CNAM record {cnam_id!r} in the sandbox")
            cnam.due = None
            if approve:
                cnam.is_approved, cnam.rejection_reason = True, None
                cnam.approval_datetime = self.now()
            else:
                cnam.is_approved, cnam.approval_datetime = False, None
                cnam.rejection_reason = reason or "Rejected by reviewer."
                for number in self.account.values():
                    if number.cnam_id == cnam.id:
                        number.cnam_id = None
            return cnam

    # -- CDR exports --------------------------------------------------------------------------

    def new_export(
        self,
        filter_parameters: dict[str, Any],
        window: tuple[datetime, datetime],
        criteria: dict[str, Any],
        callback_url: Optional[str],
    ) -> CdrExport:
        with self.lock:
            now = self.now()
            export = CdrExport(
                id=self.next_id("export"),
                status="processing",
                callback_url=callback_url,
                filter_parameters=filter_parameters,
                window=window,
                criteria=criteria,
                requested_at=now,
                created_at=now,
            )
            if self.cdr_processing_seconds is not None:
                export.due = self.monotonic() + self.cdr_processing_seconds
            self.exports[str(export.id)] = export
            return export

    def finish_export(self, export_id: Any, *, completed: bool) -> CdrExport:
        with self.lock:
            export = self.exports.get(str(export_id))
            if export is None:
                raise KeyError(f"no CDR export {export_id!r} in the sandbox")
            if export.status != "processing":
                raise ValueError(f"CDR export {export_id} is already {export.status}")
            export.due = None
            if completed:
                rows = [call_row(c) for c in self.calls if c.own and _call_matches(c, export)]
                export.file = _gzip_csv(rows)
                export.totals = _totals(rows)
                now = self.now()
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
            self.emit("cdr", export.callback_url, _shapes.export_document(export, self.base_uri))
            return export

    def export_by_token(self, token: str) -> Optional[CdrExport]:
        with self.lock:
            for export in self.exports.values():
                if export.token is not None and secrets.compare_digest(export.token, token):
                    return export
            return None

    # -- messages -----------------------------------------------------------------------------

    def register_media(self, url: str, size: int) -> None:
        with self.lock:
            self.media_sizes[url] = int(size)

    def mms_size(self, body: Optional[str], media_urls: list[str]) -> int:
        with self.lock:
            text = len(body.encode("utf-8")) if body else 0
            return text + sum(self.media_sizes.get(url, 0) for url in media_urls)

    def _media(self, url: str, mime_type: Optional[str], size: Optional[int]) -> Media:
        name = posixpath.basename(urlsplit(url).path) or "attachment"
        guessed = mime_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        return Media(self.media_id(), url, guessed, size, name)

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
        with self.lock:
            now = self.now()
            text = body or ""
            encoding = encoding_of(text)
            message = Message(
                id=self.message_id(),
                from_=sender.value,
                to=to,
                body=body,
                direction="outbound",
                is_mms=is_mms,
                message_type="toll-free" if sender.toll_free else "longcode",
                encoding=encoding,
                status="delivered",
                timestamp=now,
                amount_nanodollars=MMS_NANODOLLARS
                if is_mms
                else SMS_NANODOLLARS * segments(text, encoding),
                media=[self._media(url, None, self.media_sizes.get(url)) for url in media_urls],
            )
            message.receipts = [
                {
                    "level": 1,
                    "status": "smsc submit",
                    "status_code": None,
                    "status_code_description": "Message has been sent",
                    "timestamp": mdr_time(now + timedelta(milliseconds=500)),
                },
                {
                    "level": 2,
                    "status": "delivered",
                    "status_code": 1000,
                    "status_code_description": "Message delivered to handset",
                    "timestamp": mdr_time(now + timedelta(seconds=3)),
                },
            ]
            self.messages[message.id] = message
            url = dlr_callback or self._dlr_url(sender, is_mms)
            for receipt in message.receipts:
                self.emit("dlr", url, _shapes.delivery_receipt(self.base_uri, message, receipt))
            return message

    def _dlr_url(self, number: Number, is_mms: bool) -> Optional[str]:
        kinds = ("mms_dlr_callback",) if is_mms else ("sms_dlr_callback", "dlr_callback")
        for source in (number.callbacks, self.account_callbacks):
            for kind in kinds:
                if source.get(kind):
                    return source[kind]
        return None

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
        with self.lock:
            number = self.account.get(to)
            if number is None:
                raise ValueError(f"{to!r} is not a number on the sandbox account")
            kind = "mms_callback" if is_mms else "sms_callback"
            url = (
                number.callbacks.get(kind)
                or number.messaging_callback_url
                or self.account_callbacks.get(kind)
            )
            text = body or ""
            encoding = encoding_of(text)
            message = Message(
                id=self.message_id(),
                from_=from_,
                to=to,
                body=body,
                direction="inbound",
                is_mms=is_mms,
                message_type="toll-free" if number.toll_free else "longcode",
                encoding=encoding,
                status="" if is_mms else "delivered",
                timestamp=self.now(),
                amount_nanodollars=MMS_NANODOLLARS
                if is_mms
                else SMS_NANODOLLARS * segments(text, encoding),
                media=[
                    self._media(
                        str(m["url"]),
                        m.get("mime_type"),
                        int(m["file_size"]) if m.get("file_size") is not None else None,
                    )
                    for m in media or ()
                ],
                callback_url=url,
            )
            self.messages[message.id] = message
            payload = _shapes.message_document(self.base_uri, message, with_callback=not is_mms)
            self.emit("mms" if is_mms else "sms", url, payload)
            return message


# -- CDR files -------------------------------------------------------------------------------


def _digits(value: str) -> str:
    return value[1:] if value.startswith("+") else value


def _call_matches(call: Call, export: CdrExport) -> bool:
    start, end = export.window
    if not start <= call.start < end:
        return False
    criteria = export.criteria
    inbound = call.direction == "Inbound"
    destination = call.did if inbound else call.other_party
    callerid = call.other_party if inbound else call.did
    checks = (
        ("number_aliases", lambda v: call.alias in v),
        ("number_aliases_contains", lambda v: any(p.lower() in call.alias.lower() for p in v)),
        ("destination_numbers", lambda v: destination in {_digits(x) for x in v}),
        ("callerid_numbers", lambda v: callerid in {_digits(x) for x in v}),
        ("custom_x_tags", lambda v: "" in v),
        ("caller_ip", lambda v: call.customer_ip.split(":")[0] == v),
        ("duration_greater_than", lambda v: call.duration > v),
    )
    return all(check(criteria[key]) for key, check in checks if key in criteria)


def call_row(call: Call) -> dict[str, str]:
    inbound = call.direction == "Inbound"
    billed = 0 if call.duration == 0 else math.ceil(call.duration / 6) * 6
    subtotal = billed / 60 * call.rate
    usf = 0.0 if inbound else subtotal * 0.2
    ccrf = subtotal * 0.13
    total = subtotal + usf + ccrf + call.cnam_fee
    toll_free = call.other_party[1:4] in ("800", "833", "844", "855", "866", "877", "888")
    return {
        "direction": call.direction,
        "start_time": csv_time(call.start),
        "end_time": csv_time(call.start + timedelta(seconds=call.duration)),
        "destination": call.did if inbound else call.other_party,
        "number_alias": call.alias,
        "callerid": "+" + (call.other_party if inbound else call.did),
        "total_cost": f"{total:.8f}",
        "destination_name": "UNITED STATES - TOLL FREE" if toll_free else "UNITED STATES",
        "callerid_country": "UNITED STATES" if inbound else "N/A",
        "line_information": "61" if inbound else "",
        "result": call.result,
        "call_fail_sip_code": str(call.sip_code),
        "call_fail_reason": call.reason,
        "duration": str(call.duration),
        "billed_duration": str(billed),
        "rate": f"{call.rate:.6f}",
        "first_increment": "6",
        "subsequent_increment": "6",
        "cost_subtotal": f"{subtotal:.8f}",
        "connect_fee": "0.0000",
        "usf_fee": f"{usf:.8f}",
        "ccrf": f"{ccrf:.8f}",
        "cnam_lookup_fee": f"{call.cnam_fee:.8f}",
        "custom_x_tag": "",
        "customer_ip": call.customer_ip,
    }


def _gzip_csv(rows: list[dict[str, str]]) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=CDR_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return gzip.compress(text.getvalue().encode("utf-8"), mtime=0)


def _totals(rows: list[dict[str, str]]) -> dict[str, Any]:
    def total(column: str) -> float:
        return sum(float(r[column]) for r in rows)

    billed_seconds = sum(int(r["billed_duration"]) for r in rows)
    return {
        "num_calls": len(rows),
        "billed_minutes": math.ceil(billed_seconds / 60),
        "total_cost": f"{total('total_cost'):.6f}",
        "call_subtotal": f"{total('cost_subtotal'):.6f}",
        "connect_fees": f"{total('connect_fee'):.6f}",
        "cnamlookup_fees": f"{total('cnam_lookup_fee'):.6f}",
        "usf_fees": f"{total('usf_fee'):.6f}",
        "ccrf": f"{total('ccrf'):.6f}",
    }
