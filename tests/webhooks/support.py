"""A WSGI application served on loopback (wsgiref, a thread per request); a recording handler."""

from __future__ import annotations

import threading
from socketserver import ThreadingMixIn
from typing import Any, Callable
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Served:
    """A WSGI application on 127.0.0.1; ``url`` is its callback URL (no token)."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.server = make_server(
            "127.0.0.1", 0, app, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
        self.url = f"http://127.0.0.1:{self.server.server_port}/flowroute"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}
        )
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


class Recorder:
    """A handler that records the events it gets; ``failures`` makes the next calls raise."""

    def __init__(self) -> None:
        self.calls = 0
        self.events: list[Any] = []
        self.failures = 0
        self._changed = threading.Condition()

    def __call__(self, event: Any) -> None:
        with self._changed:
            self.calls += 1
            self._changed.notify_all()
            if self.failures:
                self.failures -= 1
                raise RuntimeError("the handler failed on purpose")
            self.events.append(event)

    def wait(self, count: int, timeout: float = 5.0) -> list[Any]:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.events) >= count, timeout):
                raise TimeoutError(f"{len(self.events)} events after {timeout} s, not {count}")
            return list(self.events)
