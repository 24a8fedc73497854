"""Operation class x fault: what each failure of the server or the network leads to.

Each case scripts a loopback server, makes one idempotent read (``GET /v2/numbers``) or one
create (``POST /v2/numbers/{id}``, a purchase), and checks: how many requests reached the
server, the error class, ``outcome_unknown``, the time spent, that no other host was
contacted, and the no-leak invariant over the error and the DEBUG log.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Optional, Union

import pytest

from flowroutenumbersandmessaging.exceptions import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    FlowrouteError,
    InvalidResponseError,
    RateLimitError,
    ServerError,
    UnexpectedRedirectError,
)
from tests.reliability.conftest import NUMBER, retries_logged
from tests.reliability.leaks import assert_no_leak, sdk_records
from tests.support.server import Action, Close, Drip, Hang, Raw, Reply, Reset
from tests.support.timing import AT_ONCE

LIST = {"data": [{"type": "number", "id": NUMBER}]}
BOUGHT = {"data": {"type": "number", "id": NUMBER}}
JSON_ERROR = {"errors": [{"detail": "upstream trouble", "status": 500}]}


@dataclass
class Expect:
    requests: int
    error: Optional[type[FlowrouteError]] = None  # None: the call succeeds
    outcome_unknown: bool = False
    seconds: tuple[float, float] = (0.0, AT_ONCE)  # (at least, at most)
    retry_after: Any = "unchecked"


@dataclass
class Case:
    script: Union[list[Action], str]  # "refused": nothing listens
    read: Expect
    create: Expect
    options: dict[str, Any] = field(default_factory=dict)


def ok(status: int = 200) -> Reply:
    return Reply(status, LIST if status == 200 else BOUGHT)


def times3(action: Action) -> list[Action]:
    return [action, action, action]


def raw_head(status: str, *headers: str) -> bytes:
    return ("HTTP/1.1 " + status + "\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n").encode()


SHORT_BODY = raw_head("200 OK", "Content-Type: application/json", "Content-Length: 100") + (
    b'{"data": ['
)
BROKEN_CHUNKS = raw_head("200 OK", "Content-Type: application/json", "Transfer-Encoding: chunked")
BROKEN_CHUNKS += b'5\r\n{"dat\r\n'
CLOSE_DELIMITED = raw_head("200 OK", "Content-Type: application/json", "Connection: close")
CLOSE_DELIMITED += b'{"dat'

# An ambiguous failure: the read is retried to the budget (3 requests), the create is tried once
# and reports that its outcome is unknown.
AMBIGUOUS_READ = Expect(3, APIConnectionError)
AMBIGUOUS_CREATE = Expect(1, APIConnectionError, outcome_unknown=True)

CASES: dict[str, Case] = {
    # Nothing was sent, so even the create is retried (attempts are counted from the logs).
    "refused": Case("refused", Expect(3, APIConnectionError), Expect(3, APIConnectionError, False)),
    # A hung server costs one read timeout (1 s) per attempt, never the server's 10 s.
    "hang": Case(
        times3(Hang(10)),
        Expect(3, APITimeoutError, seconds=(2.95, 3.0 + AT_ONCE)),
        Expect(1, APITimeoutError, outcome_unknown=True, seconds=(0.95, 1.0 + AT_ONCE)),
    ),
    # One byte every 50 ms never trips the read timeout; the call's deadline stops it.
    "slow drip": Case(
        times3(Drip(ok(), interval=0.05, limit=5)),
        Expect(1, APITimeoutError, seconds=(0.45, 0.5 + AT_ONCE)),
        Expect(1, APITimeoutError, outcome_unknown=True, seconds=(0.45, 0.5 + AT_ONCE)),
        options={"deadline": 0.5},
    ),
    # The request was read, then the connection died.
    "reset after read": Case(times3(Reset()), AMBIGUOUS_READ, AMBIGUOUS_CREATE),
    "close after read": Case(times3(Close()), AMBIGUOUS_READ, AMBIGUOUS_CREATE),
    "reset mid-body": Case(
        times3(Reset(raw_head("200 OK", "Content-Length: 50") + b'{"da')),
        AMBIGUOUS_READ,
        AMBIGUOUS_CREATE,
    ),
    "garbage status line": Case(
        times3(Raw(b"SPDY/9 banana\r\n\r\n")), AMBIGUOUS_READ, AMBIGUOUS_CREATE
    ),
    # Truncated bodies are protocol errors, never raw requests/urllib3 exceptions.
    "short content-length": Case(times3(Raw(SHORT_BODY)), AMBIGUOUS_READ, AMBIGUOUS_CREATE),
    "broken chunked body": Case(times3(Raw(BROKEN_CHUNKS)), AMBIGUOUS_READ, AMBIGUOUS_CREATE),
    # A close-delimited body cut short is only visible to the JSON parser. A 2xx to a
    # create means it took effect: never retried, and the error says to check.
    "close-delimited truncation": Case(
        [Raw(CLOSE_DELIMITED)],
        Expect(1, InvalidResponseError),
        Expect(1, InvalidResponseError, outcome_unknown=True),
    ),
    # A 2xx whose body is not a JSON:API document is refused, never retried.
    "invalid JSON": Case(
        [Reply(200, '{"dat', {"Content-Type": "application/json"})],
        Expect(1, InvalidResponseError),
        Expect(1, InvalidResponseError, outcome_unknown=True),
    ),
    "HTML on 200": Case(
        [Reply(200, "<html><body>Sign in to Wi-Fi</body></html>", {"Content-Type": "text/html"})],
        Expect(1, InvalidResponseError),
        Expect(1, InvalidResponseError, outcome_unknown=True),
    ),
    "JSON of the wrong shape": Case(
        [Reply(200, {"items": [1, 2]})],
        Expect(1, InvalidResponseError),
        Expect(1, InvalidResponseError, outcome_unknown=True),
    ),
    "JSON array": Case(
        [Reply(200, [{"data": []}])],
        Expect(1, InvalidResponseError),
        Expect(1, InvalidResponseError, outcome_unknown=True),
    ),
    # 5xx is retried for reads; for a create it is ambiguous.
    **{
        str(status): Case(
            times3(Reply(status, JSON_ERROR)),
            Expect(3, ServerError),
            Expect(1, ServerError, outcome_unknown=True),
        )
        for status in (500, 502, 503, 504)
    },
    "503 then success": Case(
        [Reply(503), ok(200)], Expect(2), Expect(1, ServerError, outcome_unknown=True)
    ),
    # A 429 was not accepted, so even a create is retried.
    "429 without Retry-After": Case(
        times3(Reply(429)),
        Expect(3, RateLimitError, retry_after=None),
        Expect(3, RateLimitError, retry_after=None),
    ),
    # It waits what the server asked: 0.2 s, plus up to a quarter of it as jitter.
    "429 with Retry-After then success": Case(
        [Reply(429, headers={"Retry-After": "0.2"}), ok(200)],
        Expect(2, seconds=(0.2, 0.25 + AT_ONCE)),
        Expect(2, seconds=(0.2, 0.25 + AT_ONCE)),
    ),
    "429 with huge Retry-After": Case(
        times3(Reply(429, headers={"Retry-After": "100000"})),
        Expect(1, RateLimitError, retry_after=100000.0),
        Expect(1, RateLimitError, retry_after=100000.0),
    ),
    "429 with huge retry-after (lowercase)": Case(
        times3(Reply(429, headers={"retry-after": "1e5"})),
        Expect(1, RateLimitError, retry_after=100000.0),
        Expect(1, RateLimitError, retry_after=100000.0),
    ),
    # Not retried, not ambiguous.
    "401": Case(
        times3(Reply(401, {"errors": [{"detail": "Unauthorized"}]})),
        Expect(1, AuthenticationError),
        Expect(1, AuthenticationError),
    ),
    # Redirects are never followed (the Location points at the ``elsewhere`` server).
    "302": Case("redirect", Expect(1, UnexpectedRedirectError), Expect(1, UnexpectedRedirectError)),
    # 207 is success (the number was bought; messaging provisioning failed).
    "207": Case(
        [Reply(207, {**BOUGHT, "errors": [{"detail": "messaging not enabled"}]})],
        Expect(1),
        Expect(1),
    ),
}


def _script(case: Case, elsewhere: Any) -> list[Action]:
    if case.script == "redirect":
        return times3(Reply(302, "", {"Location": f"{elsewhere.url}/v2/numbers"}))
    assert isinstance(case.script, list)
    return case.script


@pytest.mark.parametrize("operation", ["read", "create"])
@pytest.mark.parametrize("name", list(CASES))
def test_fault_matrix(
    name, operation, server, elsewhere, fault_client, closed_port_url, debug_logs
):
    case = CASES[name]
    expect: Expect = getattr(case, operation)
    client = fault_client(closed_port_url if case.script == "refused" else server, **case.options)
    if case.script != "refused":
        script = _script(case, elsewhere)
        if operation == "create":
            script = [ok(201) if a == ok(200) else a for a in script]
        server.queue(*script)
        server.default = ok(201) if operation == "create" else ok(200)

    started = time.monotonic()
    error: Optional[FlowrouteError] = None
    try:
        if operation == "read":
            result = client.numbers.list_account_phone_numbers()
        else:
            result = client.numbers.purchase_a_phone_number(NUMBER)
    except FlowrouteError as caught:
        error = caught
    elapsed = time.monotonic() - started

    attempts = len(retries_logged(debug_logs)) + 1 if case.script == "refused" else server.count
    assert attempts == expect.requests
    assert elsewhere.count == 0
    low, high = expect.seconds
    assert low <= elapsed <= high, f"took {elapsed:.3f}s"
    if expect.error is None:
        assert error is None, f"unexpected {error!r}"
        assert result is not None and "data" in result
        if name == "207":
            assert result["errors"][0]["detail"] == "messaging not enabled"
    else:
        assert type(error) is expect.error, f"got {error!r}"
        assert error.outcome_unknown is expect.outcome_unknown
        if isinstance(error, APIConnectionError):
            assert error.sent is (case.script != "refused")
        if expect.retry_after != "unchecked":
            assert isinstance(error, RateLimitError)
            assert error.retry_after == expect.retry_after
        if expect.outcome_unknown:
            assert "outcome unknown" in str(error)
        assert error.context is not None
        assert error.context.request.method == ("GET" if operation == "read" else "POST")
        assert_no_leak(error, debug_logs.text)
    assert {r.name for r in sdk_records(debug_logs.records)} <= {"flowroutenumbersandmessaging"}
