"""HTTP/1.1 over a bare socket: send exact bytes to a server, read back every response.

The sandbox's front end is tested with bytes no HTTP client library would produce (broken
request lines, contradictory framing, pipelines cut short), so these helpers do the framing by
hand: ``exchange`` sends, half-closes and reads until the server closes; ``parse_responses``
splits what came back into responses.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass


class Hang(AssertionError):
    """The server neither answered nor closed the connection in time."""


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def closes(self) -> bool:
        return self.headers.get("connection", "").lower() == "close"


def exchange(port: int, data: bytes, timeout: float = 5.0, host: str = "127.0.0.1") -> bytes:
    """Send ``data``, half-close, and return every byte the server sends until it closes."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before reading everything we sent
        received = bytearray()
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                raise Hang(f"no end after {timeout} s; got {bytes(received[:200])!r}") from None
            except ConnectionResetError:
                return bytes(received)
            if not chunk:
                return bytes(received)
            received += chunk


def parse_responses(data: bytes, methods: list[str]) -> list[RawResponse]:
    """Split ``data`` into responses; ``methods`` are the requests' methods, in order.

    Raises AssertionError when the bytes are not a sequence of well-formed responses (each with
    a status line, headers and a ``Content-Length`` body; interim 1xx responses are skipped).
    """
    responses: list[RawResponse] = []
    rest = data
    while rest:
        head, separator, rest = rest.partition(b"\r\n\r\n")
        assert separator, f"response head not terminated: {head[:200]!r}"
        status_line, *lines = head.decode("latin-1").split("\r\n")
        version, code, _ = (status_line + " ").split(" ", 2)
        assert version == "HTTP/1.1" and code.isdigit(), f"bad status line {status_line!r}"
        headers = {}
        for line in lines:
            name, colon, value = line.partition(":")
            assert colon, f"bad header line {line!r}"
            headers[name.strip().lower()] = value.strip()
        status = int(code)
        if 100 <= status < 200:
            continue
        method = methods[len(responses)] if len(responses) < len(methods) else ""
        length = 0 if method == "HEAD" else int(headers["content-length"])
        assert len(rest) >= length, f"body cut short: {length} announced, {len(rest)} sent"
        responses.append(RawResponse(status, headers, rest[:length]))
        rest = rest[length:]
    return responses
