"""Inbound voice routes, and which of them a number uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, cast

from .. import _validate
from .._validate import IdLike, JsonBody
from .base_controller import BaseController

if TYPE_CHECKING:
    from ..documents import EdgeStrategyList, RouteDocument, RouteList


class RoutesController(BaseController):
    """Inbound voice routes (host, number or SIP URI) and a number's primary/failover route."""

    def create_an_inbound_route(self, route_body: JsonBody) -> RouteDocument:
        """Create an inbound route. ``POST /v2/routes``

        ``route_body`` is a JSON string or a dict: ``{"data": {"type": "route", "attributes":
        {"route_type": "host" | "number" | "uri", "value": ..., "alias": ...}}}``, sent as given.
        Returns the new route (201) with its ``id``.

        Raises:
            ValidationError: the body is not such an object, or a ``number`` route's value is
                not 11 digits.
            UnprocessableEntityError: Flowroute refused the value.
            APIException: any failure after the request may have reached Flowroute carries
                ``outcome_unknown=True`` and is never retried: list your routes first.
        """
        body = _validate.new_route(route_body)
        return cast("RouteDocument", self._post("/v2/routes", body, create=True))

    def list_inbound_routes(
        self,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        route_type: Optional[str] = None,
    ) -> RouteList:
        """List your inbound routes. ``GET /v2/routes``

        Returns a page of routes; route ``"0"`` is the built-in ``sip-reg`` route.
        Raises only the errors any call may raise (see ``BaseController``).
        """
        query = {"limit": limit, "offset": offset, "route_type": route_type}
        return cast("RouteList", self._get("/v2/routes", query))

    def update_primary_voice_route(self, number_id: IdLike, route_body: JsonBody) -> None:
        """Set a number's primary route. ``PATCH /v2/numbers/{id}/relationships/primary_route``

        ``route_body`` is ``{"data": {"type": "route", "id": "<route id>"}}`` (JSON string or
        dict). Returns None (204). Raises ``NotFoundError`` for a number or route that is not
        yours.
        """
        number = _validate.phone_number(number_id)
        body = _validate.route_reference(route_body)
        self._no_content("PATCH", f"/v2/numbers/{number}/relationships/primary_route", body)

    def update_failover_voice_route(self, number_id: IdLike, route_body: JsonBody) -> None:
        """Set a number's failover route. ``PATCH /v2/numbers/{id}/relationships/failover_route``

        ``route_body`` is ``{"data": {"type": "route", "id": "<route id>"}}`` (JSON string or
        dict). Returns None (204). Raises ``NotFoundError`` for a number or route that is not
        yours.
        """
        number = _validate.phone_number(number_id)
        body = _validate.route_reference(route_body)
        self._no_content("PATCH", f"/v2/numbers/{number}/relationships/failover_route", body)

    def list_edge_strategies(self) -> EdgeStrategyList:
        """List the edge strategies a route can use. ``GET /v2/routes/edge_strategies``

        Returns them all; their ``id`` (an int) goes in a route's ``edge_strategy_id``.
        Raises only the errors any call may raise (see ``BaseController``).
        """
        return cast("EdgeStrategyList", self._get("/v2/routes/edge_strategies"))
