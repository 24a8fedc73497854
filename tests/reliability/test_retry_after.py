"""Retry-After handling (after OpenAI's parsing table): never a crash, never a negative sleep;
a wait above the cap is not waited for but raised as RateLimitError; the header's name in any
case."""

from __future__ import annotations

import email.utils
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowroutenumbersandmessaging import RetryPolicy
from flowroutenumbersandmessaging._retry import parse_retry_after
from flowroutenumbersandmessaging.exceptions import RateLimitError
from tests.reliability.conftest import NUMBER, retries_logged
from tests.support.server import Reply
from tests.support.timing import AT_ONCE


def http_date(seconds_from_now: float) -> str:
    return email.utils.formatdate(time.time() + seconds_from_now, usegmt=True)


# value -> what the SDK must make of it: a number of seconds, None (unusable: default wait)
UNUSABLE = [
    "",
    "   ",
    "inf",
    "-inf",
    "Infinity",
    "nan",
    "NaN",
    "1e400",
    "garbage",
    "1_000",
    "0x10",
    "1,5",
    "5 seconds",
    "Mon, 32 Foo 2020 25:61:61 GMT",
    "Wed, 21 Oct 10000 07:28:00 GMT",
]
IMMEDIATE = [  # parsed as 0: in the past or negative
    "0",
    "-1",
    "-0.5",
    "-99999999999",
    "Wed, 21 Oct 2015 07:28:00 GMT",
    "Wed, 21 Oct 2015 07:28:00 -0000",
    "Sunday, 06-Nov-94 08:49:37 GMT",  # RFC 850, two-digit year
    "Sun Nov  6 08:49:37 1994",  # asctime
    "Sun, 06 Nov 94 08:49:37 GMT",  # two-digit year in RFC 1123 form
    "Sun, 06 Nov 70 08:49:37 GMT",  # two-digit years above 68 are 19xx
]
HUGE = [  # above any sane cap
    "100000",
    "1e5",
    "99999999999999999999",
    "Mon, 01 Jan 9999 00:00:00 GMT",
    "Sun, 06 Nov 60 08:49:37 GMT",  # two-digit years up to 68 are 20xx
]


@pytest.mark.parametrize("value", UNUSABLE)
def test_unusable_retry_after_parses_as_none(value):
    assert parse_retry_after(value) is None


@pytest.mark.parametrize("value", IMMEDIATE)
def test_past_or_negative_retry_after_parses_as_zero(value):
    assert parse_retry_after(value) == 0.0


@pytest.mark.parametrize("value", HUGE)
def test_huge_retry_after_parses_above_the_cap(value):
    seconds = parse_retry_after(value)
    assert seconds is not None and seconds > RetryPolicy().retry_after_cap


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1.0), ("  2  ", 2.0), ("0.25", 0.25), ("+3", 3.0), (".5", 0.5), ("120", 120.0)],
)
def test_delta_seconds_are_read_as_seconds(value, expected):
    assert parse_retry_after(value) == expected


def test_http_date_in_the_future_is_read_as_seconds_from_now():
    seconds = parse_retry_after(http_date(3600))
    assert seconds is not None and 3590 <= seconds <= 3600


# A backstop for the tables above, which name every case the parser tells apart: 100 examples
# (hypothesis's default), about half of them number-shaped.
@settings(max_examples=100, deadline=None, database=None)
@given(st.text(max_size=40) | st.from_regex(r"\A[ +-]?[0-9.eE]{1,12}\Z"))
def test_any_retry_after_parses_to_none_or_a_finite_non_negative_number(value):
    seconds = parse_retry_after(value)
    assert seconds is None or (0.0 <= seconds < float("inf"))
    assert RetryPolicy().rate_limit_delay(seconds) >= RetryPolicy().rate_limit_min_delay


@pytest.mark.parametrize("value", UNUSABLE + IMMEDIATE)
def test_429_with_short_or_unusable_retry_after_is_retried_at_once(value, server, fault_client):
    client = fault_client(server)
    server.queue(Reply(429, headers={"Retry-After": value}))
    started = time.monotonic()
    assert client.numbers.list_account_phone_numbers() == {"data": []}
    assert time.monotonic() - started < AT_ONCE
    assert server.count == 2


# The id of a date made from the clock is fixed, so every test process collects the same tests.
@pytest.mark.parametrize(
    "value", [*HUGE, pytest.param(http_date(100000), id="http-date-in-28-hours")]
)
@pytest.mark.parametrize("operation", ["read", "create"])
def test_429_with_retry_after_above_the_cap_raises_without_sleeping(
    value, operation, server, fault_client
):
    client = fault_client(server)
    server.queue(Reply(429, headers={"Retry-After": value}))
    started = time.monotonic()
    with pytest.raises(RateLimitError) as caught:
        if operation == "read":
            client.numbers.list_account_phone_numbers()
        else:
            client.numbers.purchase_a_phone_number(NUMBER)
    assert time.monotonic() - started < AT_ONCE
    assert server.count == 1
    assert caught.value.retry_after > RetryPolicy().retry_after_cap
    assert not caught.value.outcome_unknown  # a 429 was not accepted


def test_retry_after_longer_than_the_time_left_raises_at_once(server, fault_client):
    client = fault_client(server, deadline=2.0)  # cap 60 s: 30 s is allowed, but not in 2 s
    server.queue(Reply(429, headers={"Retry-After": "30"}))
    started = time.monotonic()
    with pytest.raises(RateLimitError) as caught:
        client.numbers.purchase_a_phone_number(NUMBER)
    assert time.monotonic() - started < AT_ONCE
    assert caught.value.retry_after == 30.0
    assert server.count == 1


def test_retry_after_is_waited_for_before_a_create_is_retried(server, fault_client):
    client = fault_client(server)
    server.queue(Reply(429, headers={"Retry-After": "0.3"}), Reply(201, {"data": {"id": NUMBER}}))
    started = time.monotonic()
    assert client.numbers.purchase_a_phone_number(NUMBER) == {"data": {"id": NUMBER}}
    assert server.count == 2
    assert server.requests[1].at - server.requests[0].at >= 0.3
    assert time.monotonic() - started < 0.3 + AT_ONCE


def test_default_policy_waits_at_least_a_second_after_a_bare_429():
    # Flowroute counts sends per one-second window: a retry within the same second is wasted.
    policy = RetryPolicy()
    assert all(policy.rate_limit_delay(None) >= 1.0 for _ in range(50))
    assert all(1.0 <= policy.rate_limit_delay(0.2) <= 1.25 for _ in range(50))
    assert all(30.0 <= policy.rate_limit_delay(30.0) <= 30.25 for _ in range(50))


def test_backoff_grows_between_retries_of_5xx(server, fault_client, debug_logs):
    policy = RetryPolicy(max_retries=3, initial_delay=0.02, max_delay=1.0)
    client = fault_client(server, retry_policy=policy)
    server.queue(Reply(503), Reply(503), Reply(503))
    assert client.numbers.list_account_phone_numbers() == {"data": []}
    delays = [record.args[2] for record in retries_logged(debug_logs)]
    assert len(delays) == 3
    for n, delay in enumerate(delays, start=1):
        base = 0.02 * 2 ** (n - 1)
        assert 0.5 * base <= delay <= base, (n, delays)


@pytest.mark.parametrize("name", ["retry-after", "RETRY-AFTER", "Retry-after"])
def test_retry_after_is_read_whatever_the_case_of_its_name(name, server, fault_client):
    client = fault_client(server)
    server.queue(Reply(429, headers={name: "100"}))
    with pytest.raises(RateLimitError) as caught:
        client.numbers.list_account_phone_numbers()
    assert caught.value.retry_after == 100.0
    assert server.count == 1
    server.queue(Reply(429, headers={name: "0.3"}))
    assert client.numbers.list_account_phone_numbers() == {"data": []}
    assert server.requests[2].at - server.requests[1].at >= 0.3
