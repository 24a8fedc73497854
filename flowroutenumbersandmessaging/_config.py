"""The client's settings: defaults, :class:`Timeout`, :class:`RetryPolicy`, option checks.

Every option is checked when the client (or ``with_options``) is built, so a bad value raises
:class:`ValidationError` naming it before anything is sent.
"""

from __future__ import annotations

import ipaddress
import os
import random
from typing import Mapping, Optional, Union
from urllib.parse import urlsplit

import requests

from ._record import Record
from ._validate import seconds, whole_number
from ._version import __version__
from .exceptions import ValidationError

DEFAULT_BASE_URI = "https://api.flowroute.com"
DEFAULT_DEADLINE = 60.0
# A whole CDR export may rightly take longer than an API call.
DOWNLOAD_DEADLINE = 600.0
# Flowroute's own per-account send limits, per second.
DEFAULT_SEND_LIMITS: Mapping[str, int] = {"sms": 5, "mms": 1}
# Connections kept open per host: enough for as many threads as a client is commonly shared
# by, so that they reuse connections instead of opening and dropping one per call.
DEFAULT_MAX_CONNECTIONS = 32
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024

# A file name the caller passes (where a CDR export is saved or read from).
PathLike = Union[str, "os.PathLike[str]"]


class Timeout(Record):
    """Per-attempt connect and read timeouts in seconds (the read timeout is between bytes)."""

    __slots__ = ("connect", "read")
    connect: float
    read: float

    def __init__(self, connect: float = 5.0, read: float = 30.0) -> None:
        super().__init__(
            connect=seconds(connect, "timeout connect"), read=seconds(read, "timeout read")
        )

    @classmethod
    def of(cls, value: Union[Timeout, float, tuple[float, float]]) -> Timeout:
        """A :class:`Timeout` from itself, seconds for both, or ``(connect, read)``."""
        if isinstance(value, Timeout):
            return value
        if isinstance(value, tuple) and len(value) == 2:
            return cls(*value)
        return cls(value, value)  # both checked in __init__


class RetryPolicy(Record):
    """How failed attempts are retried.

    Backoff for the n-th retry is ``min(max_delay, initial_delay * 2**(n-1))`` scaled by a random
    factor in [0.5, 1]. A 429 waits for ``Retry-After`` (at least ``rate_limit_min_delay``,
    since Flowroute counts sends per one-second window); a ``Retry-After`` above
    ``retry_after_cap`` is not waited for: :class:`RateLimitError` is raised at once.
    """

    __slots__ = (
        "initial_delay",
        "max_delay",
        "max_retries",
        "rate_limit_min_delay",
        "retry_after_cap",
    )
    max_retries: int
    initial_delay: float
    max_delay: float
    retry_after_cap: float
    rate_limit_min_delay: float

    def __init__(
        self,
        max_retries: int = 2,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        retry_after_cap: float = 60.0,
        rate_limit_min_delay: float = 1.0,
    ) -> None:
        super().__init__(
            max_retries=whole_number(max_retries, "max_retries"),
            initial_delay=_delay(initial_delay, "initial_delay"),
            max_delay=_delay(max_delay, "max_delay"),
            retry_after_cap=_delay(retry_after_cap, "retry_after_cap"),
            rate_limit_min_delay=_delay(rate_limit_min_delay, "rate_limit_min_delay"),
        )

    def with_max_retries(self, max_retries: int) -> RetryPolicy:
        """This policy with another number of retries."""
        return RetryPolicy(
            max_retries,
            self.initial_delay,
            self.max_delay,
            self.retry_after_cap,
            self.rate_limit_min_delay,
        )

    def backoff(self, retry: int, jitter: Optional[float] = None) -> float:
        """Seconds to wait before the ``retry``-th retry after a failure.

        ``jitter`` in [0, 1] picks the point in the random range; drawn afresh when None.
        """
        base: float = min(self.max_delay, self.initial_delay * 2.0 ** (retry - 1))
        return base * (0.5 + 0.5 * _draw(jitter))

    def rate_limit_delay(
        self, retry_after: Optional[float], jitter: Optional[float] = None
    ) -> float:
        """Seconds to wait after a 429 that asked for ``retry_after`` (None: no usable hint)."""
        wait = max(retry_after or 0.0, self.rate_limit_min_delay)
        return wait + 0.25 * _draw(jitter) * min(1.0, wait)


def _delay(value: object, name: str) -> float:
    return seconds(value, f"RetryPolicy.{name}", allow_zero=True)


def _draw(jitter: Optional[float]) -> float:
    return random.random() if jitter is None else jitter  # noqa: S311 - jitter, not cryptography


def is_loopback(host: Optional[str]) -> bool:
    """True for ``localhost`` and loopback IP literals (not for ``127.0.0.1.example.com``)."""
    name = (host or "").lower().strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def text_option(value: object, name: str, variable: str) -> Optional[str]:
    """An option given as a string, else its environment variable."""
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, not {type(value).__name__}")
    return value or os.environ.get(variable)


def check_base_uri(uri: str) -> str:
    """``uri`` without its trailing slash, if it is an https URL (or http to loopback)."""
    parts = urlsplit(uri)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError(f"base_uri must be an https:// URL, got {uri!r}")
    if parts.username or parts.password:
        raise ValidationError("base_uri must not contain credentials")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValidationError(
            "base_uri must use https:// (plain http is allowed only for loopback hosts, "
            "such as the sandbox)"
        )
    return uri.rstrip("/")


def check_send_limits(limits: object) -> Mapping[str, int]:
    """Sends allowed per second by kind (none when ``limits`` is None or empty)."""
    if not limits:
        return {}
    if not isinstance(limits, Mapping):
        raise ValidationError('send_rate_limits must be a dict such as {"sms": 5, "mms": 1}')
    for kind, limit in limits.items():
        whole_number(limit, f"send_rate_limits[{kind!r}]", minimum=1)
    return limits


def check_session(session: object) -> Optional[requests.Session]:
    if session is not None and not isinstance(session, requests.Session):
        raise ValidationError("session must be a requests.Session")
    return session


def user_agent(suffix: object) -> str:
    """The ``User-Agent`` header: the SDK and requests versions, then the caller's suffix."""
    agent = f"flowroutenumbersandmessaging-python/{__version__} requests/{requests.__version__}"
    if suffix is None or suffix == "":
        return agent
    if not isinstance(suffix, str) or any(ord(c) < 32 or ord(c) == 127 for c in suffix):
        raise ValidationError("user_agent_suffix must be a string without control characters")
    return f"{agent} {suffix}"
