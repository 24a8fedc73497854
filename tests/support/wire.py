"""Assertions on what one SDK call put on the wire, for the per-controller wire tests."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import parse_qsl, urlsplit

from tests.conftest import ACCESS_KEY, SECRET_KEY

AUTH = "Basic " + base64.b64encode(f"{ACCESS_KEY}:{SECRET_KEY}".encode()).decode()
JSONAPI = "application/vnd.api+json"


@dataclass
class Wire:
    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    body: Any = None
    content_type: Optional[str] = None


def check_sent(server, wire: Wire) -> None:
    (request,) = server.requests
    target = urlsplit(request.target)
    assert request.method == wire.method
    assert target.path == wire.path
    assert parse_qsl(target.query, keep_blank_values=True) == wire.query
    assert request.header("Authorization") == AUTH
    if wire.body is None:
        assert request.body == b""
        assert request.header("Content-Type") is None
    else:
        assert request.json == wire.body
        assert request.header("Content-Type") == wire.content_type
