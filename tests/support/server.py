"""A scripted HTTP(S) server on loopback: records every request, answers or misbehaves on cue.

Each request is answered by the next queued action (or by ``default``). Actions can reply,
hang, drip bytes, reset, truncate, or send raw bytes, so tests can reproduce network and
server faults at the socket level and assert on exactly what reached the server.

``ScriptedServer(tls=ssl_context)`` serves HTTPS; ``connections`` counts accepted TCP
connections (so TLS handshakes too), ``handshake_failures`` those whose handshake failed.
Leaving the ``with`` block closes every connection the server holds and joins its threads, so
a test can count file descriptors afterwards; it returns at once (the accept loop is woken,
not polled).
"""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import ssl
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Union
from urllib.parse import parse_qsl, urlsplit

from flowroutenumbersandmessaging.sandbox._server import AcceptLoop


@dataclass
class Recorded:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    connection: int
    at: float = 0.0  # time.monotonic() when the request had been read

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.target).query, keep_blank_values=True)

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def header(self, name: str) -> Optional[str]:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Reply:
    status: int = 200
    body: Union[bytes, str, dict, list, None] = None
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> bytes:
        body = self.body
        headers = dict(self.headers)
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            headers.setdefault("Content-Type", "application/vnd.api+json")
        data = body.encode() if isinstance(body, str) else (body or b"")
        if not any(k.lower() == "content-length" for k in headers):
            headers["Content-Length"] = str(len(data))
        head = f"HTTP/1.1 {self.status} X\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items()
        )
        return head.encode() + b"\r\n" + data


@dataclass
class Hang:
    """Read the request, then say nothing for ``seconds``, then close."""

    seconds: float = 30.0


@dataclass
class Close:
    """Read the request, then close without a word (FIN)."""


@dataclass
class Reset:
    """Read the request, send ``partial`` (default nothing), then reset the connection (RST)."""

    partial: bytes = b""


@dataclass
class Drip:
    """Send ``reply`` one byte every ``interval`` seconds, until done or ``limit`` passes."""

    reply: Reply
    interval: float = 0.2
    limit: float = 30.0


@dataclass
class Raw:
    """Send these bytes, then close."""

    data: bytes


@dataclass
class Cleartext:
    """Under TLS: write these bytes straight onto the TCP socket (a corrupt TLS record), close."""

    data: bytes = b"\x17\x03\x03\x00\x20" + b"\x00" * 32


Action = Union[Reply, Hang, Close, Reset, Drip, Raw, Cleartext]
Responder = Callable[[Recorded], Action]


class ScriptedServer:
    """``with ScriptedServer() as server:`` then ``server.url``, ``server.queue(...)``."""

    def __init__(
        self,
        default: Union[Action, Responder, None] = None,
        host: str = "127.0.0.1",
        *,
        tls: Optional[ssl.SSLContext] = None,
    ) -> None:
        self.requests: list[Recorded] = []
        self.default: Union[Action, Responder] = default or Reply(200, {"data": []})
        self.connections = 0
        self.handshake_failures = 0
        self._script: deque[Action] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._open: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()
        self._tls = tls
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer._serve_connection(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True
            # socketserver's default backlog of 5 drops the SYNs of a burst of new connections,
            # which then wait a second for the kernel to retry.
            request_queue_size = 128

            def process_request(self, request: Any, client_address: Any) -> None:
                # Known from the moment of accepting until its socket is closed: stop() must
                # also wait for a connection whose thread has not started running yet.
                thread = threading.Thread(
                    target=self.process_request_thread, args=(request, client_address)
                )
                thread.daemon = True
                with outer._lock:
                    outer._open.add(request)
                    outer._threads.add(thread)
                thread.start()

            def process_request_thread(self, request: Any, client_address: Any) -> None:
                try:
                    super().process_request_thread(request, client_address)
                finally:
                    with outer._lock:
                        outer._threads.discard(threading.current_thread())

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a misbehaving client is what these tests are about; stay quiet

        self._server = Server((host, 0), Handler)
        self.host = host
        self.port = self._server.server_address[1]
        self.url = f"{'https' if tls else 'http'}://{host}:{self.port}"
        self._accepting = AcceptLoop(self._server, "scripted-server")

    def __enter__(self) -> ScriptedServer:
        self._accepting.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop accepting, drop every open connection, and wait for the handler threads."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._accepting.stop()
        self._server.server_close()
        with self._lock:
            sockets, threads = list(self._open), list(self._threads)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(timeout=5)

    def queue(self, *actions: Action) -> None:
        with self._lock:
            self._script.extend(actions)

    def reset(self) -> None:
        """Forget the requests seen and any actions still queued."""
        with self._lock:
            self.requests.clear()
            self._script.clear()
            self.connections = 0
            self.handshake_failures = 0

    @property
    def count(self) -> int:
        return len(self.requests)

    def _next_action(self, request: Recorded) -> Action:
        with self._lock:
            self.requests.append(request)
            if self._script:
                return self._script.popleft()
        return self.default(request) if callable(self.default) else self.default

    def _serve_connection(self, sock: socket.socket) -> None:
        with self._lock:
            self.connections += 1
            connection = self.connections
        try:
            if self._tls is not None:
                try:
                    sock = self._handshake(sock)
                except (OSError, ssl.SSLError):
                    with self._lock:
                        self.handshake_failures += 1
                    return
            with sock.makefile("rb") as rfile:
                while not self._stop.is_set():
                    request = _read_request(rfile, connection)
                    if request is None or not self._perform(self._next_action(request), sock):
                        return
        finally:
            with self._lock:
                self._open.discard(sock)
            sock.close()

    def _handshake(self, sock: socket.socket) -> socket.socket:
        assert self._tls is not None
        sock.settimeout(5)
        wrapped = self._tls.wrap_socket(sock, server_side=True)
        wrapped.settimeout(None)
        with self._lock:
            self._open.discard(sock)
            self._open.add(wrapped)
        return wrapped

    def _perform(self, action: Action, sock: socket.socket) -> bool:
        """Carry out an action; True if the connection stays open for another request."""
        try:
            if isinstance(action, Reply):
                sock.sendall(action.encode())
                return True
            if isinstance(action, Hang):
                self._stop.wait(action.seconds)
            elif isinstance(action, Reset):
                if action.partial:
                    sock.sendall(action.partial)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif isinstance(action, Drip):
                ends = time.monotonic() + action.limit
                for byte in action.reply.encode():
                    if self._stop.is_set() or time.monotonic() > ends:
                        break
                    sock.sendall(bytes([byte]))
                    self._stop.wait(action.interval)
            elif isinstance(action, Raw):
                sock.sendall(action.data)
            elif isinstance(action, Cleartext):
                # Bypass the TLS layer: same descriptor, raw bytes.
                with socket.socket(fileno=socket.dup(sock.fileno())) as plain:
                    plain.sendall(action.data)
        except OSError:
            pass
        return False


def _read_request(rfile: Any, connection: int) -> Optional[Recorded]:
    try:
        line = rfile.readline(65537)
        if not line:
            return None
        method, target, _ = line.decode("latin-1").split(" ", 2)
        headers: dict[str, str] = {}
        while True:
            header = rfile.readline(65537).decode("latin-1")
            if header in ("\r\n", "\n", ""):
                break
            name, _, value = header.partition(":")
            headers[name.strip()] = value.strip()
        length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
        body = rfile.read(length) if length else b""
    except (OSError, ValueError):
        return None
    return Recorded(method, target, headers, body, connection, time.monotonic())
