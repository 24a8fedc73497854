"""parse_webhook: every documented callback shape becomes its typed event; the rest is refused."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from flowroutenumbersandmessaging.exceptions import FlowrouteError
from flowroutenumbersandmessaging.models import DeliveryReceipt, Message
from flowroutenumbersandmessaging.webhooks import (
    CDRExportEvent,
    DeliveryReceiptEvent,
    InboundMessage,
    WebhookError,
    parse_webhook,
)
from tests.webhooks import payloads

MIB = 1024 * 1024


def test_inbound_sms_becomes_an_inbound_message_with_its_record():
    event = parse_webhook(json.dumps(payloads.inbound_sms()).encode())
    assert isinstance(event, InboundMessage)
    assert event.kind == "sms"
    assert isinstance(event.message, Message)
    assert event.message.id == payloads.INBOUND_ID
    assert (event.message.from_, event.message.to) == ("12065550777", "12065550142")
    assert event.message.body == "Hello from my phone"
    assert event.message.timestamp == datetime(2024, 5, 7, 18, 22, 41, 370000, timezone.utc)
    assert event.id == f"message:{payloads.INBOUND_ID}"
    assert event.raw == payloads.inbound_sms()


def test_inbound_mms_carries_its_media_from_included():
    event = parse_webhook(payloads.inbound_mms())
    assert isinstance(event, InboundMessage)
    assert event.kind == "mms"
    assert event.message.body is None
    (media,) = event.message.media
    assert media.mime_type == "image/png" and media.file_size == 14832
    assert media.url is not None and media.url.startswith("https://s3.")


def test_delivery_receipt_names_the_outbound_message():
    event = parse_webhook(json.dumps(payloads.receipt(2)))
    assert isinstance(event, DeliveryReceiptEvent)
    assert event.kind == "dlr"
    assert isinstance(event.receipt, DeliveryReceipt)
    assert event.receipt.message_id == payloads.SENT_ID
    assert (event.receipt.level, event.receipt.status_code) == (2, 1000)
    assert event.receipt.status == "delivered"


def test_legacy_flat_inbound_body_is_an_inbound_sms():
    event = parse_webhook(json.dumps(payloads.legacy_sms()))
    assert isinstance(event, InboundMessage)
    assert event.kind == "sms"
    assert event.message.body == "hi"
    assert event.id == "message:mdr1-" + "a" * 32


def test_cdr_export_notice_gives_the_export_id_and_status():
    event = parse_webhook(payloads.cdr_export())
    assert isinstance(event, CDRExportEvent)
    assert (event.kind, event.export_id, event.status) == ("cdr", "51230", "completed")
    assert event.id == "cdr:51230:completed"


def test_cdr_export_notice_wrapped_like_a_list_item_is_read_too():
    event = parse_webhook({"data": payloads.cdr_export()})
    assert isinstance(event, CDRExportEvent) and event.export_id == "51230"


def test_a_download_url_or_media_url_stays_out_of_the_event_repr():
    assert "X-Amz-Signature" not in repr(parse_webhook(payloads.cdr_export()))
    assert "s3.us-west-2" not in repr(parse_webhook(payloads.inbound_mms()))


@pytest.mark.parametrize("name", sorted(payloads.ALL))
def test_bytes_text_and_mapping_give_the_same_event(name):
    document = payloads.ALL[name]()
    text = json.dumps(document)
    events = {parse_webhook(text), parse_webhook(text.encode()), parse_webhook(document)}
    assert len(events) == 1


@pytest.mark.parametrize("name", sorted(payloads.ALL))
def test_a_redelivery_has_the_same_id_even_reformatted(name):
    document = payloads.ALL[name]()
    again = json.dumps(document, indent=2, sort_keys=True).encode()
    assert parse_webhook(document).id == parse_webhook(again).id


def test_different_callbacks_have_different_ids():
    ids = [
        parse_webhook(payloads.inbound_sms()).id,
        parse_webhook(payloads.inbound_mms()).id,
        parse_webhook(payloads.receipt(1)).id,
        parse_webhook(payloads.receipt(2)).id,
        parse_webhook(payloads.legacy_sms()).id,
        parse_webhook(payloads.cdr_export("processing")).id,
        parse_webhook(payloads.cdr_export("completed")).id,
    ]
    assert len(set(ids)) == len(ids)


def test_an_inbound_sms_and_a_receipt_with_the_same_message_id_do_not_collide():
    receipt = payloads.receipt()
    receipt["data"]["id"] = payloads.INBOUND_ID
    assert parse_webhook(receipt).id != parse_webhook(payloads.inbound_sms()).id


def test_two_receipts_at_one_level_with_different_statuses_differ():
    failed = payloads.receipt(2)
    failed["data"]["attributes"].update(status="undelivered", status_code="1001")
    assert parse_webhook(failed).id != parse_webhook(payloads.receipt(2)).id


def test_webhook_error_is_a_flowroute_error_and_a_value_error():
    with pytest.raises(WebhookError) as caught:
        parse_webhook(b"not json")
    assert isinstance(caught.value, FlowrouteError)
    assert isinstance(caught.value, ValueError)


def _with(attributes):
    document = payloads.inbound_sms()
    document["data"]["attributes"].update(attributes)
    return json.dumps(document)


MALFORMED = {
    "empty": b"",
    "not json": b"hello",
    "a list": b"[1, 2]",
    "a string": b'"data"',
    "null": b"null",
    "no data, no id": b'{"to": "12065550142"}',
    "data is a list": b'{"data": [{"type": "message"}]}',
    "data is null": b'{"data": null}',
    "unknown type": b'{"data": {"type": "number", "id": "1"}}',
    "no type": b'{"data": {"id": "1"}}',
    "type not text": b'{"data": {"type": ["message"], "id": "1"}}',
    "message without id": b'{"data": {"type": "message", "attributes": {"from": "1", "to": "2"}}}',
    "message without from": _with({"from": None}).encode(),
    "from is an object": _with({"from": {"n": 1}}).encode(),
    "is_mms is a word": _with({"is_mms": "maybe"}).encode(),
    "timestamp is nonsense": _with({"timestamp": "yesterday-ish"}).encode(),
    "amount is a list": _with({"amount_nanodollars": [4]}).encode(),
    "receipts not a list": _with({"delivery_receipts": "none"}).encode(),
    "attributes not an object": b'{"data": {"type": "message", "id": "m", "attributes": 3}}',
    "included not a list": b'{"data": {"type": "message", "id": "m",'
    b' "attributes": {"from": "1", "to": "2"}}, "included": {}}',
    "receipt without id": b'{"data": {"type": "delivery_receipt", "attributes": {"level": 1}}}',
    "receipt level a word": b'{"data": {"type": "delivery_receipt", "id": "m",'
    b' "attributes": {"level": "two"}}}',
    "export id not numeric": b'{"data": {"type": "cdrexport", "id": "../x"}}',
    "export id true": b'{"data": {"type": "cdrexport", "id": true}}',
    "export status a number": b'{"data": {"type": "cdrexport", "id": 5,'
    b' "attributes": {"status": 3}}}',
    "legacy without from": b'{"id": "mdr1-x", "to": "12065550142"}',
    "not utf-8": b'{"id": "\xff"}',
    "utf-16": '{"id": "x", "to": "1", "from": "2"}'.encode("utf-16"),
    "utf-8 bom": b'\xef\xbb\xbf{"id": "x", "to": "1", "from": "2"}',
    "escaped lone surrogate": b'{"id": "\\ud800", "to": "1", "from": "2"}',
    "surrogate in a key": b'{"id": "x", "to": "1", "from": "2", "\\udc00": 1}',
    "NaN": b'{"id": "x", "to": "1", "from": "2", "n": NaN}',
    "Infinity": b'{"id": "x", "to": "1", "from": "2", "n": -Infinity}',
    "overflowing float": b'{"id": "x", "to": "1", "from": "2", "n": 1e400}',
    "huge integer": b'{"id": "x", "to": "1", "from": "2", "n": ' + b"9" * 5000 + b"}",
    "repeated key": b'{"id": "x", "to": "1", "from": "2", "from": "3"}',
    "deep nesting": b'{"id": "x", "to": "1", "from": "2", "n": ' + b"[" * 40 + b"]" * 40 + b"}",
    "absurd nesting": b"[" * 100_000 + b"]" * 100_000,
    "trailing garbage": json.dumps(payloads.legacy_sms()).encode() + b"x",
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_bodies_raise_webhook_error(name):
    with pytest.raises(WebhookError):
        parse_webhook(MALFORMED[name])


def test_text_with_a_lone_surrogate_raises_webhook_error():
    with pytest.raises(WebhookError, match="surrogate"):
        parse_webhook('{"id": "\ud800", "to": "1", "from": "2"}')


@pytest.mark.parametrize("body", [None, 42, 1.5, ["a"], object()])
def test_a_body_of_another_type_raises_webhook_error(body):
    with pytest.raises(WebhookError):
        parse_webhook(body)


def test_a_mapping_holding_something_json_cannot_hold_raises_webhook_error():
    document = payloads.legacy_sms()
    document["when"] = datetime.now()
    with pytest.raises(WebhookError):
        parse_webhook(document)


def test_a_mapping_that_contains_itself_raises_webhook_error():
    document = payloads.legacy_sms()
    document["self"] = document
    with pytest.raises(WebhookError):
        parse_webhook(document)


def test_a_body_over_one_mib_is_refused_and_one_just_under_is_read():
    document = payloads.legacy_sms()
    document["body"] = ""
    frame = len(json.dumps(document).encode())
    document["body"] = "x" * (MIB - frame)
    exactly = json.dumps(document).encode()
    assert len(exactly) == MIB
    assert parse_webhook(exactly).message.body == "x" * (MIB - frame)
    with pytest.raises(WebhookError, match="over"):
        parse_webhook(exactly + b" ")


def test_unknown_fields_are_tolerated_and_kept_on_raw():
    document = payloads.inbound_sms()
    document["data"]["attributes"]["new_field"] = {"anything": [1, 2]}
    event = parse_webhook(document)
    assert event.raw["data"]["attributes"]["new_field"] == {"anything": [1, 2]}


def test_long_runs_of_digits_inside_text_are_fine():
    document = payloads.legacy_sms()
    document["body"] = "1" * 500
    assert parse_webhook(json.dumps(document)).message.body == "1" * 500


def test_amounts_and_codes_sent_as_strings_are_read():
    document = payloads.inbound_sms()
    document["data"]["attributes"]["amount_nanodollars"] = "4000000"
    event = parse_webhook(document)
    assert isinstance(event, InboundMessage)
    assert event.message.amount_nanodollars == 4_000_000
