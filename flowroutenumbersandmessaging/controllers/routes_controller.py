"""Inbound voice routes, and which of them a number uses."""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional

from .. import _ids
from ..exceptions import ValidationError
from .base_controller import BaseController, JsonBody, json_body

_ROUTE_TYPES = ("host", "number", "uri")
_ROUTE_NUMBER = re.compile(r"[0-9]{11}")


def _route_data(route_body: JsonBody) -> tuple[dict[str, Any], Mapping[str, Any]]:
    """The parsed body and its ``data`` object, which must be of type "route"."""
    body = json_body(route_body, "route_body")
    data = body.get("data")
    if not isinstance(data, Mapping) or data.get("type") != "route":
        raise ValidationError('route_body must look like {"data": {"type": "route", ...}}')
    return body, data


def _new_route(route_body: JsonBody) -> dict[str, Any]:
    body, data = _route_data(route_body)
    attributes = data.get("attributes")
    if not isinstance(attributes, Mapping):
        raise ValidationError("route_body must hold an object at data.attributes")
    route_type = attributes.get("route_type")
    if route_type not in _ROUTE_TYPES:
        raise ValidationError(
            f"route_type must be one of {', '.join(_ROUTE_TYPES)}, got {route_type!r:.40}"
        )
    value = attributes.get("value")
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("route value must be a non-empty string")
    if route_type == "number" and not _ROUTE_NUMBER.fullmatch(value):
        raise ValidationError(f"a number route's value must be 11 digits, got {value!r:.40}")
    return body


def _route_reference(route_body: JsonBody) -> dict[str, Any]:
    body, data = _route_data(route_body)
    route_id: Any = data.get("id")
    _ids.record_id(route_id, "route id (data.id)")
    return body


class RoutesController(BaseController):
    """Inbound voice routes (host, number or SIP URI) and a number's primary/failover route."""

    def create_an_inbound_route(self, route_body: JsonBody) -> Any:
        """Create an inbound route. ``POST /v2/routes``

        ``route_body`` is a JSON string or a dict: ``{"data": {"type": "route", "attributes":
        {"route_type": "host" | "number" | "uri", "value": ..., "alias": ...}}}``, sent as given.
        """
        return self._post("/v2/routes", _new_route(route_body), create=True)

    def list_inbound_routes(
        self,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        route_type: Optional[str] = None,
    ) -> Any:
        """List your inbound routes. ``GET /v2/routes``"""
        return self._get("/v2/routes", {"limit": limit, "offset": offset, "route_type": route_type})

    def update_primary_voice_route(self, number_id: _ids.IdLike, route_body: JsonBody) -> Any:
        """Set a number's primary route. ``PATCH /v2/numbers/{id}/relationships/primary_route``

        ``route_body`` is ``{"data": {"type": "route", "id": "<route id>"}}`` (JSON string or
        dict). Returns None (204).
        """
        number = _ids.phone_number(number_id)
        body = _route_reference(route_body)
        return self._patch(f"/v2/numbers/{number}/relationships/primary_route", body)

    def update_failover_voice_route(self, number_id: _ids.IdLike, route_body: JsonBody) -> Any:
        """Set a number's failover route. ``PATCH /v2/numbers/{id}/relationships/failover_route``

        ``route_body`` is ``{"data": {"type": "route", "id": "<route id>"}}`` (JSON string or
        dict). Returns None (204).
        """
        number = _ids.phone_number(number_id)
        body = _route_reference(route_body)
        return self._patch(f"/v2/numbers/{number}/relationships/failover_route", body)

    def list_edge_strategies(self) -> Any:
        """List the edge strategies a route can use. ``GET /v2/routes/edge_strategies``"""
        return self._get("/v2/routes/edge_strategies")
