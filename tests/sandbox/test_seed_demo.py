"""Flowroute's v3 README demo (number_route_message_demo.py's flow) runs to its end on the sandbox.

The calls and arguments are the v3 README's, in its order, with its literal values: area code
347, the 646 search, the numbers on the account starting with 201, and its December 2017 message
look-up. What comes back is what that README shows, wherever the sandbox can know it.
"""

from __future__ import annotations

import random
import string

from flowroutenumbersandmessaging.flowroutenumbersandmessaging_client import (
    FlowroutenumbersandmessagingClient,
)


def id_generator(size=6, chars=string.ascii_lowercase + string.digits):
    return "".join(random.choice(chars) for _ in range(size))


def test_the_v3_readme_number_route_and_message_demo_runs_to_its_end(sandbox):
    client = FlowroutenumbersandmessagingClient(
        sandbox.access_key, sandbox.secret_key, base_uri=sandbox.base_uri
    )
    numbers_controller = client.numbers
    routes_controller = client.routes
    messages_controller = client.messages
    mobile_number = "12065550777"

    max_setup_cost = 3.25
    limit = 3
    offset = None
    result = numbers_controller.list_available_area_codes(limit, offset, max_setup_cost)
    assert [a["id"] for a in result["data"]] == ["201", "202", "203"]

    limit = 3
    offset = None
    max_setup_cost = None
    areacode = 347
    result = numbers_controller.list_available_exchange_codes(
        limit, offset, max_setup_cost, areacode
    )
    assert [e["id"] for e in result["data"]] == ["347215", "347325", "347331"]
    assert result["links"]["next"].endswith("/exchanges?areacode=347&limit=3&offset=3")

    starts_with = 646
    contains = 3
    ends_with = 7
    limit = 3
    offset = None
    rate_center = None
    state = None
    result = numbers_controller.search_for_purchasable_phone_numbers(
        starts_with, contains, ends_with, limit, offset, rate_center, state
    )
    found = [n["id"] for n in result["data"]]
    assert len(found) == 3
    assert all(n.startswith("1646") and "3" in n[1:] and n.endswith("7") for n in found)
    assert {"16463439507", "16463439617", "16463439667"} <= {
        n["id"]
        for n in numbers_controller.search_for_purchasable_phone_numbers(1646343, limit=200)["data"]
    }

    purchasable_number = result["data"][0]["id"]
    result = numbers_controller.purchase_a_phone_number(purchasable_number)
    assert result["data"]["id"] == purchasable_number

    starts_with = 201
    ends_with = None
    contains = None
    limit = 3
    offset = None
    result = numbers_controller.list_account_phone_numbers(
        starts_with, ends_with, contains, limit, offset
    )
    assert [n["id"] for n in result["data"]] == ["12012673227", "12014845220"]

    number_id = result["data"][0]["id"]
    result = numbers_controller.list_phone_number_details(number_id)
    assert result["data"]["attributes"]["rate_center"] == "oradell"

    new_route = id_generator() + ".sonsofodin.com"
    alias = id_generator()
    for i in range(6):
        alias += str(i)
    request_body = (
        '{ "data": { "type": "route", "attributes": { "route_type": "host", "value": "'
        + new_route
        + '", "alias": "'
        + alias
        + '" } } }'
    )
    result = routes_controller.create_an_inbound_route(request_body)
    assert result["data"]["attributes"]["value"] == new_route

    limit = 3
    result = routes_controller.list_inbound_routes(limit)
    assert result["data"][1]["attributes"] == {
        "route_type": "number",
        "alias": "PSTNroute1",
        "value": "12065551212",
    }
    prirouteid = result["data"][1]["id"]
    request_body = '{ "data": { "type": "route", "id": "' + str(prirouteid) + '" } }'
    assert routes_controller.update_primary_voice_route(number_id, request_body) is None
    secrouteid = result["data"][2]["id"]
    request_body = '{ "data": { "type": "route", "id": "' + str(secrouteid) + '" } }'
    assert routes_controller.update_failover_voice_route(number_id, request_body) is None

    request_body = (
        '{ "data": { "type": "message", "attributes": { "to": "'
        + str(mobile_number)
        + '", "from": "'
        + str(number_id)
        + '", "body": "hello there", "is_mms": "true", '
        '"media_urls": ["http://s3.amazonaws.com/barkpost-assets/50+GIFs/37.gif"] } } }'
    )
    result = messages_controller.send_a_message(request_body)
    assert result["data"]["id"].startswith("mdr2-")

    start_date = "2017-12-01"
    end_date = "2018-01-08"
    limit = 2
    result = messages_controller.look_up_a_set_of_messages(start_date, end_date, limit)
    assert [m["id"] for m in result["data"]] == [
        "mdr2-ca82be46e6ba11e79d08862d092cf73d",
        "mdr2-39cadeace66e11e7aff806cd7f24ba2d",
    ]

    message_id = result["data"][0]["id"]
    result = messages_controller.look_up_a_message_detail_record(message_id)
    assert result["data"]["attributes"] == {
        "body": "Hello are you there? ",
        "status": "delivered",
        "direction": "inbound",
        "amount_nanodollars": 4000000,
        "to": "12012673227",
        "message_encoding": 0,
        "timestamp": "2017-12-22T01:52:39.39Z",
        "delivery_receipts": [],
        "amount_display": "$0.0040",
        "from": "12061231234",
        "is_mms": False,
        "message_type": "longcode",
    }
    client.close()


def test_a_fresh_account_has_a_week_of_messages_in_and_out(api):
    page = api.get("/v2.1/messages", start_date="2018-01-01", limit=100).json()["data"]
    directions = {m["attributes"]["direction"] for m in page}
    assert directions == {"inbound", "outbound"} and len(page) >= 4
    mine = set(api.my_numbers())
    for message in page:
        attributes = message["attributes"]
        own = attributes["to"] if attributes["direction"] == "inbound" else attributes["from"]
        assert own in mine
        if attributes["direction"] == "outbound":
            assert [r["level"] for r in attributes["delivery_receipts"]] == [1, 2]


def test_the_numbers_the_readmes_buy_are_in_the_catalogue(api):
    exchanges = api.get("/v2/numbers/available/exchanges", areacode=206, limit=200).json()
    assert "206201" in [e["id"] for e in exchanges["data"]]
    for number in ("12062011682", "16502390214"):
        assert api("POST", f"/v2/numbers/{number}").status_code == 201
