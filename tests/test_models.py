"""Typed models built from the API's documents, as Flowroute documents them."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowroutenumbersandmessaging._cdr_columns import CDR_COLUMNS
from flowroutenumbersandmessaging.exceptions import InvalidResponseError
from flowroutenumbersandmessaging.models import (
    AreaCode,
    CDRExport,
    CDRRow,
    CNAMRecord,
    DeliveryReceipt,
    E911Address,
    EdgeStrategy,
    Exchange,
    Media,
    Message,
    PhoneNumber,
    Portability,
    Route,
    parse_list,
)
from tests.support.cdr_sample import SAMPLE_CSV

UTC = timezone.utc


def doc(text: str) -> dict:
    """An example document, pasted verbatim as JSON."""
    return json.loads(text)


# --- numbers -------------------------------------------------------------------------------

AREA_CODES = doc("""{"data": [
  {"type": "areacode", "id": "206", "links": {"related": "https://api.flowroute.com/v2/numbers/available/exchanges?areacode=206"}},
  {"type": "areacode", "id": "208", "links": {"related": "https://api.flowroute.com/v2/numbers/available/exchanges?areacode=208"}}],
 "links": {"self": "https://api.flowroute.com/v2/numbers/available/areacodes?max_setup_cost=3.25&limit=2&offset=0",
           "next": "https://api.flowroute.com/v2/numbers/available/areacodes?max_setup_cost=3.25&limit=2&offset=2"}}""")

EXCHANGES = doc("""{"data": [
  {"type": "exchange", "id": "425318", "links": {"related": "https://api.flowroute.com/v2/numbers/available?starts_with=1425318"}},
  {"type": "exchange", "id": "425341", "links": {"related": "https://api.flowroute.com/v2/numbers/available?starts_with=1425341"}}],
 "links": {"self": "https://api.flowroute.com/v2/numbers/available/exchanges?areacode=425&limit=2&offset=0"}}""")

PURCHASABLE = doc("""{"data": [{"type": "number", "id": "14253550117",
   "attributes": {"value": "14253550117", "rate_center": "bellevue", "state": "wa",
                  "number_type": "standard", "monthly_cost": 1.25, "setup_cost": 1},
   "links": {"related": "https://api.flowroute.com/v2/numbers/14253550117"}}],
 "links": {"self": "https://api.flowroute.com/v2/numbers/available?contains=55&starts_with=1425&limit=1&offset=0"}}""")

ACCOUNT_NUMBERS = doc("""{"data": [
  {"type": "number", "id": "12065550142", "links": {"self": "https://api.flowroute.com/v2/numbers/12065550142"},
   "attributes": {"value": "12065550142", "alias": null, "rate_center": "seattle", "state": "wa",
                  "number_type": "standard", "cnam_lookups_enabled": true}},
  {"type": "number", "id": "12065550188", "links": {"self": "https://api.flowroute.com/v2/numbers/12065550188"},
   "attributes": {"value": "12065550188", "alias": "Front desk", "rate_center": "seattle", "state": "wa",
                  "number_type": "standard", "cnam_lookups_enabled": false}}],
 "links": {"self": "https://api.flowroute.com/v2/numbers?limit=2&offset=0",
           "next": "https://api.flowroute.com/v2/numbers?limit=2&offset=2"}}""")  # noqa: E501

NUMBER_DETAILS = doc("""{"data": {"type": "number", "id": "14253550117",
   "attributes": {"value": "14253550117", "alias": null, "rate_center": "bellevue", "state": "wa",
                  "number_type": "standard", "cnam_lookups_enabled": true},
   "relationships": {"cnam_preset": {"data": null}, "e911_address": {"data": null},
                     "failover_route": {"data": null},
                     "primary_route": {"data": {"type": "route", "id": "0"}}},
   "links": {"self": "https://api.flowroute.com/v2/numbers/14253550117"}},
 "included": [{"type": "route", "id": "0",
   "attributes": {"route_type": "sip-reg", "alias": "sip-reg", "value": null},
   "links": {"self": "https://api.flowroute.com/v2/routes/0"}}],
 "links": {"self": "https://api.flowroute.com/v2/numbers/14253550117"}}""")

E911_NUMBERS = doc("""{"data": [{"type": "number", "id": "682705", "attributes": {"alias": null, "value": "12065014377"},
           "links": {"self": "https://api.flowroute.com/v2/numbers/12065014377"}}],
 "links": {"self": "https://api.flowroute.com/v2/e911s/21845/relationships/numbers?limit=10&offset=0"}}""")  # noqa: E501


def test_area_codes_and_exchanges_parse_ids_and_related_links():
    assert [a.id for a in parse_list(AreaCode, AREA_CODES)] == ["206", "208"]
    first = parse_list(AreaCode, AREA_CODES)[0]
    assert first.related_url == (
        "https://api.flowroute.com/v2/numbers/available/exchanges?areacode=206"
    )
    exchanges = parse_list(Exchange, EXCHANGES)
    assert [e.id for e in exchanges] == ["425318", "425341"]
    assert exchanges[1].related_url.endswith("starts_with=1425341")


def test_purchasable_number_costs_are_exact_decimals():
    (number,) = parse_list(PhoneNumber, PURCHASABLE)
    assert number.id == number.value == "14253550117"
    assert number.monthly_cost == Decimal("1.25")
    assert str(number.monthly_cost) == "1.25"
    assert number.setup_cost == Decimal("1")
    assert (number.rate_center, number.state, number.number_type) == (
        "bellevue",
        "wa",
        "standard",
    )
    assert number.alias is None and number.cnam_lookups_enabled is None


def test_account_numbers_keep_alias_and_cnam_lookup_flag():
    first, second = parse_list(PhoneNumber, ACCOUNT_NUMBERS)
    assert (first.alias, first.cnam_lookups_enabled) == (None, True)
    assert (second.alias, second.cnam_lookups_enabled) == ("Front desk", False)
    assert first.monthly_cost is None


def test_number_details_take_ids_from_relationships():
    number = PhoneNumber.from_document(NUMBER_DETAILS)
    assert number.primary_route_id == "0"
    assert number.failover_route_id is None
    assert number.e911_id is None
    assert number.cnam_id is None
    assert number.raw is NUMBER_DETAILS["data"]


def test_number_relationships_when_everything_is_set():
    details = json.loads(json.dumps(NUMBER_DETAILS))
    details["data"]["relationships"] = {
        "primary_route": {"data": {"type": "route", "id": "83834"}},
        "failover_route": {"data": {"type": "route", "id": 0}},
        "e911_address": {"data": {"type": "e911", "id": "21845"}},
        "cnam_preset": {"data": {"type": "cnam", "id": 22671}},
    }
    number = PhoneNumber.from_document(details)
    assert (number.primary_route_id, number.failover_route_id) == ("83834", "0")
    assert (number.e911_id, number.cnam_id) == ("21845", "22671")


def test_number_relationships_are_read_under_their_alternate_names_too():
    number = PhoneNumber.from_json(
        {
            "type": "number",
            "id": "12065550142",
            "relationships": {
                "e911_address": {"data": None},
                "e911": {"data": {"type": "e911", "id": 21845}},
                "cnam": {"data": {"type": "cnam", "id": "22671"}},
            },
        }
    )
    assert (number.e911_id, number.cnam_id) == ("21845", "22671")


def test_number_under_e911_address_uses_value_not_id_as_the_phone_number():
    (number,) = parse_list(PhoneNumber, E911_NUMBERS)
    assert number.value == "12065014377"
    assert number.id == "682705"


# --- routes --------------------------------------------------------------------------------

CREATED_ROUTE = doc("""{"data": {"type": "route", "id": "104233",
   "attributes": {"route_type": "host", "value": "pbx.example.com:5060", "alias": "office-pbx"},
   "links": {"self": "https://api.flowroute.com/routes/104233"}},
 "links": {"self": "https://api.flowroute.com/routes/104233"}}""")

ROUTES = doc("""{"data": [
  {"type": "route", "id": "0", "attributes": {"route_type": "sip-reg", "alias": "sip-reg", "value": null},
   "links": {"self": "https://api.flowroute.com/v2/routes/0"}},
  {"type": "route", "id": "83834", "attributes": {"route_type": "number", "alias": "pstn-fallback", "value": "12065550199"},
   "links": {"self": "https://api.flowroute.com/v2/routes/83834"}}],
 "links": {"self": "https://api.flowroute.com/v2/routes?limit=2&offset=0",
           "next": "https://api.flowroute.com/v2/routes?limit=2&offset=2"}}""")  # noqa: E501

EDGE_STRATEGIES = doc("""{"data": [{"type": "edge_strategy", "id": 4,
   "attributes": {"name": "US-East-VA", "naptr": "us-east-va.sip.flowroute.com",
                  "description": "prefer Virginia edge, fall back elsewhere",
                  "firewall_rules": "34.226.36.32/28"}}]}""")


def test_created_route_parses_from_its_document():
    route = Route.from_document(CREATED_ROUTE)
    assert route == Route(
        id="104233", route_type="host", value="pbx.example.com:5060", alias="office-pbx"
    )
    assert route.edge_strategy_id is None


def test_route_list_keeps_null_value_for_sip_reg():
    sip_reg, fallback = parse_list(Route, ROUTES)
    assert (sip_reg.id, sip_reg.route_type, sip_reg.value) == ("0", "sip-reg", None)
    assert (fallback.id, fallback.value, fallback.alias) == (
        "83834",
        "12065550199",
        "pstn-fallback",
    )


def test_integer_ids_become_strings_for_edge_strategies_and_routes():
    (edge,) = parse_list(EdgeStrategy, EDGE_STRATEGIES)
    assert edge.id == "4"
    assert edge.naptr == "us-east-va.sip.flowroute.com"
    assert edge.firewall_rules == "34.226.36.32/28"
    route = Route.from_json(
        {"type": "route", "id": 98396, "attributes": {"edge_strategy_id": 4, "value": "x"}}
    )
    assert (route.id, route.edge_strategy_id) == ("98396", "4")


def test_route_in_a_number_document_included_list_parses():
    (route_object,) = NUMBER_DETAILS["included"]
    assert Route.from_json(route_object).alias == "sip-reg"


# --- messages ------------------------------------------------------------------------------

SEND_ANSWER = doc("""{"data": {"type": "message", "id": "mdr2-5f1c0a7e9b2d11eaa1b2c3d4e5f60718",
          "links": {"self": "https://api.flowroute.com/v2.1/messages/mdr2-5f1c0a7e9b2d11eaa1b2c3d4e5f60718"}}}""")

MESSAGES = doc("""{"data": [{"type": "message", "id": "mdr2-5f1c0a7e9b2d11eaa1b2c3d4e5f60718",
   "attributes": {"from": "12065550142", "to": "12065550777", "body": "Your code is 4411",
     "direction": "outbound", "is_mms": false, "message_type": "longcode", "message_encoding": 0,
     "status": "delivered", "timestamp": "2024-05-01T17:03:11.52Z",
     "amount_nanodollars": 4000000, "amount_display": "$0.0040",
     "delivery_receipts": [
       {"level": 1, "status": "smsc submit", "status_code": null,
        "status_code_description": "Message has been sent", "timestamp": "2024-05-01T17:03:12.00Z"},
       {"level": 2, "status": "delivered", "status_code": 1000,
        "status_code_description": "Message delivered to handset", "timestamp": "2024-05-01T17:03:15.00Z"}]}}],
 "links": {"next": "https://api.flowroute.com/v2.1/messages?limit=1&start_date=2024-05-01T00%3A00%3A00%2B00%3A00&end_date=2024-05-02T00%3A00%3A00%2B00%3A00&offset=1"}}""")  # noqa: E501

INBOUND_SMS = doc("""{"data": {"type": "message", "id": "mdr2-af84b158ee2b11e8b507c61432586dc9",
  "attributes": {"from": "12065550777", "to": "12065550142", "body": "Hello from my phone",
    "direction": "inbound", "is_mms": false, "message_type": "longcode", "message_encoding": 0,
    "status": "delivered", "timestamp": "2024-05-07T18:22:41.37Z",
    "amount_nanodollars": "4000000", "amount_display": "$0.0040",
    "delivery_receipts": [], "message_callback_url": "https://hooks.example.com/flowroute/sms"}}}""")

INBOUND_MMS = doc("""{"data": {"type": "message", "id": "mdr2-0c55e1d2f3a411ee9a1b0242ac120002",
  "attributes": {"from": "12065550777", "to": "12065550142", "body": null, "direction": "inbound",
    "is_mms": true, "message_type": "longcode", "message_encoding": 0, "status": "",
    "timestamp": "2024-05-07T18:25:02.00Z", "amount_nanodollars": 19500000, "amount_display": "$0.0195",
    "delivery_receipts": []},
  "relationships": {"media": {"data": [{"type": "media", "id": "9d7e1c2a-1"}]}}},
 "included": [{"type": "media", "id": "9d7e1c2a-1",
   "attributes": {"file_name": "image000000.png", "file_size": 14832, "mime_type": "image/png",
                  "url": "https://s3.us-west-2.amazonaws.com/flowroute-messaging-media/abc.png?X-Amz-Signature=f00"},
   "links": {"self": "https://api.flowroute.com/v2.2/media/9d7e1c2a-1"}}]}""")  # noqa: E501

DLR = doc("""{"data": {"type": "delivery_receipt", "id": "mdr2-5f1c0a7e9b2d11eaa1b2c3d4e5f60718",
  "attributes": {"body": "Your code is 4411", "level": 2, "status": "delivered",
                 "status_code": "1000", "status_code_description": "Message delivered to handset",
                 "timestamp": "2024-05-07T17:03:15Z"},
  "links": {"related": "https://api.flowroute.com/v2.1/messages/mdr2-5f1c0a7e9b2d11eaa1b2c3d4e5f60718"}}}""")

# From Flowroute's v3 README, its look_up_a_set_of_messages example.
V3_OUTBOUND = doc("""{
  "attributes": {"body": "test sms on v2", "status": "message buffered", "direction": "outbound",
    "amount_nanodollars": 4000000, "to": "12061232634", "message_encoding": 0,
    "timestamp": "2017-12-21T16:44:34.93Z",
    "delivery_receipts": [
      {"status": "message buffered", "status_code": 1003,
       "status_code_description": "Message accepted by Carrier",
       "timestamp": "2017-12-21T16:44:35.00Z", "level": 2},
      {"status": "smsc submit", "status_code": null,
       "status_code_description": "Message has been sent",
       "timestamp": "2017-12-21T16:44:35.00Z", "level": 1}],
    "amount_display": "$0.0040", "from": "12012673227", "is_mms": false,
    "message_type": "longcode"},
  "type": "message", "id": "mdr2-39cadeace66e11e7aff806cd7f24ba2d"}""")


def test_send_answer_has_only_the_message_id():
    message = Message.from_document(SEND_ANSWER)
    assert message.id == "mdr2-5f1c0a7e9b2d11eaa1b2c3d4e5f60718"
    assert message.from_ is None and message.timestamp is None
    assert message.delivery_receipts == () and message.media == ()


def test_message_record_parses_fields_amount_and_receipts():
    (message,) = parse_list(Message, MESSAGES)
    assert (message.from_, message.to) == ("12065550142", "12065550777")
    assert message.body == "Your code is 4411"
    assert (message.direction, message.is_mms, message.message_type) == (
        "outbound",
        False,
        "longcode",
    )
    assert message.message_encoding == 0
    assert message.timestamp == datetime(2024, 5, 1, 17, 3, 11, 520000, tzinfo=UTC)
    assert message.amount_nanodollars == 4_000_000
    assert message.amount_display == "$0.0040"
    first, second = message.delivery_receipts
    assert (first.level, first.status, first.status_code) == (1, "smsc submit", None)
    assert first.timestamp == datetime(2024, 5, 1, 17, 3, 12, tzinfo=UTC)
    assert (second.level, second.status_code) == (2, 1000)
    assert second.status_code_description == "Message delivered to handset"


def test_v3_readme_message_with_carrier_receipt_1003():
    message = Message.from_json(V3_OUTBOUND)
    assert message.status == "message buffered"
    assert message.timestamp == datetime(2017, 12, 21, 16, 44, 34, 930000, tzinfo=UTC)
    assert [r.status_code for r in message.delivery_receipts] == [1003, None]


def test_inbound_sms_accepts_amount_as_string_and_keeps_callback_url():
    message = Message.from_document(INBOUND_SMS)
    assert message.amount_nanodollars == 4_000_000
    assert isinstance(message.amount_nanodollars, int)
    assert message.message_callback_url == "https://hooks.example.com/flowroute/sms"
    assert message.delivery_receipts == ()


def test_mms_media_is_resolved_from_included():
    message = Message.from_document(INBOUND_MMS)
    assert message.is_mms is True
    assert message.body is None and message.status == ""
    (media,) = message.media
    assert media.id == "9d7e1c2a-1"
    assert (media.file_name, media.file_size, media.mime_type) == (
        "image000000.png",
        14832,
        "image/png",
    )
    assert media.url.startswith("https://s3.us-west-2.amazonaws.com/flowroute-messaging-media/")
    assert "X-Amz-Signature" not in repr(message)


def test_mms_media_listed_in_a_list_document_is_resolved_too():
    listing = {
        "data": [INBOUND_MMS["data"], MESSAGES["data"][0]],
        "included": INBOUND_MMS["included"],
    }
    mms, sms = parse_list(Message, listing)
    assert [m.file_name for m in mms.media] == ["image000000.png"]
    assert sms.media == ()


def test_media_named_but_not_included_still_counts():
    lonely = {"data": INBOUND_MMS["data"]}
    (media,) = Message.from_document(lonely).media
    assert media == Media(id="9d7e1c2a-1")


def test_media_is_matched_in_included_by_type_and_id():
    namesake = {"type": "route", "id": "9d7e1c2a-1", "attributes": {"file_name": "not-media"}}
    mixed = {"data": INBOUND_MMS["data"], "included": [namesake, *INBOUND_MMS["included"]]}
    (media,) = Message.from_document(mixed).media
    assert media.file_name == "image000000.png"


def test_dlr_webhook_parses_string_status_code_and_message_id():
    receipt = DeliveryReceipt.from_document(DLR)
    assert receipt.status_code == 1000
    assert receipt.message_id == "mdr2-5f1c0a7e9b2d11eaa1b2c3d4e5f60718"
    assert receipt.body == "Your code is 4411"
    assert receipt.timestamp == datetime(2024, 5, 7, 17, 3, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [(1003, 1003), ("1003", 1003), (None, None), ("", None), ("N/A", None), (True, None)],
)
def test_receipt_status_code_is_int_or_none(wire, expected):
    receipt = DeliveryReceipt.from_json({"level": 2, "status_code": wire})
    assert receipt.status_code == expected
    assert receipt.raw["status_code"] == wire


def test_legacy_flat_inbound_message_parses():
    legacy = {"to": "12065550142", "from": "12065550777", "body": "hi", "id": "mdr1-abc"}
    message = Message.from_json(legacy)
    assert (message.id, message.from_, message.to, message.body) == (
        "mdr1-abc",
        "12065550777",
        "12065550142",
        "hi",
    )


# --- E911 ----------------------------------------------------------------------------------

E911_ADDRESSES = doc("""{"data": [{"type": "e911", "id": "21845",
   "attributes": {"label": "HQ", "first_name": "Ana", "last_name": "Ruiz", "street_number": "1218",
     "street_name": "3rd Ave", "address_type": "Suite", "address_type_number": "400",
     "city": "Seattle", "state": "WA", "country": "US", "zip": "98101"},
   "links": {"self": "https://api.flowroute.com/v2/e911s/21845"}}],
 "links": {"self": "https://api.flowroute.com/v2/e911s?limit=1&offset=0",
           "next": "https://api.flowroute.com/v2/e911s?limit=1&offset=1"}}""")


def test_e911_list_parses_every_address_field():
    (address,) = parse_list(E911Address, E911_ADDRESSES)
    assert address == E911Address(
        id="21845",
        label="HQ",
        first_name="Ana",
        last_name="Ruiz",
        street_number="1218",
        street_name="3rd Ave",
        address_type="Suite",
        address_type_number="400",
        city="Seattle",
        state="WA",
        country="US",
        zip="98101",
    )


def test_e911_without_address_type_keys_has_none_and_numeric_zip_becomes_text():
    attributes = dict(E911_ADDRESSES["data"][0]["attributes"])
    del attributes["address_type"], attributes["address_type_number"]
    attributes["zip"] = 98101
    address = E911Address.from_document(
        {"data": {"type": "e911", "id": 21845, "attributes": attributes}}
    )
    assert (address.address_type, address.address_type_number) == (None, None)
    assert (address.id, address.zip) == ("21845", "98101")


# --- CNAM ----------------------------------------------------------------------------------

CNAMS = doc("""{"data": [{"type": "cnam", "id": "22671",
   "attributes": {"value": "ACME WIDGETS", "is_approved": true, "rejection_reason": null,
     "creation_datetime": "2024-03-02 19:08:39.062539+00:00", "approval_datetime": "2024-03-04 16:20:32.939166+00:00"},
   "links": {"self": "https://api.flowroute.com/v2/cnams/22671"}}],
 "links": {"self": "https://api.flowroute.com/v2/cnams?limit=2&offset=0"}}""")  # noqa: E501

# Flowroute's v3 README: a record approved before its dates were tracked, and a fresh one.
V3_CNAMS = {
    "data": [
        {
            "attributes": {
                "approval_datetime": None,
                "creation_datetime": None,
                "is_approved": True,
                "rejection_reason": "",
                "value": "TEST, MARIA",
            },
            "id": "17604",
            "links": {"self": "https://api.flowroute.com/v2/cnams/17604"},
            "type": "cnam",
        },
        {
            "attributes": {
                "approval_datetime": None,
                "creation_datetime": "2018-06-01 00:09:52.513092+00:00",
                "is_approved": False,
                "rejection_reason": None,
                "value": "FR H5K8",
            },
            "id": "23454",
            "links": {"self": "https://api.flowroute.com/v2/cnams/23454"},
            "type": "cnam",
        },
    ]
}


def test_cnam_list_parses_space_separated_timestamps():
    (record,) = parse_list(CNAMRecord, CNAMS)
    assert (record.id, record.value, record.is_approved) == ("22671", "ACME WIDGETS", True)
    assert record.rejection_reason is None
    assert record.creation_datetime == datetime(2024, 3, 2, 19, 8, 39, 62539, tzinfo=UTC)
    assert record.approval_datetime == datetime(2024, 3, 4, 16, 20, 32, 939166, tzinfo=UTC)


def test_v3_cnams_with_null_dates_and_empty_rejection_reason():
    old, fresh = parse_list(CNAMRecord, V3_CNAMS)
    assert old.creation_datetime is None and old.rejection_reason == ""
    assert fresh.is_approved is False
    assert fresh.creation_datetime == datetime(2018, 6, 1, 0, 9, 52, 513092, tzinfo=UTC)


def test_cnam_association_has_int_id_and_rfc1123_date():
    association = CNAMRecord.from_document(
        {
            "data": {
                "type": "cnam",
                "id": 22671,
                "attributes": {"date_created": "Tue, 07 May 2024 18:02:11 GMT"},
            }
        }
    )
    assert association.id == "22671"
    assert association.date_created == datetime(2024, 5, 7, 18, 2, 11, tzinfo=UTC)
    unassociation = CNAMRecord.from_document(
        {
            "data": {
                "attributes": {"date_created": "Fri, 01 Jun 2018 00:17:52 GMT"},
                "id": None,
                "type": "cnam",
            }
        }
    )
    assert unassociation.id is None


# --- CDR exports ---------------------------------------------------------------------------

SIGNED_URL = (
    "https://s3.us-west-2.amazonaws.com/flowroute-cdrexports/40375/2024/5/7/ab12.gz"
    "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIACANARY&X-Amz-Date=20240507T181030Z"
    "&X-Amz-Expires=259200&X-Amz-SignedHeaders=host&X-Amz-Security-Token=canaryToken"
    "&X-Amz-Signature=canarySignature0123"
)

CREATED_EXPORT = doc("""{"data": {"type": "cdrexport", "id": "51230",
   "links": {"self": "https://api.flowroute.com/v2/cdrs/exports/51230"},
   "attributes": {"status": "processing", "callback_url": "https://hooks.example.com/flowroute/cdr",
     "download_url": null, "requested_at": "2024-05-07T18:10:00+00:00", "created_at": "2024-05-07T18:10:01+00:00",
     "expires_at": null, "total_cost": null, "call_subtotal": null, "connect_fees": null,
     "cnamlookup_fees": null, "usf_fees": null, "ccrf": null, "billed_minutes": null,
     "filter_parameters": {"number_aliases": ["Office 221"], "start_call_start_time": "2024-04-01T00:00:00+00:00",
                           "start_call_end_time": "2024-05-01T00:00:00+00:00"}}}}""")  # noqa: E501

EXPORTS = {
    "data": [
        {
            "data": {
                "type": "cdrexport",
                "id": 51230,
                "attributes": {
                    "status": "completed",
                    "download_url": SIGNED_URL,
                    "requested_at": "2024-05-07T18:10:00+00:00",
                    "created_at": "2024-05-07T18:10:30+00:00",
                    "expires_at": "2024-05-10T18:10:30+00:00",
                    "num_calls": 301,
                    "billed_minutes": 410,
                    "total_cost": "34.321300",
                    "call_subtotal": "27.9",
                    "connect_fees": "0.0",
                    "cnamlookup_fees": "0.39",
                    "usf_fees": "5.93190",
                    "ccrf": "0.1",
                    "callback_url": None,
                    "filter_parameters": {
                        "number_aliases": ["Office 221"],
                        "start_call_start_time": "2024-04-01T00:00:00+00:00",
                        "start_call_end_time": "2024-05-01T00:00:00+00:00",
                    },
                },
            }
        }
    ],
    "links": {
        "self": "http://cdr-api/cdrs/exports?offset=0&limit=1",
        "next": "http://cdr-api/cdrs/exports?offset=1&limit=1",
    },
}

# Flowroute's v3 README create answer: filters echoed at attribute level, created_at at +03:00.
V3_CREATE = {
    "data": {
        "type": "cdrexport",
        "id": "38647",
        "links": {"self": "https://api.flowroute.com/v2/cdrs/exports/38647"},
        "attributes": {
            "number_aliases": ["Office 221", "Office 888"],
            "start_call_start_time": "2019-01-01 00:00:00",
            "start_call_end_time": "2019-02-01 00:00:00",
            "callback_url": "https://myserver.com/cdrs",
            "status": "processing",
            "download_url": None,
            "requested_at": "2019-03-18T16:43:00+00:00",
            "created_at": "2019-03-18T16:43:01+03:00",
            "expires_at": None,
            "total_cost": None,
            "billed_minutes": None,
            "filter_parameters": {"number_aliases": ["Office 221", "Office 888"]},
        },
    }
}


def test_created_cdr_export_is_processing_with_null_money():
    export = CDRExport.from_document(CREATED_EXPORT)
    assert (export.id, export.status, export.download_url) == ("51230", "processing", None)
    assert export.requested_at == datetime(2024, 5, 7, 18, 10, tzinfo=UTC)
    assert export.total_cost is None and export.num_calls is None and export.expires_at is None
    assert export.callback_url == "https://hooks.example.com/flowroute/cdr"
    assert export.filter_parameters["number_aliases"] == ["Office 221"]


def test_cdr_export_list_items_are_unwrapped_and_money_is_exact():
    (export,) = parse_list(CDRExport, EXPORTS)
    assert export.id == "51230"
    assert export.status == "completed"
    assert export.download_url == SIGNED_URL
    assert (export.num_calls, export.billed_minutes) == (301, 410)
    assert export.total_cost == Decimal("34.321300")
    assert str(export.total_cost) == "34.321300"
    assert export.usf_fees == Decimal("5.93190")
    assert (export.connect_fees, export.ccrf) == (Decimal("0.0"), Decimal("0.1"))
    assert export.expires_at == datetime(2024, 5, 10, 18, 10, 30, tzinfo=UTC)
    assert export.raw is EXPORTS["data"][0]["data"]


def test_cdr_export_item_unwraps_from_json_alone():
    assert CDRExport.from_json(EXPORTS["data"][0]) == parse_list(CDRExport, EXPORTS)[0]


def test_cdr_export_repr_and_str_hide_the_download_url():
    (export,) = parse_list(CDRExport, EXPORTS)
    for text in (repr(export), str(export), repr([export])):
        assert "canarySignature0123" not in text
        assert "canaryToken" not in text
        assert "s3.us-west-2" not in text
    assert "51230" in repr(export)


def test_v3_cdr_create_converts_offset_to_utc_and_tolerates_extra_attributes():
    export = CDRExport.from_document(V3_CREATE)
    assert export.created_at == datetime(2019, 3, 18, 13, 43, 1, tzinfo=UTC)
    assert export.created_at.tzinfo is UTC
    assert export.raw["attributes"]["start_call_start_time"] == "2019-01-01 00:00:00"


def test_cdr_export_status_document_parses():
    status = {
        "data": dict(EXPORTS["data"][0]["data"]),
        "links": {"self": "http://cdr-api/cdrs/exports/51230"},
    }
    assert CDRExport.from_document(status).num_calls == 301


def test_models_are_frozen_and_hashable_with_equality_ignoring_raw():
    first = CDRExport.from_document(CREATED_EXPORT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.status = "completed"  # type: ignore[misc]
    copy = CDRExport.from_document(json.loads(json.dumps(CREATED_EXPORT)))
    assert first == copy and hash(first) == hash(copy)
    assert Route(id="1", raw={"a": 1}) == Route(id="1", raw={"b": 2})
    assert len({Message.from_document(INBOUND_MMS), Message.from_document(INBOUND_MMS)}) == 1


# --- portability ---------------------------------------------------------------------------


def test_portability_lists_are_tuples_of_e164_numbers():
    answer = Portability.from_document(
        {
            "data": {
                "portable": ["+18005550199", "+14255550111"],
                "nonportable": ["+12125550100"],
                "hypernetwork_enabled": ["+14255550111"],
            }
        }
    )
    assert answer.portable == ("+18005550199", "+14255550111")
    assert answer.nonportable == ("+12125550100",)
    assert answer.hypernetwork_enabled == ("+14255550111",)
    assert Portability.from_json({}).portable == ()


# --- CDR rows ------------------------------------------------------------------------------


def test_cdr_row_fields_are_the_export_columns_in_order():
    names = tuple(f.name for f in dataclasses.fields(CDRRow) if f.name != "raw")
    assert names == CDR_COLUMNS


def test_cdr_rows_parse_the_sample_export_with_typed_columns():
    outbound, inbound, _ = [
        CDRRow.from_json(row) for row in csv.DictReader(io.StringIO(SAMPLE_CSV.decode()))
    ]
    assert outbound.direction == "Outbound"
    assert outbound.start_time == datetime(2019, 6, 25, 18, 18, 54, tzinfo=UTC)
    assert outbound.end_time - outbound.start_time == timedelta(seconds=37)
    assert (outbound.destination, outbound.callerid) == ("18774551500", "+12063389999")
    assert outbound.line_information == ""
    assert (outbound.call_fail_sip_code, outbound.duration, outbound.billed_duration) == (
        200,
        37,
        42,
    )
    assert (outbound.first_increment, outbound.subsequent_increment) == (6, 6)
    assert outbound.customer_ip == "53.186.152.52:5080"
    assert outbound.custom_x_tag == ""
    assert inbound.total_cost == Decimal("0.00474784")
    assert str(inbound.total_cost) == "0.00474784"
    assert inbound.rate == Decimal("0.001500")
    assert inbound.cnam_lookup_fee == Decimal("0.00390000")
    assert inbound.line_information == "61"
    assert inbound.cost_subtotal + inbound.ccrf + inbound.cnam_lookup_fee == inbound.total_cost


@pytest.mark.parametrize(
    "hostile", ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_cdr_row_keeps_formula_like_strings_exact(hostile):
    row = {
        "number_alias": hostile,
        "callerid": hostile,
        "destination_name": hostile,
        "custom_x_tag": hostile,
        "call_fail_reason": hostile,
        "total_cost": "-2",
    }
    parsed = CDRRow.from_json(row)
    assert parsed.number_alias == parsed.callerid == hostile
    assert parsed.destination_name == parsed.custom_x_tag == parsed.call_fail_reason == hostile
    assert parsed.total_cost == Decimal("-2")
    assert isinstance(parsed.total_cost, Decimal)


def test_cdr_row_empty_numeric_cells_are_none_and_extra_columns_are_kept_raw():
    row = {"duration": "", "total_cost": "", "start_time": "", "new_column": "x"}
    parsed = CDRRow.from_json(row)
    assert (parsed.duration, parsed.total_cost, parsed.start_time) == (None, None, None)
    assert parsed.raw["new_column"] == "x"


# --- conventions shared by every model -----------------------------------------------------


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("2017-12-22T01:52:39.39Z", datetime(2017, 12, 22, 1, 52, 39, 390000, tzinfo=UTC)),
        ("2017-12-22T01:52:39.3Z", datetime(2017, 12, 22, 1, 52, 39, 300000, tzinfo=UTC)),
        ("2018-04-16 16:20:32.939166+00:00", datetime(2018, 4, 16, 16, 20, 32, 939166, tzinfo=UTC)),
        ("Fri, 01 Jun 2018 00:17:52 GMT", datetime(2018, 6, 1, 0, 17, 52, tzinfo=UTC)),
        ("2019-03-18T23:20:30+00:00", datetime(2019, 3, 18, 23, 20, 30, tzinfo=UTC)),
        ("2019-06-25 18:18:54+00", datetime(2019, 6, 25, 18, 18, 54, tzinfo=UTC)),
        ("2019-03-18T16:43:01+03:00", datetime(2019, 3, 18, 13, 43, 1, tzinfo=UTC)),
        ("2019-01-01 00:00:00", datetime(2019, 1, 1, tzinfo=UTC)),
    ],
)
def test_every_api_timestamp_format_parses_to_aware_utc(wire, expected):
    parsed = DeliveryReceipt.from_json({"timestamp": wire}).timestamp
    assert parsed == expected
    assert parsed.tzinfo is UTC


def test_unknown_fields_are_tolerated_and_kept_in_raw():
    route = {
        "type": "route",
        "id": "7",
        "attributes": {"route_type": "uri", "value": "sip:a@b", "brand_new": {"x": [1]}},
        "meta": {"trace": "abc"},
        "relationships": {"something": {"data": []}},
    }
    parsed = Route.from_document({"data": route, "included": [{"type": "other", "id": 1}]})
    assert (parsed.id, parsed.route_type) == ("7", "uri")
    assert parsed.raw["attributes"]["brand_new"] == {"x": [1]}
    assert "brand_new" not in repr(parsed)


def test_a_link_object_instead_of_a_url_is_none_and_stays_on_raw():
    link = {"href": "https://api.flowroute.com/v2/numbers/available/exchanges?areacode=206"}
    area_code = AreaCode.from_json({"type": "areacode", "id": "206", "links": {"related": link}})
    assert area_code.related_url is None
    assert area_code.raw["links"]["related"] == link


def test_missing_attributes_give_none_not_errors():
    number = PhoneNumber.from_json({"type": "number", "id": 12065550142})
    assert number.id == number.value == "12065550142"
    assert number.state is None and number.monthly_cost is None


@pytest.mark.parametrize(
    ("model", "obj", "field_name"),
    [
        (CDRExport, {"id": 1, "attributes": {"total_cost": "twelve"}}, "total_cost"),
        (CDRExport, {"id": 1, "attributes": {"total_cost": "NaN"}}, "total_cost"),
        (CDRExport, {"id": 1, "attributes": {"num_calls": "3.5"}}, "num_calls"),
        (CDRExport, {"id": 1, "attributes": {"created_at": "yesterday-ish"}}, "created_at"),
        (Message, {"id": "m", "attributes": {"is_mms": "maybe"}}, "is_mms"),
        (Message, {"id": "m", "attributes": {"amount_nanodollars": True}}, "amount_nanodollars"),
        (Route, {"id": {"nested": 1}}, "id"),
        (Message, {"id": "m", "attributes": {"from": ["12065550777"]}}, "from"),
        (Message, {"id": "m", "attributes": {"delivery_receipts": {}}}, "delivery_receipts"),
        (
            PhoneNumber,
            {"id": 1, "relationships": {"primary_route": {"data": {"id": 1.5}}}},
            "relationships.primary_route.data.id",
        ),
    ],
)
def test_a_present_but_malformed_value_raises_naming_the_field(model, obj, field_name):
    with pytest.raises(InvalidResponseError) as caught:
        model.from_json(obj)
    assert f"{model.__name__}.{field_name}" in str(caught.value)


def test_the_error_names_the_model_the_field_what_was_expected_and_what_came():
    with pytest.raises(InvalidResponseError) as caught:
        PhoneNumber.from_json({"id": "12065550142", "attributes": {"monthly_cost": "abc"}})
    assert str(caught.value) == "PhoneNumber.monthly_cost: expected a decimal amount, got 'abc'"


def test_wrong_document_shapes_raise_invalid_response():
    with pytest.raises(InvalidResponseError, match="expected one object"):
        Route.from_document(ROUTES)
    with pytest.raises(InvalidResponseError, match="expected a list"):
        parse_list(Route, CREATED_ROUTE)
    with pytest.raises(InvalidResponseError, match="no data"):
        parse_list(Route, {"errors": []})
    with pytest.raises(InvalidResponseError, match="null"):
        Route.from_document(None)
    with pytest.raises(InvalidResponseError, match="no id"):
        Route.from_json({"type": "route", "attributes": {}})
    with pytest.raises(InvalidResponseError, match="JSON object"):
        Route.from_json(["not", "an", "object"])
    with pytest.raises(InvalidResponseError, match="an object at attributes"):
        Route.from_json({"type": "route", "id": "1", "attributes": ["x"]})


@given(st.integers(min_value=0, max_value=10**18))
def test_nanodollars_parse_the_same_from_int_and_digit_string(amount):
    as_int = Message.from_json({"id": "m", "attributes": {"amount_nanodollars": amount}})
    as_str = Message.from_json({"id": "m", "attributes": {"amount_nanodollars": str(amount)}})
    assert as_int.amount_nanodollars == as_str.amount_nanodollars == amount


@given(st.decimals(allow_nan=False, allow_infinity=False, places=8))
def test_money_strings_keep_their_exact_decimal_value(amount):
    export = CDRExport.from_json({"id": 1, "attributes": {"total_cost": str(amount)}})
    assert export.total_cost == amount
    assert str(export.total_cost) == str(amount)
