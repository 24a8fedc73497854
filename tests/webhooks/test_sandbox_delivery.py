"""End to end: the sandbox posts its callbacks to a receiver served on loopback."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import requests

from flowroutenumbersandmessaging.sandbox import Sandbox
from flowroutenumbersandmessaging.webhooks import (
    CDRExportEvent,
    DeliveryReceiptEvent,
    InboundMessage,
    WebhookReceiver,
    add_token,
    new_token,
)

MOBILE = "12065550777"


@pytest.fixture
def sandbox():
    with Sandbox() as running:
        yield running


@pytest.fixture
def client(sandbox):
    return sandbox.client()


@pytest.fixture
def number(client):
    return client.numbers.list_account_phone_numbers()["data"][0]["id"]


@pytest.fixture
def url(serve, recorder):
    token = new_token()
    receiver = WebhookReceiver(
        on_message=recorder, on_receipt=recorder, on_cdr_export=recorder, tokens=[token]
    )
    return add_token(serve(receiver).url, token)


def test_an_inbound_sms_arrives_as_an_inbound_message(sandbox, client, number, url, recorder):
    client.messages.set_account_level_sms_callback(url)
    sent = sandbox.receive_sms(to=number, from_=MOBILE, body="Hello ✓ from my phone")
    (event,) = recorder.wait(1)
    assert isinstance(event, InboundMessage) and event.kind == "sms"
    assert event.message.id == sent
    assert (event.message.from_, event.message.to) == (MOBILE, number)
    assert event.message.body == "Hello ✓ from my phone"
    assert event.message.message_encoding == 8
    # The record echoes the URL it was posted to, token and all; the event's repr does not.
    assert "fr_token=" in event.message.message_callback_url
    assert "fr_token" not in repr(event) and "Hello" not in repr(event)
    assert [d.status for d in sandbox.wait_for_webhooks(1)] == [200]


def test_an_inbound_mms_arrives_with_its_media(sandbox, client, number, url, recorder):
    client.messages.set_account_level_mms_callback(url)
    media = [
        {"url": "https://cdn.example.com/cat.jpg", "mime_type": "image/jpeg", "file_size": 5120},
        {"url": "https://cdn.example.com/note.txt"},
    ]
    sandbox.receive_mms(to=number, from_=MOBILE, body="look", media=media)
    (event,) = recorder.wait(1)
    assert isinstance(event, InboundMessage) and event.kind == "mms"
    assert [m.url for m in event.message.media] == [m["url"] for m in media]
    assert [m.mime_type for m in event.message.media] == ["image/jpeg", "text/plain"]
    assert event.message.media[0].file_size == 5120


def test_both_delivery_receipts_of_a_sent_message_arrive(client, number, url, recorder):
    sent = client.messages.send_a_message(
        {"to": MOBILE, "from": number, "body": "Your code is 4411", "dlr_callback": url}
    )["data"]["id"]
    events = recorder.wait(2)
    assert all(isinstance(e, DeliveryReceiptEvent) for e in events)
    assert sorted(e.receipt.level for e in events) == [1, 2]
    assert {e.receipt.message_id for e in events} == {sent}
    assert len({e.id for e in events}) == 2
    delivered = next(e for e in events if e.receipt.level == 2)
    assert (delivered.receipt.status, delivered.receipt.status_code) == ("delivered", 1000)


def test_a_cdr_export_notice_arrives_when_the_export_completes(sandbox, client, url, recorder):
    now = datetime.now(timezone.utc)
    filters = {"start_call_start_time": now - timedelta(days=30), "start_call_end_time": now}
    export_id = client.cdrs.create_cdr_export(filters, callback_url=url)["data"]["id"]
    sandbox.complete_cdr_export(export_id)
    (event,) = recorder.wait(1)
    assert isinstance(event, CDRExportEvent)
    assert (event.export_id, event.status) == (str(export_id), "completed")
    status = client.cdrs.get_cdr_export_status(event.export_id)
    assert status["data"]["attributes"]["download_url"]


def test_a_failed_handler_is_run_again_when_the_sandbox_redelivers(
    sandbox, client, number, url, recorder
):
    client.messages.set_account_level_sms_callback(url)
    recorder.failures = 1
    sandbox.receive_sms(to=number, from_=MOBILE, body="first try fails")
    # The receiver answers 500 and releases its claim; the sandbox, as Flowroute does, posts
    # the same body again, and this time the handler succeeds.
    first, second = sandbox.wait_for_webhooks(2)
    assert (first.status, first.attempt, first.final) == (500, 1, False)
    assert (second.status, second.attempt, second.final) == (200, 2, True)
    assert second.json == first.json
    (event,) = recorder.wait(1)
    assert event.message.body == "first try fails"
    assert recorder.calls == 2


def test_redeliveries_of_a_handled_callback_are_not_handled_again(
    sandbox, client, number, url, recorder
):
    client.messages.set_account_level_sms_callback(url)
    sandbox.receive_sms(to=number, from_=MOBILE, body="once only")
    (delivery,) = sandbox.wait_for_webhooks(1)
    assert delivery.status == 200
    for _ in range(3):
        assert requests.post(delivery.url, json=delivery.json, timeout=5).status_code == 200
    assert recorder.calls == 1
