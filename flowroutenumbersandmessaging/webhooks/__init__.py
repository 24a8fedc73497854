"""Receiving Flowroute's callbacks: inbound SMS/MMS, delivery receipts, CDR export notices.

Flowroute POSTs a JSON body to your URL, unsigned, at least once, and posts it again when not
answered 200. This module turns that into typed events, once each::

    from wsgiref.simple_server import make_server
    from flowroutenumbersandmessaging.webhooks import WebhookReceiver

    def on_message(event):
        print(event.kind, event.message.from_, event.message.body)

    receiver = WebhookReceiver(on_message=on_message, tokens=[token])
    make_server("", 8000, receiver).serve_forever()

* :func:`parse_webhook` reads a body into an :class:`InboundMessage`, a
  :class:`DeliveryReceiptEvent` or a :class:`CDRExportEvent`, or raises :class:`WebhookError`.
* :func:`new_token`, :func:`add_token`, :func:`check_token`: a secret in the callback URL's
  ``fr_token`` query parameter, since Flowroute signs nothing.
* :class:`MemoryDedupeStore` (one process) and :class:`SQLiteDedupeStore` (the processes of one
  machine) remember which callbacks were handled; every event's ``id`` is its dedupe key.
* :class:`WebhookReceiver` puts it together as a WSGI application.
"""

from ._events import (
    CDRExportEvent,
    DeliveryReceiptEvent,
    InboundMessage,
    WebhookError,
    parse_webhook,
)
from ._receiver import WebhookReceiver
from ._sqlite_store import SQLiteDedupeStore
from ._stores import MemoryDedupeStore
from ._tokens import add_token, check_token, new_token

__all__ = [
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
]
