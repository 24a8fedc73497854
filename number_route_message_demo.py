"""Numbers, routes and messages: a walk through the SDK in the order of its README.

    python number_route_message_demo.py

Without FR_ACCESS_KEY/FR_SECRET_KEY this runs on a local Flowroute sandbox (its own, or the one
FR_BASE_URI names on a loopback address), purchases and sends included. With them it uses your
Flowroute account; buying a number and sending messages cost money and happen only with
FR_DEMO_ALLOW_CHARGES=1 (sends also need FR_DEMO_MOBILE_NUMBER).

It also receives: a webhook receiver from the SDK, served on this machine, gets the delivery
receipts of the SMS it sends and an inbound SMS, and prints them as they arrive. The built-in
sandbox makes that SMS arrive; on the real API the receiver needs FR_DEMO_PUBLIC_URL, and you
text the number yourself.
"""

from __future__ import annotations

import random
import string
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from demo_support import SANDBOX_MOBILE_NUMBER, Demo, DemoFailure, run_demo

MEDIA_URL = "https://www.python.org/static/img/python-logo.png"
INBOUND_TEXT = "Hi! This is a reply from a phone."


def id_generator(size: int = 6, chars: str = string.ascii_lowercase + string.digits) -> str:
    return "".join(random.choice(chars) for _ in range(size))


def main(demo: Demo) -> None:
    # Imported here rather than at the top, like everything from the SDK in the demos, so that
    # --help answers at once and Ctrl-C is handled from the first moment.
    from flowroutenumbersandmessaging.webhooks import DeliveryReceiptEvent, InboundMessage

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
    area_codes = numbers_controller.list_available_area_codes(limit, offset, max_setup_cost)
    demo.show(area_codes)
    areacode = area_codes["data"][0]["id"]

    demo.step(f"List Available Exchange Codes in area code {areacode}")
    limit = 3
    offset = None
    max_setup_cost = None
    exchanges = numbers_controller.list_available_exchange_codes(
        limit, offset, max_setup_cost, areacode
    )
    demo.show(exchanges)

    demo.step(f"Search for Purchasable Phone Numbers starting with {areacode}")
    starts_with: Optional[str] = areacode
    contains = None
    ends_with = None
    limit = 3
    purchasable = numbers_controller.search_for_purchasable_phone_numbers(
        starts_with, contains, ends_with, limit
    )
    demo.show(purchasable)
    if not purchasable["data"]:
        raise DemoFailure(f"no purchasable numbers found in area code {areacode}")

    demo.step("Purchase a Phone Number")
    number_id = None
    if not demo.charges_skipped("buying a phone number"):
        purchasable_number = purchasable["data"][0]["id"]
        purchased = numbers_controller.purchase_a_phone_number(purchasable_number)
        demo.show(purchased)
        number_id = purchasable_number

    demo.step("List Account Phone Numbers")
    starts_with = None
    ends_with = None
    contains = None
    limit = 3
    offset = None
    our_numbers = numbers_controller.list_account_phone_numbers(
        starts_with, ends_with, contains, limit, offset
    )
    demo.show(our_numbers)
    # A number bought just now is the demo's own to change; an existing one carries live calls.
    own_number = number_id is not None
    if number_id is None:
        if not our_numbers["data"]:
            raise DemoFailure(
                "your account has no phone numbers; set FR_DEMO_ALLOW_CHARGES=1 to buy one"
            )
        number_id = our_numbers["data"][0]["id"]
        print(f"Using your existing number {number_id} for the rest of the demo.")

    demo.step("List Phone Number Details")
    number_details = numbers_controller.list_phone_number_details(number_id)
    demo.show(number_details)

    # ---- Route management --------------------------------------------------------------------
    demo.step("Create an Inbound Route")
    new_route = id_generator() + ".example.com"
    alias = "demo-" + id_generator()
    request_body: dict[str, Any] = {
        "data": {
            "type": "route",
            "attributes": {"route_type": "host", "value": new_route, "alias": alias},
        }
    }
    created_route = routes_controller.create_an_inbound_route(request_body)
    demo.show(created_route)
    new_route_id = created_route["data"]["id"]

    demo.step("List Inbound Routes")
    limit = 3
    routes = routes_controller.list_inbound_routes(limit)
    demo.show(routes)
    # Route "0", the built-in sip-reg route, comes first.
    sip_reg_route_id = routes["data"][0]["id"]

    demo.step(f"Update Primary Voice Route of {number_id} to route {new_route_id}")
    if own_number:
        request_body = {"data": {"type": "route", "id": new_route_id}}
        # Returns None: Flowroute answers 204 No Content.
        routes_controller.update_primary_voice_route(number_id, request_body)
        print("204: No Content")
    else:
        demo.skip(f"changing the routes of {number_id} would redirect its live calls")

    demo.step(f"Update Failover Voice Route of {number_id} to route {sip_reg_route_id}")
    if own_number:
        request_body = {"data": {"type": "route", "id": sip_reg_route_id}}
        routes_controller.update_failover_voice_route(number_id, request_body)
        print("204: No Content")
    else:
        demo.skip(f"changing the routes of {number_id} would redirect its live calls")

    # ---- Messaging ---------------------------------------------------------------------------
    # Where Flowroute posts this demo's callbacks; None when it cannot reach the demo.
    inbox = demo.inbox
    no_receiver = (
        "Flowroute cannot reach this machine: set FR_DEMO_PUBLIC_URL to a public URL that "
        "forwards to the demo's webhook receiver"
    )

    demo.step(f"Set the Delivery Receipt Callback of {number_id}")
    if not own_number:
        demo.skip(f"it would replace the delivery-receipt URL of {number_id}")
    elif inbox is None:
        demo.skip(no_receiver)
    else:
        print(f"callback URL: {inbox.address} (with the receiver's secret token)")
        messages_controller.set_did_level_dlr_callback(number_id, inbox.url)
        print("204: No Content")

    demo.step("Set the Account's SMS Callback")
    if inbox is None:
        demo.skip(no_receiver)
    else:
        print(f"callback URL: {inbox.address} (with the receiver's secret token)")
        messages_controller.set_account_level_sms_callback(inbox.url)
        print("204: No Content")
        if not demo.on_sandbox:
            print(
                "Your account's inbound SMS now go to the demo; point them back to your own "
                "server with set_account_level_sms_callback() afterwards."
            )

    sent_message_id = None
    mobile_number = demo.mobile_number

    demo.step("Send an SMS")
    if not demo.charges_skipped("sending a message"):
        if mobile_number is None:
            demo.skip("no mobile number to send to: set FR_DEMO_MOBILE_NUMBER")
        else:
            attributes = {"to": mobile_number, "from": number_id, "body": "hello there"}
            if inbox is not None:
                # Its delivery receipts go to the demo's receiver.
                attributes["dlr_callback"] = inbox.url
            request_body = {"data": {"type": "message", "attributes": attributes}}
            sent_sms = messages_controller.send_a_message(request_body)
            demo.show(sent_sms)
            sent_message_id = sent_sms["data"]["id"]

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
            sent_mms = messages_controller.send_a_message(request_body)
            demo.show(sent_mms)

    demo.step("Look Up A Set Of Messages")
    today = datetime.now(timezone.utc).date()
    start_date = str(today - timedelta(days=1))
    end_date = str(today + timedelta(days=1))
    limit = 5
    messages = messages_controller.look_up_a_set_of_messages(start_date, end_date, limit)
    demo.show(messages)

    demo.step("Look Up A Message Detail Record")
    message_id = sent_message_id
    if message_id is None and messages["data"]:
        message_id = messages["data"][0]["id"]
    if message_id is None:
        demo.skip(f"no messages between {start_date} and {end_date}")
    else:
        message_record = messages_controller.look_up_a_message_detail_record(message_id)
        demo.show(message_record)

    # ---- Receiving ---------------------------------------------------------------------------
    # The two delivery receipts of the SMS (handed to the carrier, delivered), then the reply.
    expected = 0 if inbox is None or sent_message_id is None else 2

    demo.step(f"Receive an SMS on {number_id}")
    if inbox is None:
        demo.skip(no_receiver)
    elif demo.sandbox is not None:
        sender = mobile_number or SANDBOX_MOBILE_NUMBER
        print(f"{sender} texts {number_id}: {INBOUND_TEXT!r}")
        demo.sandbox.receive_sms(number_id, sender, INBOUND_TEXT)
        expected += 1
    elif demo.on_sandbox:
        demo.skip(
            "a sandbox on a port has no way to make a message arrive; the sandbox the demo "
            "starts itself (without FR_BASE_URI) does"
        )
    else:
        print(f"Text anything to {number_id} from your phone now.")
        expected += 1

    demo.step("Messages and Delivery Receipts Posted to the Receiver")
    if inbox is None or not expected:
        demo.skip("nothing was sent or received through the demo's receiver")
    else:
        timeout = 10.0 if demo.on_sandbox else 120.0
        print(f"(waiting up to {timeout:g} s for {expected} callbacks)")
        arrived = 0
        for event in inbox.arrivals(expected, timeout):
            arrived += 1
            if isinstance(event, InboundMessage):
                message = event.message
                print(
                    f"inbound {event.kind} from {message.from_} to {message.to}: {message.body!r}"
                )
            elif isinstance(event, DeliveryReceiptEvent):
                receipt = event.receipt
                print(
                    f"delivery receipt level {receipt.level} for {receipt.message_id}: "
                    f"{receipt.status} ({receipt.status_code_description})"
                )
        if arrived < expected:
            missing = (
                f"{expected - arrived} of {expected} callbacks did not arrive in {timeout:g} s"
            )
            if demo.on_sandbox:
                raise DemoFailure(missing)
            print(missing)

    # ---- Number portability ------------------------------------------------------------------
    demo.step("Check Portability")
    numbers = ["14255550111", "12125550100"]
    portability = porting_controller.check_portability(numbers)
    demo.show(portability)


if __name__ == "__main__":
    run_demo(main, __doc__, receives=True)
