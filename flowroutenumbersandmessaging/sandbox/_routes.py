"""Inbound voice routes, edge strategies, and the primary/failover route of a number."""

from __future__ import annotations

from typing import Any

from . import _shapes
from ._catalogue import EDGE_STRATEGIES
from ._numbers import NUMBER
from ._records import Route
from ._rules import ApiError, edge_strategy, optional_text, route_value
from ._wire import IN_USE, Call, Response, find, json_response, no_content

ROUTE_TYPES = ("sip-reg", "host", "uri", "number")
SIP_REG = "0"  # the built-in route every number starts on


def list_routes(call: Call) -> Response:
    route_type = call.param("route_type")
    if route_type is not None and route_type not in ROUTE_TYPES:
        raise ApiError(
            400, f"route_type must be sip-reg, host, uri or number, got {route_type[:40]!r}."
        )
    routes = sorted(call.account.routes.values(), key=lambda r: int(r.id))
    routes = [r for r in routes if route_type is None or r.route_type == route_type]
    filters = [("route_type", route_type)] if route_type else []

    def render(route: Route) -> dict[str, Any]:
        return _shapes.route_object(call.base, route)

    return json_response(200, call.page(routes, render, kind="routes", filters=filters))


def create_route(call: Call) -> Response:
    attributes = call.attributes()
    route_type = attributes.get("route_type")
    if route_type not in ("host", "number", "uri"):
        raise ApiError(422, f"route_type must be host, number or uri, got {route_type!r:.60}.")
    value = route_value(route_type, attributes.get("value"))
    alias = optional_text(attributes, "alias")
    edge = edge_strategy(attributes.get("edge_strategy_id"))
    route = Route(call.state.next_id("route"), route_type, value, alias, edge)
    call.account.routes[route.id] = route
    obj = _shapes.route_object(call.base, route)
    # The real API's create answer links to /routes/{id}, without the /v2 prefix.
    quirk = f"{call.base}/routes/{route.id}"
    obj["links"] = {"self": quirk}
    return json_response(201, {"data": obj, "links": {"self": quirk}})


def list_edge_strategies(call: Call) -> Response:
    data = [
        {
            "type": "edge_strategy",
            "id": s["id"],
            "attributes": {k: v for k, v in s.items() if k != "id"},
        }
        for s in EDGE_STRATEGIES
    ]
    return json_response(200, {"data": data})


def _route_document(call: Call, route: Route) -> Response:
    obj = _shapes.route_object(call.base, route)
    return json_response(200, {"data": obj, "links": obj["links"]})


def get_route(call: Call, route: str) -> Response:
    return _route_document(call, find(call.account.routes, route))


def update_route(call: Call, route: str) -> Response:
    target = find(call.account.routes, route)
    if target.id == SIP_REG:
        raise ApiError(403, "The sip-reg route cannot be changed.")
    attributes = call.attributes()
    if "value" in attributes:
        target.value = route_value(target.route_type, attributes["value"])
    if "alias" in attributes:
        target.alias = optional_text(attributes, "alias")
    if "edge_strategy_id" in attributes:
        target.edge_strategy_id = edge_strategy(attributes["edge_strategy_id"])
    return _route_document(call, target)


def delete_route(call: Call, route: str) -> Response:
    target = find(call.account.routes, route)
    if target.id == SIP_REG:
        raise ApiError(403, "The sip-reg route cannot be deleted.")
    numbers = call.account.numbers.values()
    if any(target.id in (n.primary_route, n.failover_route) for n in numbers):
        raise ApiError(403, IN_USE)
    del call.account.routes[target.id]
    return no_content()


def set_voice_route(call: Call, number: str, which: str) -> Response:
    target = find(call.account.numbers, number)
    document = call.body()
    data = document.get("data") if isinstance(document, dict) else None
    route_id = data.get("id") if isinstance(data, dict) else None
    if isinstance(route_id, bool) or not isinstance(route_id, (str, int)):
        raise ApiError(400, 'Expected {"data": {"type": "route", "id": "<route id>"}}.')
    setattr(target, which, find(call.account.routes, str(route_id)).id)
    return no_content()


def remove_voice_route(call: Call, number: str, which: str) -> Response:
    setattr(find(call.account.numbers, number), which, None)
    return no_content()


ROUTE = r"/v2/routes/(?P<route>[^/]+)"
RESOURCES = (
    (r"/v2/routes", {"GET": list_routes, "POST": create_route}),
    (r"/v2/routes/edge_strategies", {"GET": list_edge_strategies}),
    (ROUTE, {"GET": get_route, "PATCH": update_route, "DELETE": delete_route}),
    (
        NUMBER + r"/relationships/(?P<which>primary_route|failover_route)",
        {"PATCH": set_voice_route, "DELETE": remove_voice_route},
    ),
)
