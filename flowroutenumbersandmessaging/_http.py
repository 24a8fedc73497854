"""The HTTP core: one place for auth, JSON bodies, timeouts, retries, status → error, decoding.

Every API call goes through :meth:`HttpCore.request`. A call is an operation of one of two
kinds, and the kind decides what may be retried (decisions.md §5):

* idempotent (GET, PUT, PATCH, DELETE, and read-like POSTs): retried on connection failures,
  timeouts, resets, truncated bodies, 500/502/503/504 and 429;
* create (``create=True``: send a message, buy a number, create a route/E911/CNAM/CDR export):
  retried only when the request never left this machine, and on 429 (which Flowroute documents
  as "not accepted"). Any other failure after sending raises with ``outcome_unknown=True``.

Each call has an overall deadline that covers every attempt and every sleep; sockets opened by
the core's own session cannot be held open past it (see ``_transport``).
"""

from __future__ import annotations

import base64
import email.utils
import ipaddress
import json
import logging
import math
import random
import re
import socket
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterator, Mapping, Optional, Union
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from requests.structures import CaseInsensitiveDict
from urllib3.util.ssl_match_hostname import CertificateError

from ._transport import DeadlineAdapter, deadline, remaining
from ._version import __version__
from .exceptions import (
    APIConnectionError,
    APITimeoutError,
    FlowrouteError,
    HttpContext,
    InvalidResponseError,
    RequestInfo,
    ResponseInfo,
    ResponseTooLargeError,
    ValidationError,
    error_for,
)

logger = logging.getLogger("flowroutenumbersandmessaging")
# A library never decides where its log lines go (without this, warnings reach stderr).
logger.addHandler(logging.NullHandler())

JSONAPI = "application/vnd.api+json"
_MIN_ECHO = 8
_RETRY_STATUSES = frozenset({500, 502, 503, 504})
# Headers that may appear in logs; everything else (Authorization first) never does.
_LOGGED_HEADERS = ("content-type", "content-length", "retry-after", "user-agent", "accept")
# RFC 9110 delta-seconds, plus the decimals some servers send; ASCII only (float() alone would
# also take "inf", "nan", "1_000" and non-ASCII digits).
_SECONDS = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


class Secret:
    """A string that never shows itself in ``repr``, ``str``, logs or pickles."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("credentials cannot be pickled")


class BasicAuth(requests.auth.AuthBase):
    """HTTP Basic auth from two :class:`Secret`s, built per request, never stored on a session."""

    def __init__(self, access_key: Secret, secret_key: Secret) -> None:
        self.access_key = access_key
        self.secret_key = secret_key

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        pair = f"{self.access_key.reveal()}:{self.secret_key.reveal()}".encode()
        request.headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        return request

    def __repr__(self) -> str:
        return f"BasicAuth(access_key={redact_key(self.access_key.reveal())})"


def redact_key(key: str) -> str:
    """The first four characters of an access key, for telling accounts apart."""
    return repr(key[:4] + "…") if len(key) > 4 else "'…'"


@dataclass(frozen=True)
class Timeout:
    """Per-attempt connect and read timeouts in seconds (the read timeout is between bytes)."""

    connect: float = 5.0
    read: float = 30.0

    def __post_init__(self) -> None:
        for name in ("connect", "read"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValidationError(f"timeout {name} must be a positive number, got {value!r}")

    @classmethod
    def of(cls, value: Union[Timeout, float, tuple[float, float]]) -> Timeout:
        if isinstance(value, Timeout):
            return value
        if isinstance(value, tuple) and len(value) == 2:
            return cls(*value)
        return cls(value, value)  # both checked in __post_init__


@dataclass(frozen=True)
class RetryPolicy:
    """How failed attempts are retried.

    Backoff for the n-th retry is ``min(max_delay, initial_delay * 2**(n-1))`` scaled by a random
    factor in [0.5, 1]. A 429 waits for ``Retry-After`` (at least ``rate_limit_min_delay``,
    since Flowroute counts sends per one-second window); a ``Retry-After`` above
    ``retry_after_cap`` is not waited for: :class:`RateLimitError` is raised at once.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    retry_after_cap: float = 60.0
    rate_limit_min_delay: float = 1.0

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise ValidationError(f"max_retries must be an int, got {self.max_retries!r}")
        for name in (
            "max_retries",
            "initial_delay",
            "max_delay",
            "retry_after_cap",
            "rate_limit_min_delay",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValidationError(f"RetryPolicy.{name} must be 0 or more, got {value!r}")

    def backoff(self, retry: int) -> float:
        base: float = min(self.max_delay, self.initial_delay * 2.0 ** (retry - 1))
        return base * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not cryptography

    def rate_limit_delay(self, retry_after: Optional[float]) -> float:
        wait = max(retry_after or 0.0, self.rate_limit_min_delay)
        return wait + random.uniform(0.0, 0.25) * min(1.0, wait)  # noqa: S311


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


class SendLimiter:
    """At most ``limit`` sends of a kind in any one-second window, shared by a client's threads."""

    def __init__(self, limits: Mapping[str, int]) -> None:
        self._windows: dict[str, deque[float]] = {
            kind: deque(maxlen=n) for kind, n in limits.items() if n > 0
        }
        self._lock = threading.Lock()

    def acquire(self, kind: str) -> None:
        window = self._windows.get(kind)
        if window is None:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, window[0] + 1.0) if len(window) == window.maxlen else now
            window.append(start)  # reserve the slot before sleeping: first come, first served
        if start > now:
            time.sleep(start - now)


def query_value(value: Any) -> Any:
    """How a Python value is written in a query string: ``true``/``false``, ISO dates."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [query_value(v) for v in value]
    return value


def is_loopback(host: Optional[str]) -> bool:
    """True for ``localhost`` and loopback IP literals (not for ``127.0.0.1.example.com``)."""
    name = (host or "").lower().strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class AttemptFailure(Exception):
    """An attempt that got no usable response; ``sent`` says whether it may have arrived."""

    def __init__(self, error: FlowrouteError, *, sent: bool, retryable: bool) -> None:
        super().__init__(str(error))
        self.error = error
        self.sent = sent
        self.retryable = retryable


@dataclass
class Answer:
    status: int
    headers: Mapping[str, str]  # case-insensitive
    body: bytes

    def __repr__(self) -> str:
        # Not the body: it may echo anything, and reporters that capture locals call repr().
        return f"Answer(status={self.status}, body=<{len(self.body)} bytes>)"


class HttpCore:
    """Sends API requests for one client. Thread-safe; holds all of the client's state."""

    def __init__(
        self,
        *,
        access_key: str,
        secret_key: str,
        base_uri: str,
        timeout: Timeout,
        deadline: float,
        retry: RetryPolicy,
        limiter: Optional[SendLimiter],
        session: Optional[requests.Session],
        max_response_bytes: int,
        user_agent: str,
    ) -> None:
        self.base_uri = base_uri.rstrip("/")
        self.timeout = timeout
        self.deadline = deadline
        self.retry = retry
        self.limiter = limiter
        self.max_response_bytes = max_response_bytes
        self.user_agent = user_agent
        self._auth = BasicAuth(Secret(access_key), Secret(secret_key))
        token = base64.b64encode(f"{access_key}:{secret_key}".encode()).decode("ascii")
        # What a misbehaving server or proxy might echo back: scrubbed from errors and logs.
        # Values too short to be real credentials (a sandbox's "k"/"s") would only shred the
        # text they occur in, so they are left alone.
        self._echoes = tuple(
            Secret(value) for value in (token, secret_key, access_key) if len(value) >= _MIN_ECHO
        )
        self._owns_session = session is None
        if session is None:
            session = requests.Session()
            adapter = DeadlineAdapter()
            session.mount("https://", adapter)
            session.mount("http://", adapter)
        self.session = session
        # What requests would read from the environment on every call (proxies, a CA bundle
        # named by REQUESTS_CA_BUNDLE), read once: it depends only on the API's host, and
        # re-reading os.environ per call cost a third of the SDK's CPU time per request.
        # A session's own ``verify`` wins over the environment (plain requests lets
        # REQUESTS_CA_BUNDLE override it, psf/requests#3829).
        self._send_settings = session.merge_environment_settings(
            self.base_uri, {}, None, None if session.verify is True else session.verify, None
        )

    @property
    def ca_bundle(self) -> Optional[str]:
        """The CA bundle path API calls verify against, if not the default one."""
        verify = self._send_settings.get("verify")
        return verify if isinstance(verify, str) else None

    @property
    def access_key_hint(self) -> str:
        return redact_key(self._auth.access_key.reveal())

    def derive(
        self, *, timeout: Optional[Timeout], deadline: Optional[float], retry: Optional[RetryPolicy]
    ) -> HttpCore:
        """A core with other timeouts/deadline/retries that shares everything else: credentials,
        connections, the send limiter. Closing it leaves the shared session open."""
        twin = HttpCore.__new__(HttpCore)
        twin.__dict__.update(self.__dict__)
        twin.timeout = timeout or self.timeout
        twin.deadline = deadline or self.deadline
        twin.retry = retry or self.retry
        twin._owns_session = False
        return twin

    def close(self) -> None:
        if self._owns_session:
            self.session.close()

    def __reduce__(self) -> Any:
        raise TypeError("a Flowroute client cannot be pickled (it holds credentials)")

    def scrub(self, text: str) -> str:
        """``text`` with this client's credentials (and its Basic token) blanked out."""
        for secret in self._echoes:
            if secret.reveal() in text:
                text = text.replace(secret.reveal(), "[redacted]")
        return text

    # ------------------------------------------------------------------ the one entry point

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        body: Optional[Mapping[str, Any]] = None,
        create: bool = False,
        send_kind: Optional[str] = None,
        max_retries: Optional[int] = None,
    ) -> Optional[dict[str, Any]]:
        """Send one API call (with retries) and return its decoded JSON document, or None."""
        url = self.base_uri + path
        headers = {"Accept": f"{JSONAPI}, application/json", "User-Agent": self.user_agent}
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
            headers["Content-Type"] = JSONAPI if "data" in body else "application/json"
        query = [(k, query_value(v)) for k, v in (params or {}).items() if v is not None]
        prepared = self.session.prepare_request(
            requests.Request(method, url, params=query, data=data, headers=headers, auth=self._auth)
        )
        info = RequestInfo(method, prepared.url or url, redacted_headers(prepared.headers))

        def attempt() -> Answer:
            if send_kind is not None and self.limiter is not None:
                self.limiter.acquire(send_kind)
            return self._send(prepared, info)

        answer = self.with_retries(attempt, info, create=create, max_retries=max_retries)
        return self._decode(answer, info, create)

    # ------------------------------------------------------------------ retries

    def with_retries(
        self,
        attempt: Callable[[], Answer],
        info: RequestInfo,
        *,
        create: bool,
        max_retries: Optional[int] = None,
        deadline_seconds: Optional[float] = None,
    ) -> Answer:
        """Run ``attempt`` until it gives a 2xx answer, a final error, or the budget runs out.

        The call's deadline is the client's ``deadline`` unless ``deadline_seconds`` is given
        (CDR downloads, which may rightly take longer than any API call).
        """
        budget = self.retry.max_retries if max_retries is None else max_retries
        allowed = self.deadline if deadline_seconds is None else deadline_seconds
        ends = time.monotonic() + allowed
        retries = 0
        while True:
            failure: Optional[AttemptFailure] = None
            try:
                with deadline(ends):
                    answer = attempt()
            except AttemptFailure as caught:
                failure = caught
            # Errors are raised outside the ``except`` block on purpose: raised inside it, they
            # would chain (``__context__``) to the requests exception, whose request object
            # holds the Authorization header.
            final: FlowrouteError
            if failure is not None:
                final = failure.error
                if isinstance(final, APITimeoutError) and time.monotonic() >= ends:
                    final._note(f" (the call's deadline of {allowed:g}s passed)")
                    failure.retryable = False
                if failure.sent and create:
                    final._mark_outcome_unknown(
                        "the request may have reached Flowroute and taken effect"
                    )
                    raise final
                if not failure.retryable or retries >= budget:
                    raise final
                delay = self.retry.backoff(retries + 1)
            else:
                if 200 <= answer.status < 300:
                    return answer
                final, wait = self._status_error(answer, info, create, retries, budget)
                if wait is None:
                    raise final
                delay = wait
            if time.monotonic() + delay >= ends:
                raise final
            retries += 1
            logger.info(
                "retrying %s %s in %.2fs (retry %d of %d): %s",
                info.method,
                info.path,
                delay,
                retries,
                budget,
                final,
            )
            time.sleep(delay)

    def _status_error(
        self, answer: Answer, info: RequestInfo, create: bool, retries: int, budget: int
    ) -> tuple[FlowrouteError, Optional[float]]:
        """The error for a non-2xx answer, and how long to wait before retrying (None: don't)."""
        exhausted = retries >= budget
        context = HttpContext(info, self._response_info(answer))
        if answer.status == 429:
            retry_after = parse_retry_after(answer.headers.get("Retry-After"))
            error = error_for(context, retry_after=retry_after)
            too_long = retry_after is not None and retry_after > self.retry.retry_after_cap
            return error, (
                None if exhausted or too_long else self.retry.rate_limit_delay(retry_after)
            )
        ambiguous = create and answer.status >= 500
        error = error_for(context, outcome_unknown=ambiguous)
        if exhausted or ambiguous or answer.status not in _RETRY_STATUSES:
            return error, None
        return error, self.retry.backoff(retries + 1)

    def _response_info(self, answer: Answer) -> ResponseInfo:
        headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(
            {k: self.scrub(v) for k, v in answer.headers.items()}
        )
        return ResponseInfo(
            answer.status, headers, self.scrub(answer.body.decode("utf-8", "replace"))
        )

    # ------------------------------------------------------------------ one attempt

    def _send(self, prepared: requests.PreparedRequest, info: RequestInfo) -> Answer:
        started = time.monotonic()
        if remaining() <= 0:  # e.g. the send limiter's wait used it up
            raise AttemptFailure(
                APITimeoutError(
                    f"{info.method} {info.path} not sent",
                    context=HttpContext(info),
                    sent=False,
                ),
                sent=False,
                retryable=False,
            )
        logger.debug(
            "request %s %s headers=%s", info.method, info.path, loggable_headers(info.headers)
        )
        failure: Optional[AttemptFailure] = None
        try:
            response = self.session.send(
                prepared,
                stream=True,
                allow_redirects=False,
                timeout=(min(self.timeout.connect, remaining()), self.timeout.read),
                proxies=self._send_settings["proxies"],
                verify=self._send_settings["verify"],
                cert=self._send_settings["cert"],
            )
        except requests.RequestException as exc:
            failure = transport_failure(exc, info, sent=was_sent(exc))
        if failure is not None:
            raise failure
        with response:
            body = self.read_body(response, info)
        logger.debug(
            "response %s %s -> %d in %.3fs headers=%s",
            info.method,
            info.path,
            response.status_code,
            time.monotonic() - started,
            loggable_headers(response.headers),
        )
        return Answer(response.status_code, CaseInsensitiveDict(response.headers), body)

    def read_body(self, response: requests.Response, info: RequestInfo) -> bytes:
        """The whole body, refusing more than ``max_response_bytes`` (decoded)."""
        chunks = []
        total = 0
        failure: Optional[AttemptFailure] = None
        try:
            for chunk in response.iter_content(64 * 1024):
                total += len(chunk)
                if total > self.max_response_bytes:
                    break
                chunks.append(chunk)
        except requests.RequestException as exc:
            failure = transport_failure(exc, info, sent=True)
        if failure is not None:
            raise failure
        if total > self.max_response_bytes:
            head = CaseInsensitiveDict(response.headers)
            raise AttemptFailure(
                ResponseTooLargeError(
                    f"response to {info.method} {info.path} is larger than "
                    f"{self.max_response_bytes} bytes; stopped reading",
                    context=HttpContext(info, ResponseInfo(response.status_code, head, "")),
                ),
                sent=True,
                retryable=False,
            )
        return b"".join(chunks)

    def _decode(
        self, answer: Answer, info: RequestInfo, create: bool = False
    ) -> Optional[dict[str, Any]]:
        if answer.status == 207:
            logger.warning(
                "%s %s partly failed (207 Multi-Status): %s",
                info.method,
                info.path,
                self.scrub(answer.body[:300].decode("utf-8", "replace")),
            )
        if not answer.body.strip():
            return None
        try:
            document = json.loads(answer.body.decode("utf-8", "replace"))
        except (ValueError, RecursionError):
            document = None
            problem = "is not JSON"
        else:
            problem = "is not a JSON:API document (an object with 'data')"
        if isinstance(document, dict) and "data" in document:
            return document
        response = self._response_info(answer)
        content_type = response.headers.get("Content-Type", "no content type")
        error = InvalidResponseError(
            f"{answer.status} response to {info.method} {info.path} {problem} "
            f"({content_type}): {_excerpt(response.raw_body)}",
            context=HttpContext(info, response),
        )
        if create:
            # The server said 2xx: the create most likely took effect. Say so, so that nobody
            # "retries" it on the strength of an unreadable answer.
            error._mark_outcome_unknown(
                f"Flowroute answered {answer.status}, so it most likely took effect"
            )
        raise error


def _excerpt(text: str, size: int = 200) -> str:
    flat = " ".join(text.split())
    return repr(flat[:size] + ("..." if len(flat) > size else ""))


_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


def redacted_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: ("[redacted]" if k.lower() in _SECRET_HEADERS else v) for k, v in headers.items()}


def loggable_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() in _LOGGED_HEADERS}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every exception it wraps (requests wraps urllib3 wraps ssl/socket)."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        # Not __context__: that may be an unrelated exception urllib3 was handling.
        inner = [getattr(current, "reason", None), current.__cause__]
        todo.extend(e for e in (*inner, *current.args) if isinstance(e, BaseException))


# Failures that happen before a single byte of the request is written.
_NOT_SENT = (
    urllib3.exceptions.NewConnectionError,  # refused, unreachable, DNS (NameResolutionError)
    ssl.SSLCertVerificationError,  # the handshake refused the server: nothing was sent
    CertificateError,
)


def was_sent(exc: requests.RequestException) -> bool:
    """False only when the request certainly never reached the server."""
    if isinstance(
        exc,
        (
            requests.ConnectTimeout,
            requests.exceptions.InvalidURL,
            requests.exceptions.InvalidHeader,
        ),
    ):
        return False
    return not any(isinstance(e, _NOT_SENT) for e in _chain(exc))


def transport_failure(
    exc: requests.RequestException, info: RequestInfo, *, sent: bool
) -> AttemptFailure:
    """Turn a requests exception into our error, without its text (it may hold a signed URL)."""
    context = HttpContext(info)
    where = f"{info.method} {info.path}"
    chain = list(_chain(exc))
    if any(isinstance(e, (ssl.SSLCertVerificationError, CertificateError)) for e in chain):
        # Never retried (a bad certificate does not get better), and nothing was sent.
        error: FlowrouteError = APIConnectionError(
            f"TLS failure on {where}: the server's certificate was not accepted",
            context=context,
            sent=False,
        )
        return AttemptFailure(error, sent=False, retryable=False)
    # urllib3's NewConnectionError is a ConnectTimeoutError by inheritance: a refused
    # connection is not a timeout.
    refused = any(isinstance(e, urllib3.exceptions.NewConnectionError) for e in chain)
    timed_out = not refused and (
        isinstance(exc, requests.Timeout)
        or any(isinstance(e, (urllib3.exceptions.TimeoutError, socket.timeout)) for e in chain)
    )
    if timed_out:
        phase = (
            "connecting" if isinstance(exc, requests.ConnectTimeout) else "waiting for the response"
        )
        error = APITimeoutError(f"timed out {phase} on {where}", context=context, sent=sent)
    elif isinstance(exc, requests.exceptions.SSLError):
        # A TLS error other than the certificate: possibly after the request was written.
        error = APIConnectionError(f"TLS error during {where}", context=context, sent=sent)
    elif not sent:
        host = urlsplit(info.url).netloc
        error = APIConnectionError(
            f"could not connect to {host} for {where} (refused, unreachable or unknown host)",
            context=context,
            sent=False,
        )
    elif isinstance(
        exc, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)
    ):
        error = APIConnectionError(
            f"response to {where} was cut off or corrupt", context=context, sent=True
        )
    else:
        error = APIConnectionError(f"connection lost during {where}", context=context, sent=True)
    return AttemptFailure(error, sent=sent, retryable=True)


def check_header_value(value: str, what: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValidationError(f"{what} must not contain control characters")
    return value


def default_user_agent(suffix: Optional[str] = None) -> str:
    agent = f"flowroutenumbersandmessaging-python/{__version__} requests/{requests.__version__}"
    return f"{agent} {check_header_value(suffix, 'user_agent_suffix')}" if suffix else agent
