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

On any failure the demo prints one line, ``error: <reason>``, to stderr and exits with status 1;
on Ctrl-C it prints ``error: interrupted`` and exits with 130. The SDK is imported only once the
demo runs, so ``--help`` is instant and Ctrl-C is handled from the start.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pprint
import re
import signal
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, NoReturn, Optional
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient

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
  FR_DEMO_CALLBACK_URL          the https URL of your delivery-receipt webhook

exit status: 0 done, 1 failed (one "error:" line on stderr), 130 interrupted (Ctrl-C)
"""

# What Messages v2.1 takes as "to": 11 digits without "+"; checked at start so that a number the
# send would refuse never lets the paid steps before it (buying a number) run.
_MOBILE_NUMBER = re.compile(r"1[0-9]{10}")


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
        callback_url: Optional[str],
        webhooks: Optional[WebhookReceiver] = None,
    ) -> None:
        self.client = client
        self.on_sandbox = on_sandbox
        self.allow_charges = allow_charges
        self.mobile_number = mobile_number
        self.callback_url = callback_url
        self.webhooks = webhooks

    def step(self, title: str) -> None:
        """Print the heading of a step, the way the SDK's README does."""
        print(f"\n--{title}")

    def show(self, result: Any) -> None:
        """Print an API result (``None`` is the API's "204 No Content")."""
        if result is None:
            print("204: No Content")
        else:
            pprint.pprint(hide_secrets(result), width=100, sort_dicts=False)

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
        fetch: Callable[[], Any],
        done: Callable[[Any], bool],
        *,
        sandbox_seconds: float,
        real_seconds: float,
    ) -> Any:
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


def hide_secrets(document: Any) -> Any:
    """A copy of ``document`` without pre-signed download URLs (anyone holding one can fetch)."""
    if isinstance(document, dict):
        return {
            key: "<pre-signed URL, not shown>"
            if key == "download_url" and value
            else hide_secrets(value)
            for key, value in document.items()
        }
    if isinstance(document, list):
        return [hide_secrets(item) for item in document]
    return document


class WebhookReceiver:
    """A tiny local web server that records the JSON a sandbox posts to it."""

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.received: list[Any] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                try:
                    received.append(json.loads(body))
                except ValueError:
                    received.append(body.decode("utf-8", "replace"))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep the demo's output to the demo

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/flowroute/dlr"
        # A short poll interval: closing waits for the next poll (half a second by default).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def wait(self, count: int, timeout: float) -> list[Any]:
        """What has arrived once ``count`` posts came in or ``timeout`` seconds passed."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.received)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def start(stack: contextlib.ExitStack) -> Demo:
    """Pick the mode from the environment, print it as the first line, and build the demo.

    Every variable is checked before anything is sent, so a bad one never lets a paid step run.
    """
    access_key = os.environ.get("FR_ACCESS_KEY") or None
    secret_key = os.environ.get("FR_SECRET_KEY") or None
    if (access_key is None) != (secret_key is None):
        raise DemoFailure(
            "only one of FR_ACCESS_KEY and FR_SECRET_KEY is set: set both to use the Flowroute "
            "API, or neither to use a sandbox"
        )
    mobile_number = _mobile_number()
    callback_url = os.environ.get("FR_DEMO_CALLBACK_URL") or None
    base_uri = os.environ.get("FR_BASE_URI") or None
    if base_uri is None and access_key is None:
        return _built_in_sandbox(stack, mobile_number, callback_url)

    on_sandbox = base_uri is not None and _is_sandbox(base_uri)
    if access_key is None or secret_key is None:
        if not on_sandbox:
            raise DemoFailure(
                f"FR_BASE_URI={base_uri!r} is not a sandbox (an http:// address on this machine, "
                "such as http://127.0.0.1:8080), and the Flowroute API needs FR_ACCESS_KEY and "
                "FR_SECRET_KEY; unset FR_BASE_URI to run on a sandbox started by the demo"
            )
        access_key, secret_key = SANDBOX_KEYS
    client = _client(stack, access_key, secret_key, base_uri)
    if on_sandbox:
        print(
            f"Using the Flowroute sandbox at {client.base_uri} (FR_BASE_URI is on this "
            "machine): every step runs there, purchases and sends included"
        )
        return _sandbox_demo(stack, client, mobile_number, callback_url)
    allow_charges = os.environ.get("FR_DEMO_ALLOW_CHARGES") == "1"
    charges = "allowed" if allow_charges else "off (set FR_DEMO_ALLOW_CHARGES=1 to allow them)"
    print(
        f"Using the Flowroute API at {client.base_uri} with the keys in FR_ACCESS_KEY/"
        f"FR_SECRET_KEY; purchases and sends: {charges}"
    )
    return Demo(
        client,
        on_sandbox=False,
        allow_charges=allow_charges,
        mobile_number=mobile_number,
        callback_url=callback_url,
    )


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
    stack: contextlib.ExitStack, mobile_number: Optional[str], callback_url: Optional[str]
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
    return _sandbox_demo(stack, client, mobile_number, callback_url)


def _sandbox_demo(
    stack: contextlib.ExitStack,
    client: FlowroutenumbersandmessagingClient,
    mobile_number: Optional[str],
    callback_url: Optional[str],
) -> Demo:
    webhooks = None
    if callback_url is None:
        webhooks = WebhookReceiver()
        stack.callback(webhooks.close)
        callback_url = webhooks.url
    return Demo(
        client,
        on_sandbox=True,
        allow_charges=True,
        mobile_number=mobile_number or SANDBOX_MOBILE_NUMBER,
        callback_url=callback_url,
        webhooks=webhooks,
    )


def run_demo(main: Callable[[Demo], None], usage: Optional[str]) -> NoReturn:
    """Run ``main`` and exit: 0 when it finished, 1 with one ``error:`` line when it did not.

    ``usage`` (the demo's docstring) is what ``--help`` prints, with the environment it reads.
    """
    # Ctrl-C ends the demo the same way wherever it lands, cleaning up on the way out.
    signal.signal(signal.SIGINT, lambda signum, frame: fail("interrupted", status=130))
    parser = argparse.ArgumentParser(
        description=usage, epilog=ENVIRONMENT, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.parse_args()
    try:
        with contextlib.ExitStack() as stack:
            main(start(stack))
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
