"""numbers: every method puts the exact request on the wire and returns the decoded document."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from flowroutenumbersandmessaging.exceptions import ValidationError
from tests.support.server import Reply
from tests.support.wire import JSONAPI, Wire, wire_test

NUMBER = "16502390214"
AREA_CODES = {"data": [{"type": "areacode", "id": "201"}], "links": {"self": "x"}}
EXCHANGES = {"data": [{"type": "exchange", "id": "347215"}]}
PURCHASABLE = {"data": [{"type": "number", "id": "16463439507", "attributes": {"state": "ny"}}]}
ONE_NUMBER = {
    "data": {"type": "number", "id": NUMBER, "attributes": {"value": NUMBER, "alias": None}},
    "included": [{"type": "route", "id": "0"}],
}
DLR_URL = "https://hooks.example.com/flowroute/dlr"
DLR_BODY = {"data": {"attributes": {"callback_url": DLR_URL}}}

CASES = [
    pytest.param(
        lambda c: c.numbers.list_available_area_codes(3, None, 3.25),
        Reply(200, AREA_CODES),
        Wire(
            "GET", "/v2/numbers/available/areacodes", [("limit", "3"), ("max_setup_cost", "3.25")]
        ),
        AREA_CODES,
        id="list_available_area_codes-readme",
    ),
    pytest.param(
        lambda c: c.numbers.list_available_area_codes(limit=3, offset=6, max_setup_cost=3.25),
        Reply(200, AREA_CODES),
        Wire(
            "GET",
            "/v2/numbers/available/areacodes",
            [("limit", "3"), ("offset", "6"), ("max_setup_cost", "3.25")],
        ),
        AREA_CODES,
        id="list_available_area_codes-keywords",
    ),
    pytest.param(
        lambda c: c.numbers.list_available_exchange_codes(3, None, None, 347),
        Reply(200, EXCHANGES),
        Wire("GET", "/v2/numbers/available/exchanges", [("limit", "3"), ("areacode", "347")]),
        EXCHANGES,
        id="list_available_exchange_codes-readme",
    ),
    pytest.param(
        lambda c: c.numbers.list_available_exchange_codes(
            limit=3, offset=None, max_setup_cost=1.5, areacode=347
        ),
        Reply(200, EXCHANGES),
        Wire(
            "GET",
            "/v2/numbers/available/exchanges",
            [("limit", "3"), ("max_setup_cost", "1.5"), ("areacode", "347")],
        ),
        EXCHANGES,
        id="list_available_exchange_codes-keywords",
    ),
    pytest.param(
        lambda c: c.numbers.search_for_purchasable_phone_numbers(646, 3, 7, 3, None, None, None),
        Reply(200, PURCHASABLE),
        Wire(
            "GET",
            "/v2/numbers/available",
            [("starts_with", "646"), ("contains", "3"), ("ends_with", "7"), ("limit", "3")],
        ),
        PURCHASABLE,
        id="search_for_purchasable_phone_numbers-readme",
    ),
    pytest.param(
        lambda c: c.numbers.search_for_purchasable_phone_numbers(
            starts_with=None,
            contains=None,
            ends_with=None,
            limit=2,
            offset=4,
            rate_center="seattle",
            state="wa",
        ),
        Reply(200, PURCHASABLE),
        Wire(
            "GET",
            "/v2/numbers/available",
            [("limit", "2"), ("offset", "4"), ("rate_center", "seattle"), ("state", "wa")],
        ),
        PURCHASABLE,
        id="search_for_purchasable_phone_numbers-keywords",
    ),
    pytest.param(
        lambda c: c.numbers.purchase_a_phone_number(NUMBER),
        Reply(201, ONE_NUMBER),
        Wire("POST", f"/v2/numbers/{NUMBER}"),
        ONE_NUMBER,
        id="purchase_a_phone_number-readme",
    ),
    pytest.param(
        lambda c: c.numbers.purchase_a_phone_number(purchasable_number=int(NUMBER)),
        Reply(201, ONE_NUMBER),
        Wire("POST", f"/v2/numbers/{NUMBER}"),
        ONE_NUMBER,
        id="purchase_a_phone_number-keyword-int",
    ),
    pytest.param(
        lambda c: c.numbers.list_account_phone_numbers(201, None, None, 3, None),
        Reply(200, PURCHASABLE),
        Wire("GET", "/v2/numbers", [("starts_with", "201"), ("limit", "3")]),
        PURCHASABLE,
        id="list_account_phone_numbers-readme",
    ),
    pytest.param(
        lambda c: c.numbers.list_account_phone_numbers(
            starts_with=None, ends_with=42, contains=55, limit=None, offset=10
        ),
        Reply(200, PURCHASABLE),
        Wire("GET", "/v2/numbers", [("ends_with", "42"), ("contains", "55"), ("offset", "10")]),
        PURCHASABLE,
        id="list_account_phone_numbers-keywords",
    ),
    pytest.param(
        lambda c: c.numbers.list_phone_number_details(NUMBER),
        Reply(200, ONE_NUMBER),
        Wire("GET", f"/v2/numbers/{NUMBER}"),
        ONE_NUMBER,
        id="list_phone_number_details-readme",
    ),
    pytest.param(
        lambda c: c.numbers.list_phone_number_details(number_id="+" + NUMBER),
        Reply(200, ONE_NUMBER),
        Wire("GET", f"/v2/numbers/{NUMBER}"),
        ONE_NUMBER,
        id="list_phone_number_details-keyword-plus",
    ),
    pytest.param(
        lambda c: c.numbers.release_a_did(NUMBER),
        Reply(204),
        Wire("DELETE", f"/v2/numbers/{NUMBER}"),
        None,
        id="release_a_did",
    ),
    pytest.param(
        lambda c: c.numbers.release_a_did(number_id=int(NUMBER)),
        Reply(204),
        Wire("DELETE", f"/v2/numbers/{NUMBER}"),
        None,
        id="release_a_did-keyword",
    ),
    pytest.param(
        lambda c: c.numbers.set_did_alias(NUMBER, "Support line"),
        Reply(200, ONE_NUMBER),
        Wire(
            "PATCH",
            f"/v2/numbers/{NUMBER}",
            body={"type": "number", "alias": "Support line"},
            content_type="application/json",
        ),
        ONE_NUMBER,
        id="set_did_alias",
    ),
    pytest.param(
        lambda c: c.numbers.set_did_alias(number_id=NUMBER, alias="Front desk"),
        Reply(200, ONE_NUMBER),
        Wire(
            "PATCH",
            f"/v2/numbers/{NUMBER}",
            body={"type": "number", "alias": "Front desk"},
            content_type="application/json",
        ),
        ONE_NUMBER,
        id="set_did_alias-keywords",
    ),
    pytest.param(
        lambda c: c.numbers.set_did_callback(NUMBER, DLR_URL),
        Reply(204),
        Wire(
            "POST",
            f"/v2/numbers/{NUMBER}/relationships/dlr_callback",
            body=DLR_BODY,
            content_type=JSONAPI,
        ),
        None,
        id="set_did_callback",
    ),
    pytest.param(
        lambda c: c.numbers.set_did_callback(number_id=NUMBER, url=DLR_URL),
        Reply(204),
        Wire(
            "POST",
            f"/v2/numbers/{NUMBER}/relationships/dlr_callback",
            body=DLR_BODY,
            content_type=JSONAPI,
        ),
        None,
        id="set_did_callback-keywords",
    ),
    pytest.param(
        lambda c: c.messages.set_did_level_dlr_callback(NUMBER, DLR_URL),
        Reply(204),
        Wire(
            "POST",
            f"/v2/numbers/{NUMBER}/relationships/dlr_callback",
            body=DLR_BODY,
            content_type=JSONAPI,
        ),
        None,
        id="messages.set_did_level_dlr_callback-same-wire",
    ),
]


test_each_method_sends_exact_request_and_returns_document = wire_test(CASES)


def test_set_did_callback_is_retried_like_any_set_state_write(client, server):
    server.queue(Reply(503), Reply(204))
    assert client.numbers.set_did_callback(NUMBER, DLR_URL) is None
    assert server.count == 2


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example.com/dlr",
        "hooks.example.com/dlr",
        "https://",
        "https://hooks.example.com/a b",
        "https://hooks.example.com/\r\nX: y",
        "http://[::1",
        "",
        None,
        42,
    ],
)
def test_set_did_callback_rejects_a_bad_url_before_sending(client, server, url):
    with pytest.raises(ValidationError):
        client.numbers.set_did_callback(NUMBER, url)
    with pytest.raises(ValidationError):
        client.messages.set_did_level_dlr_callback(NUMBER, url)
    assert server.count == 0


@pytest.mark.parametrize("alias", [None, 3, ["a"]])
def test_set_did_alias_rejects_a_non_string_alias(client, server, alias):
    with pytest.raises(ValidationError, match="alias"):
        client.numbers.set_did_alias(NUMBER, alias)
    assert server.count == 0


def test_an_endpoint_typed_none_returns_none_even_if_the_server_sends_a_body(client, server):
    server.queue(Reply(200, ONE_NUMBER))
    assert client.numbers.release_a_did(NUMBER) is None
    assert server.count == 1


@pytest.mark.parametrize(
    "call",
    [
        lambda c, digits: c.numbers.list_available_exchange_codes(areacode=digits),
        lambda c, digits: c.numbers.search_for_purchasable_phone_numbers(digits, digits, digits),
        lambda c, digits: c.numbers.list_account_phone_numbers(digits, digits, digits),
    ],
    ids=["exchanges-areacode", "search-filters", "account-filters"],
)
def test_a_digit_filter_goes_out_the_same_as_an_int_or_a_str(client, server, call):
    server.queue(Reply(200, EXCHANGES), Reply(200, EXCHANGES))

    call(client, 206)
    call(client, "206")

    as_int, as_str = (parse_qsl(urlsplit(request.target).query) for request in server.requests)
    assert as_int == as_str
    assert as_int and all(value == "206" for _, value in as_int)


@pytest.mark.parametrize("bad", [True, -1, 2.5, "", "12a", "+1206", "١٢٣", "1" * 12, [206]])
@pytest.mark.parametrize(
    "call",
    [
        lambda c, digits: c.numbers.list_available_exchange_codes(areacode=digits),
        lambda c, digits: c.numbers.search_for_purchasable_phone_numbers(contains=digits),
        lambda c, digits: c.numbers.list_account_phone_numbers(ends_with=digits),
    ],
    ids=["exchanges-areacode", "search-filters", "account-filters"],
)
def test_a_digit_filter_that_is_not_digits_is_refused_before_sending(client, server, call, bad):
    with pytest.raises(ValidationError, match="digits"):
        call(client, bad)
    assert server.requests == []
