"""The webhooks module exports exactly the names its users and docs rely on."""

from __future__ import annotations

from flowroutenumbersandmessaging import webhooks

INTENDED = {
    "CDRExportEvent",
    "DeliveryReceiptEvent",
    "InboundMessage",
    "MemoryDedupeStore",
    "SQLiteDedupeStore",
    "WebhookError",
    "WebhookReceiver",
    "add_token",
    "check_token",
    "new_token",
    "parse_webhook",
}


def test_all_is_sorted_and_is_the_intended_set():
    assert webhooks.__all__ == sorted(webhooks.__all__)
    assert set(webhooks.__all__) == INTENDED
    for name in INTENDED:
        assert getattr(webhooks, name).__module__.startswith(webhooks.__name__)
