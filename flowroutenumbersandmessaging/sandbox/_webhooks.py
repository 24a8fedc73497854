"""Webhook delivery: one background thread POSTs JSON to callback URLs, loopback only.

The sandbox must never call the internet (demos set callback URLs like
``https://hooks.example.com/...``), so a URL whose host is not loopback is recorded as skipped
instead of delivered. Redirects are not followed and proxies are ignored for the same reason.
The same thread also moves timed life cycles along (CNAM approval, CDR processing).
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import queue
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

logger = logging.getLogger("flowroutenumbersandmessaging.sandbox")

SKIPPED = "not delivered: the sandbox only calls loopback URLs (127.0.0.1, localhost, ::1)"


@dataclass(frozen=True)
class WebhookDelivery:
    """One webhook the sandbox sent, or skipped.

    Attributes:
        kind: ``"sms"``, ``"mms"``, ``"dlr"`` or ``"cdr"``.
        url: the callback URL.
        json: the JSON body.
        status: the receiver's HTTP status, or None when nothing was answered.
        error: why there is no status (connection refused, timeout, skipped).
        skipped: True when the URL was not loopback and nothing was sent.
    """

    kind: str
    url: str
    json: dict[str, Any]
    status: Optional[int] = None
    error: Optional[str] = None
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


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


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_Job = tuple[str, str, dict[str, Any]]


class WebhookDispatcher:
    """Deliveries in the order they were submitted, on one thread.

    Args:
        tick: called between deliveries; advances timed state and returns how long the thread
            may sleep (None: until the next delivery).
        timeout: seconds to wait for a receiver.
    """

    def __init__(self, tick: Callable[[], Optional[float]], timeout: float = 2.0) -> None:
        self._tick = tick
        self._timeout = timeout
        self._queue: queue.Queue[Optional[_Job]] = queue.Queue()
        self._done = threading.Condition()
        self._deliveries: list[WebhookDelivery] = []
        self._stopping = threading.Event()
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())
        self._thread = threading.Thread(
            target=self._run, name="flowroute-sandbox-webhooks", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        self._stopping.set()
        self._queue.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout)

    def submit(self, kind: str, url: str, payload: dict[str, Any]) -> None:
        self._queue.put((kind, url, payload))

    @property
    def deliveries(self) -> list[WebhookDelivery]:
        with self._done:
            return list(self._deliveries)

    def wait_for(self, count: int, timeout: float) -> list[WebhookDelivery]:
        with self._done:
            if not self._done.wait_for(lambda: len(self._deliveries) >= count, timeout):
                raise TimeoutError(
                    f"{len(self._deliveries)} webhook deliveries after {timeout} s, "
                    f"expected {count}: {[d.url for d in self._deliveries]}"
                )
            return list(self._deliveries)

    def _run(self) -> None:
        while True:
            wait = self._tick()
            try:
                job = self._queue.get(timeout=wait)
            except queue.Empty:
                continue
            if job is None:
                return
            delivery = self._deliver(*job)
            with self._done:
                self._deliveries.append(delivery)
                self._done.notify_all()

    def _deliver(self, kind: str, url: str, payload: dict[str, Any]) -> WebhookDelivery:
        if self._stopping.is_set():
            return WebhookDelivery(
                kind, url, payload, error="not delivered: the sandbox stopped", skipped=True
            )
        if not is_loopback_url(url):
            return WebhookDelivery(kind, url, payload, error=SKIPPED, skipped=True)
        # is_loopback_url admitted only http(s) to a loopback host.
        request = urllib.request.Request(  # noqa: S310
            url,
            data=json.dumps(payload).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Flowroute-Sandbox-Webhooks",
            },
        )
        try:
            with self._opener.open(request, timeout=self._timeout) as answer:
                answer.read()
                return WebhookDelivery(kind, url, payload, status=answer.status)
        except urllib.error.HTTPError as error:
            error.close()
            return WebhookDelivery(kind, url, payload, status=error.code)
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:
            reason = getattr(error, "reason", error)
            logger.info("webhook to %s failed: %s", url, reason)
            return WebhookDelivery(kind, url, payload, error=str(reason))
