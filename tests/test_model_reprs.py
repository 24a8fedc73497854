"""Callback URLs carry their receiver's token: a model's repr (so a log line or a traceback that
shows the model) never shows them."""

from __future__ import annotations

from flowroutenumbersandmessaging.models import CDRExport, Message
from flowroutenumbersandmessaging.sandbox import WebhookDelivery

TOKEN = "tok-0123456789abcdef0123456789abcdef"
URL = f"https://hooks.example.com/flowroute?fr_token={TOKEN}"


def test_a_message_repr_hides_its_callback_url():
    message = Message.from_json(
        {"id": "mdr2-" + "a" * 32, "attributes": {"body": "hi", "message_callback_url": URL}}
    )
    assert message.message_callback_url == URL
    assert TOKEN not in repr(message)


def test_a_cdr_export_repr_hides_its_callback_url():
    export = CDRExport.from_json({"id": "51231", "attributes": {"callback_url": URL}})
    assert export.callback_url == URL
    assert TOKEN not in repr(export)


def test_a_sandbox_webhook_delivery_repr_hides_the_url_and_body():
    delivery = WebhookDelivery("sms", URL, {"data": {"attributes": {"message_callback_url": URL}}})
    assert delivery.url == URL
    assert TOKEN not in repr(delivery)
