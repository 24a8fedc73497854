"""Webhook delivery: POSTs of JSON to callback URLs on loopback, re-delivered as Flowroute does.

The sandbox must never call the internet (demos set callback URLs like
``https://hooks.example.com/...``), so a URL whose host is not loopback is recorded as skipped
instead of delivered. Nothing else is followed either: no redirects, no proxies.

Deliveries do not wait on each other. Each receiver (scheme, host and port) has its own lane:
its deliveries go out one at a time, in the order they were made, on a thread that exists
while the lane has work. A slow or dead receiver therefore delays only its own deliveries, and
no attempt lasts longer than the delivery timeout. An attempt that does not get a 200 (refused,
timed out, any other status) is made again after the next of the retry delays; when they are
used up the delivery is given up.

One scheduler thread starts the re-deliveries when they are due, cuts off attempts that
outlast the timeout, and moves the sandbox's timed life cycles along (CNAM approval, CDR
processing) through the ``tick`` it is given.
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import http.client
import ipaddress
import itertools
import json
import logging
import socket
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Optional
from urllib.parse import urlsplit

from .._validate import optional_whole_number, seconds

logger = logging.getLogger("flowroutenumbersandmessaging.sandbox")

SKIPPED = "not delivered: the sandbox only calls loopback URLs (127.0.0.1, localhost, ::1)"


@dataclass(frozen=True)
class WebhookDelivery:
    """One attempt at delivering a webhook (or the record that it was skipped).

    Attributes:
        kind: ``"sms"``, ``"mms"``, ``"dlr"`` or ``"cdr"``.
        url: the callback URL.
        json: the JSON body (the same on every attempt of one delivery).
        status: the receiver's HTTP status, or None when nothing was answered.
        error: why there is no status (connection refused, timeout, skipped).
        skipped: True when the URL was not loopback and nothing was sent.
        attempt: 1 for the first attempt, 2 for the first re-delivery, and so on.
        final: True when no further attempt follows (delivered, skipped, or given up).
    """

    kind: str
    # Neither in repr: callback URLs (also echoed in message bodies) may carry a secret token.
    url: str = field(repr=False)
    json: dict[str, Any] = field(repr=False)
    status: Optional[int] = None
    error: Optional[str] = None
    skipped: bool = False
    attempt: int = 1
    final: bool = True

    @property
    def ok(self) -> bool:
        """The receiver answered 200, the only answer Flowroute takes as delivered."""
        return self.status == 200


def is_loopback_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    if parts.scheme not in ("http", "https"):
        return False
    if not host:
        return False
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _shown(url: str) -> str:
    """``url`` as logs and errors show it: without its query, which may hold a receiver's token."""
    return url.split("?", 1)[0]


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Built once per process, and only if a receiver uses https: loading the trust store
    # takes tens of milliseconds.
    return ssl.create_default_context()


@dataclass(frozen=True)
class _Job:
    kind: str
    url: str
    payload: dict[str, Any]
    attempt: int = 1

    @property
    def lane(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc.rpartition('@')[2].lower()}"


class WebhookDispatcher:
    """Deliveries on one lane per receiver, re-delivered until answered 200 or given up.

    Args:
        tick: called by the scheduler; advances timed state and returns how long the scheduler
            may sleep (None: until something else wakes it).
        retry_delays: seconds before each re-delivery; ``()`` never re-delivers.
        log_size: keep only the last ``log_size`` attempts in :attr:`deliveries` (None: all).
        timeout: seconds an attempt may take, from connecting to the end of the answer.
    """

    def __init__(
        self,
        tick: Callable[[], Optional[float]],
        retry_delays: Iterable[float],
        log_size: Optional[int],
        timeout: float,
    ) -> None:
        self._tick = tick
        self._retry_delays = tuple(
            seconds(delay, "webhook_retry_delays", allow_zero=True) for delay in retry_delays
        )
        self._timeout = seconds(timeout, "webhook_timeout")
        self._cond = threading.Condition()
        self._deliveries: deque[WebhookDelivery] = deque(
            maxlen=optional_whole_number(log_size, "request_log_size")
        )
        self._attempts = 0
        self._due: list[tuple[float, int, _Job]] = []
        self._order = itertools.count()
        self._lanes: dict[str, deque[_Job]] = {}
        self._workers: set[threading.Thread] = set()
        self._in_flight: dict[socket.socket, float] = {}
        self._stopping = False
        self._scheduler = threading.Thread(
            target=self._schedule, name="flowroute-sandbox-webhooks", daemon=True
        )

    def start(self) -> None:
        self._scheduler.start()

    def stop(self, timeout: float = 3.0) -> None:
        """Drop what has not been sent, cut off attempts in progress, join every thread."""
        with self._cond:
            self._stopping = True
            self._due.clear()
            for lane in self._lanes.values():
                lane.clear()
            for sock in self._in_flight:
                _cut_off(sock)
            self._cond.notify_all()
            workers = list(self._workers)
        if self._scheduler.is_alive():
            self._scheduler.join(timeout)
        for worker in workers:
            worker.join(timeout)

    def submit(self, kind: str, url: str, payload: dict[str, Any]) -> None:
        with self._cond:
            if not self._stopping:
                self._enqueue(_Job(kind, url, payload))

    @property
    def deliveries(self) -> list[WebhookDelivery]:
        with self._cond:
            return list(self._deliveries)

    def wait_for(self, count: int, timeout: float) -> list[WebhookDelivery]:
        """Wait until ``count`` attempts have ended, counting from the start; return them."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._attempts >= count, timeout):
                raise TimeoutError(
                    f"{self._attempts} webhook deliveries after {timeout} s, "
                    f"expected {count}: {[_shown(d.url) for d in self._deliveries]}"
                )
            return list(self._deliveries)

    # -- lanes ----------------------------------------------------------------------------------

    def _enqueue(self, job: _Job) -> None:
        """Queue ``job`` on its receiver's lane, starting the lane's thread if it is idle."""
        lane = job.lane if is_loopback_url(job.url) else ""
        if lane in self._lanes:
            self._lanes[lane].append(job)
            return
        self._lanes[lane] = deque([job])
        worker = threading.Thread(
            target=self._drain, args=(lane,), name="flowroute-sandbox-webhook", daemon=True
        )
        self._workers.add(worker)
        worker.start()

    def _drain(self, lane: str) -> None:
        while True:
            with self._cond:
                jobs = self._lanes[lane]
                if not jobs:
                    del self._lanes[lane]
                    self._workers.discard(threading.current_thread())
                    return
                job = jobs.popleft()
            delivery = self._attempt(job)
            with self._cond:
                if self._stopping:
                    continue
                if not delivery.final:
                    delay = self._retry_delays[job.attempt - 1]
                    due = time.monotonic() + delay
                    heapq.heappush(
                        self._due, (due, next(self._order), replace(job, attempt=job.attempt + 1))
                    )
                self._deliveries.append(delivery)
                self._attempts += 1
                self._cond.notify_all()

    def _attempt(self, job: _Job) -> WebhookDelivery:
        if not is_loopback_url(job.url):
            return WebhookDelivery(job.kind, job.url, job.payload, error=SKIPPED, skipped=True)
        status, error = self._post(job.url, json.dumps(job.payload).encode("utf-8"))
        final = status == 200 or job.attempt > len(self._retry_delays)
        if status != 200:
            outcome = error or status
            logger.info("webhook to %s, attempt %d: %s", _shown(job.url), job.attempt, outcome)
        return WebhookDelivery(
            job.kind, job.url, job.payload, status, error, attempt=job.attempt, final=final
        )

    def _post(self, url: str, body: bytes) -> tuple[Optional[int], Optional[str]]:
        """POST ``body``; the receiver's status, or why there is none."""
        deadline = time.monotonic() + self._timeout
        connection: Optional[http.client.HTTPConnection] = None
        try:
            parts = urlsplit(url)
            host, port = parts.hostname or "", parts.port
            # is_loopback_url admitted only http and https to a loopback host.
            if parts.scheme == "https":
                connection = http.client.HTTPSConnection(
                    host, port, timeout=self._timeout, context=_tls_context()
                )
            else:
                connection = http.client.HTTPConnection(host, port, timeout=self._timeout)
            connection.connect()
            self._watch(connection.sock, deadline)
            target = parts.path or "/"
            connection.request(
                "POST",
                f"{target}?{parts.query}" if parts.query else target,
                body=body,
                headers={
                    "Content-Type": "application/json",
                    "User-Agent": "Flowroute-Sandbox-Webhooks",
                },
            )
            with connection.getresponse() as answer:
                answer.read()
                return answer.status, None
        except (OSError, http.client.HTTPException, ValueError) as error:
            if time.monotonic() >= deadline:
                return None, f"no answer within {self._timeout:g} s"
            return None, str(error) or type(error).__name__
        finally:
            if connection is not None:
                self._unwatch(connection.sock)
                connection.close()

    # -- the scheduler --------------------------------------------------------------------------

    def _watch(self, sock: socket.socket, deadline: float) -> None:
        with self._cond:
            if self._stopping:
                _cut_off(sock)
            self._in_flight[sock] = deadline
            self._cond.notify_all()

    def _unwatch(self, sock: Optional[socket.socket]) -> None:
        if sock is not None:
            with self._cond:
                self._in_flight.pop(sock, None)

    def _schedule(self) -> None:
        while True:
            tick_wait = self._tick()
            with self._cond:
                if self._stopping:
                    return
                now = time.monotonic()
                while self._due and self._due[0][0] <= now:
                    self._enqueue(heapq.heappop(self._due)[2])
                for sock, deadline in list(self._in_flight.items()):
                    if deadline <= now:
                        _cut_off(sock)
                        del self._in_flight[sock]
                wakes = [when for when, _, _ in self._due[:1]] + list(self._in_flight.values())
                if tick_wait is not None:
                    wakes.append(now + tick_wait)
                self._cond.wait(max(min(wakes) - now, 0.0) if wakes else None)


def _cut_off(sock: socket.socket) -> None:
    """End an attempt now: its thread's blocked read or write returns at once."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
