"""e911s: every method puts the exact request on the wire and returns the decoded document."""

from __future__ import annotations

from typing import Optional

import pytest

from flowroutenumbersandmessaging.exceptions import BadRequestError, ServerError, ValidationError
from tests.support.server import Reply
from tests.support.wire import JSONAPI, Wire, wire_test

NUMBER = "12062011682"
E911_ID = "21845"
RECORD = {
    "data": {
        "type": "e911",
        "id": E911_ID,
        "attributes": {"label": "E911 Test", "last_name": "Wiley", "zip": "98101"},
        "links": {"self": f"https://api.flowroute.com/v2/e911s/{E911_ID}"},
    }
}
RECORDS = {"data": [RECORD["data"]], "links": {"self": "x"}}
DIDS = {"data": [{"type": "number", "id": NUMBER, "attributes": {"alias": None, "value": NUMBER}}]}
README_VALIDATE = {
    "label": "Test Address",
    "first_name": "Chris",
    "last_name": "Smith",
    "street_name": "3rd Ave",
    "street_number": "1182",
    "city": "Seattle",
    "state": "WA",
    "country": "CA",
    "zipcode": "98101",
}
README_CREATE = dict(README_VALIDATE, label="E911 Test", street_number="1218", country="US")


def wire_attributes(fields: dict) -> dict:
    return {("zip" if k == "zipcode" else k): v for k, v in fields.items()}


def e911_body(fields: dict, record_id: Optional[str] = None) -> dict:
    data: dict = {"type": "e911"}
    if record_id is not None:
        data["id"] = record_id
    data["attributes"] = wire_attributes(fields)
    return {"data": data}


SUITE = dict(README_CREATE, address_type="Suite", address_type_number="333")

CASES = [
    pytest.param(
        lambda c: c.e911s.list_e911s(2, None),
        Reply(200, RECORDS),
        Wire("GET", "/v2/e911s", [("limit", "2")]),
        RECORDS,
        id="list_e911s-readme",
    ),
    pytest.param(
        lambda c: c.e911s.list_e911s(
            limit=5, offset=10, state="WA", label="Office", street_name="Main", city="Seattle"
        ),
        Reply(200, RECORDS),
        Wire(
            "GET",
            "/v2/e911s",
            [
                ("limit", "5"),
                ("offset", "10"),
                ("state", "WA"),
                ("label", "Office"),
                ("street_name", "Main"),
                ("city", "Seattle"),
            ],
        ),
        RECORDS,
        id="list_e911s-keywords",
    ),
    pytest.param(
        lambda c: c.e911s.get_e911(E911_ID),
        Reply(200, RECORD),
        Wire("GET", f"/v2/e911s/{E911_ID}"),
        RECORD,
        id="get_e911-readme",
    ),
    pytest.param(
        lambda c: c.e911s.get_e911(e911_id=int(E911_ID)),
        Reply(200, RECORD),
        Wire("GET", f"/v2/e911s/{E911_ID}"),
        RECORD,
        id="get_e911-keyword-int",
    ),
    pytest.param(
        lambda c: c.e911s.validate_address(**README_VALIDATE),
        Reply(204),
        Wire("POST", "/v2/e911s/validate", body=e911_body(README_VALIDATE), content_type=JSONAPI),
        None,
        id="validate_address-readme-keywords",
    ),
    pytest.param(
        lambda c: c.e911s.validate_address(*SUITE.values()),
        Reply(204),
        Wire("POST", "/v2/e911s/validate", body=e911_body(SUITE), content_type=JSONAPI),
        None,
        id="validate_address-positional-with-address-type",
    ),
    pytest.param(
        lambda c: c.e911s.create_address(**README_CREATE),
        Reply(201, RECORD),
        Wire("POST", "/v2/e911s", body=e911_body(README_CREATE), content_type=JSONAPI),
        RECORD,
        id="create_address-readme-keywords",
    ),
    pytest.param(
        lambda c: c.e911s.create_address(*SUITE.values()),
        Reply(201, RECORD),
        Wire("POST", "/v2/e911s", body=e911_body(SUITE), content_type=JSONAPI),
        RECORD,
        id="create_address-positional-with-address-type",
    ),
    pytest.param(
        lambda c: c.e911s.update_address("21306", last_name="Wiley"),
        Reply(200, RECORD),
        Wire(
            "PATCH",
            "/v2/e911s/21306",
            body=e911_body({"last_name": "Wiley"}, "21306"),
            content_type=JSONAPI,
        ),
        RECORD,
        id="update_address-readme",
    ),
    pytest.param(
        lambda c: c.e911s.update_address(
            e911_id=21306, zipcode="98104", address_type="Apartment", address_type_number=12
        ),
        Reply(200, RECORD),
        Wire(
            "PATCH",
            "/v2/e911s/21306",
            body=e911_body(
                {"zipcode": "98104", "address_type": "Apartment", "address_type_number": "12"},
                "21306",
            ),
            content_type=JSONAPI,
        ),
        RECORD,
        id="update_address-keywords-zip-and-type",
    ),
    pytest.param(
        lambda c: c.e911s.update_address("21306", *SUITE.values()),
        Reply(200, RECORD),
        Wire("PATCH", "/v2/e911s/21306", body=e911_body(SUITE, "21306"), content_type=JSONAPI),
        RECORD,
        id="update_address-positional-every-field",
    ),
    pytest.param(
        lambda c: c.e911s.delete_address(E911_ID),
        Reply(204),
        Wire("DELETE", f"/v2/e911s/{E911_ID}"),
        None,
        id="delete_address-readme",
    ),
    pytest.param(
        lambda c: c.e911s.delete_address(e911_id=E911_ID),
        Reply(204),
        Wire("DELETE", f"/v2/e911s/{E911_ID}"),
        None,
        id="delete_address-keyword",
    ),
    pytest.param(
        lambda c: c.e911s.associate(E911_ID, NUMBER),
        Reply(204),
        Wire("PATCH", f"/v2/numbers/{NUMBER}/relationships/e911s/{E911_ID}"),
        None,
        id="associate-readme",
    ),
    pytest.param(
        lambda c: c.e911s.associate(number_id=int(NUMBER), e911_id=int(E911_ID)),
        Reply(204),
        Wire("PATCH", f"/v2/numbers/{NUMBER}/relationships/e911s/{E911_ID}"),
        None,
        id="associate-keywords",
    ),
    pytest.param(
        lambda c: c.e911s.list_dids_for_e911(E911_ID),
        Reply(200, DIDS),
        Wire("GET", f"/v2/e911s/{E911_ID}/relationships/numbers"),
        DIDS,
        id="list_dids_for_e911-readme",
    ),
    pytest.param(
        lambda c: c.e911s.list_dids_for_e911(e911_id=E911_ID, limit=10, offset=10),
        Reply(200, DIDS),
        Wire(
            "GET",
            f"/v2/e911s/{E911_ID}/relationships/numbers",
            [("limit", "10"), ("offset", "10")],
        ),
        DIDS,
        id="list_dids_for_e911-keywords-paged",
    ),
    pytest.param(
        lambda c: c.e911s.disconnect(12062011682),
        Reply(204),
        Wire("DELETE", f"/v2/numbers/{NUMBER}/relationships/e911s"),
        None,
        id="disconnect-readme-int",
    ),
    pytest.param(
        lambda c: c.e911s.disconnect(number_id=NUMBER),
        Reply(204),
        Wire("DELETE", f"/v2/numbers/{NUMBER}/relationships/e911s"),
        None,
        id="disconnect-keyword",
    ),
]


test_each_method_sends_exact_request_and_returns_document = wire_test(CASES)


def test_validate_address_is_retried_on_503_as_it_changes_nothing(client, server):
    server.queue(Reply(503), Reply(204))
    assert client.e911s.validate_address(**README_VALIDATE) is None
    assert server.count == 2


def test_create_address_is_sent_once_even_on_503(client, server):
    server.queue(Reply(503))
    with pytest.raises(ServerError) as caught:
        client.e911s.create_address(**README_CREATE)
    assert server.count == 1
    assert caught.value.outcome_unknown


def test_validate_address_geocode_failure_raises_bad_request_with_detail(client, server):
    detail = "Could not geocode this address. Please check the validity of your address."
    server.queue(Reply(400, {"errors": [{"detail": detail, "status": 400}]}))
    with pytest.raises(BadRequestError) as caught:
        client.e911s.validate_address(**README_VALIDATE)
    assert detail in str(caught.value)


def test_street_number_and_zip_given_as_ints_go_out_as_strings(client, server):
    client.e911s.create_address(**dict(README_CREATE, street_number=1218, zipcode=98101))
    attributes = server.requests[0].json["data"]["attributes"]
    assert attributes["street_number"] == "1218"
    assert attributes["zip"] == "98101"


def test_update_address_never_sends_fields_that_were_not_given(client, server):
    client.e911s.update_address(E911_ID, city="Tacoma")
    (request,) = server.requests  # one PATCH, no GET first
    assert request.json["data"]["attributes"] == {"city": "Tacoma"}
    assert b"null" not in request.body


@pytest.mark.parametrize(
    "changes",
    [
        {"address_type": "Suite"},
        {"address_type_number": "12"},
        {"label": None},
        {"label": ""},
        {"first_name": "   "},
        {"last_name": 7},
        {"street_number": True},
        {"city": ["Seattle"]},
        {"state": "Washington"},
        {"state": "W1"},
        {"state": ""},
        {"country": "USA"},
        {"country": "MX"},
        {"zipcode": None},
        {"zipcode": 98101.0},
    ],
)
def test_address_fields_are_checked_before_sending(client, server, changes):
    fields = dict(README_CREATE, **changes)
    with pytest.raises(ValidationError):
        client.e911s.validate_address(**fields)
    with pytest.raises(ValidationError):
        client.e911s.create_address(**fields)
    if not any(v is None for v in changes.values()):
        with pytest.raises(ValidationError):
            client.e911s.update_address(E911_ID, **changes)
    assert server.count == 0


def test_update_address_needs_at_least_one_field(client, server):
    with pytest.raises(ValidationError, match="at least one"):
        client.e911s.update_address(E911_ID)
    assert server.count == 0


@pytest.mark.parametrize("field", sorted(README_CREATE))
def test_update_address_sends_each_field_it_is_given_and_only_that(client, server, field):
    server.queue(Reply(200, RECORD))
    client.e911s.update_address(E911_ID, **{field: README_CREATE[field]})
    assert server.requests[0].json == e911_body({field: README_CREATE[field]}, E911_ID)
