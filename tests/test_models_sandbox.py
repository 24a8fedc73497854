"""The typed models read every document the sandbox serves (the two must not drift apart)."""

from __future__ import annotations

import textwrap
from datetime import datetime
from decimal import Decimal

from flowroutenumbersandmessaging import models
from flowroutenumbersandmessaging.models import (
    AreaCode,
    CDRExport,
    CDRRow,
    CNAMRecord,
    DeliveryReceipt,
    E911Address,
    EdgeStrategy,
    Exchange,
    Message,
    PhoneNumber,
    Portability,
    Route,
    parse_list,
)

ADDRESS = dict(
    label="HQ",
    first_name="Ana",
    last_name="Ruiz",
    street_name="3rd Ave",
    street_number="1218",
    city="Seattle",
    state="WA",
    country="US",
    zipcode="98101",
    address_type="Suite",
    address_type_number="400",
)


def test_models_read_the_sandbox_documents(flowroute_sandbox, flowroute_client, tmp_path):
    sandbox, client = flowroute_sandbox, flowroute_client
    assert parse_list(AreaCode, client.numbers.list_available_area_codes(3))
    assert parse_list(Exchange, client.numbers.list_available_exchange_codes(3))
    available = parse_list(
        PhoneNumber, client.numbers.search_for_purchasable_phone_numbers(limit=1)
    )
    bought = PhoneNumber.from_document(client.numbers.purchase_a_phone_number(available[0].value))
    assert bought.value == available[0].value and bought.primary_route_id == "0"
    mine = parse_list(PhoneNumber, client.numbers.list_account_phone_numbers())
    assert bought.value in {n.value for n in mine}

    routes = parse_list(Route, client.routes.list_inbound_routes())
    assert routes[0].route_type == "sip-reg"
    assert parse_list(EdgeStrategy, client.routes.list_edge_strategies())

    sender = mine[0].value
    body = {
        "data": {
            "type": "message",
            "attributes": {"to": "12065550777", "from": sender, "body": "hi"},
        }
    }
    sent = client.messages.send_a_message(body)
    message = Message.from_document(
        client.messages.look_up_a_message_detail_record(sent["data"]["id"])
    )
    assert message.body == "hi" and isinstance(message.timestamp, datetime)
    assert sorted(r.level for r in message.delivery_receipts) == [1, 2]
    assert parse_list(Message, client.messages.look_up_a_set_of_messages("2000-01-01"))

    e911 = E911Address.from_document(client.e911s.create_address(**ADDRESS))
    assert (e911.zip, e911.address_type) == ("98101", "Suite")
    assert parse_list(E911Address, client.e911s.list_e911s())

    cnam = CNAMRecord.from_document(client.cnams.create_cnam_record("ACME WIDGETS"))
    assert cnam.is_approved is False and cnam.creation_datetime is not None
    sandbox.approve_cnam(cnam.id)
    approved = CNAMRecord.from_document(client.cnams.get_cnam(cnam.id))
    assert approved.is_approved and approved.approval_datetime is not None
    assert CNAMRecord.from_document(client.cnams.associate_cnam(cnam.id, sender)).id == cnam.id

    export = CDRExport.from_document(
        client.cdrs.create_cdr_export(
            {
                "start_call_start_time": "2000-01-01 00:00:00",
                "start_call_end_time": "2100-01-01 00:00:00",
            }
        )
    )
    assert export.status == "processing"
    sandbox.complete_cdr_export(export.id)
    listed = parse_list(CDRExport, client.cdrs.list_cdr_exports())
    assert listed[0].status == "completed" and listed[0].download_url
    assert "X-Amz" not in repr(listed[0])
    target = str(tmp_path / "calls.csv")
    client.cdrs.download_cdr_export(export.id, target)
    rows = [CDRRow.from_json(row) for row in client.cdrs.iter_cdr_export(target)]
    assert rows and isinstance(rows[0].total_cost, Decimal)

    portability = Portability.from_document(client.porting.check_portability(["14255550111"]))
    assert "+14255550111" in portability.portable + portability.nonportable


def test_the_module_docstring_example_runs_on_the_sandbox(flowroute_client):
    example = textwrap.dedent(models.__doc__.split("::\n\n", 1)[1].split("\n\n", 1)[0])
    namespace = {**vars(models), "client": flowroute_client}
    exec(compile(example, "models.__doc__", "exec"), namespace)
    number = namespace["number"]
    assert number.value == namespace["numbers"][0].value and number.primary_route_id is not None
    assert namespace["routes"] and all(isinstance(r, Route) for r in namespace["routes"])
    assert isinstance(namespace["exports"], list)


def test_models_read_the_sandbox_webhook_documents(flowroute_sandbox, flowroute_client):
    sandbox, client = flowroute_sandbox, flowroute_client
    # Webhooks to hosts that are not loopback are recorded, body and all, but not sent.
    client.messages.set_account_level_mms_callback("https://hooks.example.com/mms")
    client.messages.set_account_level_dlr_callback("https://hooks.example.com/dlr")
    mine = parse_list(PhoneNumber, client.numbers.list_account_phone_numbers())[0].value
    media = [{"url": "https://media.example/a.png?sig=canary", "mime_type": "image/png"}]
    inbound_id = sandbox.receive_mms(mine, "12065550777", body="look", media=media)
    sent = client.messages.send_a_message(
        {
            "data": {
                "type": "message",
                "attributes": {"to": "12065550777", "from": mine, "body": "a"},
            }
        }
    )
    hooks = {(d.kind, d.json["data"]["id"]): d.json for d in sandbox.wait_for_webhooks(3)}

    inbound = Message.from_document(hooks["mms", inbound_id])
    assert (inbound.id, inbound.is_mms, inbound.body) == (inbound_id, True, "look")
    (attachment,) = inbound.media
    assert attachment.url == media[0]["url"] and attachment.mime_type == "image/png"
    assert "canary" not in repr(inbound)
    receipt = DeliveryReceipt.from_document(hooks["dlr", sent["data"]["id"]])
    assert receipt.message_id == sent["data"]["id"] and receipt.body == "a"
    assert (receipt.level, receipt.status_code) == (2, 1000) and receipt.timestamp is not None
