"""The HTTP core: every API call (and every CDR file download) goes through :class:`HttpCore`.

A call is a loop of attempts under one overall deadline; after each attempt the pure
:func:`~._retry.decide` says whether to return, raise or wait and retry. Each attempt goes out
through :meth:`HttpCore._open` and its answer becomes an :class:`Answer` in one way only, so
headers are case-insensitive on every path. Non-2xx answers become errors by status
(:func:`~.exceptions.error_for`); 2xx bodies must be JSON:API documents.
"""

from __future__ import annotations

import json
import logging
import random
import time
from datetime import date, datetime
from typing import Any, Callable, Iterator, Mapping, Optional, Union

import requests
import urllib3.exceptions
from requests.structures import CaseInsensitiveDict

from ._auth import (
    BasicAuth,
    NoAuth,
    Scrubber,
    Secret,
    loggable_headers,
    redact_key,
    redacted_headers,
)
from ._config import RetryPolicy, Timeout
from ._failures import AttemptFailure, not_sent, stream_failure, transport_failure, was_sent
from ._limiter import SendLimiter
from ._retry import RAISE, RETURN, Outcome, decide, parse_retry_after
from ._transport import api_session, deadline, download_session, remaining
from .exceptions import (
    HttpContext,
    InvalidResponseError,
    RequestInfo,
    ResponseInfo,
    ResponseTooLargeError,
    error_for,
)

logger = logging.getLogger("flowroutenumbersandmessaging")
# A library never decides where its log lines go (without this, warnings reach stderr).
logger.addHandler(logging.NullHandler())

JSONAPI = "application/vnd.api+json"
_CHUNK = 64 * 1024
# How much of an unreadable 2xx body an error message quotes (all of it stays on the error).
_EXCERPT = 200
# How much of a failed download's body is read: enough for an S3 error document.
_ERROR_BODY_LIMIT = 16 * 1024

# Receives a download's 2xx answer and the raw (undecoded) chunks of its body.
Sink = Callable[["Answer", Iterator[bytes]], None]


class Answer:
    """One HTTP answer: status, case-insensitive headers and the body read (if any)."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, response: requests.Response, body: bytes = b"") -> None:
        self.status: int = response.status_code
        self.headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(response.headers)
        self.body = body

    def outcome(self) -> Outcome:
        if self.status != 429:
            return Outcome.answered(self.status)
        return Outcome.answered(429, parse_retry_after(self.headers.get("Retry-After")))

    def __repr__(self) -> str:
        # Not the body: it may echo anything, and reporters that capture locals call repr().
        return f"Answer(status={self.status}, body=<{len(self.body)} bytes>)"


def query_value(value: Any) -> Any:
    """How a Python value is written in a query string: ``true``/``false``, ISO dates."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [query_value(v) for v in value]
    return value


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
        limiter: SendLimiter,
        session: Optional[requests.Session],
        max_connections: int,
        max_response_bytes: int,
        user_agent: str,
    ) -> None:
        self.base_uri = base_uri.rstrip("/")
        self.timeout = timeout
        self.deadline = deadline
        self.retry = retry
        self._limiter = limiter
        self._max_response_bytes = max_response_bytes
        self._user_agent = user_agent
        self._auth = BasicAuth(Secret(access_key), Secret(secret_key))
        self._scrub = Scrubber(access_key, secret_key)
        self._owns_session = session is None
        self._session = api_session(max_connections) if session is None else session
        # What requests would read from the environment on every call (proxies, a CA bundle
        # named by REQUESTS_CA_BUNDLE), read once: it depends only on the API's host, and
        # re-reading os.environ per call cost a third of the SDK's CPU time per request.
        # A session's own ``verify`` wins over the environment (plain requests lets
        # REQUESTS_CA_BUNDLE override it, psf/requests#3829).
        verify = self._session.verify
        merged = self._session.merge_environment_settings(
            self.base_uri, {}, None, None if verify is True else verify, None
        )
        self._send_settings = {
            "proxies": merged["proxies"],
            "verify": merged["verify"],
            "cert": merged["cert"],
        }

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
            self._session.close()

    def __reduce__(self) -> Any:
        raise TypeError("a Flowroute client cannot be pickled (it holds credentials)")

    # ------------------------------------------------------------------ the two entry points

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        body: Optional[Mapping[str, Any]] = None,
        create: bool = False,
        send_kind: Optional[str] = None,
    ) -> Optional[dict[str, Any]]:
        """Send one API call (with retries) and return its decoded JSON document, or None.

        ``create`` marks a call that must never take effect twice; ``send_kind`` (``"sms"``,
        ``"mms"``) puts it under the client's send limiter.
        """
        url = self.base_uri + path
        headers = {"Accept": f"{JSONAPI}, application/json", "User-Agent": self._user_agent}
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
            headers["Content-Type"] = JSONAPI if "data" in body else "application/json"
        query = [(k, query_value(v)) for k, v in (params or {}).items() if v is not None]
        prepared = self._session.prepare_request(
            requests.Request(method, url, params=query, data=data, headers=headers, auth=self._auth)
        )
        info = RequestInfo(method, prepared.url or url, redacted_headers(prepared.headers))

        def attempt() -> Answer:
            if send_kind is None:
                return self._exchange(prepared, info)
            with self._limiter.slot(send_kind):
                return self._exchange(prepared, info)

        answer = self._call(attempt, info, create=create, allowed=self.deadline)
        return self._decode(answer, info, create)

    def fetch(self, url: str, info: RequestInfo, sink: Sink, *, allowed: float) -> None:
        """GET ``url`` without Flowroute credentials (a pre-signed download URL), retried like any
        idempotent call, within ``allowed`` seconds in all.

        It goes through a session of its own; each attempt's 2xx answer is handed to ``sink``
        with its undecoded body, which the sink must read whole. ``info`` is how the request
        appears in errors and logs (never with the URL's signed query).
        """
        session = download_session(self._session.proxies, self._ca_bundle(), self._user_agent)
        prepared = session.prepare_request(requests.Request("GET", url, auth=NoAuth()))

        def attempt() -> Answer:
            response = self._open(session, prepared, info, {})
            with response:
                if not 200 <= response.status_code < 300:
                    return Answer(response, _error_body(response))
                answer = Answer(response)
                sink(answer, _raw_chunks(response, info))
                return answer

        try:
            self._call(attempt, info, create=False, allowed=allowed)
        finally:
            session.close()

    def _ca_bundle(self) -> Optional[str]:
        """The CA bundle path API calls verify against, if not the default one."""
        verify = self._send_settings.get("verify")
        return verify if isinstance(verify, str) else None

    # ------------------------------------------------------------------ retries

    def _call(
        self, attempt: Callable[[], Answer], info: RequestInfo, *, create: bool, allowed: float
    ) -> Answer:
        """Run ``attempt`` until the retry verdict is to return its 2xx answer or to raise."""
        ends = time.monotonic() + allowed
        retries = 0
        while True:
            result: Union[Answer, AttemptFailure]
            try:
                with deadline(ends):
                    result = attempt()
            except AttemptFailure as failure:
                result = failure
            # Errors are raised outside the ``except`` block on purpose: raised inside it, they
            # would chain (``__context__``) to the requests exception, whose request object
            # holds the Authorization header.
            outcome = result.outcome()
            verdict = decide(
                outcome,
                create=create,
                retries=retries,
                time_left=ends - time.monotonic(),
                policy=self.retry,
                jitter=random.random(),  # noqa: S311 - jitter, not cryptography
            )
            if isinstance(result, AttemptFailure):
                error = result.error
            elif verdict.action == RETURN:
                return result
            else:
                context = HttpContext(info, self._response_info(result))
                error = error_for(context, retry_after=outcome.retry_after)
            if verdict.action == RAISE:
                if verdict.deadline_passed:
                    error._note(f" (the call's deadline of {allowed:g}s passed)")
                if verdict.unknown is not None:
                    error._mark_outcome_unknown(verdict.unknown)
                raise error
            retries += 1
            logger.info(
                "retrying %s %s in %.2fs (retry %d of %d): %s",
                info.method,
                info.path,
                verdict.delay,
                retries,
                self.retry.max_retries,
                error,
            )
            time.sleep(verdict.delay)

    # ------------------------------------------------------------------ one attempt

    def _open(
        self,
        session: requests.Session,
        prepared: requests.PreparedRequest,
        info: RequestInfo,
        settings: Mapping[str, Any],
    ) -> requests.Response:
        """Send the request; the answer's body is left unread (streaming)."""
        if remaining() <= 0:  # e.g. the send limiter's wait used it up
            raise not_sent(info)
        if logger.isEnabledFor(logging.DEBUG):  # the header filtering is not free
            headers = loggable_headers(info.headers)
            logger.debug("request %s %s headers=%s", info.method, info.path, headers)
        try:
            return session.send(
                prepared,
                stream=True,
                allow_redirects=False,
                timeout=(min(self.timeout.connect, remaining()), self.timeout.read),
                **settings,
            )
        except requests.RequestException as exc:
            failure = transport_failure(exc, info, sent=was_sent(exc))
        raise failure

    def _exchange(self, prepared: requests.PreparedRequest, info: RequestInfo) -> Answer:
        """One API attempt: send, read the whole body (up to the size cap)."""
        started = time.monotonic()
        response = self._open(self._session, prepared, info, self._send_settings)
        with response:
            answer = Answer(response, self._read_body(response, info))
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "response %s %s -> %d in %.3fs headers=%s",
                info.method,
                info.path,
                answer.status,
                time.monotonic() - started,
                loggable_headers(answer.headers),
            )
        return answer

    def _read_body(self, response: requests.Response, info: RequestInfo) -> bytes:
        """The whole body, refusing more than ``max_response_bytes`` (decoded)."""
        chunks = []
        total = 0
        failure: Optional[AttemptFailure] = None
        try:
            for chunk in response.iter_content(_CHUNK):
                total += len(chunk)
                if total > self._max_response_bytes:
                    break
                chunks.append(chunk)
        except requests.RequestException as exc:
            failure = transport_failure(exc, info, sent=True)
        if failure is not None:
            raise failure
        if total > self._max_response_bytes:
            head = self._response_info(Answer(response))
            raise AttemptFailure(
                ResponseTooLargeError(
                    f"response to {info.method} {info.path} is larger than "
                    f"{self._max_response_bytes} bytes; stopped reading",
                    context=HttpContext(info, head),
                ),
                sent=True,
                retryable=False,
            )
        return b"".join(chunks)

    # ------------------------------------------------------------------ answers

    def _response_info(self, answer: Answer) -> ResponseInfo:
        """The answer as errors show it, with anything echoing our credentials blanked out."""
        headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(
            {k: self._scrub(v) for k, v in answer.headers.items()}
        )
        return ResponseInfo(
            answer.status, headers, self._scrub(answer.body.decode("utf-8", "replace"))
        )

    def _decode(self, answer: Answer, info: RequestInfo, create: bool) -> Optional[dict[str, Any]]:
        if answer.status == 207:
            logger.warning(
                "%s %s partly failed (207 Multi-Status): %s",
                info.method,
                info.path,
                self._scrub(answer.body[:300].decode("utf-8", "replace")),
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


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat[:_EXCERPT] + ("..." if len(flat) > _EXCERPT else ""))


def _error_body(response: requests.Response) -> bytes:
    """The start of a failed download's body (an S3 error document), raw; empty if unreadable."""
    try:
        return bytes(response.raw.read(_ERROR_BODY_LIMIT, decode_content=False))
    except (urllib3.exceptions.HTTPError, OSError):
        return b""


def _raw_chunks(response: requests.Response, info: RequestInfo) -> Iterator[bytes]:
    """The body as sent (never decoded), failing as an attempt when the connection does."""
    failure: Optional[AttemptFailure] = None
    try:
        yield from response.raw.stream(_CHUNK, decode_content=False)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        failure = stream_failure(exc, info)
    if failure is not None:
        raise failure
