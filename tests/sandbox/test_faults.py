"""Fault controls and request recording."""

from __future__ import annotations

import time

import pytest
import requests

from flowroutenumbersandmessaging.exceptions import RateLimitError
from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.sandbox.rawhttp import exchange


def test_fail_next_answers_the_status_with_retry_after_and_leaves_state_alone(api, sandbox):
    candidate = api.get("/v2/numbers/available", limit=1).json()["data"][0]["id"]
    sandbox.faults.fail_next("POST", "/v2/numbers/*", 503, retry_after=2)
    failed = api("POST", f"/v2/numbers/{candidate}")
    assert failed.status_code == 503 and failed.headers["Retry-After"] == "2"
    assert failed.json()["errors"][0]["status"] == 503
    assert candidate not in api.my_numbers()
    assert api("POST", f"/v2/numbers/{candidate}").status_code == 201
    assert sandbox.faults.pending == 0


def test_fail_next_counts_times_and_takes_a_custom_body(api, sandbox):
    sandbox.faults.fail_next(
        "get", "/v2/routes", 429, times=2, body={"errors": [{"detail": "slow"}]}
    )
    statuses = [api.get("/v2/routes").status_code for _ in range(3)]
    assert statuses == [429, 429, 200]
    sandbox.faults.fail_next("GET", "/v2/routes", 500, body="plain text")
    assert api.get("/v2/routes").text == "plain text"


def test_other_methods_and_paths_are_not_affected(api, sandbox):
    sandbox.faults.fail_next("DELETE", "/v2/numbers/*", 500)
    assert api.get("/v2/numbers").status_code == 200
    assert api.get(f"/v2/numbers/{api.my_numbers()[0]}").status_code == 200
    sandbox.faults.clear()
    assert sandbox.faults.pending == 0


def test_delay_next_adds_latency_to_the_next_matching_request_only(api, sandbox):
    sandbox.faults.delay_next("GET", "/v2/routes", 0.2)
    started = time.monotonic()
    assert api.get("/v2/routes").status_code == 200
    assert time.monotonic() - started >= 0.2
    assert sandbox.faults.pending == 0


def test_drop_before_processing_leaves_no_trace_in_state(api, sandbox):
    candidate = api.get("/v2/numbers/available", limit=1).json()["data"][0]["id"]
    sandbox.faults.drop_next("POST", f"/v2/numbers/{candidate}")
    with pytest.raises(requests.ConnectionError):
        api("POST", f"/v2/numbers/{candidate}")
    assert candidate not in api.my_numbers()


def test_drop_after_processing_applies_the_request_first(api, sandbox):
    candidate = api.get("/v2/numbers/available", limit=1).json()["data"][0]["id"]
    sandbox.faults.drop_next("POST", "/v2/numbers/*", after_processing=True)
    with pytest.raises(requests.ConnectionError):
        api("POST", f"/v2/numbers/{candidate}")
    assert candidate in api.my_numbers()
    assert [r.method for r in sandbox.requests].count("POST") == 1


def test_requests_are_recorded_with_query_headers_and_json(api, sandbox):
    api.get("/v2/numbers", limit=2, contains=55)
    api.jsonapi("POST", "/v2/routes", "route", route_type="host", value="10.9.9.9")
    listed, created = sandbox.requests
    assert (listed.method, listed.path, listed.query) == (
        "GET",
        "/v2/numbers",
        {"limit": "2", "contains": "55"},
    )
    assert listed.target == "/v2/numbers?limit=2&contains=55"
    assert listed.header("authorization").startswith("Basic ")
    assert created.json["data"]["attributes"]["value"] == "10.9.9.9"
    assert created.headers["content-type"] == "application/json"


def test_sdk_client_sees_injected_rate_limit(sandbox):
    sandbox.faults.fail_next("GET", "/v2/numbers", 429, times=5, retry_after=0)
    with sandbox.client(max_retries=0) as client, pytest.raises(RateLimitError) as caught:
        client.numbers.list_account_phone_numbers()
    assert caught.value.response_code == 429
    assert len(sandbox.requests) == 1


def test_fault_arguments_are_checked(sandbox):
    with pytest.raises(ValueError):
        sandbox.faults.fail_next("GET", "/v2/numbers", 99)
    with pytest.raises(ValueError):
        sandbox.faults.drop_next("GET", "/v2/numbers", times=0)


def test_a_bounded_request_log_keeps_only_the_last_requests():
    with Sandbox(request_log_size=25) as sandbox:
        port = int(sandbox.base_uri.rsplit(":", 1)[1])
        pipeline = b"".join(
            b"GET /v2/routes?n=%d HTTP/1.1\r\nHost: x\r\n\r\n" % n for n in range(600)
        )
        answers = exchange(port, pipeline, timeout=30)
        downloads = b"GET /_sandbox/cdr-files/nope HTTP/1.1\r\nHost: x\r\n\r\n" * 30
        exchange(port, downloads)
        assert answers.count(b"HTTP/1.1 401 ") == 600
        assert [r.target for r in sandbox.requests] == [
            f"/v2/routes?n={n}" for n in range(575, 600)
        ]
        assert len(sandbox.download_requests) == 25


def test_the_webhook_log_is_bounded_too_and_waiting_still_counts_every_attempt():
    with Sandbox(request_log_size=2) as sandbox:
        client = sandbox.client()
        number = client.numbers.list_account_phone_numbers()["data"][0]["id"]
        client.messages.set_account_level_sms_callback("https://hooks.example.com/x")
        for text in ("one", "two", "three"):
            sandbox.receive_sms(number, "12065550777", text)
        assert len(sandbox.wait_for_webhooks(3)) == 2
    assert [d.json["data"]["attributes"]["body"] for d in sandbox.webhooks] == ["two", "three"]


def test_in_process_sandboxes_keep_every_request_by_default(api, sandbox):
    for _ in range(3):
        api.get("/v2/routes")
    assert len(sandbox.requests) == 3


def test_the_request_log_size_is_checked():
    with pytest.raises(ValueError, match="request_log_size"):
        Sandbox(request_log_size=-1)
