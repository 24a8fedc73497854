"""CNAM records: values, review (approve/reject), and the caller-ID preset of a number."""

from __future__ import annotations

from typing import Any, Optional

from . import _shapes
from ._numbers import NUMBER
from ._records import Cnam, rfc1123
from ._rules import ApiError, boolean, cnam_problems
from ._wire import Call, Form, Response, find, json_response, no_content


def list_cnams(call: Call) -> Response:
    approved_raw = call.param("is_approved")
    approved = None if approved_raw in (None, "") else boolean(approved_raw, "is_approved")
    value = (call.param("value") or "").strip().lower()
    filters = []
    if approved is not None:
        filters.append(("is_approved", "true" if approved else "false"))
    if value:
        filters.append(("value", value))
    records = [
        r
        for r in sorted(call.account.cnams.values(), key=lambda r: int(r.id))
        if (approved is None or r.is_approved == approved) and value in r.value.lower()
    ]

    def render(record: Cnam) -> dict[str, Any]:
        return _shapes.cnam_object(call.base, record)

    return json_response(200, call.page(records, render, kind="cnams", filters=filters))


def _record_document(call: Call, record: Cnam, status: int = 200) -> Response:
    return json_response(status, {"data": _shapes.cnam_object(call.base, record)})


def get_cnam(call: Call, cnam: str) -> Response:
    return _record_document(call, find(call.account.cnams, cnam))


def _cnam_value(call: Call) -> str:
    document = call.body(form=True)
    if isinstance(document, Form):
        values = document.get("value") or []
        value: Any = values[0] if values else None
    else:
        value = call.attributes().get("value")
    if not isinstance(value, str) or not value.strip():
        raise ApiError(422, {"data": {"attributes": {"value": ["This field is required."]}}})
    problems = cnam_problems(value)
    if problems:
        raise ApiError(422, {"data": {"attributes": {"value": problems}}})
    return value


def create_cnam(call: Call) -> Response:
    return _record_document(call, call.account.new_cnam(_cnam_value(call)), 201)


def update_cnam(call: Call, cnam: str) -> Response:
    record = find(call.account.cnams, cnam)
    if record.is_approved:
        raise ApiError(403, "Only CNAM records that are not approved yet can be updated.")
    record.value = _cnam_value(call)
    record.rejection_reason = None
    call.account.schedule_cnam(record)
    return _record_document(call, record)


def delete_cnam(call: Call, cnam: str) -> Response:
    record = find(call.account.cnams, cnam)
    for number in call.account.numbers.values():
        if number.cnam_id == record.id:
            number.cnam_id = None
    del call.account.cnams[record.id]
    return no_content()


def associate_cnam(call: Call, number: str, cnam: str) -> Response:
    target = find(call.account.numbers, number)
    record = find(call.account.cnams, cnam)
    if target.toll_free:
        raise ApiError(422, "CNAM presets can only be stored on long code numbers.")
    if record.rejection_reason is not None:
        raise ApiError(422, f"CNAM record {record.id} was rejected: {record.rejection_reason}")
    if not record.is_approved:
        raise ApiError(422, f"CNAM record {record.id} is not approved yet.")
    target.cnam_id = record.id
    return _receipt(call, int(record.id))


def unassociate_cnam(call: Call, number: str) -> Response:
    find(call.account.numbers, number).cnam_id = None
    return _receipt(call, None)


def _receipt(call: Call, cnam_id: Optional[int]) -> Response:
    attributes = {"date_created": rfc1123(call.state.now())}
    return json_response(202, {"data": {"type": "cnam", "id": cnam_id, "attributes": attributes}})


CNAM_ID = r"/v2/cnams/(?P<cnam>[^/]+)"
RESOURCES = (
    (r"/v2/cnams", {"GET": list_cnams, "POST": create_cnam}),
    (CNAM_ID, {"GET": get_cnam, "PATCH": update_cnam, "DELETE": delete_cnam}),
    (NUMBER + r"/relationships/cnams?/(?P<cnam>[^/]+)", {"PATCH": associate_cnam}),
    (NUMBER + r"/relationships/cnams?", {"DELETE": unassociate_cnam}),
)
