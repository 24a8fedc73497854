"""Requests and answers as the sandbox's handlers see them, and the helpers every handler shares.

A handler reads its request through :class:`Call` (the request, the world, the caller's account
and the base URI links start with) and answers a :class:`Response`, or raises
:class:`~._rules.ApiError`, which the app turns into the API's ``{"errors": [...]}`` body.
Reading a body, a query parameter, a page of a list or one record by id is done here, once.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Sequence, TypeVar, Union
from urllib.parse import SplitResult, parse_qs, parse_qsl, urlencode, urlsplit

from ._rules import DIGITS, ApiError

if TYPE_CHECKING:
    from ._account import Account
    from ._state import State

JSONAPI = "application/vnd.api+json"
NOT_FOUND = "Could not find that resource on your account."
IN_USE = "Please disassociate all numbers before deleting."
TITLES = {
    400: "Client Error",  # what the real API titles its 400s
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
# Real bodies nest four or five levels deep; anything far deeper is refused before it can
# exhaust the recursion limit of whatever walks it later (json.dumps, comparisons).
MAX_BODY_DEPTH = 64
# Most items one page may hold, per list endpoint; None = no maximum.
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

T = TypeVar("T")


class Form(dict[str, list[str]]):
    """A form-encoded body (the original SDK sent these for CNAM create and portability)."""


@dataclass(frozen=True)
class Request:
    """One HTTP request as the app sees it. ``headers`` keys are lower-case."""

    method: str
    target: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @cached_property
    def _parts(self) -> SplitResult:
        try:
            return urlsplit(self.target)
        except ValueError:  # e.g. an absolute-form target with a broken IPv6 host: http://[
            raise ApiError(400, "The request target is not a valid URL.") from None

    @property
    def path(self) -> str:
        return self._parts.path

    @cached_property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(self._parts.query, keep_blank_values=True)

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
    headers: Optional[Mapping[str, str]] = None,
) -> Response:
    body = json.dumps(document).encode("utf-8")
    return Response(status, body, {"Content-Type": content_type, **(headers or {})})


def error_response(
    status: int,
    detail: Union[str, Mapping[str, Any]],
    headers: Optional[Mapping[str, str]] = None,
) -> Response:
    return json_response(status, error_document(status, detail), headers=headers)


def no_content() -> Response:
    return Response(204)


@dataclass
class Call:
    """One authenticated request in progress: what a handler works with."""

    request: Request
    state: State
    account: Account
    base: str  # what links in the answer start with: the host the client called

    def param(self, name: str) -> Optional[str]:
        return self.request.param(name)

    def body(self, *, form: bool = False, required: bool = True) -> Any:
        """The JSON body; form-encoded too where the original SDK sent forms. No CT is JSON."""
        request = self.request
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
            document = json.loads(request.body.decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise ApiError(400, "Malformed JSON in the request body.") from None
        _check_text(document)
        return document

    def attributes(self, *, required: bool = True) -> dict[str, Any]:
        """``data.attributes`` of a JSON:API body, or a flat ("compact") body as it is."""
        document = self.body(required=required)
        if document is None:
            return {}
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

    def int_param(
        self, name: str, default: int, minimum: int, maximum: Optional[int] = None
    ) -> int:
        raw = self.param(name)
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

    def digits_param(self, name: str) -> Optional[str]:
        raw = self.param(name)
        if raw is None or raw == "":
            return None
        if not DIGITS.fullmatch(raw):
            raise ApiError(400, f"{name} must contain digits only, got {raw[:40]!r}.")
        return raw

    def float_param(self, name: str) -> Optional[float]:
        raw = self.param(name)
        if raw is None or raw == "":
            return None
        try:
            value = float(raw)
        except ValueError:
            raise ApiError(400, f"{name} must be a number, got {raw[:40]!r}.") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ApiError(400, f"{name} must be a finite number, got {raw[:40]!r}.")
        return value

    def page(
        self,
        items: Sequence[T],
        render: Callable[[T], Any],
        *,
        kind: str,
        filters: Sequence[tuple[str, str]] = (),
        link: Optional[Callable[[int, int], str]] = None,
        self_link: bool = True,
    ) -> dict[str, Any]:
        """One page of ``items``: ``links.self`` and, unless it is the last, ``links.next``.

        ``link(limit, offset)`` writes a page's URL; by default the request's own path with
        ``filters``, ``limit`` and ``offset`` in its query.
        """
        limit = self.int_param("limit", 10, 1, MAX_LIMIT[kind])
        offset = self.int_param("offset", 0, 0)
        if link is None:
            base = f"{self.base}{self.request.path}"

            def link(size: int, at: int) -> str:
                return f"{base}?{urlencode([*filters, ('limit', size), ('offset', at)])}"

        links = {"self": link(limit, offset)} if self_link else {}
        if offset + limit < len(items):
            links["next"] = link(limit, offset + limit)
        return {"data": [render(i) for i in items[offset : offset + limit]], "links": links}


def find(records: Mapping[str, T], key: str) -> T:
    """The record ``key`` of the caller's account, or the API's 404."""
    record = records.get(key)
    if record is None:
        raise ApiError(404, NOT_FOUND)
    return record


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _check_text(document: Any) -> None:
    """Refuse bodies nested absurdly deep, or whose strings hold lone surrogates.

    ``json`` decodes ``"\\ud800"`` into a string that cannot be encoded as UTF-8, so it would
    break whatever later measures or stores it; the real API refuses such a body outright.
    """
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_BODY_DEPTH:
            raise ApiError(400, f"The request body is nested more than {MAX_BODY_DEPTH} deep.")
        if isinstance(value, dict):
            stack.extend((k, depth) for k in value)
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ApiError(
                    400, "The request body holds a lone UTF-16 surrogate: not valid Unicode."
                ) from None
