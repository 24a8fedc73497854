"""The sandbox API: routing, validation and JSON:API answers; a function from request to response.

Nothing here touches sockets. ``App.handle(request)`` takes a :class:`Request` and returns a
:class:`Response`; the HTTP server (``_server``) and the fault layer sit in front of it.
Every error is a JSON:API ``{"errors": [...]}`` body, including the ones for unexpected
exceptions, which answer 500 and leave the server running.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping, Optional, Sequence, Union
from urllib.parse import parse_qs, parse_qsl, quote, unquote, urlencode, urlsplit

from . import _shapes
from ._catalogue import (
    AREA_CODES,
    EDGE_STRATEGIES,
    HYPERNETWORK_CODES,
    TOLL_FREE_CODES,
    Number,
)
from ._records import E911, Cnam, Route, rfc1123
from ._rules import (
    DIGITS,
    PHONE,
    ApiError,
    boolean,
    callback_url,
    cdr_criteria,
    cdr_time,
    check_address,
    cnam_problems,
    edge_strategy,
    is_url,
    message_number,
    number_settings,
    optional_text,
    parse_datetime,
    route_value,
)
from ._state import CALLBACK_TYPES, MMS_MAX_BYTES, State

logger = logging.getLogger("flowroutenumbersandmessaging.sandbox")

JSONAPI = "application/vnd.api+json"
DOWNLOAD_PREFIX = "/_sandbox/cdr-files/"
NOT_FOUND = "Could not find that resource on your account."
IN_USE = "Please disassociate all numbers before deleting."
TITLES = {
    400: "Client Error",  # what the real API titles its 400s (seed README)
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
# Most items one page may hold, per list endpoint (api-contract.md §1.4); None = no maximum.
MAX_LIMIT = {
    "areacodes": 400,
    "exchanges": 200,
    "available": 200,
    "numbers": 200,
    "routes": 200,
    "messages": None,
    "e911s": 2000,
    "e911_numbers": 200,
    "cnams": None,
    "cdrs": 200,
}


class Form(dict[str, list[str]]):
    """A form-encoded body (the original SDK sent these for CNAM create and portability)."""


@dataclass(frozen=True)
class Request:
    """One HTTP request as the app sees it. ``headers`` keys are lower-case."""

    method: str
    target: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.target).query, keep_blank_values=True)

    def param(self, name: str) -> Optional[str]:
        for key, value in self.query:
            if key == name:
                return value
        return None


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def error_document(status: int, detail: Union[str, Mapping[str, Any]]) -> dict[str, Any]:
    return {
        "errors": [
            {
                "id": str(uuid.uuid4()),
                "status": status,
                "title": TITLES.get(status, "Error"),
                "detail": detail,
            }
        ]
    }


def json_response(
    status: int,
    document: Any,
    content_type: str = JSONAPI,
    headers: Optional[dict[str, str]] = None,
) -> Response:
    body = json.dumps(document).encode("utf-8")
    return Response(status, body, {"Content-Type": content_type, **(headers or {})})


def error_response(
    status: int,
    detail: Union[str, Mapping[str, Any]],
    headers: Optional[Mapping[str, str]] = None,
) -> Response:
    return json_response(status, error_document(status, detail), headers=dict(headers or {}))


def no_content() -> Response:
    return Response(204)


Handler = Callable[..., Response]


class App:
    """The Flowroute API over one :class:`State`.

    Args:
        state: the world and account to serve.
        base_uri: what links in answers start with (``http://127.0.0.1:PORT``).
        access_key, secret_key: the only credentials accepted; ``None`` accepts any non-empty pair.
    """

    def __init__(
        self,
        state: State,
        base_uri: str,
        *,
        access_key: Optional[str] = None,
        secret_key: Optional[str] = None,
    ) -> None:
        self.state = state
        self.base = base_uri.rstrip("/")
        self.access_key = access_key
        self.secret_key = secret_key
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []
        number = r"/v2/numbers/(?P<number>[^/]+)"
        for method, pattern, handler in (
            ("GET", r"/v2/numbers/available/areacodes", self.list_area_codes),
            ("GET", r"/v2/numbers/available/exchanges", self.list_exchanges),
            ("GET", r"/v2/numbers/available", self.search_available),
            ("GET", r"/v2/numbers", self.list_numbers),
            ("POST", number, self.purchase_number),
            ("GET", number, self.number_details),
            ("DELETE", number, self.release_number),
            ("PATCH", number, self.update_number),
            (
                "POST",
                number + r"/relationships/(?P<kind>" + "|".join(CALLBACK_TYPES) + ")",
                self.set_number_callback,
            ),
            (
                "PATCH",
                number + r"/relationships/(?P<which>primary_route|failover_route)",
                self.set_voice_route,
            ),
            (
                "DELETE",
                number + r"/relationships/(?P<which>primary_route|failover_route)",
                self.remove_voice_route,
            ),
            ("PATCH", number + r"/relationships/e911s/(?P<e911>[^/]+)", self.associate_e911),
            ("DELETE", number + r"/relationships/e911s", self.disconnect_e911),
            ("PATCH", number + r"/relationships/cnams?/(?P<cnam>[^/]+)", self.associate_cnam),
            ("DELETE", number + r"/relationships/cnams?", self.unassociate_cnam),
            ("GET", r"/v2/routes", self.list_routes),
            ("POST", r"/v2/routes", self.create_route),
            ("GET", r"/v2/routes/edge_strategies", self.list_edge_strategies),
            ("GET", r"/v2/routes/(?P<route>[^/]+)", self.get_route),
            ("PATCH", r"/v2/routes/(?P<route>[^/]+)", self.update_route),
            ("DELETE", r"/v2/routes/(?P<route>[^/]+)", self.delete_route),
            ("POST", r"/v2\.1/messages", self.send_message),
            ("GET", r"/v2\.1/messages", self.list_messages),
            (
                "PUT",
                r"/v2\.1/messages/(?P<kind>" + "|".join(CALLBACK_TYPES) + ")",
                self.set_account_callback,
            ),
            (
                "GET",
                r"/v2\.1/messages/(?P<kind>" + "|".join(CALLBACK_TYPES) + ")",
                self.get_account_callback,
            ),
            (
                "DELETE",
                r"/v2\.1/messages/(?P<kind>" + "|".join(CALLBACK_TYPES) + ")",
                self.delete_account_callback,
            ),
            ("GET", r"/v2\.1/messages/(?P<message>[^/]+)", self.get_message),
            ("GET", r"/v2/e911s", self.list_e911s),
            ("POST", r"/v2/e911s", self.create_e911),
            ("POST", r"/v2/e911s/validate", self.validate_e911),
            ("GET", r"/v2/e911s/(?P<e911>[^/]+)", self.get_e911),
            ("PATCH", r"/v2/e911s/(?P<e911>[^/]+)", self.update_e911),
            ("DELETE", r"/v2/e911s/(?P<e911>[^/]+)", self.delete_e911),
            ("GET", r"/v2/e911s/(?P<e911>[^/]+)/relationships/numbers", self.list_e911_numbers),
            ("GET", r"/v2/cnams", self.list_cnams),
            ("POST", r"/v2/cnams", self.create_cnam),
            ("GET", r"/v2/cnams/(?P<cnam>[^/]+)", self.get_cnam),
            ("PATCH", r"/v2/cnams/(?P<cnam>[^/]+)", self.update_cnam),
            ("DELETE", r"/v2/cnams/(?P<cnam>[^/]+)", self.delete_cnam),
            ("GET", r"/v2/cdrs/exports", self.list_exports),
            ("POST", r"/v2/cdrs/exports", self.create_export),
            ("GET", r"/v2/cdrs/exports/(?P<export>[^/]+)", self.get_export),
            ("POST", r"/v2/portorders/portability", self.check_portability),
        ):
            self.routes.append((method, re.compile(pattern), handler))

    # -- dispatch -------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Answer one request. Never raises."""
        try:
            self.state.advance()
            if request.path.startswith(DOWNLOAD_PREFIX):
                return self.download(request)
            self.authenticate(request)
            handler, params = self.resolve(request)
            with self.state.lock:
                return handler(request, **params)
        except ApiError as error:
            return error_response(error.status, error.detail, error.headers)
        except Exception:
            logger.exception("sandbox error on %s %s", request.method, request.path)
            return error_response(500, "The sandbox hit an unexpected error.")

    def authenticate(self, request: Request) -> None:
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        user, colon, password = decoded.partition(":")
        if scheme.lower() != "basic" or not colon or not user or not password:
            raise ApiError(
                401, "Authentication required: HTTP Basic with your API access key and secret key."
            )
        if self.access_key is not None and self.secret_key is not None:
            ok = hmac.compare_digest(user.encode(), self.access_key.encode())
            ok &= hmac.compare_digest(password.encode(), self.secret_key.encode())
            if not ok:
                raise ApiError(401, "Invalid access key or secret key.")

    def resolve(self, request: Request) -> tuple[Handler, dict[str, str]]:
        path = request.path
        wanted = "GET" if request.method == "HEAD" else request.method
        allowed: list[str] = []
        for method, pattern, handler in self.routes:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            if method == wanted:
                return handler, {k: unquote(v) for k, v in match.groupdict().items()}
            allowed.append(method)
        if allowed:
            methods = ", ".join(sorted(set(allowed)))
            raise ApiError(
                405,
                f"{request.method} is not allowed on {path}; use {methods}.",
                headers={"Allow": methods},
            )
        raise ApiError(404, f"No such endpoint: {path}")

    # -- request helpers --------------------------------------------------------------------------

    def body(self, request: Request, *, form: bool = False, required: bool = True) -> Any:
        """The JSON body; form-encoded too where the original SDK sent forms. Missing CT is JSON."""
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if not request.body.strip() and not required:
            return None  # nothing to parse, whatever the label (curl -d '' says "form")
        if form and content_type == "application/x-www-form-urlencoded":
            try:
                return Form(parse_qs(request.body.decode("utf-8"), keep_blank_values=True))
            except UnicodeDecodeError:
                raise ApiError(400, "The form body is not valid UTF-8.") from None
        if content_type and content_type not in ("application/json", JSONAPI):
            raise ApiError(
                415,
                f"Unsupported Content-Type {content_type!r}: send application/json or {JSONAPI}.",
            )
        if not request.body.strip():
            raise ApiError(400, "A JSON request body is required.")
        try:
            return json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise ApiError(400, "Malformed JSON in the request body.") from None

    @staticmethod
    def attributes(document: Any) -> dict[str, Any]:
        """``data.attributes`` of a JSON:API body, or a flat ("compact") body as it is."""
        if not isinstance(document, dict):
            raise ApiError(400, "The request body must be a JSON object.")
        if "data" in document:
            data = document["data"]
            attributes = data.get("attributes", {}) if isinstance(data, dict) else None
            if not isinstance(attributes, dict):
                raise ApiError(
                    400, 'Expected a JSON:API document: {"data": {"attributes": {...}}}.'
                )
            return attributes
        return {k: v for k, v in document.items() if k != "type"}

    @staticmethod
    def int_param(
        request: Request,
        name: str,
        default: int,
        minimum: int,
        maximum: Optional[int] = None,
    ) -> int:
        raw = request.param(name)
        if raw is None:
            return default
        # An optional single minus and at most 18 digits: int() alone would take "+5", "1_0"
        # and non-ASCII digits, and refuses (with a ValueError) past 4300 digits.
        unsigned = raw[1:] if raw.startswith("-") else raw
        if not DIGITS.fullmatch(unsigned) or len(unsigned) > 18:
            raise ApiError(400, f"{name} must be an integer, got {raw[:40]!r}.")
        value = int(raw)
        if value < minimum or (maximum is not None and value > maximum):
            bound = (
                f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            )
            raise ApiError(400, f"{name} must be {bound}, got {value}.")
        return value

    @staticmethod
    def digits_param(request: Request, name: str) -> Optional[str]:
        raw = request.param(name)
        if raw is None or raw == "":
            return None
        if not DIGITS.fullmatch(raw):
            raise ApiError(400, f"{name} must contain digits only, got {raw!r}.")
        return raw

    @staticmethod
    def float_param(request: Request, name: str) -> Optional[float]:
        raw = request.param(name)
        if raw is None or raw == "":
            return None
        try:
            value = float(raw)
        except ValueError:
            raise ApiError(400, f"{name} must be a number, got {raw!r}.") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ApiError(400, f"{name} must be a finite number, got {raw!r}.")
        return value

    def page(
        self,
        request: Request,
        items: Sequence[Any],
        render: Callable[[Any], Any],
        *,
        kind: str,
        filters: Sequence[tuple[str, str]] = (),
        link_base: Optional[str] = None,
    ) -> dict[str, Any]:
        """One page of ``items`` with ``links.self`` and, unless it is the last, ``links.next``."""
        limit = self.int_param(request, "limit", 10, 1, MAX_LIMIT[kind])
        offset = self.int_param(request, "offset", 0, 0)
        base = link_base or f"{self.base}{request.path}"

        def link(at: int) -> str:
            return f"{base}?{urlencode([*filters, ('limit', limit), ('offset', at)])}"

        links = {"self": link(offset)}
        if offset + limit < len(items):
            links["next"] = link(offset + limit)
        return {"data": [render(i) for i in items[offset : offset + limit]], "links": links}

    def own_number(self, value: str) -> Number:
        number = self.state.account.get(value) if PHONE.fullmatch(value) else None
        if number is None:
            raise ApiError(404, NOT_FOUND)
        return number

    # -- numbers ----------------------------------------------------------------------------------

    def available(self, max_setup_cost: Optional[float]) -> list[Number]:
        return [
            n
            for n in self.state.inventory.values()
            if max_setup_cost is None or n.setup_cost <= max_setup_cost
        ]

    def list_area_codes(self, request: Request) -> Response:
        cost = self.float_param(request, "max_setup_cost")
        codes = sorted({n.value[1:4] for n in self.available(cost)})
        filters = (
            [("max_setup_cost", request.param("max_setup_cost") or "")] if cost is not None else []
        )

        def render(code: str) -> dict[str, Any]:
            related = f"{self.base}/v2/numbers/available/exchanges?areacode={code}"
            return {"type": "areacode", "id": code, "links": {"related": related}}

        return json_response(
            200, self.page(request, codes, render, kind="areacodes", filters=filters)
        )

    def list_exchanges(self, request: Request) -> Response:
        cost = self.float_param(request, "max_setup_cost")
        areacode = self.digits_param(request, "areacode")
        if areacode is not None and len(areacode) != 3:
            raise ApiError(400, f"areacode must have 3 digits, got {areacode!r}.")
        exchanges = sorted(
            {
                n.value[1:7]
                for n in self.available(cost)
                if areacode is None or n.value[1:4] == areacode
            }
        )
        filters = []
        if areacode is not None:
            filters.append(("areacode", areacode))
        if cost is not None:
            filters.append(("max_setup_cost", request.param("max_setup_cost") or ""))

        def render(exchange: str) -> dict[str, Any]:
            related = f"{self.base}/v2/numbers/available?starts_with=1{exchange}"
            return {"type": "exchange", "id": exchange, "links": {"related": related}}

        return json_response(
            200, self.page(request, exchanges, render, kind="exchanges", filters=filters)
        )

    def number_filters(
        self, request: Request
    ) -> tuple[list[tuple[str, str]], Callable[[str], bool]]:
        starts = self.digits_param(request, "starts_with")
        contains = self.digits_param(request, "contains")
        ends = self.digits_param(request, "ends_with")
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

    def search_available(self, request: Request) -> Response:
        filters, matches = self.number_filters(request)
        rate_center = (request.param("rate_center") or "").strip().lower() or None
        state = (request.param("state") or "").strip().lower() or None
        if state is not None and not re.fullmatch(r"[a-z]{2}", state):
            raise ApiError(400, f"state must be a 2-letter code, got {request.param('state')!r}.")
        if rate_center is not None and state is None:
            raise ApiError(400, "rate_center can only be used together with state.")
        if rate_center:
            filters.append(("rate_center", rate_center))
        if state:
            filters.append(("state", state))
        found = [
            n
            for n in self.state.inventory.values()
            if matches(n.value)
            and (rate_center is None or n.rate_center == rate_center)
            and (state is None or n.state == state)
        ]
        doc = self.page(
            request,
            found,
            lambda n: _shapes.purchasable_number(self.base, n),
            kind="available",
            filters=filters,
        )
        return json_response(200, doc)

    def list_numbers(self, request: Request) -> Response:
        filters, matches = self.number_filters(request)
        found = [n for n in self.state.sorted_account() if matches(n.value)]
        doc = self.page(
            request,
            found,
            lambda n: _shapes.account_number(self.base, n),
            kind="numbers",
            filters=filters,
        )
        return json_response(200, doc)

    def details(self, number: Number) -> dict[str, Any]:
        s = self.state
        return _shapes.number_details(self.base, number, s.routes, s.e911s, s.cnams)

    def purchase_number(self, request: Request, number: str) -> Response:
        options = self.body(request, required=False) or {}
        attributes = self.attributes(options)
        for name in ("cnam_lookups_enabled", "messaging_enabled"):
            raw = request.param(name)
            if raw is not None:
                attributes[name] = boolean(raw, name)
        if number in self.state.account:
            raise ApiError(422, f"{number} is already on your account.")
        candidate = self.state.inventory.get(number) if PHONE.fullmatch(number) else None
        if candidate is None:
            raise ApiError(404, f"{number} is not available for purchase.")
        settings = number_settings(attributes)
        del self.state.inventory[number]
        candidate.reset()
        for key, value in settings.items():
            setattr(candidate, key, value)
        self.state.account[number] = candidate
        return json_response(201, self.details(candidate))

    def number_details(self, request: Request, number: str) -> Response:
        return json_response(200, self.details(self.own_number(number)))

    def release_number(self, request: Request, number: str) -> Response:
        released = self.own_number(number)
        del self.state.account[number]
        released.reset()
        self.state.inventory = dict(sorted({**self.state.inventory, number: released}.items()))
        return no_content()

    def update_number(self, request: Request, number: str) -> Response:
        target = self.own_number(number)
        attributes = self.attributes(self.body(request))
        for key, value in number_settings(attributes).items():
            setattr(target, key, value)
        return json_response(200, self.details(target))

    def set_number_callback(self, request: Request, number: str, kind: str) -> Response:
        target = self.own_number(number)
        target.callbacks[kind] = callback_url(self.attributes(self.body(request)))
        return no_content()

    # -- routes -----------------------------------------------------------------------------------

    def route(self, route_id: str) -> Route:
        route = self.state.routes.get(route_id)
        if route is None:
            raise ApiError(404, NOT_FOUND)
        return route

    def list_routes(self, request: Request) -> Response:
        route_type = request.param("route_type")
        if route_type is not None and route_type not in ("sip-reg", "host", "uri", "number"):
            raise ApiError(
                400, f"route_type must be sip-reg, host, uri or number, got {route_type!r}."
            )
        routes = sorted(self.state.routes.values(), key=lambda r: int(r.id))
        routes = [r for r in routes if route_type is None or r.route_type == route_type]
        filters = [("route_type", route_type)] if route_type else []
        doc = self.page(
            request,
            routes,
            lambda r: _shapes.route_object(self.base, r),
            kind="routes",
            filters=filters,
        )
        return json_response(200, doc)

    def create_route(self, request: Request) -> Response:
        attributes = self.attributes(self.body(request))
        route_type = attributes.get("route_type")
        if route_type not in ("host", "number", "uri"):
            raise ApiError(422, f"route_type must be host, number or uri, got {route_type!r}.")
        value = route_value(route_type, attributes.get("value"))
        alias = optional_text(attributes, "alias")
        edge = edge_strategy(attributes.get("edge_strategy_id"))
        route = Route(str(self.state.next_id("route")), route_type, value, alias, edge)
        self.state.routes[route.id] = route
        obj = _shapes.route_object(self.base, route)
        # The real API's create answer links to /routes/{id}, without the /v2 prefix.
        quirk = f"{self.base}/routes/{route.id}"
        obj["links"] = {"self": quirk}
        return json_response(201, {"data": obj, "links": {"self": quirk}})

    def list_edge_strategies(self, request: Request) -> Response:
        data = [
            {
                "type": "edge_strategy",
                "id": s["id"],
                "attributes": {k: v for k, v in s.items() if k != "id"},
            }
            for s in EDGE_STRATEGIES
        ]
        return json_response(200, {"data": data})

    def get_route(self, request: Request, route: str) -> Response:
        obj = _shapes.route_object(self.base, self.route(route))
        return json_response(200, {"data": obj, "links": obj["links"]})

    def update_route(self, request: Request, route: str) -> Response:
        target = self.route(route)
        if target.id == "0":
            raise ApiError(403, "The sip-reg route cannot be changed.")
        attributes = self.attributes(self.body(request))
        if "value" in attributes:
            target.value = route_value(target.route_type, attributes["value"])
        if "alias" in attributes:
            target.alias = optional_text(attributes, "alias")
        if "edge_strategy_id" in attributes:
            target.edge_strategy_id = edge_strategy(attributes["edge_strategy_id"])
        obj = _shapes.route_object(self.base, target)
        return json_response(200, {"data": obj, "links": obj["links"]})

    def delete_route(self, request: Request, route: str) -> Response:
        target = self.route(route)
        if target.id == "0":
            raise ApiError(403, "The sip-reg route cannot be deleted.")
        if any(
            target.id in (n.primary_route, n.failover_route) for n in self.state.account.values()
        ):
            raise ApiError(403, IN_USE)
        del self.state.routes[target.id]
        return no_content()

    def set_voice_route(self, request: Request, number: str, which: str) -> Response:
        target = self.own_number(number)
        document = self.body(request)
        data = document.get("data") if isinstance(document, dict) else None
        route_id = data.get("id") if isinstance(data, dict) else None
        if isinstance(route_id, bool) or not isinstance(route_id, (str, int)):
            raise ApiError(400, 'Expected {"data": {"type": "route", "id": "<route id>"}}.')
        route = self.route(str(route_id))
        setattr(target, which, route.id)
        return no_content()

    def remove_voice_route(self, request: Request, number: str, which: str) -> Response:
        setattr(self.own_number(number), which, None)
        return no_content()

    # -- messages ---------------------------------------------------------------------------------

    def send_message(self, request: Request) -> Response:
        attributes = self.attributes(self.body(request))
        to = message_number(attributes.get("to"), "to")
        sender_value = message_number(attributes.get("from"), "from")
        body = attributes.get("body")
        if body is not None and not isinstance(body, str):
            raise ApiError(422, "body must be a string.")
        is_mms = boolean(attributes.get("is_mms", False), "is_mms", status=422)
        media_urls = attributes.get("media_urls") or []
        if not isinstance(media_urls, list) or not all(is_url(u) for u in media_urls):
            raise ApiError(422, "media_urls must be a list of http(s) URLs.")
        dlr_callback = attributes.get("dlr_callback")
        if dlr_callback is not None and not is_url(dlr_callback):
            raise ApiError(422, "dlr_callback must be an http(s) URL.")
        mms = is_mms or bool(media_urls)
        if not mms and not body:
            raise ApiError(422, "body is required for an SMS.")
        if mms and not body and not media_urls:
            raise ApiError(422, "An MMS needs a body or media_urls.")
        sender = self.state.account.get(sender_value)
        if sender is None:
            raise ApiError(422, f"The from number {sender_value} is not on your account.")
        if not sender.messaging_enabled:
            raise ApiError(403, f"Messaging is not enabled on {sender_value}.")
        if mms:
            size = self.state.mms_size(body, media_urls)
            if size > MMS_MAX_BYTES:
                raise ApiError(422, f"MMS is {size} bytes; the limit is {MMS_MAX_BYTES} bytes.")
        message = self.state.send_message(
            sender, to, body, is_mms=mms, media_urls=media_urls, dlr_callback=dlr_callback
        )
        link = f"{self.base}/v2.1/messages/{message.id}"
        return json_response(
            202, {"data": {"type": "message", "id": message.id, "links": {"self": link}}}
        )

    def list_messages(self, request: Request) -> Response:
        start_raw = request.param("start_date")
        if not start_raw:
            raise ApiError(400, "start_date is required (YYYY-MM-DD or an ISO 8601 date-time).")
        start, _ = parse_datetime(start_raw, "start_date")
        end_raw = request.param("end_date")
        end: Optional[datetime] = None
        end_date_only = False
        if end_raw:
            end, end_date_only = parse_datetime(end_raw, "end_date")
            if end_date_only:
                end += timedelta(days=1) - timedelta(microseconds=1)
            if end < start:
                raise ApiError(400, "end_date must not be before start_date.")
        limit = self.int_param(request, "limit", 10, 1)
        offset = self.int_param(request, "offset", 0, 0)
        found = sorted(
            (
                m
                for m in self.state.messages.values()
                if m.timestamp >= start and (end is None or m.timestamp <= end)
            ),
            key=lambda m: m.timestamp,
            reverse=True,
        )
        doc: dict[str, Any] = {
            "data": [_shapes.message_object(self.base, m) for m in found[offset : offset + limit]],
            "links": {},
        }
        if offset + limit < len(found):
            # The real API re-encodes the dates as ISO date-times in its next link.
            dates = f"start_date={quote(start.isoformat(), safe='')}"
            if end_raw and end is not None:
                shown = end_raw.strip() if end_date_only else end.isoformat()
                dates += f"&end_date={quote(shown, safe='')}"
            doc["links"]["next"] = (
                f"{self.base}/v2.1/messages?limit={limit}&{dates}&offset={offset + limit}"
            )
        return json_response(200, doc)

    def get_message(self, request: Request, message: str) -> Response:
        record = self.state.messages.get(message)
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return json_response(200, _shapes.message_document(self.base, record))

    def set_account_callback(self, request: Request, kind: str) -> Response:
        self.state.account_callbacks[kind] = callback_url(self.attributes(self.body(request)))
        return no_content()

    def get_account_callback(self, request: Request, kind: str) -> Response:
        attributes = {
            "callback_url": self.state.account_callbacks.get(kind),
            "product": kind.replace("_callback", "") or "sms",
            "api_version": "2.1",
        }
        return json_response(200, {"data": {"type": "callback", "attributes": attributes}})

    def delete_account_callback(self, request: Request, kind: str) -> Response:
        self.state.account_callbacks.pop(kind, None)
        return no_content()

    # -- E911 -------------------------------------------------------------------------------------

    def e911(self, e911_id: str) -> E911:
        record = self.state.e911s.get(e911_id)
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return record

    def list_e911s(self, request: Request) -> Response:
        wanted = {
            name: (request.param(name) or "").strip().lower()
            for name in ("state", "label", "street_name", "city")
        }
        filters = sorted((k, v) for k, v in wanted.items() if v)

        def matches(record: E911) -> bool:
            a = record.attributes
            return all(
                (a.get(k, "").lower() == v) if k == "state" else (v in a.get(k, "").lower())
                for k, v in filters
            )

        records = [
            r for r in sorted(self.state.e911s.values(), key=lambda r: int(r.id)) if matches(r)
        ]
        doc = self.page(
            request,
            records,
            lambda r: _shapes.e911_object(self.base, r),
            kind="e911s",
            filters=filters,
        )
        return json_response(200, doc)

    def get_e911(self, request: Request, e911: str) -> Response:
        return json_response(200, {"data": _shapes.e911_object(self.base, self.e911(e911))})

    def validate_e911(self, request: Request) -> Response:
        check_address(self.attributes(self.body(request)), existing=None)
        return no_content()

    def create_e911(self, request: Request) -> Response:
        attributes = check_address(self.attributes(self.body(request)), existing=None)
        record = E911(str(self.state.next_id("e911")), attributes)
        self.state.e911s[record.id] = record
        return json_response(201, {"data": _shapes.e911_object(self.base, record)})

    def update_e911(self, request: Request, e911: str) -> Response:
        record = self.e911(e911)
        record.attributes = check_address(
            self.attributes(self.body(request)), existing=record.attributes
        )
        return json_response(200, {"data": _shapes.e911_object(self.base, record)})

    def delete_e911(self, request: Request, e911: str) -> Response:
        record = self.e911(e911)
        if any(n.e911_id == record.id for n in self.state.account.values()):
            raise ApiError(403, IN_USE)
        del self.state.e911s[record.id]
        return no_content()

    def list_e911_numbers(self, request: Request, e911: str) -> Response:
        record = self.e911(e911)
        numbers = [n for n in self.state.sorted_account() if n.e911_id == record.id]

        def render(n: Number) -> dict[str, Any]:
            return {
                "type": "number",
                "id": n.value,
                "attributes": {"alias": n.alias, "value": n.value},
                "links": {"self": f"{self.base}/v2/numbers/{n.value}"},
            }

        return json_response(200, self.page(request, numbers, render, kind="e911_numbers"))

    def associate_e911(self, request: Request, number: str, e911: str) -> Response:
        target = self.own_number(number)
        record = self.e911(e911)
        if target.toll_free:
            raise ApiError(
                422,
                "Cannot assign an E911 record to a number that does not support emergency "
                "services.",
            )
        target.e911_id = record.id
        return no_content()

    def disconnect_e911(self, request: Request, number: str) -> Response:
        self.own_number(number).e911_id = None
        return no_content()

    # -- CNAM -------------------------------------------------------------------------------------

    def cnam(self, cnam_id: str) -> Cnam:
        record = self.state.cnams.get(cnam_id)
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return record

    def list_cnams(self, request: Request) -> Response:
        approved_raw = request.param("is_approved")
        approved = None if approved_raw in (None, "") else boolean(approved_raw, "is_approved")
        value = (request.param("value") or "").strip().lower()
        filters = []
        if approved is not None:
            filters.append(("is_approved", "true" if approved else "false"))
        if value:
            filters.append(("value", value))
        records = [
            r
            for r in sorted(self.state.cnams.values(), key=lambda r: int(r.id))
            if (approved is None or r.is_approved == approved) and value in r.value.lower()
        ]
        doc = self.page(
            request,
            records,
            lambda r: _shapes.cnam_object(self.base, r),
            kind="cnams",
            filters=filters,
        )
        return json_response(200, doc)

    def get_cnam(self, request: Request, cnam: str) -> Response:
        return json_response(200, {"data": _shapes.cnam_object(self.base, self.cnam(cnam))})

    def cnam_value(self, request: Request) -> str:
        document = self.body(request, form=True)
        if isinstance(document, Form):
            values = document.get("value") or []
            value: Any = values[0] if values else None
        else:
            value = self.attributes(document).get("value")
        if not isinstance(value, str) or not value.strip():
            raise ApiError(422, {"data": {"attributes": {"value": ["This field is required."]}}})
        problems = cnam_problems(value)
        if problems:
            raise ApiError(422, {"data": {"attributes": {"value": problems}}})
        return value

    def create_cnam(self, request: Request) -> Response:
        record = self.state.new_cnam(self.cnam_value(request))
        return json_response(201, {"data": _shapes.cnam_object(self.base, record)})

    def update_cnam(self, request: Request, cnam: str) -> Response:
        record = self.cnam(cnam)
        if record.is_approved:
            raise ApiError(403, "Only CNAM records that are not approved yet can be updated.")
        record.value = self.cnam_value(request)
        record.rejection_reason = None
        if self.state.cnam_approval_seconds is not None:
            record.due = self.state.monotonic() + self.state.cnam_approval_seconds
        return json_response(200, {"data": _shapes.cnam_object(self.base, record)})

    def delete_cnam(self, request: Request, cnam: str) -> Response:
        record = self.cnam(cnam)
        for number in self.state.account.values():
            if number.cnam_id == record.id:
                number.cnam_id = None
        del self.state.cnams[record.id]
        return no_content()

    def associate_cnam(self, request: Request, number: str, cnam: str) -> Response:
        target = self.own_number(number)
        record = self.cnam(cnam)
        if target.toll_free:
            raise ApiError(422, "CNAM presets can only be stored on long code numbers.")
        if record.rejection_reason is not None:
            raise ApiError(422, f"CNAM record {record.id} was rejected: {record.rejection_reason}")
        if not record.is_approved:
            raise ApiError(422, f"CNAM record {record.id} is not approved yet.")
        target.cnam_id = record.id
        return self.cnam_receipt(int(record.id))

    def unassociate_cnam(self, request: Request, number: str) -> Response:
        self.own_number(number).cnam_id = None
        return self.cnam_receipt(None)

    def cnam_receipt(self, cnam_id: Optional[int]) -> Response:
        attributes = {"date_created": rfc1123(self.state.now())}
        return json_response(
            202, {"data": {"type": "cnam", "id": cnam_id, "attributes": attributes}}
        )

    # -- CDR exports ------------------------------------------------------------------------------

    def list_exports(self, request: Request) -> Response:
        status = request.param("status")
        if status not in (None, "processing", "completed", "failed"):
            raise ApiError(400, f"status must be processing, completed or failed, got {status!r}.")
        limit = self.int_param(request, "limit", 10, 1, MAX_LIMIT["cdrs"])
        offset = self.int_param(request, "offset", 0, 0)
        exports = sorted(self.state.exports.values(), key=lambda e: e.id, reverse=True)
        exports = [e for e in exports if status is None or e.status == status]
        extra = f"&status={status}" if status else ""
        link = f"{_shapes.CDR_LINK_BASE}/cdrs/exports?offset={{}}&limit={limit}{extra}"
        links = {"self": link.format(offset)}
        if offset + limit < len(exports):
            links["next"] = link.format(offset + limit)
        data = [
            {"data": _shapes.export_object(e, self.base)} for e in exports[offset : offset + limit]
        ]
        return json_response(200, {"data": data, "links": links})

    def create_export(self, request: Request) -> Response:
        attributes = self.attributes(self.body(request))
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
        export = self.state.new_export(echo, (start, end), criteria, callback_url)
        obj = _shapes.export_object(export, self.base, string_id=True)
        obj["links"] = {"self": f"{self.base}/v2/cdrs/exports/{export.id}"}
        return json_response(201, {"data": obj})

    def get_export(self, request: Request, export: str) -> Response:
        record = self.state.exports.get(export)
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return json_response(200, _shapes.export_document(record, self.base))

    def download(self, request: Request) -> Response:
        """The pre-signed "S3" download: no Flowroute auth, S3-style XML errors."""
        if request.method not in ("GET", "HEAD"):
            return _s3_error(405, "MethodNotAllowed", "The specified method is not allowed.")
        name = request.path[len(DOWNLOAD_PREFIX) :]
        token = name[: -len(".csv.gz")] if name.endswith(".csv.gz") else ""
        export = self.state.export_by_token(token) if token else None
        if export is None or export.status != "completed" or export.signed_query is None:
            return _s3_error(404, "NoSuchKey", "The specified key does not exist.")
        expected = dict(parse_qsl(export.signed_query)).get("X-Amz-Signature", "")
        given = request.param("X-Amz-Signature") or ""
        if not hmac.compare_digest(expected.encode(), given.encode()):
            return _s3_error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )
        return Response(200, export.file, {"Content-Type": "binary/octet-stream"})

    # -- porting ----------------------------------------------------------------------------------

    def check_portability(self, request: Request) -> Response:
        document = self.body(request, form=True)
        numbers: Any
        if isinstance(document, dict) and "numbers" not in document and "numbers[]" in document:
            numbers = document["numbers[]"]
        else:
            numbers = document.get("numbers") if isinstance(document, dict) else None
        if (
            not isinstance(numbers, list)
            or not numbers
            or not all(isinstance(n, str) for n in numbers)
        ):
            raise ApiError(422, 'Expected {"numbers": ["+14255550111", ...]}.')
        bad = [n for n in numbers if not re.fullmatch(r"\+[1-9][0-9]{7,14}", n)]
        if bad:
            raise ApiError(
                422, f"Numbers must be E.164 with a leading '+': {', '.join(map(repr, bad))}."
            )
        covered = {code for code, _, _ in AREA_CODES} | set(TOLL_FREE_CODES)
        portable, nonportable, hyper = [], [], []
        for n in numbers:
            npa = n[2:5]
            if (
                len(n) == 12
                and n.startswith("+1")
                and npa in covered
                and n[1:] not in self.state.account
            ):
                portable.append(n)
                if npa in HYPERNETWORK_CODES:
                    hyper.append(n)
            else:
                nonportable.append(n)
        data = {"portable": portable, "nonportable": nonportable, "hypernetwork_enabled": hyper}
        return json_response(200, {"data": data}, content_type="application/json")


def _s3_error(status: int, code: str, message: str) -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    ).encode()
    return Response(status, body, {"Content-Type": "application/xml"})
