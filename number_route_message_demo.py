"""Numbers, routes and messages: a walk through the SDK in the order of its README.

    python number_route_message_demo.py

Without FR_ACCESS_KEY/FR_SECRET_KEY this runs on a local Flowroute sandbox (its own, or the one
FR_BASE_URI names on a loopback address), purchases and sends included. With them it uses your
Flowroute account; buying a number and sending messages cost money and happen only with
FR_DEMO_ALLOW_CHARGES=1 (sends also need FR_DEMO_MOBILE_NUMBER).
"""

from __future__ import annotations

import random
import string
from datetime import datetime, timedelta, timezone
from typing import Optional

from demo_support import Demo, DemoFailure, run_demo

MEDIA_URL = "https://www.python.org/static/img/python-logo.png"


def id_generator(size: int = 6, chars: str = string.ascii_lowercase + string.digits) -> str:
    return "".join(random.choice(chars) for _ in range(size))


def main(demo: Demo) -> None:
    client = demo.client
    numbers_controller = client.numbers
    routes_controller = client.routes
    messages_controller = client.messages
    porting_controller = client.porting

    # ---- Number management -------------------------------------------------------------------
    demo.step("List Available Area Codes")
    max_setup_cost: Optional[float] = 3.25
    limit = 3
    offset = None
    result = numbers_controller.list_available_area_codes(limit, offset, max_setup_cost)
    demo.show(result)
    areacode = result["data"][0]["id"]

    demo.step(f"List Available Exchange Codes in area code {areacode}")
    limit = 3
    offset = None
    max_setup_cost = None
    result = numbers_controller.list_available_exchange_codes(
        limit, offset, max_setup_cost, areacode
    )
    demo.show(result)

    demo.step(f"Search for Purchasable Phone Numbers starting with {areacode}")
    starts_with = areacode
    contains = None
    ends_with = None
    limit = 3
    result = numbers_controller.search_for_purchasable_phone_numbers(
        starts_with, contains, ends_with, limit
    )
    demo.show(result)
    if not result["data"]:
        raise DemoFailure(f"no purchasable numbers found in area code {areacode}")

    demo.step("Purchase a Phone Number")
    number_id = None
    if not demo.charges_skipped("buying a phone number"):
        purchasable_number = result["data"][0]["id"]
        result = numbers_controller.purchase_a_phone_number(purchasable_number)
        demo.show(result)
        number_id = purchasable_number

    demo.step("List Account Phone Numbers")
    starts_with = None
    ends_with = None
    contains = None
    limit = 3
    offset = None
    result = numbers_controller.list_account_phone_numbers(
        starts_with, ends_with, contains, limit, offset
    )
    demo.show(result)
    # A number bought just now is the demo's own to change; an existing one carries live calls.
    own_number = number_id is not None
    if number_id is None:
        if not result["data"]:
            raise DemoFailure(
                "your account has no phone numbers; set FR_DEMO_ALLOW_CHARGES=1 to buy one"
            )
        number_id = result["data"][0]["id"]
        print(f"Using your existing number {number_id} for the rest of the demo.")

    demo.step("List Phone Number Details")
    result = numbers_controller.list_phone_number_details(number_id)
    demo.show(result)

    # ---- Route management --------------------------------------------------------------------
    demo.step("Create an Inbound Route")
    new_route = id_generator() + ".example.com"
    alias = "demo-" + id_generator()
    request_body = {
        "data": {
            "type": "route",
            "attributes": {"route_type": "host", "value": new_route, "alias": alias},
        }
    }
    result = routes_controller.create_an_inbound_route(request_body)
    demo.show(result)
    new_route_id = result["data"]["id"]

    demo.step("List Inbound Routes")
    limit = 3
    result = routes_controller.list_inbound_routes(limit)
    demo.show(result)
    # Route "0", the built-in sip-reg route, comes first.
    sip_reg_route_id = result["data"][0]["id"]

    demo.step(f"Update Primary Voice Route of {number_id} to route {new_route_id}")
    if own_number:
        request_body = {"data": {"type": "route", "id": new_route_id}}
        result = routes_controller.update_primary_voice_route(number_id, request_body)
        demo.show(result)
    else:
        demo.skip(f"changing the routes of {number_id} would redirect its live calls")

    demo.step(f"Update Failover Voice Route of {number_id} to route {sip_reg_route_id}")
    if own_number:
        request_body = {"data": {"type": "route", "id": sip_reg_route_id}}
        result = routes_controller.update_failover_voice_route(number_id, request_body)
        demo.show(result)
    else:
        demo.skip(f"changing the routes of {number_id} would redirect its live calls")

    # ---- Messaging ---------------------------------------------------------------------------
    demo.step(f"Set the Delivery Receipt Callback of {number_id}")
    if not own_number:
        demo.skip(f"it would replace the delivery-receipt URL of {number_id}")
    elif demo.callback_url is None:
        demo.skip("no callback URL: set FR_DEMO_CALLBACK_URL to the https URL of your webhook")
    else:
        print(f"callback URL: {demo.callback_url}")
        result = messages_controller.set_did_level_dlr_callback(number_id, demo.callback_url)
        demo.show(result)

    sent_message_id = None
    mobile_number = demo.mobile_number

    demo.step("Send an SMS")
    if not demo.charges_skipped("sending a message"):
        if mobile_number is None:
            demo.skip("no mobile number to send to: set FR_DEMO_MOBILE_NUMBER")
        else:
            request_body = {
                "data": {
                    "type": "message",
                    "attributes": {"to": mobile_number, "from": number_id, "body": "hello there"},
                }
            }
            result = messages_controller.send_a_message(request_body)
            demo.show(result)
            sent_message_id = result["data"]["id"]

    demo.step("Send an MMS")
    if not demo.charges_skipped("sending a message"):
        if mobile_number is None:
            demo.skip("no mobile number to send to: set FR_DEMO_MOBILE_NUMBER")
        else:
            request_body = {
                "data": {
                    "type": "message",
                    "attributes": {
                        "to": mobile_number,
                        "from": number_id,
                        "body": "hello there, with a picture",
                        "is_mms": True,
                        "media_urls": [MEDIA_URL],
                    },
                }
            }
            result = messages_controller.send_a_message(request_body)
            demo.show(result)

    demo.step("Look Up A Set Of Messages")
    today = datetime.now(timezone.utc).date()
    start_date = str(today - timedelta(days=1))
    end_date = str(today + timedelta(days=1))
    limit = 5
    result = messages_controller.look_up_a_set_of_messages(start_date, end_date, limit)
    demo.show(result)

    demo.step("Look Up A Message Detail Record")
    message_id = sent_message_id
    if message_id is None and result["data"]:
        message_id = result["data"][0]["id"]
    if message_id is None:
        demo.skip(f"no messages between {start_date} and {end_date}")
    else:
        result = messages_controller.look_up_a_message_detail_record(message_id)
        demo.show(result)

    if demo.webhooks is not None and sent_message_id is not None:
        demo.step("Delivery Receipts Posted to the Callback")
        demo.show(demo.webhooks.wait(1, timeout=2.0))

    # ---- Number portability ------------------------------------------------------------------
    demo.step("Check Portability")
    numbers = ["14255550111", "12125550100"]
    result = porting_controller.check_portability(numbers)
    demo.show(result)


if __name__ == "__main__":
    run_demo(main, __doc__)
