"""The retry decision, case by case, without sockets or clocks.

:func:`decide` is the one place that says what happens after an attempt; above all that a
create is never sent again once it may have arrived.
"""

from __future__ import annotations

import pytest

from flowroutenumbersandmessaging import RetryPolicy
from flowroutenumbersandmessaging._retry import (
    MAY_HAVE_ARRIVED,
    MAY_HAVE_TAKEN_EFFECT,
    RAISE,
    RETRY,
    RETURN,
    Outcome,
    Verdict,
    decide,
)

POLICY = RetryPolicy()  # 2 retries, backoff 0.5 s doubling to 8 s, Retry-After cap 60 s
PLENTY = 60.0  # seconds left before the deadline

# A request that never left this machine (refused, DNS, connect timeout, bad certificate).
NOT_SENT = Outcome.failed(sent=False, retryable=True)
# One that may have arrived: reset or closed after sending, cut-off body.
LOST = Outcome.failed(sent=True, retryable=True)
READ_TIMEOUT = Outcome.failed(sent=True, retryable=True, timed_out=True)
# Failures that another attempt cannot fix (a bad certificate, a body over the size cap).
HOPELESS = Outcome.failed(sent=False, retryable=False)
TOO_LARGE = Outcome.failed(sent=True, retryable=False)


def verdict(
    outcome: Outcome,
    *,
    create: bool = False,
    retries: int = 0,
    time_left: float = PLENTY,
    policy: RetryPolicy = POLICY,
    jitter: float = 1.0,
) -> Verdict:
    return decide(
        outcome,
        create=create,
        retries=retries,
        time_left=time_left,
        policy=policy,
        jitter=jitter,
    )


@pytest.mark.parametrize("status", [200, 201, 202, 204, 207])
@pytest.mark.parametrize("create", [False, True])
def test_a_2xx_is_returned(status, create):
    assert verdict(Outcome.answered(status), create=create) == Verdict(RETURN)


# ---------------------------------------------------------------------------- creates


@pytest.mark.parametrize("outcome", [LOST, READ_TIMEOUT, TOO_LARGE], ids=["lost", "timeout", "big"])
def test_a_create_that_may_have_arrived_is_never_retried_and_its_outcome_is_unknown(outcome):
    assert verdict(outcome, create=True) == Verdict(RAISE, unknown=MAY_HAVE_ARRIVED)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 599])
def test_a_create_answered_with_a_5xx_is_never_retried_and_its_outcome_is_unknown(status):
    outcome = Outcome.answered(status)
    assert verdict(outcome, create=True) == Verdict(RAISE, unknown=MAY_HAVE_TAKEN_EFFECT)


def test_a_create_that_never_left_this_machine_is_retried():
    assert verdict(NOT_SENT, create=True) == Verdict(RETRY, 0.5)


def test_a_create_answered_429_is_retried_after_the_wait_asked_for():
    assert verdict(Outcome.answered(429, 3.0), create=True, jitter=0.0) == Verdict(RETRY, 3.0)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 301, 302])
def test_a_create_refused_by_the_api_is_raised_as_it_is(status):
    assert verdict(Outcome.answered(status), create=True) == Verdict(RAISE)


# ---------------------------------------------------------------------------- idempotent calls


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_read_answered_with_a_transient_5xx_is_retried_with_backoff(status):
    assert verdict(Outcome.answered(status)) == Verdict(RETRY, 0.5)
    assert verdict(Outcome.answered(status), retries=1) == Verdict(RETRY, 1.0)


@pytest.mark.parametrize("status", [501, 505, 400, 401, 403, 404, 409, 422, 301, 302, 307])
def test_a_read_answered_with_a_lasting_error_is_raised(status):
    assert verdict(Outcome.answered(status)) == Verdict(RAISE)


@pytest.mark.parametrize("outcome", [NOT_SENT, LOST, READ_TIMEOUT], ids=["no", "lost", "timeout"])
def test_a_read_that_got_no_answer_is_retried(outcome):
    assert verdict(outcome) == Verdict(RETRY, 0.5)


@pytest.mark.parametrize("outcome", [HOPELESS, TOO_LARGE], ids=["certificate", "too-large"])
def test_a_failure_another_attempt_cannot_fix_is_raised(outcome):
    assert verdict(outcome) == Verdict(RAISE)


def test_once_the_retries_are_used_up_the_error_is_raised():
    for outcome in (Outcome.answered(503), Outcome.answered(429), NOT_SENT, LOST):
        assert verdict(outcome, retries=2) == Verdict(RAISE)
    assert verdict(NOT_SENT, create=True, retries=2) == Verdict(RAISE)
    assert verdict(Outcome.answered(503), policy=RetryPolicy(max_retries=0)) == Verdict(RAISE)


# ---------------------------------------------------------------------------- waits


def test_backoff_doubles_to_its_cap_and_jitter_scales_it_by_half_to_one():
    waits = [verdict(LOST, retries=n, policy=RetryPolicy(max_retries=9)).delay for n in range(6)]
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert verdict(LOST, jitter=0.0).delay == 0.25


@pytest.mark.parametrize(
    ("retry_after", "jitter", "wait"),
    [(None, 0.0, 1.0), (0.2, 0.0, 1.0), (2.0, 0.0, 2.0), (2.0, 1.0, 2.25), (59.0, 0.0, 59.0)],
)
def test_a_429_waits_for_retry_after_but_at_least_a_second(retry_after, jitter, wait):
    assert verdict(Outcome.answered(429, retry_after), jitter=jitter) == Verdict(RETRY, wait)


def test_a_429_asking_for_more_than_the_cap_is_raised_at_once():
    assert verdict(Outcome.answered(429, 60.5)) == Verdict(RAISE)
    assert verdict(Outcome.answered(429, 100.0), create=True) == Verdict(RAISE)


def test_no_retry_starts_whose_wait_would_end_past_the_deadline():
    assert verdict(Outcome.answered(429, 30.0), time_left=29.0) == Verdict(RAISE)
    assert verdict(Outcome.answered(503), time_left=0.4) == Verdict(RAISE)
    assert verdict(Outcome.answered(503), time_left=0.6) == Verdict(RETRY, 0.5)


def test_a_timeout_at_the_deadline_says_the_deadline_passed():
    assert verdict(READ_TIMEOUT, time_left=0.0) == Verdict(RAISE, deadline_passed=True)
    assert verdict(READ_TIMEOUT, create=True, time_left=0.0) == Verdict(
        RAISE, unknown=MAY_HAVE_ARRIVED, deadline_passed=True
    )
    # A failure that is not a timeout is not blamed on the deadline.
    assert verdict(LOST, time_left=0.0) == Verdict(RAISE)


def test_the_outcome_of_a_create_is_unknown_only_when_it_may_have_arrived():
    cases = {
        NOT_SENT: False,
        HOPELESS: False,
        LOST: True,
        READ_TIMEOUT: True,
        TOO_LARGE: True,
        Outcome.answered(429): False,
        Outcome.answered(400): False,
        Outcome.answered(500): True,
        Outcome.answered(503): True,
    }
    for outcome, unknown in cases.items():
        for retries in (0, 2):
            result = verdict(outcome, create=True, retries=retries)
            assert (result.unknown is not None) is unknown, (outcome, retries)
            if unknown:
                assert result.action == RAISE
