"""What the four demos share: choosing the real API or a sandbox, printing, failing.

Each demo is a plain function ``main(demo)`` run by :func:`run_demo`, in one of three modes:

* Nothing set: a local Flowroute sandbox starts in this process and every step runs on it,
  purchases and sends included. Nothing leaves the machine.
* ``FR_BASE_URI`` a plain ``http://`` address, which the SDK accepts only on loopback
  (``http://127.0.0.1:8080``): a sandbox started with
  ``python -m flowroutenumbersandmessaging.sandbox``, used exactly like the built-in one.
* ``FR_ACCESS_KEY`` and ``FR_SECRET_KEY`` set (and ``FR_BASE_URI`` unset or ``https://``): the
  real Flowroute API. Steps that cost money -- buying a number, sending a message, assigning an
  E911 address or a CNAM record -- run only when ``FR_DEMO_ALLOW_CHARGES=1`` is set too;
  otherwise the demo says it skipped them, and why.

A demo that receives (``run_demo(main, __doc__, receives=True)``) also serves the SDK's
:class:`~flowroutenumbersandmessaging.webhooks.WebhookReceiver` on this machine, behind a secret
token, so that a sandbox can post its callbacks to it; on the real API only when
``FR_DEMO_PUBLIC_URL`` says where Flowroute reaches it.

On any failure the demo prints one line, ``error: <reason>``, to stderr and exits with status 1;
on Ctrl-C it prints ``error: interrupted`` and exits with 130. The SDK is imported only once the
demo runs, so ``--help`` is instant and Ctrl-C is handled from the start.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pprint
import queue
import re
import signal
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Iterator, NoReturn, Optional, TypeVar, Union
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient
    from flowroutenumbersandmessaging.sandbox import Sandbox
    from flowroutenumbersandmessaging.webhooks import DeliveryReceiptEvent, InboundMessage

    # What the demo's receiver hands on: inbound messages and delivery receipts.
    Arrival = Union[InboundMessage, DeliveryReceiptEvent]

T = TypeVar("T")

# A made-up mobile number that a sandbox sends to; on the real API it comes from the environment.
SANDBOX_MOBILE_NUMBER = "12065550777"
# The credentials sandbox.client() uses: a sandbox on a port that was given no --access-key
# accepts any pair, and this one reaches the same account as its own client.
SANDBOX_KEYS = ("sandbox-access-key", "sandbox-secret-key")

ENVIRONMENT = """\
environment:
  FR_ACCESS_KEY, FR_SECRET_KEY  your Flowroute API credentials; with neither (and no
                                FR_BASE_URI) the demo runs on a sandbox it starts itself
  FR_BASE_URI                   the API root (default https://api.flowroute.com); an http://
                                address on this machine, e.g. http://127.0.0.1:8080, is a
                                sandbox started with python -m flowroutenumbersandmessaging.sandbox,
                                where every step runs, purchases and sends included
  FR_DEMO_ALLOW_CHARGES=1       on the real API, also run the steps that cost money
  FR_DEMO_MOBILE_NUMBER         the mobile number to send messages to: 11 digits starting
                                with 1, without "+" (needed for sends on the real API)
  FR_DEMO_PUBLIC_URL            number_route_message_demo on the Flowroute API: the public
                                URL at which Flowroute reaches the demo's webhook receiver
                                (such as a tunnel to http://127.0.0.1:8000); the account's SMS
                                callback and the demo's delivery receipts are pointed there.
                                Without it the receiving steps are skipped; a sandbox needs none
  FR_DEMO_RECEIVER_PORT         the port of this machine the receiver listens on when
                                FR_DEMO_PUBLIC_URL is set (default 8000)

exit status: 0 done, 1 failed (one "error:" line on stderr), 130 interrupted (Ctrl-C)
"""

# What Messages v2.1 takes as "to": 11 digits without "+"; checked at start so that a number the
# send would refuse never lets the paid steps before it (buying a number) run.
_MOBILE_NUMBER = re.compile(r"1[0-9]{10}")
_PORT = re.compile(r"[0-9]{1,5}")
_DEFAULT_RECEIVER_PORT = 8000
# A callback URL's secret, wherever it shows up in a document (an inbound message's record).
_TOKEN_IN_URL = re.compile(r"(fr_token=)[^&#\s]+")


class DemoFailure(Exception):
    """A step could not do what the demo needs; the message is the reason shown to the user."""


class Demo:
    """The client to use, and how far the demo may go with it."""

    def __init__(
        self,
        client: FlowroutenumbersandmessagingClient,
        *,
        on_sandbox: bool,
        allow_charges: bool,
        mobile_number: Optional[str],
        inbox: Optional[Inbox] = None,
        sandbox: Optional[Sandbox] = None,
    ) -> None:
        self.client = client
        self.on_sandbox = on_sandbox
        self.allow_charges = allow_charges
        self.mobile_number = mobile_number
        # Where Flowroute's callbacks arrive; None when the demo does not receive.
        self.inbox = inbox
        # The sandbox this process started, whose test controls play the outside world.
        self.sandbox = sandbox

    def step(self, title: str) -> None:
        """Print the heading of a step, the way the SDK's README does."""
        print(f"\n--{title}")

    def show(self, document: object) -> None:
        """Print an API document, the way the SDK's README does."""
        pprint.pprint(hide_secrets(document), width=100, sort_dicts=False)

    def skip(self, reason: str) -> None:
        """Say that a step did not run, and why."""
        print(f"skipped: {reason}")

    def charges_skipped(self, what: str) -> bool:
        """True (after saying so) when a paid step must not run: real API without the opt-in."""
        if self.allow_charges:
            return False
        self.skip(
            f"{what} costs money on your Flowroute account; set FR_DEMO_ALLOW_CHARGES=1 to do it"
        )
        return True

    def wait_for(
        self,
        fetch: Callable[[], T],
        done: Callable[[T], bool],
        *,
        sandbox_seconds: float,
        real_seconds: float,
    ) -> Optional[T]:
        """Call ``fetch()`` until ``done(result)``: that result, or ``None`` on timeout.

        A sandbox finishes in about a second; the real API can take minutes, so it is polled
        less often and for longer.
        """
        timeout, interval = (sandbox_seconds, 0.2) if self.on_sandbox else (real_seconds, 5.0)
        print(f"(checking every {interval:g} s for up to {timeout:g} s)")
        deadline = time.monotonic() + timeout
        while True:
            result = fetch()
            if done(result):
                return result
            if time.monotonic() + interval > deadline:
                return None
            time.sleep(interval)


def hide_secrets(document: object) -> object:
    """A copy of ``document`` without the secrets URLs carry.

    A pre-signed download URL lets anyone holding it fetch the file; a callback URL's token
    lets anyone post callbacks the receiver accepts.
    """
    if isinstance(document, dict):
        return {
            key: "<pre-signed URL, not shown>"
            if key == "download_url" and value
            else hide_secrets(value)
            for key, value in document.items()
        }
    if isinstance(document, list):
        return [hide_secrets(item) for item in document]
    if isinstance(document, str):
        return _TOKEN_IN_URL.sub(r"\1<secret>", document)
    return document


class Inbox:
    """The SDK's webhook receiver, served on this machine, and the callbacks it has received.

    Its handlers only queue each event: Flowroute waits for the receiver's answer, so a handler
    must be quick. The demo takes the events from the queue in the order they arrived.
    """

    def __init__(self, port: int = 0, public_url: Optional[str] = None) -> None:
        # Imported here, as the SDK is: http.server is slow to import, and --help needs neither.
        from wsgiref.simple_server import WSGIRequestHandler, make_server

        from flowroutenumbersandmessaging.webhooks import WebhookReceiver, add_token, new_token

        class QuietRequestHandler(WSGIRequestHandler):
            # The default access log goes to stderr, with the URL and so the token in it.
            def log_message(self, format: str, *args: Any) -> None:
                pass

        token = new_token()
        self._arrivals: queue.Queue[Arrival] = queue.Queue()
        receiver = WebhookReceiver(
            on_message=self._arrivals.put, on_receipt=self._arrivals.put, tokens=[token]
        )
        try:
            self._server = make_server(
                "127.0.0.1", port, receiver, handler_class=QuietRequestHandler
            )
        except OSError as error:
            raise DemoFailure(
                f"cannot receive callbacks on 127.0.0.1:{port}: {error.strerror or error}"
            ) from None
        self.port: int = self._server.server_port
        local_url = f"http://127.0.0.1:{self.port}/flowroute"
        # What Flowroute is given: the address with the token the receiver requires.
        self.url = add_token(public_url or local_url, token)
        # What the demo prints: the address without the token, or any query or user name.
        parts = urlsplit(public_url or local_url)
        host = parts.netloc.rpartition("@")[2]
        self.address = urlunsplit((parts.scheme, host, parts.path, "", ""))
        # A short poll interval: closing waits for the next poll (half a second by default).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def arrivals(self, count: int, timeout: float) -> Iterator[Arrival]:
        """Each callback as it arrives, until ``count`` have or ``timeout`` seconds passed."""
        deadline = time.monotonic() + timeout
        for _ in range(count):
            try:
                yield self._arrivals.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def start(stack: contextlib.ExitStack, *, receives: bool = False) -> Demo:
    """Pick the mode from the environment, print it as the first line, and build the demo.

    Every variable is checked before anything is sent, so a bad one never lets a paid step run.
    ``receives``: serve a webhook receiver for the demo (on the real API only with
    ``FR_DEMO_PUBLIC_URL``).
    """
    access_key = os.environ.get("FR_ACCESS_KEY") or None
    secret_key = os.environ.get("FR_SECRET_KEY") or None
    if (access_key is None) != (secret_key is None):
        raise DemoFailure(
            "only one of FR_ACCESS_KEY and FR_SECRET_KEY is set: set both to use the Flowroute "
            "API, or neither to use a sandbox"
        )
    mobile_number = _mobile_number()
    base_uri = os.environ.get("FR_BASE_URI") or None
    if base_uri is None and access_key is None:
        return _built_in_sandbox(stack, mobile_number, receives)

    on_sandbox = base_uri is not None and _is_sandbox(base_uri)
    if access_key is None or secret_key is None:
        if not on_sandbox:
            raise DemoFailure(
                f"FR_BASE_URI={base_uri!r} is not a sandbox (an http:// address on this machine, "
                "such as http://127.0.0.1:8080), and the Flowroute API needs FR_ACCESS_KEY and "
                "FR_SECRET_KEY; unset FR_BASE_URI to run on a sandbox started by the demo"
            )
        access_key, secret_key = SANDBOX_KEYS
    public_url = _public_url() if receives and not on_sandbox else None
    receiver_port = _receiver_port() if public_url is not None else 0
    client = _client(stack, access_key, secret_key, base_uri)
    if on_sandbox:
        print(
            f"Using the Flowroute sandbox at {client.base_uri} (FR_BASE_URI is on this "
            "machine): every step runs there, purchases and sends included"
        )
        return _sandbox_demo(stack, client, mobile_number, receives)
    allow_charges = os.environ.get("FR_DEMO_ALLOW_CHARGES") == "1"
    charges = "allowed" if allow_charges else "off (set FR_DEMO_ALLOW_CHARGES=1 to allow them)"
    print(
        f"Using the Flowroute API at {client.base_uri} with the keys in FR_ACCESS_KEY/"
        f"FR_SECRET_KEY; purchases and sends: {charges}"
    )
    inbox = None
    if public_url is not None:
        inbox = _inbox(stack, receiver_port, public_url)
        print(f"Callbacks reach this machine's port {inbox.port} through {inbox.address}")
    return Demo(
        client,
        on_sandbox=False,
        allow_charges=allow_charges,
        mobile_number=mobile_number,
        inbox=inbox,
    )


def _inbox(stack: contextlib.ExitStack, port: int = 0, public_url: Optional[str] = None) -> Inbox:
    inbox = Inbox(port, public_url)
    stack.callback(inbox.close)
    return inbox


def _public_url() -> Optional[str]:
    value = os.environ.get("FR_DEMO_PUBLIC_URL") or None
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        usable = False
    if not usable or any(c.isspace() for c in value):
        raise DemoFailure(
            f"FR_DEMO_PUBLIC_URL must be the http:// or https:// URL at which Flowroute reaches "
            f"this machine (like https://abc123.example-tunnel.com), got {value!r}"
        )
    return value


def _receiver_port() -> int:
    value = os.environ.get("FR_DEMO_RECEIVER_PORT") or str(_DEFAULT_RECEIVER_PORT)
    if not _PORT.fullmatch(value) or not 0 < int(value) < 65536:
        raise DemoFailure(f"FR_DEMO_RECEIVER_PORT must be a port number (1-65535), got {value!r}")
    return int(value)


def _mobile_number() -> Optional[str]:
    value = os.environ.get("FR_DEMO_MOBILE_NUMBER") or None
    if value is not None and not _MOBILE_NUMBER.fullmatch(value):
        raise DemoFailure(
            f"FR_DEMO_MOBILE_NUMBER must be 11 digits starting with 1, without '+' "
            f"(like 12065550123), got {value!r}"
        )
    return value


def _is_sandbox(base_uri: str) -> bool:
    """Whether ``base_uri`` is a sandbox's: plain ``http``, the only scheme a sandbox serves.

    The SDK takes plain ``http`` for loopback hosts only, so such a URI is on this machine.
    """
    try:
        parts = urlsplit(base_uri)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number 0-65535)
    except ValueError as error:
        raise DemoFailure(f"FR_BASE_URI={base_uri!r} is not a URL: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DemoFailure(
            f"FR_BASE_URI={base_uri!r} is not an http:// or https:// URL "
            "(like http://127.0.0.1:8080 for a sandbox)"
        )
    return parts.scheme == "http"


def _client(
    stack: contextlib.ExitStack, access_key: str, secret_key: str, base_uri: Optional[str]
) -> FlowroutenumbersandmessagingClient:
    from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient
    from flowroutenumbersandmessaging.exceptions import ValidationError

    try:
        client = FlowroutenumbersandmessagingClient(access_key, secret_key, base_uri=base_uri)
    except ValidationError as error:
        # The keys are non-empty and every other option is the default: the URI is at fault.
        raise DemoFailure(f"FR_BASE_URI={base_uri!r} cannot be used: {error}") from None
    stack.callback(client.close)
    return client


def _built_in_sandbox(
    stack: contextlib.ExitStack, mobile_number: Optional[str], receives: bool
) -> Demo:
    from flowroutenumbersandmessaging.sandbox import Sandbox

    # Approvals and exports that take hours on Flowroute finish in a second here.
    sandbox = stack.enter_context(Sandbox(cnam_approval_seconds=1.0, cdr_processing_seconds=1.0))
    print(
        "No FR_ACCESS_KEY/FR_SECRET_KEY set: running on the local Flowroute sandbox at "
        f"{sandbox.base_uri} (nothing leaves this machine)"
    )
    client = sandbox.client()
    stack.callback(client.close)
    return _sandbox_demo(stack, client, mobile_number, receives, sandbox)


def _sandbox_demo(
    stack: contextlib.ExitStack,
    client: FlowroutenumbersandmessagingClient,
    mobile_number: Optional[str],
    receives: bool,
    sandbox: Optional[Sandbox] = None,
) -> Demo:
    """On a sandbox every step runs, sending to a made-up mobile number unless given one."""
    return Demo(
        client,
        on_sandbox=True,
        allow_charges=True,
        mobile_number=mobile_number or SANDBOX_MOBILE_NUMBER,
        inbox=_inbox(stack) if receives else None,
        sandbox=sandbox,
    )


def run_demo(
    main: Callable[[Demo], None], usage: Optional[str], *, receives: bool = False
) -> NoReturn:
    """Run ``main`` and exit: 0 when it finished, 1 with one ``error:`` line when it did not.

    ``usage`` (the demo's docstring) is what ``--help`` prints, with the environment it reads;
    ``receives`` gives the demo a webhook receiver (:attr:`Demo.inbox`).
    """
    # Ctrl-C ends the demo the same way wherever it lands, cleaning up on the way out.
    signal.signal(signal.SIGINT, lambda signum, frame: fail("interrupted", status=130))
    parser = argparse.ArgumentParser(
        description=usage, epilog=ENVIRONMENT, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.parse_args()
    try:
        with contextlib.ExitStack() as stack:
            main(start(stack, receives=receives))
    except Exception as exc:  # the demo's contract: one line, never a traceback
        fail(describe(exc))
    sys.exit(0)


def describe(exc: BaseException) -> str:
    """One line saying what went wrong; the SDK's own errors already name the request."""
    text = str(exc) if isinstance(exc, DemoFailure) else _text_of_other_error(exc)
    # SDK errors never hold credentials; this also covers anything else that might.
    for name in ("FR_ACCESS_KEY", "FR_SECRET_KEY"):
        secret = os.environ.get(name) or ""
        if len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    return " ".join(text.split()) or type(exc).__name__


def _text_of_other_error(exc: BaseException) -> str:
    from flowroutenumbersandmessaging.exceptions import FlowrouteError

    return str(exc) if isinstance(exc, FlowrouteError) else f"{type(exc).__name__}: {exc}"


def fail(reason: str, *, status: int = 1) -> NoReturn:
    sys.stdout.flush()
    print(f"error: {reason}", file=sys.stderr)
    sys.exit(status)
