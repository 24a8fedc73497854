"""A stateful local Flowroute API, for demos, tests and trying the SDK without an account.

In-process (fast tests)::

    from flowroutenumbersandmessaging.sandbox import Sandbox

    with Sandbox() as sandbox:
        client = sandbox.client()
        numbers = client.numbers.list_account_phone_numbers()

On a port (other processes, other languages, curl)::

    python -m flowroutenumbersandmessaging.sandbox --port 8080

The sandbox speaks Flowroute's API: every endpoint the SDK calls, with the real paths, status
codes, JSON:API bodies, links, pagination limits and ``{"errors": [...]}`` bodies. Each access
key is an account of its own, opened on first use with the same starting contents: two numbers
(aliases "Office 221" and "Office 888"), the ``sip-reg`` route ``"0"`` and one number route,
one E911 record, one approved CNAM record, a week of messages and ~90 days of calls for CDR
exports. A seeded catalogue of purchasable numbers, shared by every account, spans 37 area
codes plus toll-free codes. Only the standard library is used (and the SDK's own segment
counting and CDR columns); nothing here reaches the internet (webhooks go to loopback URLs
only).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional, Union

if TYPE_CHECKING:
    from ..flowroutenumbersandmessaging_client import FlowroutenumbersandmessagingClient
    from ._account import Account
    from ._server import Faults, RecordedRequest
    from ._webhooks import WebhookDelivery

__all__ = ["Faults", "RecordedRequest", "Sandbox", "WebhookDelivery"]


def __getattr__(name: str) -> Any:
    # The pytest plugin imports this package in every pytest run of an environment where the
    # SDK is installed: the server, the app and the state load only when a sandbox is made.
    if name in ("Faults", "RecordedRequest"):
        from . import _server

        return getattr(_server, name)
    if name == "WebhookDelivery":
        from ._webhooks import WebhookDelivery

        return WebhookDelivery
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


DEFAULT_ACCESS_KEY = "sandbox-access-key"
DEFAULT_SECRET_KEY = "sandbox-secret-key"  # noqa: S105 (a placeholder, accepted like any)
_AUTO_ADVANCE_POLL = 0.1


class Sandbox:
    """A running sandbox: an HTTP server on a background thread, and controls for tests.

    The server starts when the object is created and stops on :meth:`close` (or leaving the
    ``with`` block); stopping closes every socket and joins every thread it started.

    Every access key is a Flowroute account of its own (opened on first use); the test
    controls (:meth:`receive_sms`, :meth:`approve_cnam`, :meth:`complete_cdr_export`...) act on
    the sandbox's own account, the one :meth:`client` uses, unless given ``access_key=``.

    Args:
        access_key, secret_key: the only credentials accepted. ``None`` (both) accepts any
            non-empty pair; :meth:`client` then uses ``"sandbox-access-key"`` /
            ``"sandbox-secret-key"``.
        host, port: where to listen; port 0 picks a free port.
        cnam_approval_seconds: None keeps new CNAM records pending until
            :meth:`approve_cnam` / :meth:`reject_cnam`; a number decides them automatically
            after that many seconds (approve if the value passes the CNAM rules, else reject).
        cdr_processing_seconds: None keeps new CDR exports processing until
            :meth:`complete_cdr_export` / :meth:`fail_cdr_export`; a number completes them
            after that many seconds.
        seed: seeds the catalogue of numbers and the call and message history.
        send_rate_limits: Flowroute's per-account send rate, as sends per second by kind
            (``{"sms": 5, "mms": 1}``): a send past it answers 429 with ``Retry-After``.
            ``None`` (the default) never limits, so bulk tests stay fast.
        request_log_size: keep only the last N of :attr:`requests`, :attr:`download_requests`
            and :attr:`webhooks` (memory stays flat on a long run); None keeps everything.
        webhook_retry_delays: seconds before each re-delivery of a webhook that was not
            answered 200; ``()`` never re-delivers (Flowroute: four more tries, 30 s apart).
        webhook_timeout: seconds a receiver has to answer one attempt, in all.
    """

    def __init__(
        self,
        access_key: Optional[str] = None,
        secret_key: Optional[str] = None,
        host: str = "127.0.0.1",
        port: int = 0,
        cnam_approval_seconds: Optional[float] = None,
        cdr_processing_seconds: Optional[float] = None,
        seed: int = 0,
        send_rate_limits: Optional[Mapping[str, int]] = None,
        request_log_size: Optional[int] = None,
        webhook_retry_delays: Iterable[float] = (0.2, 0.5, 1.0, 2.0),
        webhook_timeout: float = 5.0,
    ) -> None:
        from ._app import App
        from ._server import Front, ServerThread
        from ._state import State
        from ._webhooks import WebhookDispatcher

        if (access_key is None) != (secret_key is None):
            raise ValueError("give both access_key and secret_key, or neither")
        if access_key == "" or secret_key == "":
            raise ValueError("access_key and secret_key must not be empty")
        self.access_key = access_key if access_key is not None else DEFAULT_ACCESS_KEY
        self.secret_key = secret_key if secret_key is not None else DEFAULT_SECRET_KEY
        self._state = State(
            seed=seed,
            cnam_approval_seconds=cnam_approval_seconds,
            cdr_processing_seconds=cdr_processing_seconds,
            send_rate_limits=_send_rate_limits(send_rate_limits),
        )
        self._explicit_keys = access_key is not None
        self._auto_advance = cnam_approval_seconds is not None or cdr_processing_seconds is not None
        self._app = App(self._state, "", access_key=access_key, secret_key=secret_key)
        self._front = Front(self._app, request_log_size)
        self._webhooks = WebhookDispatcher(
            self._tick, webhook_retry_delays, request_log_size, webhook_timeout
        )
        self._server = ServerThread(host, port, self._front)
        shown = "127.0.0.1" if host in ("", "0.0.0.0") else "::1" if host == "::" else host  # noqa: S104
        shown = f"[{shown}]" if ":" in shown else shown
        self.base_uri = f"http://{shown}:{self._server.port}"
        self._app.base = self.base_uri
        self._state.base_uri = self.base_uri
        self._state.webhook_sink = self._webhooks.submit
        self._clients: list[Any] = []
        self._closed = threading.Event()
        self._webhooks.start()
        self._server.start()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "stopped" if self._closed.is_set() else "running"
        return f"<Sandbox {self.base_uri} {state}>"

    def close(self) -> None:
        """Stop serving: close the clients made by :meth:`client`, every socket, every thread."""
        if self._closed.is_set():
            return
        self._closed.set()
        for client in self._clients:
            client.close()
        self._server.stop()
        self._webhooks.stop()

    stop = close

    def _tick(self) -> Optional[float]:
        self._state.advance()
        if not self._auto_advance:
            return None
        wait = self._state.seconds_to_next_event()
        return _AUTO_ADVANCE_POLL if wait is None else min(max(wait, 0.001), _AUTO_ADVANCE_POLL)

    # -- clients --------------------------------------------------------------------------------

    def client(self, **options: Any) -> FlowroutenumbersandmessagingClient:
        """An SDK client pointed at this sandbox with its credentials (closed on :meth:`close`)."""
        from ..flowroutenumbersandmessaging_client import FlowroutenumbersandmessagingClient

        client = FlowroutenumbersandmessagingClient(
            self.access_key, self.secret_key, base_uri=self.base_uri, **options
        )
        self._clients.append(client)
        return client

    # -- simulated outside world ----------------------------------------------------------------

    # Each control acts on the sandbox's own account, or on the account of ``access_key``.

    def receive_sms(
        self,
        to: Union[str, int],
        from_: Union[str, int],
        body: str,
        *,
        access_key: Optional[str] = None,
    ) -> str:
        """An SMS arrives on one of the account's numbers; POSTed to its SMS callback.

        Returns the inbound message's MDR id.
        """
        if not isinstance(body, str) or not body:
            raise ValueError("body must be a non-empty string")
        account = self._account(access_key)
        return account.receive_message(_number(to), _number(from_), body, None, is_mms=False).id

    def receive_mms(
        self,
        to: Union[str, int],
        from_: Union[str, int],
        body: Optional[str] = None,
        media: Optional[list[dict[str, Any]]] = None,
        *,
        access_key: Optional[str] = None,
    ) -> str:
        """An MMS arrives; ``media`` items hold ``url``, optionally ``mime_type`` and ``file_size``.

        Returns the inbound message's MDR id.
        """
        items = list(media or [])
        if not body and not items:
            raise ValueError("an MMS needs a body or media")
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("url"), str):
                raise ValueError("each media item must be a dict with a 'url'")
        account = self._account(access_key)
        return account.receive_message(_number(to), _number(from_), body, items, is_mms=True).id

    def register_media(self, url: str, size: int) -> None:
        """Tell the sandbox the size of a media URL (for every account), for MMS size limits."""
        self._state.register_media(url, size)

    def approve_cnam(self, cnam_id: Union[str, int], *, access_key: Optional[str] = None) -> None:
        """Approve a CNAM record (as Flowroute's review would, up to 48 h later)."""
        self._account(access_key).decide_cnam(str(cnam_id), approve=True)

    def reject_cnam(
        self, cnam_id: Union[str, int], reason: str, *, access_key: Optional[str] = None
    ) -> None:
        """Reject a CNAM record with ``reason`` (shown as ``rejection_reason``)."""
        if not reason:
            raise ValueError("a rejection needs a reason")
        self._account(access_key).decide_cnam(str(cnam_id), approve=False, reason=reason)

    def complete_cdr_export(
        self, export_id: Union[str, int], *, access_key: Optional[str] = None
    ) -> None:
        """Finish a processing CDR export: its file and ``download_url`` become available."""
        self._account(access_key).finish_export(export_id, completed=True)

    def fail_cdr_export(
        self, export_id: Union[str, int], *, access_key: Optional[str] = None
    ) -> None:
        """Mark a processing CDR export as failed."""
        self._account(access_key).finish_export(export_id, completed=False)

    def _account(self, access_key: Optional[str]) -> Account:
        if access_key is None:
            access_key = self.access_key
        elif not isinstance(access_key, str) or not access_key:
            raise ValueError("access_key must be a non-empty string")
        elif self._explicit_keys and access_key != self.access_key:
            raise ValueError("this sandbox accepts only its own access key: no other account")
        return self._state.account(access_key)

    # -- test controls and recordings -----------------------------------------------------------

    @property
    def faults(self) -> Faults:
        """Failures, delays and dropped connections on cue; see :class:`Faults`."""
        return self._front.faults

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every API request received so far, oldest first (a snapshot)."""
        return list(self._front.requests)

    @property
    def download_requests(self) -> list[RecordedRequest]:
        """Every request to a CDR download URL, with its headers (a snapshot)."""
        return list(self._front.download_requests)

    @property
    def webhooks(self) -> list[WebhookDelivery]:
        """Webhook delivery attempts so far (delivered, failed or skipped), oldest first.

        A re-delivery is an entry of its own, with the next ``attempt`` number.
        """
        return self._webhooks.deliveries

    def wait_for_webhooks(self, count: int, timeout: float = 5.0) -> list[WebhookDelivery]:
        """Block until ``count`` attempts have ended, then return :attr:`webhooks`.

        Every attempt counts (each re-delivery too), from the sandbox's start; ``TimeoutError``
        if fewer have ended within ``timeout`` seconds.
        """
        return self._webhooks.wait_for(count, timeout)


def _send_rate_limits(limits: Optional[Mapping[str, int]]) -> Optional[dict[str, int]]:
    if limits is None:
        return None
    if not isinstance(limits, Mapping):
        raise ValueError('send_rate_limits must be a mapping such as {"sms": 5, "mms": 1}')
    checked = {}
    for kind, limit in limits.items():
        if kind not in ("sms", "mms"):
            raise ValueError(f'send_rate_limits keys are "sms" and "mms", got {kind!r}')
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"send_rate_limits[{kind!r}] must be a whole number of sends, >= 1")
        checked[kind] = limit
    return checked


def _number(value: Union[str, int]) -> str:
    text = str(value)
    return text[1:] if text.startswith("+") else text
