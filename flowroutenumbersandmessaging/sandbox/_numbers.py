"""Numbers: the purchasable inventory (area codes, exchanges, search), and the account's numbers."""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

from . import _shapes
from ._account import CALLBACK_TYPES
from ._catalogue import Number
from ._rules import ApiError, boolean, callback_url, number_settings
from ._wire import Call, Response, find, json_response, no_content


def _available(call: Call, max_setup_cost: Optional[float]) -> list[Number]:
    return [
        n
        for n in call.state.inventory.values()
        if max_setup_cost is None or n.setup_cost <= max_setup_cost
    ]


def _cost_filter(call: Call) -> tuple[Optional[float], list[tuple[str, str]]]:
    cost = call.float_param("max_setup_cost")
    if cost is None:
        return None, []
    return cost, [("max_setup_cost", call.param("max_setup_cost") or "")]


def list_area_codes(call: Call) -> Response:
    cost, filters = _cost_filter(call)
    codes = sorted({n.value[1:4] for n in _available(call, cost)})

    def render(code: str) -> dict[str, Any]:
        related = f"{call.base}/v2/numbers/available/exchanges?areacode={code}"
        return {"type": "areacode", "id": code, "links": {"related": related}}

    return json_response(200, call.page(codes, render, kind="areacodes", filters=filters))


def list_exchanges(call: Call) -> Response:
    cost, filters = _cost_filter(call)
    areacode = call.digits_param("areacode")
    if areacode is not None and len(areacode) != 3:
        raise ApiError(400, f"areacode must have 3 digits, got {areacode[:40]!r}.")
    exchanges = sorted(
        {
            n.value[1:7]
            for n in _available(call, cost)
            if areacode is None or n.value[1:4] == areacode
        }
    )
    if areacode is not None:
        filters.insert(0, ("areacode", areacode))

    def render(exchange: str) -> dict[str, Any]:
        related = f"{call.base}/v2/numbers/available?starts_with=1{exchange}"
        return {"type": "exchange", "id": exchange, "links": {"related": related}}

    return json_response(200, call.page(exchanges, render, kind="exchanges", filters=filters))


def _number_filters(call: Call) -> tuple[list[tuple[str, str]], Callable[[str], bool]]:
    starts = call.digits_param("starts_with")
    contains = call.digits_param("contains")
    ends = call.digits_param("ends_with")
    if starts is not None and not starts.startswith("1"):
        starts = "1" + starts
    filters = sorted(
        (k, v)
        for k, v in (("starts_with", starts), ("contains", contains), ("ends_with", ends))
        if v
    )

    def matches(value: str) -> bool:
        return (
            (starts is None or value.startswith(starts))
            and (contains is None or contains in value)
            and (ends is None or value.endswith(ends))
        )

    return filters, matches


def search_available(call: Call) -> Response:
    filters, matches = _number_filters(call)
    rate_center = (call.param("rate_center") or "").strip().lower() or None
    state = (call.param("state") or "").strip().lower() or None
    if state is not None and not re.fullmatch(r"[a-z]{2}", state):
        raise ApiError(400, f"state must be a 2-letter code, got {call.param('state')!r:.40}.")
    if rate_center is not None and state is None:
        raise ApiError(400, "rate_center can only be used together with state.")
    if rate_center:
        filters.append(("rate_center", rate_center))
    if state:
        filters.append(("state", state))
    found = [
        n
        for n in call.state.inventory.values()
        if matches(n.value)
        and (rate_center is None or n.rate_center == rate_center)
        and (state is None or n.state == state)
    ]

    def render(n: Number) -> dict[str, Any]:
        return _shapes.purchasable_number(call.base, n)

    return json_response(200, call.page(found, render, kind="available", filters=filters))


def list_numbers(call: Call) -> Response:
    filters, matches = _number_filters(call)
    found = [n for n in call.account.sorted_numbers() if matches(n.value)]

    def render(n: Number) -> dict[str, Any]:
        return _shapes.account_number(call.base, n)

    return json_response(200, call.page(found, render, kind="numbers", filters=filters))


def _details(call: Call, number: Number) -> Response:
    a = call.account
    return json_response(200, _shapes.number_details(call.base, number, a.routes, a.e911s, a.cnams))


def purchase_number(call: Call, number: str) -> Response:
    attributes = call.attributes(required=False)
    for name in ("cnam_lookups_enabled", "messaging_enabled"):
        raw = call.param(name)
        if raw is not None:
            attributes[name] = boolean(raw, name)
    if number in call.account.numbers:
        raise ApiError(422, f"{number} is already on your account.")
    candidate = call.state.inventory.get(number)
    if candidate is None:
        raise ApiError(404, f"{number[:40]} is not available for purchase.")
    settings = number_settings(attributes)
    del call.state.inventory[number]
    candidate.reset()
    for key, value in settings.items():
        setattr(candidate, key, value)
    call.account.numbers[number] = candidate
    response = _details(call, candidate)
    response.status = 201
    return response


def number_details(call: Call, number: str) -> Response:
    return _details(call, find(call.account.numbers, number))


def release_number(call: Call, number: str) -> Response:
    released = find(call.account.numbers, number)
    del call.account.numbers[number]
    released.reset()
    state = call.state
    state.inventory = dict(sorted({**state.inventory, number: released}.items()))
    return no_content()


def update_number(call: Call, number: str) -> Response:
    target = find(call.account.numbers, number)
    for key, value in number_settings(call.attributes()).items():
        setattr(target, key, value)
    return _details(call, target)


def set_number_callback(call: Call, number: str, kind: str) -> Response:
    target = find(call.account.numbers, number)
    target.callbacks[kind] = callback_url(call.attributes())
    return no_content()


NUMBER = r"/v2/numbers/(?P<number>[^/]+)"
RESOURCES = (
    (r"/v2/numbers/available/areacodes", {"GET": list_area_codes}),
    (r"/v2/numbers/available/exchanges", {"GET": list_exchanges}),
    (r"/v2/numbers/available", {"GET": search_available}),
    (r"/v2/numbers", {"GET": list_numbers}),
    (
        NUMBER,
        {
            "POST": purchase_number,
            "GET": number_details,
            "DELETE": release_number,
            "PATCH": update_number,
        },
    ),
    (
        NUMBER + r"/relationships/(?P<kind>" + "|".join(CALLBACK_TYPES) + ")",
        {"POST": set_number_callback},
    ),
)
