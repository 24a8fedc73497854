"""The transport: sessions whose sockets honour the calling thread's overall deadline.

requests' read timeout bounds the wait for each ``recv``, not the call: a server that drips one
byte every half second keeps a request alive forever. Every connection made through
:class:`DeadlineAdapter` wraps its socket so that each read waits at most until the deadline the
calling thread set with :func:`deadline`; past it the read raises ``TimeoutError``, which urllib3
reports as a read timeout. Reads, not writes: our request bodies are small.

:func:`api_session` builds the session API calls go through when the caller brings none;
:func:`download_session` the separate, credential-free one that fetches CDR export files.
"""

from __future__ import annotations

import io
import math
import socket
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator, Mapping, Optional

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_local = threading.local()


@contextmanager
def deadline(at: Optional[float]) -> Iterator[None]:
    """Within the block, socket reads on this thread give up at ``time.monotonic() == at``."""
    previous = getattr(_local, "deadline", None)
    _local.deadline = at
    try:
        yield
    finally:
        _local.deadline = previous


def remaining() -> float:
    """Seconds left before this thread's deadline (infinite when none is set)."""
    at = getattr(_local, "deadline", None)
    return math.inf if at is None else max(0.0, at - time.monotonic())


class _DeadlineSocket:
    """Delegates to a connected socket; reads are cut short at the thread's deadline."""

    __slots__ = ("_sock",)

    def __init__(self, sock: Any) -> None:
        self._sock = sock

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def _read(self, method: Any, *args: Any) -> Any:
        at = getattr(_local, "deadline", None)
        if at is None:
            return method(*args)
        remaining = at - time.monotonic()
        if remaining <= 0:
            # socket.timeout, not TimeoutError: on Python 3.9 they differ, and urllib3 only
            # reports the former as a read timeout.
            raise socket.timeout("deadline exceeded")
        timeout = self._sock.gettimeout()
        if timeout is not None and timeout <= remaining:
            return method(*args)
        self._sock.settimeout(remaining)
        try:
            return method(*args)
        finally:
            self._sock.settimeout(timeout)

    def recv(self, *args: Any) -> Any:
        return self._read(self._sock.recv, *args)

    def recv_into(self, *args: Any) -> Any:
        return self._read(self._sock.recv_into, *args)

    def makefile(self, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if mode != "rb":
            return self._sock.makefile(mode, *args, **kwargs)
        # What socket.makefile does, but reading through this wrapper.
        self._sock._io_refs += 1
        return io.BufferedReader(socket.SocketIO(self, "rb"))  # type: ignore[arg-type]

    def _decref_socketios(self) -> None:
        self._sock._decref_socketios()


class _HTTPConnection(HTTPConnection):
    def connect(self) -> None:
        super().connect()
        self.sock = _DeadlineSocket(self.sock)


class _HTTPSConnection(HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        self.sock = _DeadlineSocket(self.sock)


class _HTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_POOLS = {"http": _HTTPConnectionPool, "https": _HTTPSConnectionPool}


class DeadlineAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` (no retries of its own) whose connections honour :func:`deadline`.

    ``max_connections`` is how many connections to one host are kept for reuse; a thread that
    finds them all busy opens another, which is closed after its call.
    """

    def __init__(self, max_connections: int) -> None:
        super().__init__(max_retries=0, pool_maxsize=max_connections)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        # Older types-requests (the newest for Python 3.9) leave these three untyped.
        super().init_poolmanager(*args, **kwargs)  # type: ignore[no-untyped-call,unused-ignore]
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)  # type: ignore[no-untyped-call,unused-ignore]
        manager.pool_classes_by_scheme = _POOLS
        return manager

    def close(self) -> None:
        # urllib3 2 closes a pool's idle sockets only when the pool is garbage collected, and
        # the tracebacks of failed requests (reference cycles) keep pools alive until the
        # collector runs: close them now, so that closing the client releases its sockets.
        for manager in [self.poolmanager, *self.proxy_manager.values()]:
            for key in manager.pools.keys():  # noqa: SIM118 - the container cannot be iterated
                pool = manager.pools.get(key)
                if pool is not None:
                    pool.close()
        super().close()  # type: ignore[no-untyped-call,unused-ignore]


def _mounted(adapter: DeadlineAdapter) -> requests.Session:
    session = requests.Session()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def api_session(max_connections: int) -> requests.Session:
    """The SDK's own session for API calls."""
    return _mounted(DeadlineAdapter(max_connections))


def download_session(
    proxies: Mapping[str, str], ca_bundle: Optional[str], user_agent: str
) -> requests.Session:
    """A session of its own for a pre-signed download: the API session may hold auth or headers
    meant for Flowroute. It reaches the download host the way API calls reach Flowroute
    (proxies, CA bundle), nothing more: ``verify=False`` is never carried over."""
    session = _mounted(DeadlineAdapter(1))
    session.proxies.update(proxies)
    if ca_bundle is not None:
        session.verify = ca_bundle
    session.headers["User-Agent"] = user_agent
    session.headers["Accept-Encoding"] = "identity"
    session.headers["Accept"] = "*/*"
    return session
