"""The client: owns credentials, options and one HTTP core; hands controllers out."""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Callable, Iterator, Mapping, Optional, Union
from urllib.parse import urlsplit

import requests

from ._http import (
    HttpCore,
    RetryPolicy,
    SendLimiter,
    Timeout,
    default_user_agent,
    is_loopback,
)
from .controllers import (
    CDRsController,
    CNAMsController,
    E911sController,
    MessagesController,
    NumbersController,
    PortingController,
    RoutesController,
)
from .exceptions import ValidationError
from .pagination import paginate

DEFAULT_BASE_URI = "https://api.flowroute.com"
DEFAULT_SEND_LIMITS: Mapping[str, int] = {"sms": 5, "mms": 1}
DEFAULT_TIMEOUT = Timeout()


class FlowroutenumbersandmessagingClient:
    """A Flowroute API client. Each instance has its own credentials, session and options.

    Args:
        basic_auth_user_name: API access key; defaults to ``$FR_ACCESS_KEY``.
        basic_auth_password: API secret key; defaults to ``$FR_SECRET_KEY``.
        base_uri: API root; defaults to ``$FR_BASE_URI``, then ``https://api.flowroute.com``.
            Plain ``http://`` is accepted only for loopback hosts (the sandbox, tests).
        timeout: per-attempt timeouts: a :class:`Timeout`, seconds, or ``(connect, read)``.
        deadline: seconds one call may take in all, retries and waits included.
        max_retries: retries after the first attempt (0 disables); see :class:`RetryPolicy`.
        retry_policy: full control over backoff and ``Retry-After`` handling.
        send_rate_limits: most sends per second, ``{"sms": 5, "mms": 1}`` by default;
            ``None`` turns the client-side limiter off.
        session: a ``requests.Session`` to send through (proxies, certificates). It is used as
            given; the SDK never changes its TLS settings and never closes it.
        max_response_bytes: largest API response body accepted (decoded).
        user_agent_suffix: appended to the ``User-Agent`` header.
    """

    def __init__(
        self,
        basic_auth_user_name: Optional[str] = None,
        basic_auth_password: Optional[str] = None,
        *,
        base_uri: Optional[str] = None,
        timeout: Union[Timeout, float, tuple[float, float]] = DEFAULT_TIMEOUT,
        deadline: float = 60.0,
        max_retries: Optional[int] = None,
        retry_policy: Optional[RetryPolicy] = None,
        send_rate_limits: Optional[Mapping[str, int]] = DEFAULT_SEND_LIMITS,
        session: Optional[requests.Session] = None,
        max_response_bytes: int = 16 * 1024 * 1024,
        user_agent_suffix: Optional[str] = None,
    ) -> None:
        access_key = _text(basic_auth_user_name, "basic_auth_user_name", "FR_ACCESS_KEY")
        secret_key = _text(basic_auth_password, "basic_auth_password", "FR_SECRET_KEY")
        if not access_key or not secret_key:
            raise ValidationError(
                "Flowroute credentials missing: pass the access key and secret key, or set "
                "FR_ACCESS_KEY and FR_SECRET_KEY"
            )
        base = check_base_uri(_text(base_uri, "base_uri", "FR_BASE_URI") or DEFAULT_BASE_URI)
        _positive(deadline, "deadline")
        _positive(max_response_bytes, "max_response_bytes", integer=True)
        if session is not None and not isinstance(session, requests.Session):
            raise ValidationError("session must be a requests.Session")
        for kind, limit in (send_rate_limits or {}).items():
            _positive(limit, f"send_rate_limits[{kind!r}]", integer=True)
        policy = retry_policy or RetryPolicy()
        if max_retries is not None:
            policy = _with_max_retries(policy, max_retries)
        core = HttpCore(
            access_key=access_key,
            secret_key=secret_key,
            base_uri=base,
            timeout=Timeout.of(timeout),
            deadline=deadline,
            retry=policy,
            limiter=SendLimiter(send_rate_limits) if send_rate_limits else None,
            session=session,
            max_response_bytes=max_response_bytes,
            user_agent=default_user_agent(user_agent_suffix),
        )
        self._attach(core)

    def _attach(self, core: HttpCore) -> None:
        self._core = core
        self.numbers = NumbersController(core)
        self.routes = RoutesController(core)
        self.messages = MessagesController(core)
        self.e911s = E911sController(core)
        self.cnams = CNAMsController(core)
        self.cdrs = CDRsController(core)
        self.porting = PortingController(core)

    def with_options(
        self,
        *,
        timeout: Union[Timeout, float, tuple[float, float], None] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        retry_policy: Optional[RetryPolicy] = None,
    ) -> FlowroutenumbersandmessagingClient:
        """This client with other timeouts, deadline or retries, for one call or a few.

        The copy shares credentials, connections and the send limiter with this client::

            client.with_options(max_retries=0).numbers.list_account_phone_numbers()
            client.with_options(deadline=300).cdrs.create_cdr_export(filters)
        """
        if deadline is not None:
            _positive(deadline, "deadline")
        policy = retry_policy
        if max_retries is not None:
            policy = _with_max_retries(policy or self._core.retry, max_retries)
        twin = FlowroutenumbersandmessagingClient.__new__(FlowroutenumbersandmessagingClient)
        twin._attach(
            self._core.derive(
                timeout=Timeout.of(timeout) if timeout is not None else None,
                deadline=deadline,
                retry=policy,
            )
        )
        return twin

    @property
    def base_uri(self) -> str:
        return self._core.base_uri

    def paginate(
        self, list_method: Callable[..., Any], *args: Any, page_size: int = 100, **filters: Any
    ) -> Iterator[dict[str, Any]]:
        """Yield every item of a list method, page by page (by offset, never by ``links``)."""
        return paginate(list_method, *args, page_size=page_size, **filters)

    def close(self) -> None:
        """Release the client's connections (a session passed in by the caller stays open)."""
        self._core.close()

    def __enter__(self) -> FlowroutenumbersandmessagingClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"<FlowroutenumbersandmessagingClient base_uri={self.base_uri!r} "
            f"access_key={self._core.access_key_hint}>"
        )

    def __reduce__(self) -> Any:
        raise TypeError("a Flowroute client cannot be pickled (it holds credentials)")


def _text(value: Optional[str], name: str, variable: str) -> Optional[str]:
    """An option given as a string, else its environment variable."""
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, not {type(value).__name__}")
    return value or os.environ.get(variable)


def _with_max_retries(policy: RetryPolicy, max_retries: object) -> RetryPolicy:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValidationError(f"max_retries must be an int, 0 or more, got {max_retries!r}")
    return dataclasses.replace(policy, max_retries=max_retries)


def _positive(value: object, name: str, *, integer: bool = False) -> None:
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or not value > 0:
        kind = "a positive int" if integer else "a positive number of seconds"
        raise ValidationError(f"{name} must be {kind}, got {value!r}")


def check_base_uri(uri: str) -> str:
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
