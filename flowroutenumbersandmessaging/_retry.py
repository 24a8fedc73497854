"""When to try again: one pure function from an attempt's outcome to a :class:`Verdict`.

:func:`decide` does no I/O and reads no clock: the caller hands it the outcome, the kind of
operation, the retries used, the time left and the policy. It is where the SDK's promises about
retries live:

* idempotent calls (GET, PUT, PATCH, DELETE, read-like POSTs) are retried on connection
  failures, timeouts, resets, cut-off bodies, 500/502/503/504 and 429;
* a create (a send, a purchase, a new route/E911/CNAM/CDR export) is retried only when the
  request never left this machine, and on 429, which Flowroute documents as "not accepted".
  Once it may have arrived it is never sent again: the error says its outcome is unknown;
* no retry starts whose wait would end past the call's deadline, and a ``Retry-After`` above
  the policy's cap is not waited for.
"""

from __future__ import annotations

import email.utils
import math
import re
import time
from datetime import timezone
from typing import Optional

from ._config import RetryPolicy
from ._record import Record

RETURN = "return"
RAISE = "raise"
RETRY = "retry"

RETRY_STATUSES = frozenset({500, 502, 503, 504})
MAY_HAVE_ARRIVED = "the request may have reached Flowroute and taken effect"
MAY_HAVE_TAKEN_EFFECT = "the request may have taken effect"

# RFC 9110 delta-seconds, plus the decimals some servers send; ASCII only (float() alone would
# also take "inf", "nan", "1_000" and non-ASCII digits).
_SECONDS = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


class Outcome(Record):
    """What one attempt came to: an HTTP status, or a failure without one (``status`` 0)."""

    __slots__ = ("retry_after", "retryable", "sent", "status", "timed_out")
    status: int
    retry_after: Optional[float]
    sent: bool
    retryable: bool
    timed_out: bool

    def __init__(
        self,
        status: int,
        retry_after: Optional[float] = None,
        sent: bool = True,
        retryable: bool = True,
        timed_out: bool = False,
    ) -> None:
        super().__init__(
            status=status,
            retry_after=retry_after,
            sent=sent,
            retryable=retryable,
            timed_out=timed_out,
        )

    @classmethod
    def answered(cls, status: int, retry_after: Optional[float] = None) -> Outcome:
        """The server answered with ``status`` (and, on a 429, asked to wait ``retry_after``)."""
        if retry_after is not None:
            return cls(status, retry_after)
        # Made once per status: this runs for every call, and a status has three digits.
        outcome = _ANSWERED.get(status)
        if outcome is None:
            outcome = _ANSWERED[status] = cls(status)
        return outcome

    @classmethod
    def failed(cls, *, sent: bool, retryable: bool, timed_out: bool = False) -> Outcome:
        """No usable answer; ``sent``: the request may have reached the server."""
        return cls(0, None, sent, retryable, timed_out)


_ANSWERED: dict[int, Outcome] = {}


class Verdict(Record):
    """What to do after an attempt: :data:`RETURN` its answer, :data:`RAISE` its error, or
    :data:`RETRY` after ``delay`` seconds.

    A raised error is first noted as past the deadline (``deadline_passed``) and marked
    ``outcome_unknown`` for the reason in ``unknown`` (when not None).
    """

    __slots__ = ("action", "deadline_passed", "delay", "unknown")
    action: str
    delay: float
    unknown: Optional[str]
    deadline_passed: bool

    def __init__(
        self,
        action: str,
        delay: float = 0.0,
        unknown: Optional[str] = None,
        deadline_passed: bool = False,
    ) -> None:
        super().__init__(
            action=action, delay=delay, unknown=unknown, deadline_passed=deadline_passed
        )


_RETURN = Verdict(RETURN)


def decide(
    outcome: Outcome,
    *,
    create: bool,
    retries: int,
    time_left: float,
    policy: RetryPolicy,
    jitter: float,
) -> Verdict:
    """The verdict on one attempt.

    ``retries`` is how many retries the call has made so far, ``time_left`` the seconds until
    its deadline, ``jitter`` a number in [0, 1] that places each wait in its random range.
    """
    exhausted = retries >= policy.max_retries
    if outcome.status == 0:
        passed = outcome.timed_out and time_left <= 0
        if outcome.sent and create:
            return Verdict(RAISE, unknown=MAY_HAVE_ARRIVED, deadline_passed=passed)
        if passed or not outcome.retryable or exhausted:
            return Verdict(RAISE, deadline_passed=passed)
        delay = policy.backoff(retries + 1, jitter)
    elif 200 <= outcome.status < 300:
        return _RETURN
    elif outcome.status == 429:  # not accepted, so even a create may go again
        asked = outcome.retry_after
        if exhausted or (asked is not None and asked > policy.retry_after_cap):
            return Verdict(RAISE)
        delay = policy.rate_limit_delay(asked, jitter)
    elif create and outcome.status >= 500:
        return Verdict(RAISE, unknown=MAY_HAVE_TAKEN_EFFECT)
    elif exhausted or outcome.status not in RETRY_STATUSES:
        return Verdict(RAISE)
    else:
        delay = policy.backoff(retries + 1, jitter)
    if delay >= time_left:
        return Verdict(RAISE)
    return Verdict(RETRY, delay)


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP-date); None if unusable.

    Never negative: a date in the past or a negative number means "now".
    """
    value = (value or "").strip()
    if not value:
        return None
    if _SECONDS.fullmatch(value):
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
            if when.tzinfo is None:  # "-0000": UTC, source zone unknown (RFC 5322)
                when = when.replace(tzinfo=timezone.utc)
            seconds = when.timestamp() - time.time()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)
