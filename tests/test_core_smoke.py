"""The HTTP core's basic promises, over loopback."""

from __future__ import annotations

import base64
import time

import pytest

from flowroutenumbersandmessaging.exceptions import (
    APITimeoutError,
    NotFoundError,
    ServerError,
)
from tests.support.canary import ACCESS_KEY, SECRET_KEY
from tests.support.server import Drip, Reply


def test_get_sends_basic_auth_and_returns_document(client, server):
    server.queue(Reply(200, {"data": [{"id": "206"}]}))
    assert client.numbers.list_available_area_codes(2) == {"data": [{"id": "206"}]}
    (request,) = server.requests
    assert request.target == "/v2/numbers/available/areacodes?limit=2"
    expected = base64.b64encode(f"{ACCESS_KEY}:{SECRET_KEY}".encode()).decode()
    assert request.header("Authorization") == f"Basic {expected}"


def test_get_is_retried_on_503_then_succeeds(client, server):
    server.queue(Reply(503), Reply(503), Reply(200, {"data": []}))
    assert client.numbers.list_account_phone_numbers() == {"data": []}
    assert server.count == 3


def test_purchase_is_not_retried_on_503_and_outcome_is_unknown(client, server):
    server.queue(Reply(503, {"errors": [{"detail": "maintenance"}]}))
    with pytest.raises(ServerError) as caught:
        client.numbers.purchase_a_phone_number("12065550142")
    assert server.count == 1
    assert caught.value.outcome_unknown
    assert "maintenance" in str(caught.value)


def test_404_raises_not_found_with_errors(client, server):
    server.queue(
        Reply(
            404,
            {
                "errors": [
                    {"status": 404, "detail": "Could not find that resource on your account."}
                ]
            },
        )
    )
    with pytest.raises(NotFoundError) as caught:
        client.numbers.list_phone_number_details(12065550142)
    error = caught.value
    assert error.response_code == 404
    assert error.errors[0]["detail"].startswith("Could not find")
    assert str(error).startswith("404 on GET /v2/numbers/12065550142")
    assert error.context.request.headers["Authorization"] == "[redacted]"


def test_slow_drip_cannot_outlast_the_deadline(make_client, server):
    client = make_client(server, deadline=1.0, timeout=(1, 1))
    server.queue(Drip(Reply(200, {"data": []}), interval=0.1, limit=10))
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as caught:
        client.numbers.list_available_area_codes()
    assert time.monotonic() - started < 2.0
    assert "deadline" in str(caught.value)
