"""Everything the SDK raises on purpose.

::

    FlowrouteError                          root of everything the SDK raises on purpose
    ├── ValidationError (also ValueError)   bad input caught before any request is sent
    ├── APIConnectionError                  no HTTP response (DNS, refused, reset, TLS)
    │   └── APITimeoutError                 connect/read timeout or overall deadline passed
    ├── InvalidResponseError                a 2xx whose body is not the JSON document expected
    │   └── ResponseTooLargeError           the body passed the client's size cap
    ├── CDRDownloadError                    a CDR export file could not be fetched whole
    │   └── CDRLocalFileError               ... because of this machine: path, permission, disk
    └── APIException                        the API answered with a non-2xx status (seed name)
        └── ErrorException                  raised for EVERY non-2xx status (seed name)
            ├── UnexpectedRedirectError 3xx
            ├── BadRequestError 400   AuthenticationError 401   PermissionDeniedError 403
            ├── NotFoundError 404     UnprocessableEntityError 422
            ├── RateLimitError 429 (.retry_after)   ServerError 5xx

Every error has ``outcome_unknown``: ``True`` when a request that creates something (a send, a
purchase, a new route/E911/CNAM/CDR export) may have reached Flowroute and we cannot tell
whether it took effect. Reconcile before trying again (see the README).

Errors never hold credentials: request headers in ``context`` have ``Authorization`` redacted,
and download URLs appear without their (signed) query string.
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Optional

from ._record import Record

__all__ = [
    "APIConnectionError",
    "APIException",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CDRDownloadError",
    "CDRLocalFileError",
    "ErrorException",
    "FlowrouteError",
    "HttpContext",
    "InvalidResponseError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestInfo",
    "ResponseInfo",
    "ResponseTooLargeError",
    "ServerError",
    "UnexpectedRedirectError",
    "UnprocessableEntityError",
    "ValidationError",
    "error_for",
]

# How much of a body an error message quotes; the full body stays on ``context``.
_EXCERPT = 300


class RequestInfo(Record):
    """The request as sent, minus secrets (``Authorization`` redacted, signed queries dropped)."""

    __slots__ = ("headers", "method", "url")
    method: str
    url: str
    headers: Mapping[str, str]

    def __init__(self, method: str, url: str, headers: Optional[Mapping[str, str]] = None) -> None:
        super().__init__(method=method, url=url, headers={} if headers is None else headers)

    @property
    def path(self) -> str:
        """The URL's path and query, without scheme and host."""
        rest = self.url.split("://", 1)[-1]
        return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


class ResponseInfo(Record):
    """What came back: status, headers (case-insensitive) and the body text as received.

    Should a server or proxy echo this client's credentials back, they are blanked out.
    """

    __slots__ = ("headers", "raw_body", "status_code")
    status_code: int
    headers: Mapping[str, str]
    raw_body: str

    def __init__(
        self, status_code: int, headers: Optional[Mapping[str, str]] = None, raw_body: str = ""
    ) -> None:
        super().__init__(
            status_code=status_code, headers={} if headers is None else headers, raw_body=raw_body
        )


# ``context.response`` of an error that got no HTTP response (a refused connection, a timeout,
# bad input caught before sending): status 0, empty body. v3 scripts print
# ``e.context.response.raw_body`` in their ``except`` blocks; that keeps working.
NO_RESPONSE = ResponseInfo(status_code=0)


class HttpContext(Record):
    """``error.context``: the request (None if none was built) and the response.

    ``response`` is :data:`NO_RESPONSE` (status 0) when there was none.
    """

    __slots__ = ("request", "response")
    request: Optional[RequestInfo]
    response: ResponseInfo

    def __init__(self, request: Optional[RequestInfo], response: ResponseInfo = NO_RESPONSE):
        super().__init__(request=request, response=response)


class FlowrouteError(Exception):
    """Root of every error the SDK raises on purpose."""

    outcome_unknown: bool = False

    def __init__(
        self, message: str, *, context: Optional[HttpContext] = None, outcome_unknown: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.context: HttpContext = context if context is not None else HttpContext(None)
        self.outcome_unknown = outcome_unknown

    def _note(self, text: str) -> None:
        """Add ``text`` to the message (``str(e)`` and ``e.args``) of an error already built."""
        self.message += text
        self.args = (self.message,)

    def _mark_outcome_unknown(self, why: str) -> None:
        self.outcome_unknown = True
        self._note(f" (outcome unknown: {why}; check before retrying)")

    def __reduce__(self) -> Any:
        # Keyword-only state would be lost by Exception's default pickling.
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))

    def __str__(self) -> str:
        return self.message


def _rebuild(cls: type[FlowrouteError], message: str, state: dict[str, Any]) -> FlowrouteError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class ValidationError(FlowrouteError, ValueError):
    """Bad input, caught before any request was sent."""


class APIConnectionError(FlowrouteError):
    """No HTTP response: DNS failure, refused or reset connection, TLS failure.

    ``sent`` tells whether the request may have reached the server.
    """

    def __init__(
        self,
        message: str,
        *,
        context: Optional[HttpContext] = None,
        outcome_unknown: bool = False,
        sent: bool = False,
    ) -> None:
        super().__init__(message, context=context, outcome_unknown=outcome_unknown)
        self.sent = sent


class APITimeoutError(APIConnectionError):
    """A connect or read timeout, or the call's overall deadline, passed."""


class InvalidResponseError(FlowrouteError):
    """A 2xx response whose body is not the JSON document the endpoint returns.

    The body as received is kept on ``context.response.raw_body``.
    """


class ResponseTooLargeError(InvalidResponseError):
    """The response body passed the client's ``max_response_bytes``; reading stopped there."""


class CDRDownloadError(FlowrouteError):
    """A CDR export file could not be fetched whole: expired or unsafe URL, truncated file."""


class CDRLocalFileError(CDRDownloadError):
    """The CDR export could not be written on this machine: no such directory, no permission,
    a directory in the way, a full disk. Never retried; nothing partial is left behind.

    ``os_error`` (also ``__cause__``) is the :class:`OSError` the file system raised.
    """

    def __init__(self, message: str, os_error: OSError) -> None:
        super().__init__(message)
        self.os_error = os_error


class APIException(FlowrouteError):
    """The API answered with a status outside 2xx (name kept from the original SDK)."""

    def __init__(
        self,
        message: str,
        context: HttpContext,
        *,
        outcome_unknown: bool = False,
        errors: Optional[list[dict[str, Any]]] = None,
    ) -> None:
        super().__init__(message, context=context, outcome_unknown=outcome_unknown)
        self.context: HttpContext = context
        self.response_code: int = context.response.status_code
        self.errors: list[dict[str, Any]] = errors if errors is not None else []


class ErrorException(APIException):
    """Raised for every non-2xx status; subclasses name the common ones."""


class UnexpectedRedirectError(ErrorException):
    """A 3xx answer. The SDK never follows redirects, so nothing was sent elsewhere."""


class BadRequestError(ErrorException):
    """400: the API could not use the request (e.g. an E911 address it cannot geocode)."""


class AuthenticationError(ErrorException):
    """401: the access key / secret key pair was refused."""


class PermissionDeniedError(ErrorException):
    """403: the account may not do this (e.g. delete a route still in use)."""


class NotFoundError(ErrorException):
    """404: no such resource on this account."""


class UnprocessableEntityError(ErrorException):
    """422: a field value was refused."""


class RateLimitError(ErrorException):
    """429: too many requests. ``retry_after`` is the server's hint in seconds, if it gave one."""

    def __init__(
        self,
        message: str,
        context: HttpContext,
        *,
        outcome_unknown: bool = False,
        errors: Optional[list[dict[str, Any]]] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(message, context, outcome_unknown=outcome_unknown, errors=errors)
        self.retry_after = retry_after


class ServerError(ErrorException):
    """5xx: Flowroute failed. For a create, ``outcome_unknown`` is set."""


_BY_STATUS: dict[int, type[ErrorException]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def parse_errors(raw_body: str) -> list[dict[str, Any]]:
    """The JSON:API ``errors[]`` of a body, or ``[]`` when it has none."""
    try:
        document = json.loads(raw_body)
    except (ValueError, RecursionError):  # RecursionError: a hostile, deeply nested body
        return []
    errors = document.get("errors") if isinstance(document, dict) else None
    return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


def _detail(errors: list[dict[str, Any]], raw_body: str) -> str:
    details = []
    for error in errors:
        detail = error.get("detail", error.get("title"))
        if isinstance(detail, str):
            details.append(detail)
        elif isinstance(detail, dict):
            details.extend(_field_messages(detail) or [_dumps(detail)])
        elif detail is not None:
            details.append(_dumps(detail))
    if details:
        return "; ".join(details)
    text = " ".join(raw_body.split())
    return text[:_EXCERPT] + ("..." if len(text) > _EXCERPT else "")


def _field_messages(detail: dict[str, Any]) -> list[str]:
    """``field: message`` lines from a field-error detail such as the E911 endpoints return:
    ``{"data": {"attributes": {"zip": ["ZIP code must be ..."]}}}``."""
    data = detail.get("data")
    attributes = data.get("attributes") if isinstance(data, dict) else None
    if not isinstance(attributes, dict):
        return []
    lines: list[str] = []
    for name, problems in attributes.items():
        texts = problems if isinstance(problems, list) else [problems]
        lines.extend(f"{name}: {text}" for text in texts if isinstance(text, str))
    return lines


def _dumps(value: Any) -> str:
    try:
        return json.dumps(value)
    except (ValueError, RecursionError):
        return "(unprintable detail)"


def error_for(
    context: HttpContext, *, outcome_unknown: bool = False, retry_after: Optional[float] = None
) -> ErrorException:
    """The exception for a non-2xx response, looked up by status."""
    request = context.request
    assert request is not None
    status = context.response.status_code
    errors = parse_errors(context.response.raw_body)
    message = f"{status} on {request.method} {request.path}"
    detail = _detail(errors, context.response.raw_body)
    if detail:
        message += f": {detail}"
    error: ErrorException
    if 300 <= status < 400:
        error = UnexpectedRedirectError(message, context, errors=errors)
    elif status == 429:
        error = RateLimitError(message, context, errors=errors, retry_after=retry_after)
    else:
        cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else ErrorException)
        error = cls(message, context, errors=errors)
    if outcome_unknown:
        error._mark_outcome_unknown("the request may have taken effect")
    return error
