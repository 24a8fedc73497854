"""Client options: bad values are refused at construction with a ValidationError naming them."""

from __future__ import annotations

import pickle

import pytest

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient, RetryPolicy, Timeout
from flowroutenumbersandmessaging.exceptions import APIConnectionError, ServerError, ValidationError
from tests.support.server import Reply


@pytest.mark.parametrize(
    ("args", "options", "named"),
    [
        ((123, "secret"), {}, "basic_auth_user_name"),
        (("key", b"secret"), {}, "basic_auth_password"),
        (("key", "secret"), {"base_uri": 5}, "base_uri"),
        (("key", "secret"), {"timeout": -1}, "timeout"),
        (("key", "secret"), {"timeout": (5, 0)}, "timeout read"),
        (("key", "secret"), {"timeout": "5"}, "timeout"),
        (("key", "secret"), {"deadline": 0}, "deadline"),
        (("key", "secret"), {"max_retries": "2"}, "max_retries"),
        (("key", "secret"), {"max_retries": -1}, "max_retries"),
        (("key", "secret"), {"send_rate_limits": {"sms": 0.5}}, "send_rate_limits['sms']"),
        (("key", "secret"), {"send_rate_limits": {"mms": 0}}, "send_rate_limits['mms']"),
        (("key", "secret"), {"session": "x"}, "session"),
        (("key", "secret"), {"max_response_bytes": 0}, "max_response_bytes"),
        (("key", "secret"), {"max_connections": 0}, "max_connections"),
        (("key", "secret"), {"max_connections": "32"}, "max_connections"),
        (("key", "secret"), {"max_connections": True}, "max_connections"),
        (("key", "secret"), {"send_rate_limits": [5, 1]}, "send_rate_limits"),
        (("key", "secret"), {"retry_policy": {"max_retries": 1}}, "retry_policy"),
        (("key", "secret"), {"deadline": float("nan")}, "deadline"),
    ],
)
def test_bad_options_are_refused_naming_the_option(args, options, named):
    with pytest.raises(ValidationError) as caught:
        FlowroutenumbersandmessagingClient(*args, **options)
    assert named in str(caught.value)


def test_retry_policy_refuses_negative_values():
    with pytest.raises(ValidationError, match="initial_delay"):
        RetryPolicy(initial_delay=-0.5)


def test_timeouts_accept_a_number_or_a_pair():
    assert Timeout.of(3) == Timeout(3, 3)
    assert Timeout.of((2, 7)) == Timeout(2, 7)


def test_a_connection_failure_names_the_host(make_client):
    client = make_client("http://127.0.0.1:9", max_retries=0)
    with pytest.raises(APIConnectionError) as caught:
        client.numbers.list_account_phone_numbers()
    assert str(caught.value).startswith("could not connect to 127.0.0.1:9 for GET /v2/numbers")


def test_with_options_changes_retries_for_the_calls_made_through_it(make_client, server):
    client = make_client(server)
    server.queue(Reply(503))
    with pytest.raises(ServerError):
        client.with_options(max_retries=0).numbers.list_account_phone_numbers()
    assert server.count == 1
    server.queue(Reply(503), Reply(200, {"data": []}))
    assert client.numbers.list_account_phone_numbers() == {"data": []}  # still retries
    assert server.count == 3


def test_with_options_shares_credentials_and_connections_and_closing_it_keeps_them(
    make_client, server
):
    client = make_client(server)
    quick = client.with_options(deadline=5, timeout=(1, 2))
    assert quick.numbers.list_account_phone_numbers() == {"data": []}
    quick.close()
    assert client.numbers.list_account_phone_numbers() == {"data": []}
    first, second = server.requests
    assert first.header("Authorization") == second.header("Authorization")
    assert first.connection == second.connection  # one pooled connection, shared


def test_with_options_refuses_bad_values(client):
    with pytest.raises(ValidationError, match="max_retries"):
        client.with_options(max_retries=-1)
    with pytest.raises(ValidationError, match="deadline"):
        client.with_options(deadline=0)
    with pytest.raises(ValidationError, match="timeout"):
        client.with_options(timeout=(1, -1))


def test_timeouts_and_retry_policies_are_immutable_values():
    policy = RetryPolicy(max_retries=3)
    assert policy == RetryPolicy(max_retries=3) and policy != RetryPolicy()
    assert hash(policy) == hash(RetryPolicy(max_retries=3))
    assert pickle.loads(pickle.dumps(policy)) == policy
    assert "max_retries=3" in repr(policy)
    with pytest.raises(AttributeError):
        policy.max_retries = 5  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(Timeout(2, 7))) == Timeout(2, 7)
