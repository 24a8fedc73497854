"""cnams: every method puts the exact request on the wire and returns the decoded document."""

from __future__ import annotations

import pytest

from flowroutenumbersandmessaging.exceptions import ServerError, ValidationError
from tests.support.server import Reply
from tests.support.wire import Wire, wire_test

NUMBER = "12065550142"
CNAM_ID = "17604"
CNAM = {
    "data": {
        "type": "cnam",
        "id": CNAM_ID,
        "attributes": {"value": "TEST, MARIA", "is_approved": True, "rejection_reason": ""},
    }
}
CNAMS = {"data": [CNAM["data"]], "links": {"self": "https://api.flowroute.com/v2/cnams"}}
ASSOCIATED = {
    "data": {"type": "cnam", "id": 17604, "attributes": {"date_created": "Fri, 01 Jun 2018"}}
}
UNASSOCIATED = {"data": {"type": "cnam", "id": None, "attributes": {"date_created": "x"}}}

CASES = [
    pytest.param(
        lambda c: c.cnams.list_cnams(10, None),
        Reply(200, CNAMS),
        Wire("GET", "/v2/cnams", [("limit", "10")]),
        CNAMS,
        id="list_cnams-readme",
    ),
    pytest.param(
        lambda c: c.cnams.list_cnams(is_approved=True),
        Reply(200, CNAMS),
        Wire("GET", "/v2/cnams", [("is_approved", "true")]),
        CNAMS,
        id="list_cnams-readme-approved",
    ),
    pytest.param(
        lambda c: c.cnams.list_cnams(limit=5, offset=5, is_approved=False, value="MARIA"),
        Reply(200, CNAMS),
        Wire(
            "GET",
            "/v2/cnams",
            [("limit", "5"), ("offset", "5"), ("is_approved", "false"), ("value", "MARIA")],
        ),
        CNAMS,
        id="list_cnams-keywords",
    ),
    pytest.param(
        lambda c: c.cnams.get_cnam(CNAM_ID),
        Reply(200, CNAM),
        Wire("GET", f"/v2/cnams/{CNAM_ID}"),
        CNAM,
        id="get_cnam-readme",
    ),
    pytest.param(
        lambda c: c.cnams.get_cnam(cnam_id=int(CNAM_ID)),
        Reply(200, CNAM),
        Wire("GET", f"/v2/cnams/{CNAM_ID}"),
        CNAM,
        id="get_cnam-keyword-int",
    ),
    pytest.param(
        lambda c: c.cnams.create_cnam_record("FR H5K8"),
        Reply(201, CNAM),
        Wire("POST", "/v2/cnams", body={"value": "FR H5K8"}, content_type="application/json"),
        CNAM,
        id="create_cnam_record-readme",
    ),
    pytest.param(
        lambda c: c.cnams.create_cnam_record(cnam_value='O\'Neil & Co/"1"'),
        Reply(201, CNAM),
        Wire(
            "POST",
            "/v2/cnams",
            body={"value": 'O\'Neil & Co/"1"'},
            content_type="application/json",
        ),
        CNAM,
        id="create_cnam_record-keyword-specials",
    ),
    pytest.param(
        lambda c: c.cnams.associate_cnam(CNAM_ID, NUMBER),
        Reply(202, ASSOCIATED),
        Wire("PATCH", f"/v2/numbers/{NUMBER}/relationships/cnam/{CNAM_ID}"),
        ASSOCIATED,
        id="associate_cnam-readme",
    ),
    pytest.param(
        lambda c: c.cnams.associate_cnam(cnam_id=int(CNAM_ID), number_id=int(NUMBER)),
        Reply(202, ASSOCIATED),
        Wire("PATCH", f"/v2/numbers/{NUMBER}/relationships/cnam/{CNAM_ID}"),
        ASSOCIATED,
        id="associate_cnam-keywords",
    ),
    pytest.param(
        lambda c: c.cnams.unassociate_cnam(NUMBER),
        Reply(202, UNASSOCIATED),
        Wire("DELETE", f"/v2/numbers/{NUMBER}/relationships/cnam"),
        UNASSOCIATED,
        id="unassociate_cnam-readme",
    ),
    pytest.param(
        lambda c: c.cnams.unassociate_cnam(number_id=NUMBER),
        Reply(202, UNASSOCIATED),
        Wire("DELETE", f"/v2/numbers/{NUMBER}/relationships/cnam"),
        UNASSOCIATED,
        id="unassociate_cnam-keyword",
    ),
    pytest.param(
        lambda c: c.cnams.unassociate(NUMBER),
        Reply(202, UNASSOCIATED),
        Wire("DELETE", f"/v2/numbers/{NUMBER}/relationships/cnam"),
        UNASSOCIATED,
        id="unassociate-readme-spelling",
    ),
    pytest.param(
        lambda c: c.cnams.unassociate(number_id=int(NUMBER)),
        Reply(202, UNASSOCIATED),
        Wire("DELETE", f"/v2/numbers/{NUMBER}/relationships/cnam"),
        UNASSOCIATED,
        id="unassociate-keyword",
    ),
    pytest.param(
        lambda c: c.cnams.remove_cnam(CNAM_ID),
        Reply(204),
        Wire("DELETE", f"/v2/cnams/{CNAM_ID}"),
        None,
        id="remove_cnam-readme",
    ),
    pytest.param(
        lambda c: c.cnams.remove_cnam(cnam_id=CNAM_ID),
        Reply(204),
        Wire("DELETE", f"/v2/cnams/{CNAM_ID}"),
        None,
        id="remove_cnam-keyword",
    ),
]


test_each_method_sends_exact_request_and_returns_document = wire_test(CASES)


def test_unassociate_is_the_same_method_as_unassociate_cnam(client):
    assert client.cnams.unassociate == client.cnams.unassociate_cnam


def test_associate_cnam_makes_exactly_one_request_and_no_number_lookup(client, server):
    server.queue(Reply(202, ASSOCIATED))
    client.cnams.associate_cnam(CNAM_ID, NUMBER)
    assert [(r.method, r.path) for r in server.requests] == [
        ("PATCH", f"/v2/numbers/{NUMBER}/relationships/cnam/{CNAM_ID}")
    ]


def test_create_cnam_record_is_sent_once_even_on_503(client, server):
    server.queue(Reply(503))
    with pytest.raises(ServerError) as caught:
        client.cnams.create_cnam_record("FR TEST")
    assert server.count == 1
    assert caught.value.outcome_unknown


@pytest.mark.parametrize(
    "value",
    ["A", "ABCDEFGHIJKLMNO", "A-B_C.D,E@F+G&H", "12345 X", "'\"/ Z"],
)
def test_cnam_values_within_the_storage_rules_are_sent_as_given(client, server, value):
    client.cnams.create_cnam_record(value)
    assert server.requests[0].json == {"value": value}


@pytest.mark.parametrize(
    "value",
    [
        "",
        "ABCDEFGHIJKLMNOP",
        "2065550142",
        "-- ..",
        "BAD;NAME",
        "NAME!",
        "TAB\tNAME",
        "LINE\nBREAK",
        "\u00c9COLE",
        "CAF\u00e9",
        None,
        42,
        ["FR TEST"],
    ],
)
def test_create_cnam_record_rejects_values_breaking_the_rules(client, server, value):
    with pytest.raises(ValidationError):
        client.cnams.create_cnam_record(value)
    assert server.count == 0
