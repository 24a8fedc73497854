"""The sandbox's HTTP framing: every complete request gets an answer, never a 5xx, never a hang.

Users aim their own fuzzers at the sandbox, so it must read any byte stream the way a careful
HTTP/1.1 server would: answer what it can parse, answer 400 (in the API's JSON error shape) to
what it cannot, and close the connection when the framing can no longer be trusted.
"""

from __future__ import annotations

import base64
import json
import socket
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.sandbox.rawhttp import RawResponse, exchange, parse_responses

AUTH = "Basic " + base64.b64encode(b"sandbox-access-key:sandbox-secret-key").decode()


@pytest.fixture(scope="module")
def shared() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def port_of(sandbox: Sandbox) -> int:
    return int(sandbox.base_uri.rsplit(":", 1)[1])


def ask(sandbox: Sandbox, data: bytes, methods: list[str]) -> list[RawResponse]:
    return parse_responses(exchange(port_of(sandbox), data), methods)


def assert_json_error(response: RawResponse, status: int) -> None:
    assert response.status == status
    assert response.headers["content-type"].startswith("application/vnd.api+json")
    (error,) = json.loads(response.body)["errors"]
    assert error["status"] == status and error["detail"]


def assert_refused(sandbox: Sandbox, request: bytes, method: str, status: int = 400) -> None:
    """One answer, ``status`` in the API's error shape, and the connection closed after it."""
    (response,) = ask(sandbox, request, [method])
    assert_json_error(response, status)
    assert response.closes


@pytest.mark.parametrize(
    "target",
    ["http://[::1/v2/numbers", "http://[/v2/numbers", "http://[zz]/v2/numbers"],
)
def test_a_request_target_with_a_broken_ipv6_host_gets_400(shared, target):
    request = f"GET {target} HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\n\r\n"
    assert_refused(shared, request.encode(), "GET")


def test_an_absolute_form_target_is_served_like_its_path(shared):
    request = (
        "GET http://127.0.0.1/v2/numbers?limit=1 HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: {AUTH}\r\nConnection: close\r\n\r\n"
    )
    (response,) = ask(shared, request.encode(), ["GET"])
    assert response.status == 200
    assert len(json.loads(response.body)["data"]) == 1


@pytest.mark.parametrize(
    "line",
    [
        b"GET /v2/numbers HTTP/1.1 extra",
        b"NONSENSE",
        b"POST /v2/numbers",
        b"GET /v2/numbers HTTP/x.y",
        b"GET /v2/numbers HTTP/2.0",
        b"GET /v2/numbers HTTP/1.1\x00",
    ],
)
def test_a_malformed_request_line_gets_a_400_with_a_status_line(shared, line):
    assert_refused(shared, line + b"\r\nHost: x\r\n\r\n", "")


@pytest.mark.parametrize(
    "headers", ["X-Long: " + "a" * 70_000 + "\r\n", "X-Many: 1\r\n" * 101], ids=["long", "many"]
)
def test_oversized_headers_get_431(shared, headers):
    request = f"GET /v2/routes HTTP/1.1\r\nHost: x\r\n{headers}\r\n"
    assert_refused(shared, request.encode(), "GET", 431)


@pytest.mark.parametrize(
    "framing",
    [
        "Content-Length: 3\r\nContent-Length: 4\r\n",
        "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: gzip\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
        "Content-Length: -1\r\n",
        "Content-Length: 0x10\r\n",
    ],
)
def test_ambiguous_body_framing_gets_400_and_a_closed_connection(shared, framing):
    request = f"POST /v2/routes HTTP/1.1\r\nHost: x\r\n{framing}\r\nabc"
    assert_refused(shared, request.encode(), "POST")


def test_pipelined_requests_are_answered_in_order(shared):
    one = f"GET /v2/numbers?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\n\r\n"
    two = "HEAD /v2/routes HTTP/1.1\r\nHost: x\r\n\r\n"
    three = (
        f"POST /v2/routes HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\n"
        "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
        "2\r\n{}\r\n0\r\n\r\n"
    )
    responses = ask(shared, (one + two + three).encode(), ["GET", "HEAD", "POST"])
    assert [r.status for r in responses] == [200, 401, 422]
    assert responses[1].body == b""


def test_a_request_cut_short_is_closed_without_a_hang(shared):
    body_missing = "POST /v2/routes HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{"
    assert ask(shared, body_missing.encode(), ["POST"]) == []
    chunk_missing = (
        "POST /v2/routes HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"
    )
    (response,) = ask(shared, chunk_missing.encode(), ["POST"])
    assert_json_error(response, 400)


def test_a_burst_of_64_simultaneous_connections_is_answered(shared):
    sockets = [socket.socket() for _ in range(64)]
    try:
        for sock in sockets:
            sock.setblocking(False)
            assert sock.connect_ex(("127.0.0.1", port_of(shared))) in (0, 115)  # EINPROGRESS
        request = b"GET /v2/routes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        answers = []
        for sock in sockets:
            sock.settimeout(10)
            sock.sendall(request)
            answers.append(sock.recv(12))
        retransmits = [syn_retransmits(sock) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
    assert answers == [b"HTTP/1.1 401"] * 64
    # A full accept queue drops SYNs; the client then waits about a second to send it again.
    assert set(retransmits) <= {0, None}, retransmits


def syn_retransmits(sock: socket.socket) -> object:
    """Retransmissions on this connection (Linux TCP_INFO ``tcpi_total_retrans``), else None."""
    tcp_info = getattr(socket, "TCP_INFO", None)
    if tcp_info is None:
        return None
    info = sock.getsockopt(socket.IPPROTO_TCP, tcp_info, 104)
    return int.from_bytes(info[100:104], "little") if len(info) >= 104 else None


# -- the fuzz --------------------------------------------------------------------------------

TOKEN = st.text(
    st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-!#$%&'*+.^_`|~"
    ),
    min_size=1,
    max_size=12,
)
LATIN1 = st.text(
    st.characters(min_codepoint=0, max_codepoint=255, exclude_characters="\r\n"), max_size=40
)
PATHS = st.sampled_from(
    [
        "/v2/numbers",
        "/v2/numbers/available?starts_with=1206&limit=2",
        "/v2/routes",
        "/v2.1/messages",
        "/v2/e911s",
        "/v2/cnams",
        "/v2/cdrs/exports",
        "/_sandbox/cdr-files/x",
        "*",
        "/",
    ]
)
HOSTS = st.sampled_from(
    ["127.0.0.1", "[::1]", "[::1", "[", "[zz]", "h:x", "", "a b", "[::1]:99999"]
)
TARGETS = st.one_of(
    PATHS,
    st.builds(lambda h, p: f"http://{h}{p if p.startswith('/') else '/'}", HOSTS, PATHS),
    st.builds(lambda p, q: f"{p}?{q}", PATHS, LATIN1.map(lambda s: s.replace(" ", "%20"))),
    st.text(st.characters(min_codepoint=33, max_codepoint=255), min_size=1, max_size=30),
)
METHODS = st.one_of(
    st.sampled_from(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]), TOKEN
)
VERSIONS = st.sampled_from(
    ["HTTP/1.1", "HTTP/1.0", "HTTP/1.1", "HTTP/2.0", "HTTP/1.x", "http/1.1", ""]
)
HEADERS = st.lists(
    st.tuples(
        st.one_of(
            TOKEN, st.sampled_from(["Host", "Accept", "Content-Type", "Connection", "Expect"])
        ),
        LATIN1,
    ),
    max_size=5,
)
ODD_HEADER_LINES = st.sampled_from(
    [
        " folded onto the line before",
        "No colon",
        ": no name",
        "Expect: 100-continue",
        "Connection: close",
        "Connection: keep-alive",
    ]
)
BODIES = st.one_of(st.just(b""), st.binary(max_size=60), st.just(b'{"data": {"attributes": {}}}'))


FRAMING = {"content-length", "transfer-encoding"}


@st.composite
def requests_(draw: st.DrawFn) -> tuple[str, bytes, bool]:
    """(method, bytes, clean): ``clean`` when the framing is one the server must follow."""
    method, target, version = draw(METHODS), draw(TARGETS), draw(VERSIONS)
    line = f"{method} {target} {version}".rstrip(" ")
    headers = [(n, v) for n, v in draw(HEADERS) if n.lower() not in FRAMING]
    if draw(st.booleans()):
        headers.append(("Authorization", AUTH))
    body = draw(BODIES)
    framing = draw(st.sampled_from(["length", "chunked", "none", "wild"]))
    clean = framing != "wild"
    if framing == "length":
        headers.append(("Content-Length", str(len(body))))
    elif framing == "chunked":
        headers.append(("Transfer-Encoding", "chunked"))
        sizes = draw(st.lists(st.integers(1, 20), max_size=3))
        chunks, rest = [], body
        for size in sizes:
            if rest:  # a chunk of size 0 would end the body
                chunks.append(b"%x\r\n%s\r\n" % (len(rest[:size]), rest[:size]))
                rest = rest[size:]
        if rest:
            chunks.append(b"%x;ext=1\r\n%s\r\n" % (len(rest), rest))
        body = b"".join(chunks) + b"0\r\n\r\n"
    elif framing == "none":
        body = b""
    else:
        name = draw(st.sampled_from(["Content-Length", "Transfer-Encoding"]))
        headers.append((name, draw(st.one_of(LATIN1, st.sampled_from(["5", "chunked", "99"])))))
    lines = [f"{n}: {v}" for n, v in headers] + draw(st.lists(ODD_HEADER_LINES, max_size=2))
    head = line + "\r\n" + "".join(f"{header}\r\n" for header in lines) + "\r\n"
    # Without a version the line is HTTP/0.9-shaped; such a request has no framing to trust.
    return method, head.encode("latin-1") + body, clean and bool(version)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pipeline=st.lists(requests_(), min_size=1, max_size=3), cut=st.integers(0, 40))
def test_fuzzed_framing_is_answered_without_5xx_or_hang(shared, pipeline, cut):
    # Bytes after a request whose framing cannot be trusted have no known boundaries.
    cleans = [clean for _, _, clean in pipeline]
    if False in cleans:
        pipeline = pipeline[: cleans.index(False) + 1]
    data = b"".join(raw for _, raw, _ in pipeline)
    sent = data[: len(data) - cut] if cut % 4 == 0 else data
    responses = parse_responses(exchange(port_of(shared), sent), [m for m, _, _ in pipeline])
    assert all(r.status < 500 for r in responses), [r.status for r in responses]
    assert not any(r.closes for r in responses[:-1]), "an answer after Connection: close"
    # The server owes an answer to each request that arrived whole, up to the first whose
    # framing it cannot trust, unless it closed the connection earlier (and said so).
    owed, end = 0, 0
    for _, raw, clean in pipeline:
        end += len(raw)
        if not clean or end > len(sent):
            break
        owed += 1
    if len(responses) < owed:
        assert responses and responses[-1].closes, (len(responses), owed)
