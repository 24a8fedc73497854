"""What went wrong on the wire, as our errors: requests and urllib3 exceptions as attempt failures.

Two questions decide what may happen next: could the request have reached the server
(:func:`was_sent`: a create is never repeated once it might have), and is the failure worth
another attempt. The text of the underlying exception is never kept: requests puts the full
URL in it, and a pre-signed download URL is a secret.
"""

from __future__ import annotations

import socket
import ssl
from typing import Iterator
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from urllib3.util.ssl_match_hostname import CertificateError

from ._retry import Outcome
from .exceptions import (
    APIConnectionError,
    APITimeoutError,
    FlowrouteError,
    HttpContext,
    RequestInfo,
)

# Failures that happen before a single byte of the request is written.
_NOT_SENT = (
    urllib3.exceptions.NewConnectionError,  # refused, unreachable, DNS (NameResolutionError)
    ssl.SSLCertVerificationError,  # the handshake refused the server: nothing was sent
    CertificateError,
)


class AttemptFailure(Exception):
    """An attempt that got no usable response; ``sent`` says whether it may have arrived."""

    def __init__(self, error: FlowrouteError, *, sent: bool, retryable: bool) -> None:
        super().__init__(str(error))
        self.error = error
        self.sent = sent
        self.retryable = retryable

    def outcome(self) -> Outcome:
        timed_out = isinstance(self.error, APITimeoutError)
        return Outcome.failed(sent=self.sent, retryable=self.retryable, timed_out=timed_out)


def not_sent(info: RequestInfo) -> AttemptFailure:
    """The call's deadline passed before the request could go out (e.g. waiting to send)."""
    error = APITimeoutError(
        f"{info.method} {info.path} not sent", context=HttpContext(info), sent=False
    )
    return AttemptFailure(error, sent=False, retryable=False)


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


def stream_failure(exc: Exception, info: RequestInfo) -> AttemptFailure:
    """A urllib3 error while streaming a body raw, mapped as requests' ``iter_content`` would.

    A TLS error mid-body is not retried.
    """
    if isinstance(exc, urllib3.exceptions.ReadTimeoutError):
        wrapped: requests.RequestException = requests.exceptions.ConnectionError(exc)
    elif isinstance(exc, urllib3.exceptions.SSLError):
        wrapped = requests.exceptions.SSLError(exc)
    else:
        wrapped = requests.exceptions.ChunkedEncodingError(exc)
    failure = transport_failure(wrapped, info, sent=True)
    failure.retryable = not isinstance(exc, urllib3.exceptions.SSLError)
    return failure
