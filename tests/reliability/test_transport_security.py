"""Transport-level attacks: header injection, plain http,
untrusted TLS, decompression bombs and hostile JSON."""

from __future__ import annotations

import ssl
import sys
import threading
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import trustme

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient
from flowroutenumbersandmessaging.exceptions import (
    APIConnectionError,
    BadRequestError,
    FlowrouteError,
    InvalidResponseError,
    ResponseTooLargeError,
    ValidationError,
)
from tests.reliability.conftest import NUMBER
from tests.reliability.leaks import assert_no_leak
from tests.support.bombs import MiB, gzip_bomb
from tests.support.canary import ACCESS_KEY, SECRET_KEY
from tests.support.server import Cleartext, Reply, ScriptedServer

# ---------------------------------------------------------------- "no I/O": an audit hook
# Socket audit events of the thread inside ``no_network()``; other threads are not watched.
_watched = threading.local()


def _audit(event: str, args: Any) -> None:
    if event.startswith("socket.") and getattr(_watched, "events", None) is not None:
        _watched.events.append(event)


sys.addaudithook(_audit)


class no_network:
    """``with no_network():`` fails if the block resolves a name or opens a connection."""

    def __enter__(self) -> None:
        _watched.events = []

    def __exit__(self, *exc: object) -> None:
        events, _watched.events = _watched.events, None
        assert events == [], f"network activity: {events}"


def call(client: FlowroutenumbersandmessagingClient, operation: str) -> Any:
    if operation == "read":
        return client.numbers.list_account_phone_numbers()
    return client.numbers.purchase_a_phone_number(NUMBER)


# ---------------------------------------------------------------- header and query injection


@pytest.mark.parametrize("suffix", ["app\r\nX-Evil: 1", "app\n", "app\r", "app\x00", "app\x7f"])
def test_user_agent_suffix_with_control_characters_is_refused_before_any_io(suffix, server):
    with no_network(), pytest.raises(ValidationError):
        FlowroutenumbersandmessagingClient(
            ACCESS_KEY, SECRET_KEY, base_uri=server.url, user_agent_suffix=suffix
        )
    assert server.count == 0


def test_user_agent_suffix_is_appended_to_the_user_agent(make_client, server):
    client = make_client(server, user_agent_suffix="billing-app/2.1")
    client.numbers.list_account_phone_numbers()
    agent = server.requests[0].header("User-Agent")
    assert agent.startswith("flowroutenumbersandmessaging-python/")
    assert agent.endswith(" billing-app/2.1")


def test_query_values_reach_the_server_as_one_value_each(client, server):
    # The digit filters refuse anything but digits; free-text parameters go out as sent.
    client.numbers.search_for_purchasable_phone_numbers(
        contains=206, rate_center="&limit=1000#frag", state="WA\r\nX-Evil: 1", limit=2
    )
    (request,) = server.requests
    assert "\r" not in request.target and "\n" not in request.target and "#" not in request.target
    assert request.header("X-Evil") is None
    assert request.query == [
        ("contains", "206"),
        ("limit", "2"),
        ("rate_center", "&limit=1000#frag"),
        ("state", "WA\r\nX-Evil: 1"),
    ]


# ---------------------------------------------------------------- https only, loopback aside


@pytest.mark.parametrize(
    "base_uri",
    [
        "http://api.example",
        "http://api.flowroute.com",
        "http://127.0.0.1.evil.example",
        "http://localhost.evil.example",
        "http://0.0.0.0:8080",
        "http://10.0.0.1",
        "ftp://127.0.0.1",
        "file:///etc/passwd",
        "api.flowroute.com",
        "https://user:pw@api.flowroute.com",
        "http://user:pw@127.0.0.1:8080",
    ],
)
def test_insecure_or_malformed_base_uri_is_refused_without_io(base_uri):
    with no_network(), pytest.raises(ValidationError):
        FlowroutenumbersandmessagingClient(ACCESS_KEY, SECRET_KEY, base_uri=base_uri)


@pytest.mark.parametrize(
    "base_uri",
    [
        "https://api.flowroute.com",
        "http://127.0.0.1:8080",
        "http://localhost:8080",
        "http://[::1]:80",
    ],
)
def test_https_and_loopback_http_are_accepted_without_io(base_uri):
    with no_network():
        client = FlowroutenumbersandmessagingClient(ACCESS_KEY, SECRET_KEY, base_uri=base_uri)
    client.close()


# ---------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def tls_context(ca: trustme.CA, *names: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return context


@pytest.fixture
def tls_server(ca: trustme.CA) -> Iterator[ScriptedServer]:
    with ScriptedServer(tls=tls_context(ca, "127.0.0.1")) as server:
        yield server


@pytest.fixture
def trusting_session(ca: trustme.CA) -> Iterator[requests.Session]:
    """What a user with a private CA passes in: the SDK itself never sets ``verify``."""
    with ca.cert_pem.tempfile() as bundle, requests.Session() as session:
        session.verify = bundle
        yield session


@pytest.mark.parametrize("operation", ["read", "create"])
def test_untrusted_certificate_fails_after_one_handshake_without_retry(
    operation, tls_server, fault_client, debug_logs
):
    client = fault_client(tls_server)
    with pytest.raises(APIConnectionError) as caught:
        call(client, operation)
    error = caught.value
    assert type(error) is APIConnectionError and "certificate" in str(error)
    assert error.sent is False and error.outcome_unknown is False
    assert tls_server.connections == 1 and tls_server.count == 0
    assert_no_leak(error, debug_logs.text)


def test_certificate_for_another_host_is_refused(ca, fault_client, trusting_session):
    with ScriptedServer(tls=tls_context(ca, "api.example.test")) as server:
        client = fault_client(server, session=trusting_session)
        with pytest.raises(APIConnectionError, match="certificate"):
            client.numbers.purchase_a_phone_number(NUMBER)
        assert server.connections == 1 and server.count == 0


def test_a_session_trusting_the_ca_works_and_does_not_weaken_other_clients(
    tls_server, fault_client, trusting_session
):
    bundle = trusting_session.verify
    trusted = fault_client(tls_server, session=trusting_session)
    assert trusted.numbers.list_account_phone_numbers() == {"data": []}
    assert trusting_session.verify == bundle  # left as the user set it
    # Another client in the same process (CVE-2024-35195's shape) still verifies.
    with pytest.raises(APIConnectionError, match="certificate"):
        fault_client(tls_server).numbers.list_account_phone_numbers()
    assert tls_server.count == 1


def test_a_ca_bundle_named_by_requests_ca_bundle_is_honoured(
    ca, tls_server, fault_client, monkeypatch
):
    # What plain requests does for corporate CAs; the SDK reads it when the client is built.
    with ca.cert_pem.tempfile() as bundle:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", bundle)
        client = fault_client(tls_server)
        assert client.numbers.list_account_phone_numbers() == {"data": []}
    assert tls_server.count == 1


def test_a_sessions_own_ca_bundle_wins_over_requests_ca_bundle(
    tls_server, fault_client, trusting_session, monkeypatch
):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", requests.certs.where())  # trusts no test CA
    client = fault_client(tls_server, session=trusting_session)
    assert client.numbers.list_account_phone_numbers() == {"data": []}


@pytest.mark.parametrize(("operation", "requests_seen"), [("read", 3), ("create", 1)])
def test_tls_failure_after_the_request_was_sent_is_ambiguous_not_a_certificate_error(
    operation, requests_seen, tls_server, fault_client, trusting_session
):
    client = fault_client(tls_server, session=trusting_session)
    tls_server.queue(Cleartext(), Cleartext(), Cleartext())
    with pytest.raises(APIConnectionError) as caught:
        call(client, operation)
    assert tls_server.count == requests_seen
    assert "certificate" not in str(caught.value)
    assert caught.value.sent is True
    assert caught.value.outcome_unknown is (operation == "create")


# ---------------------------------------------------------------- bombs and hostile JSON


@pytest.mark.parametrize("operation", ["read", "create"])
def test_gzip_bomb_raises_response_too_large_in_bounded_memory(operation, server, fault_client):
    client = fault_client(server)
    bomb = gzip_bomb()
    reply = Reply(200, bomb, {"Content-Encoding": "gzip", "Content-Type": "application/json"})
    server.queue(reply, reply, reply)
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLargeError) as caught:
            call(client, operation)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * MiB, f"peak {peak / MiB:.0f} MiB"
    assert server.count == 1  # too large is final: never fetched again
    assert caught.value.outcome_unknown is (operation == "create")


def test_body_over_the_cap_is_refused_before_json_parsing(server, fault_client):
    client = fault_client(server, max_response_bytes=1000)
    server.queue(Reply(200, {"data": ["x" * 2000]}))
    with pytest.raises(ResponseTooLargeError, match="1000 bytes"):
        client.numbers.list_account_phone_numbers()


def test_content_encoding_chain_of_six_is_a_typed_error(server, fault_client):
    client = fault_client(server)
    chain = ", ".join(["gzip"] * 6)
    server.queue(*[Reply(200, gzip_bomb(MiB), {"Content-Encoding": chain})] * 3)
    with pytest.raises(FlowrouteError, match="corrupt"):  # never a raw urllib3 DecodeError
        client.numbers.list_account_phone_numbers()


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("operation", ["read", "create"])
def test_deeply_nested_json_is_an_invalid_response_not_a_recursion_error(
    operation, server, fault_client
):
    client = fault_client(server)
    server.queue(Reply(201 if operation == "create" else 200, DEEP))
    with pytest.raises(InvalidResponseError) as caught:
        call(client, operation)
    assert caught.value.outcome_unknown is (operation == "create")


def test_deeply_nested_json_in_an_error_body_still_gives_the_status_error(server, fault_client):
    client = fault_client(server)
    server.queue(Reply(400, '{"errors": ' + DEEP + "}"))
    with pytest.raises(BadRequestError) as caught:
        client.numbers.list_account_phone_numbers()
    assert caught.value.response_code == 400 and caught.value.errors == []
