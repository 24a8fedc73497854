"""What one SDK call put on the wire: the per-controller wire tests share this runner.

A ``tests/test_wire_<resource>.py`` module lists ``CASES``, each ``pytest.param(call, reply,
wire, returned)``, and gets its test with::

    test_each_method_sends_exact_request_and_returns_document = wire_test(CASES)
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any, Callable, Optional
from urllib.parse import parse_qsl, urlsplit

import pytest

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient
from tests.support.canary import ACCESS_KEY, SECRET_KEY
from tests.support.server import Reply, ScriptedServer

AUTH = "Basic " + base64.b64encode(f"{ACCESS_KEY}:{SECRET_KEY}".encode()).decode()
JSONAPI = "application/vnd.api+json"


@dataclass
class Wire:
    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    body: Any = None
    content_type: Optional[str] = None


def check_sent(server: ScriptedServer, wire: Wire) -> None:
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


Call = Callable[[FlowroutenumbersandmessagingClient], Any]


def wire_test(cases: list[Any]) -> Callable[..., None]:
    """A test that runs every case: the call sends exactly ``wire`` and returns ``returned``."""

    @pytest.mark.parametrize(("call", "reply", "wire", "returned"), cases)
    def test(
        client: FlowroutenumbersandmessagingClient,
        server: ScriptedServer,
        call: Call,
        reply: Reply,
        wire: Wire,
        returned: Any,
    ) -> None:
        server.queue(reply)
        assert call(client) == returned
        check_sent(server, wire)

    return test
