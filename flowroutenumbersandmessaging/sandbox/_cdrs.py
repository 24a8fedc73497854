"""CDR exports: creating one, its status, and the list (links on Flowroute's internal host)."""

from __future__ import annotations

from typing import Any

from . import _shapes
from ._records import CdrExport
from ._rules import ApiError, cdr_criteria, cdr_time, is_url
from ._wire import Call, Response, find, json_response

STATUSES = ("processing", "completed", "failed")


def list_exports(call: Call) -> Response:
    status = call.param("status")
    if status is not None and status not in STATUSES:
        raise ApiError(400, f"status must be processing, completed or failed, got {status!r:.40}.")
    exports = sorted(call.account.exports.values(), key=lambda e: e.id, reverse=True)
    exports = [e for e in exports if status is None or e.status == status]
    extra = f"&status={status}" if status else ""

    def link(limit: int, offset: int) -> str:
        return f"{_shapes.CDR_LINK_BASE}/cdrs/exports?offset={offset}&limit={limit}{extra}"

    def render(export: CdrExport) -> dict[str, Any]:
        return {"data": _shapes.export_object(export, call.base)}

    return json_response(200, call.page(exports, render, kind="cdrs", link=link))


def create_export(call: Call) -> Response:
    attributes = call.attributes()
    callback_url = attributes.get("callback_url")
    if callback_url is not None and not is_url(callback_url):
        raise ApiError(422, "callback_url must be an http(s) URL.")
    raw = attributes.get("filter_parameters")
    if not isinstance(raw, dict):
        raise ApiError(
            422,
            "filter_parameters must be an object with start_call_start_time and "
            "start_call_end_time.",
        )
    start = cdr_time(raw.get("start_call_start_time"), "start_call_start_time")
    end = cdr_time(raw.get("start_call_end_time"), "start_call_end_time")
    if end <= start:
        raise ApiError(422, "start_call_end_time must be after start_call_start_time.")
    criteria = cdr_criteria(raw)
    echo = {
        **raw,
        "start_call_start_time": start.isoformat(),
        "start_call_end_time": end.isoformat(),
    }
    export = call.account.new_export(echo, (start, end), criteria, callback_url)
    obj = _shapes.export_object(export, call.base, string_id=True)
    obj["links"] = {"self": f"{call.base}/v2/cdrs/exports/{export.id}"}
    return json_response(201, {"data": obj})


def get_export(call: Call, export: str) -> Response:
    record = find(call.account.exports, export)
    return json_response(200, _shapes.export_document(record, call.base))


RESOURCES = (
    (r"/v2/cdrs/exports", {"GET": list_exports, "POST": create_export}),
    (r"/v2/cdrs/exports/(?P<export>[^/]+)", {"GET": get_export}),
)
