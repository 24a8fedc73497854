"""What every controller shares: one call into the HTTP core per endpoint."""

from __future__ import annotations

import json
from typing import Any, Mapping, Optional, Union
from urllib.parse import urlsplit

from .._http import HttpCore
from ..exceptions import ValidationError

JsonBody = Union[str, Mapping[str, Any]]


class BaseController:
    """A controller is a namespace of endpoints over the client's :class:`HttpCore`."""

    def __init__(self, core: HttpCore) -> None:
        self._core = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} base_uri={self._core.base_uri!r}>"

    def _get(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Any:
        return self._core.request("GET", path, params=params)

    def _post(
        self,
        path: str,
        body: Optional[Mapping[str, Any]] = None,
        *,
        create: bool,
        send_kind: Optional[str] = None,
    ) -> Any:
        """POST. ``create=True`` marks a call that must never happen twice (no blind retry)."""
        return self._core.request("POST", path, body=body, create=create, send_kind=send_kind)

    def _put(self, path: str, body: Optional[Mapping[str, Any]] = None) -> Any:
        return self._core.request("PUT", path, body=body)

    def _patch(self, path: str, body: Optional[Mapping[str, Any]] = None) -> Any:
        return self._core.request("PATCH", path, body=body)

    def _delete(self, path: str) -> Any:
        return self._core.request("DELETE", path)


def json_body(value: JsonBody, what: str) -> dict[str, Any]:
    """A request body given as a JSON string (as the seed README does) or as a dict.

    The body is sent as given: parsed to check it, never rewritten.
    """
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ValidationError(f"{what} is not valid JSON: {exc}") from None
    if not isinstance(value, Mapping):
        raise ValidationError(f"{what} must be a JSON object (a dict or a JSON string)")
    return dict(value)


def jsonapi_attributes(body: Mapping[str, Any], what: str) -> dict[str, Any]:
    """The attributes of a JSON:API body, or of a flat ("compact") one."""
    data = body.get("data", body)
    attributes = data.get("attributes", data) if isinstance(data, Mapping) else None
    if not isinstance(attributes, Mapping):
        raise ValidationError(f"{what} must hold an object at data.attributes")
    return dict(attributes)


def callback_url(value: object, what: str) -> str:
    """An absolute http(s) URL Flowroute can post to."""
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be a URL string, not {type(value).__name__}")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValidationError(f"{what} must not contain spaces or control characters")
    try:
        parts = urlsplit(value)
        usable = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        usable = False
    if not usable:
        raise ValidationError(f"{what} must be an absolute http:// or https:// URL")
    return value
