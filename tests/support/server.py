"""A scripted HTTP server on loopback: records every request, answers or misbehaves on cue.

Each request is answered by the next queued action (or by ``default``). Actions can reply,
hang, drip bytes, reset, truncate, or send raw bytes, so tests can reproduce the faults of
reliability.md at the socket level and assert on exactly what reached the server.
"""

from __future__ import annotations

import json
import socket
import socketserver
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Union
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    connection: int

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
    body: Union[bytes, str, dict, None] = None
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> bytes:
        body = self.body
        headers = dict(self.headers)
        if isinstance(body, dict):
            body = json.dumps(body)
            headers.setdefault("Content-Type", "application/vnd.api+json")
        data = body.encode() if isinstance(body, str) else (body or b"")
        headers.setdefault("Content-Length", str(len(data)))
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
    """Read the request, then reset the connection (RST)."""


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


Action = Union[Reply, Hang, Close, Reset, Drip, Raw]
Responder = Callable[[Recorded], Action]


class ScriptedServer:
    """``with ScriptedServer() as server:`` then ``server.url``, ``server.queue(...)``."""

    def __init__(
        self, default: Union[Action, Responder, None] = None, host: str = "127.0.0.1"
    ) -> None:
        self.requests: list[Recorded] = []
        self.default: Union[Action, Responder] = default or Reply(200, {"data": []})
        self._script: deque[Action] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._connections = 0
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                outer._serve_connection(self)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server((host, 0), Handler)
        self.host = host
        self.port = self._server.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def queue(self, *actions: Action) -> None:
        with self._lock:
            self._script.extend(actions)

    @property
    def count(self) -> int:
        return len(self.requests)

    def _next_action(self, request: Recorded) -> Action:
        with self._lock:
            self.requests.append(request)
            if self._script:
                return self._script.popleft()
        return self.default(request) if callable(self.default) else self.default

    def _serve_connection(self, handler: socketserver.StreamRequestHandler) -> None:
        with self._lock:
            self._connections += 1
            connection = self._connections
        sock: socket.socket = handler.connection
        while not self._stop.is_set():
            request = _read_request(handler.rfile, connection)
            if request is None:
                return
            action = self._next_action(request)
            if not self._perform(action, sock, handler):
                return

    def _perform(
        self, action: Action, sock: socket.socket, handler: socketserver.StreamRequestHandler
    ) -> bool:
        """Carry out an action; True if the connection stays open for another request."""
        try:
            if isinstance(action, Reply):
                handler.wfile.write(action.encode())
                handler.wfile.flush()
                return True
            if isinstance(action, Hang):
                self._stop.wait(action.seconds)
            elif isinstance(action, Reset):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif isinstance(action, Drip):
                ends = time.monotonic() + action.limit
                for byte in action.reply.encode():
                    if self._stop.is_set() or time.monotonic() > ends:
                        break
                    sock.sendall(bytes([byte]))
                    time.sleep(action.interval)
            elif isinstance(action, Raw):
                sock.sendall(action.data)
        except OSError:
            pass
        return False


def _read_request(rfile: Any, connection: int) -> Optional[Recorded]:
    try:
        line = rfile.readline(65537)
    except OSError:
        return None
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
    return Recorded(method, target, headers, body, connection)
