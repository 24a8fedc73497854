"""Hostile bodies: parse_webhook returns a valid event or raises WebhookError, nothing else."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowroutenumbersandmessaging.models import DeliveryReceipt, Message
from flowroutenumbersandmessaging.webhooks import (
    CDRExportEvent,
    DeliveryReceiptEvent,
    InboundMessage,
    WebhookError,
    parse_webhook,
)
from tests.webhooks import payloads

FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    ["data", "type", "id", "attributes", "from", "to", "body", "is_mms", "level", "status",
     "status_code", "timestamp", "included", "relationships", "media", "delivery_receipts",
     "message_encoding", "amount_nanodollars", "url", "file_size"]
)  # fmt: skip


def assert_valid_or_refused(body: Any) -> None:
    try:
        event = parse_webhook(body)
    except WebhookError:
        return
    assert isinstance(event.id, str) and event.id
    if isinstance(event, InboundMessage):
        assert event.kind in ("sms", "mms")
        assert isinstance(event.message, Message)
        assert event.message.from_ and event.message.to
        assert event.id == f"message:{event.message.id}"
    elif isinstance(event, DeliveryReceiptEvent):
        assert event.kind == "dlr"
        assert isinstance(event.receipt, DeliveryReceipt) and event.receipt.message_id
        assert event.id.startswith(f"dlr:{event.receipt.message_id}:")
    else:
        assert isinstance(event, CDRExportEvent)
        assert event.export_id.isdigit()
        assert event.status is None or isinstance(event.status, str)


@FUZZ
@given(st.binary(max_size=300))
def test_arbitrary_bytes(body):
    assert_valid_or_refused(body)


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_text(body):
    assert_valid_or_refused(body)


@FUZZ
@given(json_values)
def test_arbitrary_json_as_bytes_and_as_a_mapping(value):
    assert_valid_or_refused(json.dumps(value).encode())
    assert_valid_or_refused(value)


@FUZZ
@given(
    st.dictionaries(field_names, json_values, max_size=6),
    st.sampled_from(["message", "delivery_receipt", "cdrexport", "media", None]),
)
def test_callback_shaped_json(attributes, kind):
    assert_valid_or_refused({"data": {"type": kind, "id": attributes.get("id"), **attributes}})
    assert_valid_or_refused({"data": {"type": kind, "id": "1", "attributes": attributes}})
    assert_valid_or_refused(attributes)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@st.composite
def mutated_payloads(draw: st.DrawFn) -> Any:
    document = payloads.ALL[draw(st.sampled_from(sorted(payloads.ALL)))]()
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(document)))
        if not path:
            return draw(json_values)
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
            continue
        parent[path[-1]] = draw(json_values)
    return document


@FUZZ
@given(mutated_payloads())
def test_mutations_of_valid_payloads(document):
    assert_valid_or_refused(document)
    assert_valid_or_refused(json.dumps(document))


@FUZZ
@given(st.sampled_from(sorted(payloads.ALL)), st.data())
def test_byte_level_damage_to_valid_payloads(name, data):
    body = bytearray(json.dumps(payloads.ALL[name]()).encode())
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(body) - 1))
        body[position] = data.draw(st.integers(0, 255))
    assert_valid_or_refused(bytes(body))
