"""The examples of Flowroute's v3 README, written as it writes them, run against the sandbox.

Each test follows one section of that README (the original SDK's): the same calls, the same
argument styles (positional, JSON strings with backslash continuations, keyword E911 fields),
and checks that what comes back has the shape the README shows. Only the Python 2 prints are
gone, and the README's placeholder values (mobile number, ids) come from the flowroute_sandbox.
"""

from __future__ import annotations

import os
import random
import string

import pytest

from flowroutenumbersandmessaging.exceptions import BadRequestError
from flowroutenumbersandmessaging.flowroutenumbersandmessaging_client import (
    FlowroutenumbersandmessagingClient,
)


@pytest.fixture
def seed_client(flowroute_sandbox, monkeypatch):
    """A client made as v3's README makes it: credentials from the environment, the v3 import
    path; pointed at ``flowroute_sandbox`` by ``FR_BASE_URI``. The credentials are the
    sandbox's own, so its controls (``approve_cnam``...) act on the client's account."""
    monkeypatch.setenv("FR_ACCESS_KEY", flowroute_sandbox.access_key)
    monkeypatch.setenv("FR_SECRET_KEY", flowroute_sandbox.secret_key)
    monkeypatch.setenv("FR_BASE_URI", flowroute_sandbox.base_uri)
    basic_auth_user_name = os.environ.get("FR_ACCESS_KEY")
    basic_auth_password = os.environ.get("FR_SECRET_KEY")
    with FlowroutenumbersandmessagingClient(basic_auth_user_name, basic_auth_password) as c:
        yield c


def id_generator(size=6, chars=string.ascii_lowercase + string.digits):
    return "".join(random.choice(chars) for _ in range(size))


def test_number_management_examples(seed_client):
    numbers_controller = seed_client.numbers

    max_setup_cost = 3.25
    limit = 3
    offset = None
    result = numbers_controller.list_available_area_codes(limit, offset, max_setup_cost)
    assert [item["type"] for item in result["data"]] == ["areacode"] * 3
    assert "offset=3" in result["links"]["next"]

    areacode = int(result["data"][0]["id"])
    result = numbers_controller.list_available_exchange_codes(
        limit, offset, max_setup_cost, areacode
    )
    assert result["data"] and all(e["type"] == "exchange" for e in result["data"])

    starts_with = int("1" + str(areacode))
    contains = None
    ends_with = None
    rate_center = None
    state = None
    result = numbers_controller.search_for_purchasable_phone_numbers(
        starts_with, contains, ends_with, limit, offset, rate_center, state
    )
    purchasable_number = result["data"][0]["id"]
    assert result["data"][0]["attributes"]["value"].startswith(str(starts_with))

    result = numbers_controller.purchase_a_phone_number(purchasable_number)
    assert result["data"]["id"] == purchasable_number
    assert result["data"]["relationships"]["primary_route"]["data"] == {"type": "route", "id": "0"}

    result = numbers_controller.list_account_phone_numbers(
        starts_with, ends_with, contains, limit, offset
    )
    assert purchasable_number in [n["id"] for n in result["data"]]

    number_id = result["data"][0]["id"]
    result = numbers_controller.list_phone_number_details(number_id)
    assert result["data"]["attributes"]["value"] == number_id
    assert {"type", "id"} <= set(result["included"][0])


def test_route_management_examples(seed_client):
    routes_controller = seed_client.routes
    number_id = seed_client.numbers.list_account_phone_numbers()["data"][0]["id"]

    new_route = id_generator() + ".sonsofodin.com"
    alias = id_generator()
    for i in range(6):
        alias += str(i)
    request_body = (
        '{ \
      "data": { \
        "type": "route", \
        "attributes": { \
          "route_type": "host", \
          "value": "'
        + new_route
        + '", \
          "alias": "'
        + alias
        + '" \
        } \
      } \
    }'
    )
    result = routes_controller.create_an_inbound_route(request_body)
    assert result["data"]["attributes"] == {
        "route_type": "host",
        "value": new_route,
        "alias": alias,
    }

    limit = 3
    result = routes_controller.list_inbound_routes(limit)
    assert result["data"][0]["attributes"]["route_type"] == "sip-reg"
    assert len(result["data"]) == 3

    prirouteid = result["data"][1]["id"]
    request_body = (
        '{ \
      "data": { \
        "type": "route", \
        "id": "'
        + str(prirouteid)
        + '" \
      } \
    }'
    )
    assert routes_controller.update_primary_voice_route(number_id, request_body) is None

    secrouteid = result["data"][2]["id"]
    request_body = (
        '{ \
      "data": { \
        "type": "route", \
        "id": "'
        + str(secrouteid)
        + '" \
      } \
    }'
    )
    assert routes_controller.update_failover_voice_route(number_id, request_body) is None

    details = seed_client.numbers.list_phone_number_details(number_id)["data"]["relationships"]
    assert details["primary_route"]["data"]["id"] == str(prirouteid)
    assert details["failover_route"]["data"]["id"] == str(secrouteid)


def test_messaging_examples(seed_client):
    messages_controller = seed_client.messages
    number_id = seed_client.numbers.list_account_phone_numbers()["data"][0]["id"]
    mobile_number = "12065550777"

    request_body = (
        '{ \
      "data": { \
        "type": "message", \
        "attributes": { \
          "to": "'
        + str(mobile_number)
        + '", \
          "from": "'
        + str(number_id)
        + '", \
          "body": "hello there", \
          "is_mms": "true", \
          "media_urls": ["http://s3.amazonaws.com/barkpost-assets/50+GIFs/37.gif"] \
        } \
      } \
    }'
    )
    result = messages_controller.send_a_message(request_body)
    assert result["data"]["type"] == "message"
    assert result["data"]["id"].startswith("mdr2-")

    start_date = "2017-12-01"
    end_date = None
    limit = 2
    result = messages_controller.look_up_a_set_of_messages(start_date, end_date, limit)
    assert result["data"][0]["attributes"]["to"] == mobile_number

    message_id = result["data"][0]["id"]
    result = messages_controller.look_up_a_message_detail_record(message_id)
    assert result["data"]["id"] == message_id
    assert result["data"]["attributes"]["is_mms"] is True


def test_e911_examples(seed_client):
    e911s_controller = seed_client.e911s
    numbers_controller = seed_client.numbers

    with pytest.raises(BadRequestError) as caught:
        e911s_controller.validate_address(
            label="Test Address",
            first_name="Chris",
            last_name="Smith",
            street_name="3rd Ave",
            street_number="1182",
            city="Seattle",
            state="WA",
            country="CA",
            zipcode="98101",
        )
    assert "Could not geocode this address" in str(caught.value)
    assert "Could not geocode" in caught.value.context.response.raw_body

    result = e911s_controller.create_address(
        label="E911 Test",
        first_name="Chris",
        last_name="Smith",
        street_name="3rd Ave",
        street_number="1218",
        city="Seattle",
        state="WA",
        country="US",
        zipcode="98101",
    )
    assert result["data"]["attributes"]["zip"] == "98101"

    if len(result):
        record_id = result["data"]["id"]
        result = e911s_controller.update_address(record_id, last_name="Wiley")
        assert result["data"]["attributes"]["last_name"] == "Wiley"
        assert result["data"]["attributes"]["first_name"] == "Chris"

    limit = 2
    offset = None
    result = e911s_controller.list_e911s(limit, offset)
    e911_id = None
    for e in result["data"]:
        e911_id = e["id"]
        break
    assert e911s_controller.get_e911(e911_id)["data"]["id"] == e911_id

    did_list = numbers_controller.list_account_phone_numbers()
    did = did_list["data"][0]["attributes"]["value"]
    e911_list = e911s_controller.list_e911s()
    e911_id = e911_list["data"][0]["id"]
    assert e911s_controller.associate(e911_id, did) is None

    result = e911s_controller.list_dids_for_e911(e911_id)
    assert [n["attributes"]["value"] for n in result["data"]] == [did]

    assert e911s_controller.disconnect(int(did)) is None
    assert e911s_controller.delete_address(e911_id) is None


def test_cnam_examples(seed_client, flowroute_sandbox):
    cnams_controller = seed_client.cnams
    numbers_controller = seed_client.numbers

    def random_generator(size=4, chars=string.ascii_uppercase + string.digits):
        return "".join(random.choice(chars) for x in range(size))

    cnam_value = "FR " + random_generator()
    result = cnams_controller.create_cnam_record(cnam_value)
    assert result["data"]["attributes"]["is_approved"] is False
    flowroute_sandbox.approve_cnam(result["data"]["id"])  # Flowroute takes up to 48 hours

    limit = 10
    offset = None
    result = cnams_controller.list_cnams(limit, offset)
    assert cnam_value in [c["attributes"]["value"] for c in result["data"]]

    result = cnams_controller.list_cnams(is_approved=True)
    cnam_id = None
    for c in result["data"]:
        cnam_id = c["id"]
        break
    result = cnams_controller.get_cnam(cnam_id)
    assert result["data"]["attributes"]["is_approved"] is True

    our_numbers = numbers_controller.list_account_phone_numbers()
    did_id = our_numbers["data"][0]["id"]
    result = cnams_controller.associate_cnam(cnam_id, did_id)
    assert result["data"]["id"] == int(cnam_id)
    assert set(result["data"]["attributes"]) == {"date_created"}

    result = cnams_controller.unassociate_cnam(did_id)
    assert result["data"]["id"] is None

    assert cnams_controller.remove_cnam(cnam_id) is None


def test_cdr_examples(seed_client, flowroute_sandbox, tmp_path):
    cdrs_controller = seed_client.cdrs

    filters = {
        "start_call_start_time": "2019-01-01 00:00:00",
        "start_call_end_time": "2030-02-01 00:00:00",
        "number_aliases": ["Office 221", "Office 888"],
    }
    callback_url = "https://myserver.com/cdrs"
    result = cdrs_controller.create_cdr(filters, callback_url)
    cdrexport_id = result["data"]["id"]
    assert result["data"]["type"] == "cdrexport"

    status = None
    limit = 10
    offset = None
    result = cdrs_controller.list_cdr_exports(status, limit, offset)
    assert str(result["data"][0]["data"]["id"]) == str(cdrexport_id)

    flowroute_sandbox.complete_cdr_export(cdrexport_id)
    result = cdrs_controller.get_cdr_export_status(cdrexport_id)
    assert result["data"]["attributes"]["status"] == "completed"

    filename = str(tmp_path / "cdrs.csv")
    result = cdrs_controller.download_cdr_export(cdrexport_id, filename)
    assert result == {"filename": filename}
    rows = cdrs_controller.parse_cdr_export(filename)
    assert rows and len(rows[0]) == 25
    assert {row["number_alias"] for row in rows} <= {"Office 221", "Office 888"}
