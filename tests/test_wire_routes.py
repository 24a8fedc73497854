"""routes: every method puts the exact request on the wire and returns the decoded document."""

from __future__ import annotations

import json
from typing import Any

import pytest

from flowroutenumbersandmessaging.exceptions import ServerError, ValidationError
from tests.support.server import Reply
from tests.support.wire import JSONAPI, Wire, wire_test

NUMBER = "12065550142"
ROUTE_STRING = """{ \
  "data": { \
    "type": "route", \
    "attributes": { \
      "route_type": "host", \
      "value": "il775u.sonsofodin.com", \
      "alias": "x7k2p9012345" \
    } \
  } \
}"""
ROUTE_DICT = {
    "data": {
        "type": "route",
        "attributes": {
            "route_type": "uri",
            "value": "sip:office@pbx.example.com:5060;transport=tls",
            "alias": "office-pbx",
            "edge_strategy_id": 4,
        },
    }
}
CREATED = {
    "data": {
        "type": "route",
        "id": "98396",
        "attributes": {"route_type": "host", "value": "il775u.sonsofodin.com"},
        "links": {"self": "https://api.flowroute.com/routes/98396"},
    }
}
ROUTES = {"data": [{"type": "route", "id": "0", "attributes": {"route_type": "sip-reg"}}]}
EDGES = {"data": [{"type": "edge_strategy", "id": 1, "attributes": {"name": "US-West"}}]}
PRIMARY = f"/v2/numbers/{NUMBER}/relationships/primary_route"
FAILOVER = f"/v2/numbers/{NUMBER}/relationships/failover_route"
README_REFERENCE = '{ \
  "data": { \
    "type": "route", \
    "id": "83834" \
  } \
}'

CASES = [
    pytest.param(
        lambda c: c.routes.create_an_inbound_route(ROUTE_STRING),
        Reply(201, CREATED),
        Wire("POST", "/v2/routes", body=json.loads(ROUTE_STRING), content_type=JSONAPI),
        CREATED,
        id="create_an_inbound_route-readme-string",
    ),
    pytest.param(
        lambda c: c.routes.create_an_inbound_route(route_body=ROUTE_DICT),
        Reply(201, CREATED),
        Wire("POST", "/v2/routes", body=ROUTE_DICT, content_type=JSONAPI),
        CREATED,
        id="create_an_inbound_route-keyword-dict",
    ),
    pytest.param(
        lambda c: c.routes.list_inbound_routes(3),
        Reply(200, ROUTES),
        Wire("GET", "/v2/routes", [("limit", "3")]),
        ROUTES,
        id="list_inbound_routes-readme",
    ),
    pytest.param(
        lambda c: c.routes.list_inbound_routes(limit=2, offset=4, route_type="host"),
        Reply(200, ROUTES),
        Wire("GET", "/v2/routes", [("limit", "2"), ("offset", "4"), ("route_type", "host")]),
        ROUTES,
        id="list_inbound_routes-keywords",
    ),
    pytest.param(
        lambda c: c.routes.list_inbound_routes(),
        Reply(200, ROUTES),
        Wire("GET", "/v2/routes"),
        ROUTES,
        id="list_inbound_routes-no-filters",
    ),
    pytest.param(
        lambda c: c.routes.update_primary_voice_route(NUMBER, README_REFERENCE),
        Reply(204),
        Wire("PATCH", PRIMARY, body=json.loads(README_REFERENCE), content_type=JSONAPI),
        None,
        id="update_primary_voice_route-readme",
    ),
    pytest.param(
        lambda c: c.routes.update_primary_voice_route(
            number_id=int(NUMBER), route_body={"data": {"type": "route", "id": 83834}}
        ),
        Reply(204),
        Wire("PATCH", PRIMARY, body={"data": {"type": "route", "id": 83834}}, content_type=JSONAPI),
        None,
        id="update_primary_voice_route-keywords-dict",
    ),
    pytest.param(
        lambda c: c.routes.update_failover_voice_route(NUMBER, README_REFERENCE),
        Reply(204),
        Wire("PATCH", FAILOVER, body=json.loads(README_REFERENCE), content_type=JSONAPI),
        None,
        id="update_failover_voice_route-readme",
    ),
    pytest.param(
        lambda c: c.routes.update_failover_voice_route(
            number_id=NUMBER, route_body={"data": {"type": "route", "id": "0"}}
        ),
        Reply(204),
        Wire("PATCH", FAILOVER, body={"data": {"type": "route", "id": "0"}}, content_type=JSONAPI),
        None,
        id="update_failover_voice_route-keywords-sip-reg",
    ),
    pytest.param(
        lambda c: c.routes.list_edge_strategies(),
        Reply(200, EDGES),
        Wire("GET", "/v2/routes/edge_strategies"),
        EDGES,
        id="list_edge_strategies",
    ),
]


test_each_method_sends_exact_request_and_returns_document = wire_test(CASES)


def test_create_an_inbound_route_is_sent_once_even_on_503(client, server):
    server.queue(Reply(503, {"errors": [{"detail": "maintenance"}]}))
    with pytest.raises(ServerError) as caught:
        client.routes.create_an_inbound_route(ROUTE_STRING)
    assert server.count == 1
    assert caught.value.outcome_unknown


def test_update_primary_voice_route_is_retried_on_503(client, server):
    server.queue(Reply(503), Reply(204))
    assert client.routes.update_primary_voice_route(NUMBER, README_REFERENCE) is None
    assert server.count == 2


def test_a_number_route_with_11_digits_is_sent_as_given(client, server):
    body = {
        "data": {"type": "route", "attributes": {"route_type": "number", "value": "12065551212"}}
    }
    server.queue(Reply(201, CREATED))
    client.routes.create_an_inbound_route(body)
    assert server.requests[0].json == body


def new_route(**attributes: Any) -> dict:
    return {"data": {"type": "route", "attributes": attributes}}


@pytest.mark.parametrize(
    "route_body",
    [
        "{not json",
        "[1, 2]",
        '"a string"',
        42,
        None,
        {"type": "route", "attributes": {"route_type": "host", "value": "a.example.com"}},
        {"data": {"type": "number", "attributes": {"route_type": "host", "value": "a.com"}}},
        {"data": {"type": "route"}},
        {"data": {"type": "route", "attributes": []}},
        new_route(route_type="sip-reg", value="x"),
        new_route(route_type="HOST", value="a.example.com"),
        new_route(value="a.example.com"),
        new_route(route_type="host", value=""),
        new_route(route_type="host", value="   "),
        new_route(route_type="host"),
        new_route(route_type="host", value=123),
        new_route(route_type="number", value="2065551212"),
        new_route(route_type="number", value="+12065551212"),
        new_route(route_type="number", value="1206555121x"),
    ],
)
def test_create_an_inbound_route_rejects_a_bad_body_before_sending(client, server, route_body):
    with pytest.raises(ValidationError):
        client.routes.create_an_inbound_route(route_body)
    assert server.count == 0


@pytest.mark.parametrize(
    "route_body",
    [
        {"data": {"type": "route"}},
        {"data": {"type": "route", "id": ""}},
        {"data": {"type": "route", "id": "abc"}},
        {"data": {"type": "route", "id": "1/2"}},
        {"data": {"type": "route", "id": "../0"}},
        {"data": {"type": "route", "id": True}},
        {"data": {"type": "route", "id": 1.5}},
        {"data": {"type": "number", "id": "83834"}},
        {"data": {"id": "83834"}},
        '{"data": {"type": "route", "id": "83834"',
    ],
)
def test_update_voice_routes_reject_a_bad_route_reference_before_sending(
    client, server, route_body
):
    with pytest.raises(ValidationError):
        client.routes.update_primary_voice_route(NUMBER, route_body)
    with pytest.raises(ValidationError):
        client.routes.update_failover_voice_route(NUMBER, route_body)
    assert server.count == 0
