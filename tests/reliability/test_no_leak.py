"""Credentials never leave the client: not in reprs, errors, tracebacks,
pickles or DEBUG logs. The fault matrix applies the same invariant to every fault; this file
covers the objects themselves and a server that echoes the credentials back."""

from __future__ import annotations

import copy
import logging
import pickle

import pytest

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient
from flowroutenumbersandmessaging.exceptions import (
    BadRequestError,
    FlowrouteError,
    InvalidResponseError,
    NotFoundError,
    ServerError,
)
from tests.reliability.conftest import NUMBER
from tests.reliability.leaks import assert_no_leak, basic_token, leaks_in, sdk_records
from tests.support.canary import ACCESS_KEY, SECRET_KEY
from tests.support.server import Raw, Recorded, Reply, ScriptedServer


def echo(request: Recorded) -> Reply:
    """A misconfigured proxy or debug endpoint: echoes the request's headers back."""
    auth = request.header("Authorization") or ""
    body = {"errors": [{"detail": f"bad credentials in {auth}", "meta": dict(request.headers)}]}
    return Reply(400, body, {"X-Echo-Authorization": auth})


def controllers(client: FlowroutenumbersandmessagingClient) -> list[object]:
    names = ("numbers", "routes", "messages", "e911s", "cnams", "cdrs", "porting")
    return [getattr(client, name) for name in names]


def test_client_and_controller_reprs_show_no_credentials(client):
    for obj in [client, *controllers(client)]:
        assert not leaks_in(repr(obj)) and not leaks_in(str(obj))
    assert ACCESS_KEY[:4] in repr(client)  # enough to tell two accounts apart


def test_client_and_controllers_refuse_to_pickle_or_deepcopy(client):
    for obj in [client, client.numbers, client._core]:
        with pytest.raises(TypeError):
            pickle.dumps(obj)
        with pytest.raises(TypeError):
            copy.deepcopy(obj)


def test_debug_logs_of_a_successful_call_show_no_credentials(client, server, debug_logs):
    server.queue(Reply(200, {"data": []}, {"Set-Cookie": "session=s3cr3t", "X-Other": "x"}))
    client.numbers.list_account_phone_numbers(limit=5)
    assert (
        server.requests[0].header("Authorization") == f"Basic {basic_token(ACCESS_KEY, SECRET_KEY)}"
    )
    assert not leaks_in(debug_logs.text)
    assert "Authorization" not in debug_logs.text
    ours = sdk_records(debug_logs.records)
    assert ours and {r.name for r in ours} == {"flowroutenumbersandmessaging"}
    # Headers are logged from an allow-list only.
    assert "s3cr3t" not in debug_logs.text and "X-Other" not in debug_logs.text
    assert "Content-Type" in debug_logs.text


@pytest.mark.parametrize("operation", ["read", "create"])
def test_credentials_echoed_by_the_server_are_scrubbed_from_errors(
    operation, fault_client, debug_logs
):
    with ScriptedServer(default=echo) as server:
        client = fault_client(server)
        with pytest.raises(BadRequestError) as caught:
            if operation == "read":
                client.numbers.list_account_phone_numbers()
            else:
                client.numbers.purchase_a_phone_number(NUMBER)
    error = caught.value
    assert "bad credentials in Basic [redacted]" in str(error)
    assert error.context.response.headers["x-echo-authorization"] == "Basic [redacted]"
    assert_no_leak(error, debug_logs.text)


def test_credentials_echoed_in_a_2xx_body_are_scrubbed_from_the_error(
    server, fault_client, debug_logs
):
    client = fault_client(server)
    server.queue(Reply(200, f"<html>Welcome {ACCESS_KEY}:{SECRET_KEY}</html>"))
    with pytest.raises(InvalidResponseError) as caught:
        client.numbers.list_account_phone_numbers()
    assert "[redacted]" in caught.value.context.response.raw_body
    assert_no_leak(caught.value, debug_logs.text)


def test_207_warning_is_logged_once_under_the_sdk_logger_without_credentials(
    server, fault_client, debug_logs
):
    client = fault_client(server)
    body = {"data": {"id": NUMBER}, "errors": [{"detail": f"messaging failed for {SECRET_KEY}"}]}
    server.queue(Reply(207, body))
    assert client.numbers.purchase_a_phone_number(NUMBER)["data"]["id"] == NUMBER
    warnings = [r for r in sdk_records(debug_logs.records) if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "207" in warnings[0].getMessage()
    assert not leaks_in(debug_logs.text)


def test_errors_round_trip_through_pickle_with_their_attributes(server, fault_client):
    client = fault_client(server)
    server.queue(Reply(503, {"errors": [{"detail": "maintenance", "status": 503}]}))
    with pytest.raises(ServerError) as caught:
        client.numbers.purchase_a_phone_number(NUMBER)
    error = caught.value
    copy_ = pickle.loads(pickle.dumps(error))
    assert (type(copy_), str(copy_), copy_.response_code) == (ServerError, str(error), 503)
    assert copy_.outcome_unknown and copy_.errors == error.errors
    assert copy_.context.response.raw_body == error.context.response.raw_body
    assert copy_.context.response.headers["content-type"] == "application/vnd.api+json"


def test_errors_do_not_chain_to_the_requests_exception_that_holds_the_header(server, fault_client):
    # requests' exceptions keep the PreparedRequest, Authorization header included.
    client = fault_client(server)
    server.queue(*[Raw(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{")] * 3)  # truncated
    with pytest.raises(FlowrouteError) as caught:
        client.numbers.list_account_phone_numbers()
    assert caught.value.__context__ is None and caught.value.__cause__ is None


def test_short_sandbox_credentials_do_not_shred_error_bodies(make_client, server):
    client = FlowroutenumbersandmessagingClient("k", "s", base_uri=server.url)
    server.queue(Reply(404, {"errors": [{"status": 404, "detail": "Number is not available."}]}))
    with pytest.raises(NotFoundError) as caught:
        client.numbers.purchase_a_phone_number("12065550100")
    client.close()
    assert caught.value.errors[0]["detail"] == "Number is not available."
    assert str(caught.value).endswith(": Number is not available.")
