"""Serving the app over HTTP/1.1 on loopback: the handler, the recordings, the accept loop.

The app (``_app.App``) decides every answer. In front of it, this module reads requests off
sockets (keep-alive, pipelined, ``Content-Length`` or chunked bodies), refuses what it cannot
frame with a 400 in the API's error shape, records the rest, applies the faults a test asked
for (``_faults``), and writes the answer. Stopping closes the listening socket and every open
connection at once.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import re
import selectors
import socket
import socketserver
import threading
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Iterator, Mapping, Optional
from urllib.parse import parse_qsl, urlsplit

from .._validate import optional_whole_number
from ._app import App, Request, Response, error_response
from ._faults import Faults

__all__ = ["AcceptLoop", "Faults", "Front", "RecordedRequest", "RequestLog", "ServerThread"]

logger = logging.getLogger("flowroutenumbersandmessaging.sandbox")

MAX_BODY_BYTES = 16 * 1024 * 1024
HEX = re.compile(rb"[0-9A-Fa-f]{1,8}")
# ASCII digits only (str.isdigit() takes "²"), and few enough that int() never refuses them.
CONTENT_LENGTH = re.compile(r"[0-9]{1,16}")
# A client that goes quiet (idle keep-alive, or a body shorter than its Content-Length) is let
# go after this long, so it cannot hold a server thread forever.
IDLE_TIMEOUT = 60.0


class Headers(Mapping[str, str]):
    """Request headers as sent, looked up case-insensitively."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self._items = list(items)
        self._lower = {k.lower(): v for k, v in self._items}

    def __getitem__(self, name: str) -> str:
        return self._lower[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(dict(self._items))

    def __len__(self) -> int:
        return len(dict(self._items))

    def __repr__(self) -> str:
        return f"Headers({dict(self._items)!r})"


@dataclass(frozen=True)
class RecordedRequest:
    """A request as it reached the sandbox."""

    method: str
    path: str
    target: str
    query: dict[str, str]
    query_items: list[tuple[str, str]]
    headers: Headers
    body: bytes
    json: Any

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name)


def record(method: str, target: str, headers: Headers, body: bytes) -> RecordedRequest:
    items = parse_qsl(urlsplit(target).query, keep_blank_values=True)
    try:
        document = json.loads(body) if body.strip() else None
    except (ValueError, RecursionError):
        document = None
    query: dict[str, str] = {}
    for key, value in items:
        query.setdefault(key, value)
    return RecordedRequest(
        method, urlsplit(target).path, target, query, items, headers, body, document
    )


class RequestLog:
    """The requests a sandbox received, oldest first: every one, or only the last ``size``.

    A sandbox serving on a port for hours (or a fuzzer's millions of requests) keeps a bounded
    ring; tests that read every request keep everything (``size=None``).
    """

    def __init__(self, size: Optional[int] = None) -> None:
        size = optional_whole_number(size, "request_log_size")
        self._lock = threading.Lock()
        self._items: deque[RecordedRequest] = deque(maxlen=size)

    def append(self, request: RecordedRequest) -> None:
        with self._lock:
            self._items.append(request)

    def __iter__(self) -> Iterator[RecordedRequest]:
        with self._lock:
            return iter(list(self._items))

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


class Front:
    """Everything between a socket and the app: recordings, faults, the stop signal."""

    def __init__(self, app: App, request_log_size: Optional[int] = None) -> None:
        self.app = app
        self.faults = Faults()
        self.requests = RequestLog(request_log_size)
        self.download_requests = RequestLog(request_log_size)
        self.stopping = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FlowrouteSandbox"
    # A request line too broken to name its version is still answered with a status line and
    # headers: the stdlib's default, HTTP/0.9, would send the error body alone.
    default_request_version = "HTTP/1.1"
    # One buffered write per response and no Nagle: otherwise headers and body leave in
    # separate segments and delayed ACKs add ~40 ms to every request.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True
    timeout = IDLE_TIMEOUT
    requestline = ""
    server: _Server

    def handle_expect_100(self) -> bool:
        ok = super().handle_expect_100()
        self.wfile.flush()
        return ok

    def handle_one_request(self) -> None:
        try:
            try:
                self._answer_one_request()
            except OSError:
                raise
            except Exception:
                # A bug in the sandbox: say so in the log and on the wire, never just hang up.
                logger.exception("sandbox error on %r", self.requestline)
                self.close_connection = True
                self._write(error_response(500, "The sandbox hit an unexpected error."))
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _answer_one_request(self) -> None:
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.requestline = self.command = ""
            self.send_error(414)
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        if not self.parse_request():
            return
        problem = self._framing_problem()
        if problem is not None:
            self.send_error(400, problem)
            return
        self._serve()

    def send_error(
        self, code: int, message: Optional[str] = None, explain: Optional[str] = None
    ) -> None:
        """HTTP-level errors (bad request line, oversized body) in the API's JSON shape too."""
        if code == HTTPStatus.HTTP_VERSION_NOT_SUPPORTED:
            # The sandbox answers 5xx only when a test asks for it: a version it does not
            # speak is the client's mistake.
            code = HTTPStatus.BAD_REQUEST
        response = error_response(code, message or explain or "The request could not be read.")
        self.close_connection = True
        self._write(response)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s - %s", self.address_string(), format % args)

    def _framing_problem(self) -> Optional[str]:
        """Why the request's target or body framing cannot be trusted, or None."""
        try:
            target = urlsplit(self.path)
            if "[" in target.netloc:
                # Python before 3.11.4 lets any text through between the brackets.
                ipaddress.IPv6Address(target.hostname or "")
        except ValueError:
            return "The request target is not a valid URL."
        lengths = {value.strip() for value in self.headers.get_all("Content-Length", [])}
        codings = self.headers.get_all("Transfer-Encoding", [])
        if codings and lengths:
            return "Content-Length and Transfer-Encoding together make the body ambiguous."
        if codings and ",".join(codings).replace(" ", "").lower() != "chunked":
            return "The only Transfer-Encoding accepted is chunked."
        if len(lengths) > 1:
            return "Conflicting Content-Length headers."
        if lengths and not CONTENT_LENGTH.fullmatch(next(iter(lengths))):
            return "Invalid Content-Length header."
        return None

    def _read_body(self) -> Optional[bytes]:
        if "Transfer-Encoding" in self.headers:
            return self._read_chunked()
        length = int(self.headers.get("Content-Length", "0").strip())
        if length > MAX_BODY_BYTES:
            self.send_error(413, f"Request bodies are limited to {MAX_BODY_BYTES} bytes.")
            return None
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True
            return None
        return body

    def _read_chunked(self) -> Optional[bytes]:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024).split(b";")[0].strip()
            # Hex digits only: int(..., 16) also takes "-1", and read(-1) waits for EOF.
            if not HEX.fullmatch(line):
                self.send_error(400, "Invalid chunked body.")
                return None
            size = int(line, 16)
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                self.send_error(413, f"Request bodies are limited to {MAX_BODY_BYTES} bytes.")
                return None
            chunks.append(self.rfile.read(size))
            if self.rfile.readline(1024) not in (b"\r\n", b"\n"):
                self.send_error(400, "Invalid chunked body: a chunk is longer than its size.")
                return None

    def _serve(self) -> None:
        front = self.server.front
        body = self._read_body()
        if body is None:
            return
        headers = Headers(list(self.headers.items()))
        recorded = record(self.command, self.path, headers, body)
        from_download = recorded.path.startswith("/_sandbox/")
        (front.download_requests if from_download else front.requests).append(recorded)
        request = Request(
            self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
        )
        planned = front.faults.plan(self.command, recorded.path)
        if planned.delay and front.stopping.wait(planned.delay):
            self.close_connection = True
            return
        if planned.drop and not planned.drop_after:
            self.close_connection = True
            return
        response = planned.fail or front.app.handle(request)
        if planned.drop:
            self.close_connection = True
            return
        logger.info("%s %s -> %s", self.command, recorded.path, response.status)
        self._write(response)

    def _write(self, response: Response) -> None:
        """One write per response: a header that cannot be encoded fails before any byte."""
        reason = self.responses.get(response.status, ("",))[0]
        lines = [
            f"{self.protocol_version} {response.status} {reason}",
            f"Server: {self.server_version}",
            f"Date: {self.date_time_string()}",
            *(f"{name}: {value}" for name, value in response.headers.items()),
            f"Content-Length: {len(response.body)}",
        ]
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        # A request line refused before it was parsed may still have said HEAD.
        method = self.command or self.requestline.partition(" ")[0]
        self.wfile.write(head if method == "HEAD" else head + response.body)


class _Server(HTTPServer):
    """An HTTP server that tracks its connection threads so that stopping leaves none behind."""

    # socketserver's default backlog of 5 drops the SYNs of a burst of new connections, which
    # then wait a second or more for the kernel to send them again.
    request_queue_size = 1024

    def __init__(
        self, address: tuple[str, int], front: Front, family: socket.AddressFamily
    ) -> None:
        self.address_family = family
        self.front = front
        self._lock = threading.Lock()
        self._connections: dict[socket.socket, threading.Thread] = {}
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can take seconds.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name="flowroute-sandbox-connection",
            daemon=True,
        )
        with self._lock:
            self._connections[request] = thread
        thread.start()

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            logger.debug("connection from %s failed", client_address, exc_info=True)
        finally:
            self.shutdown_request(request)
            with self._lock:
                self._connections.pop(request, None)

    def close_connections(self, timeout: float) -> None:
        with self._lock:
            open_now = list(self._connections.items())
        for sock, _ in open_now:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for _, thread in open_now:
            thread.join(timeout)


class AcceptLoop:
    """A ``socketserver`` server's accept loop on a background thread, ended at once by stop().

    ``serve_forever()`` only notices ``shutdown()`` when its poll interval runs out; here a
    wake-up socket sits in the same selector as the listening socket, so stopping is immediate
    and an idle server costs no wake-ups at all.
    """

    def __init__(self, server: socketserver.TCPServer, name: str) -> None:
        self._server = server
        self._listener = server.socket
        self._listener.setblocking(False)
        self._wake_r, self._wake_w = socket.socketpair()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _loop(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while True:
                for key, _ in selector.select():
                    if key.fileobj is self._wake_r:
                        return
                    try:
                        connection, address = self._listener.accept()
                    except OSError:
                        continue
                    connection.setblocking(True)
                    self._server.process_request(connection, address)

    def stop(self, timeout: float = 2.0) -> None:
        """Stop accepting (the listening socket stays open until the server closes it)."""
        if self._thread.is_alive():
            self._wake_w.send(b"x")
            self._thread.join(timeout)
        self._wake_r.close()
        self._wake_w.close()


class ServerThread:
    """The sandbox's listening socket and its accept loop."""

    def __init__(self, host: str, port: int, front: Front) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.front = front
        self.httpd = _Server((host, port), front, family)
        self._loop = AcceptLoop(self.httpd, "flowroute-sandbox")

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def start(self) -> None:
        self._loop.start()

    def stop(self, timeout: float = 2.0) -> None:
        self.front.stopping.set()
        self._loop.stop(timeout)
        self.httpd.server_close()
        self.httpd.close_connections(timeout)
