"""E911 addresses: validation, records, and which numbers they are assigned to."""

from __future__ import annotations

from typing import Any

from . import _shapes
from ._catalogue import Number
from ._numbers import NUMBER
from ._records import E911
from ._rules import ApiError, check_address
from ._wire import IN_USE, Call, Response, find, json_response, no_content

E911_FILTERS = ("state", "label", "street_name", "city")


def list_e911s(call: Call) -> Response:
    wanted = {name: (call.param(name) or "").strip().lower() for name in E911_FILTERS}
    filters = sorted((k, v) for k, v in wanted.items() if v)

    def matches(record: E911) -> bool:
        a = record.attributes
        return all(
            (a.get(k, "").lower() == v) if k == "state" else (v in a.get(k, "").lower())
            for k, v in filters
        )

    records = sorted(call.account.e911s.values(), key=lambda r: int(r.id))

    def render(record: E911) -> dict[str, Any]:
        return _shapes.e911_object(call.base, record)

    found = [r for r in records if matches(r)]
    return json_response(200, call.page(found, render, kind="e911s", filters=filters))


def _record_document(call: Call, record: E911, status: int = 200) -> Response:
    return json_response(status, {"data": _shapes.e911_object(call.base, record)})


def get_e911(call: Call, e911: str) -> Response:
    return _record_document(call, find(call.account.e911s, e911))


def validate_e911(call: Call) -> Response:
    check_address(call.attributes(), existing=None)
    return no_content()


def create_e911(call: Call) -> Response:
    attributes = check_address(call.attributes(), existing=None)
    record = E911(call.state.next_id("e911"), attributes)
    call.account.e911s[record.id] = record
    return _record_document(call, record, 201)


def update_e911(call: Call, e911: str) -> Response:
    record = find(call.account.e911s, e911)
    record.attributes = check_address(call.attributes(), existing=record.attributes)
    return _record_document(call, record)


def delete_e911(call: Call, e911: str) -> Response:
    record = find(call.account.e911s, e911)
    if any(n.e911_id == record.id for n in call.account.numbers.values()):
        raise ApiError(403, IN_USE)
    del call.account.e911s[record.id]
    return no_content()


def list_e911_numbers(call: Call, e911: str) -> Response:
    record = find(call.account.e911s, e911)
    numbers = [n for n in call.account.sorted_numbers() if n.e911_id == record.id]

    def render(n: Number) -> dict[str, Any]:
        return {
            "type": "number",
            "id": n.value,
            "attributes": {"alias": n.alias, "value": n.value},
            "links": {"self": f"{call.base}/v2/numbers/{n.value}"},
        }

    return json_response(200, call.page(numbers, render, kind="e911_numbers"))


def associate_e911(call: Call, number: str, e911: str) -> Response:
    target = find(call.account.numbers, number)
    record = find(call.account.e911s, e911)
    if target.toll_free:
        raise ApiError(
            422,
            "Cannot assign an E911 record to a number that does not support emergency services.",
        )
    target.e911_id = record.id
    return no_content()


def disconnect_e911(call: Call, number: str) -> Response:
    find(call.account.numbers, number).e911_id = None
    return no_content()


E911_ID = r"/v2/e911s/(?P<e911>[^/]+)"
RESOURCES = (
    (r"/v2/e911s", {"GET": list_e911s, "POST": create_e911}),
    (r"/v2/e911s/validate", {"POST": validate_e911}),
    (E911_ID, {"GET": get_e911, "PATCH": update_e911, "DELETE": delete_e911}),
    (E911_ID + r"/relationships/numbers", {"GET": list_e911_numbers}),
    (NUMBER + r"/relationships/e911s/(?P<e911>[^/]+)", {"PATCH": associate_e911}),
    (NUMBER + r"/relationships/e911s", {"DELETE": disconnect_e911}),
)
