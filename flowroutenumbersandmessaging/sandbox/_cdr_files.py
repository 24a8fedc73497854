"""The contents of a finished CDR export: which calls match its filters, as CSV rows and totals."""

from __future__ import annotations

import csv
import gzip
import io
import math
from datetime import timedelta
from typing import Any, Iterable

from .._cdr_columns import CDR_COLUMNS
from ._catalogue import TOLL_FREE_CODES, Call
from ._records import CdrExport, csv_time


def export_file(calls: Iterable[Call], export: CdrExport) -> tuple[bytes, dict[str, Any]]:
    """The gzipped CSV of the account's calls that ``export`` selects, and its totals."""
    rows = [call_row(c) for c in calls if c.own and _call_matches(c, export)]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=CDR_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return gzip.compress(text.getvalue().encode("utf-8"), mtime=0), _totals(rows)


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
    toll_free = call.other_party[1:4] in TOLL_FREE_CODES
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
