"""What the four demos share: choosing the real API or the local sandbox, printing, failing.

Each demo is a plain function ``main(demo)`` run by :func:`run_demo`:

* With ``FR_ACCESS_KEY`` and ``FR_SECRET_KEY`` set, ``demo.client`` talks to the real Flowroute
  API (``FR_BASE_URI`` is honoured by the client itself). Steps that cost money -- buying a
  number, sending a message, assigning an E911 address or a CNAM record -- run only when
  ``FR_DEMO_ALLOW_CHARGES=1`` is set too; otherwise the demo says it skipped them, and why.
* Without credentials, a local Flowroute sandbox starts in this process and every step runs on it,
  purchases and sends included. Nothing leaves the machine.

On any failure the demo prints one line, ``error: <reason>``, to stderr and exits with status 1.
"""

from __future__ import annotations

import contextlib
import json
import os
import pprint
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient

# A made-up mobile number that the sandbox sends to; on the real API it comes from the environment.
SANDBOX_MOBILE_NUMBER = "12065550777"


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

        The sandbox finishes in about a second; the real API can take minutes, so it is polled
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
    """A tiny local web server that records the JSON Flowroute (here: the sandbox) posts to it."""

    def __init__(self) -> None:
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
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
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
    """Pick the mode from the environment, print it as the first line, and build the demo."""
    access_key = os.environ.get("FR_ACCESS_KEY")
    secret_key = os.environ.get("FR_SECRET_KEY")
    if access_key and secret_key:
        client = FlowroutenumbersandmessagingClient(access_key, secret_key)
        stack.callback(client.close)
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
            mobile_number=os.environ.get("FR_DEMO_MOBILE_NUMBER") or None,
            callback_url=os.environ.get("FR_DEMO_CALLBACK_URL") or None,
        )
    if access_key or secret_key:
        raise DemoFailure(
            "only one of FR_ACCESS_KEY and FR_SECRET_KEY is set: set both to use the Flowroute "
            "API, or neither to use the local sandbox"
        )

    from flowroutenumbersandmessaging.sandbox import Sandbox

    # Approvals and exports that take hours on Flowroute finish in a second here.
    sandbox = stack.enter_context(Sandbox(cnam_approval_seconds=1.0, cdr_processing_seconds=1.0))
    print(
        "No FR_ACCESS_KEY/FR_SECRET_KEY set: running on the local Flowroute sandbox at "
        f"{sandbox.base_uri} (nothing leaves this machine)"
    )
    client = sandbox.client()
    stack.callback(client.close)
    webhooks = WebhookReceiver()
    stack.callback(webhooks.close)
    return Demo(
        client,
        on_sandbox=True,
        allow_charges=True,
        mobile_number=SANDBOX_MOBILE_NUMBER,
        callback_url=webhooks.url,
        webhooks=webhooks,
    )


def run_demo(main: Callable[[Demo], None]) -> None:
    """Run ``main`` and exit: 0 when it finished, 1 with one ``error:`` line when it did not."""
    try:
        with contextlib.ExitStack() as stack:
            main(start(stack))
    except KeyboardInterrupt:
        fail("interrupted")
    except Exception as exc:  # the demo's contract: one line, never a traceback
        fail(describe(exc))
    sys.exit(0)


def describe(exc: BaseException) -> str:
    """One line saying what went wrong; the SDK's own errors already name the request."""
    from flowroutenumbersandmessaging.exceptions import FlowrouteError

    if isinstance(exc, (DemoFailure, FlowrouteError)):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    # SDK errors never hold credentials; this also covers anything else that might.
    for name in ("FR_ACCESS_KEY", "FR_SECRET_KEY"):
        secret = os.environ.get(name) or ""
        if len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    return " ".join(text.split()) or type(exc).__name__


def fail(reason: str) -> None:
    sys.stdout.flush()
    print(f"error: {reason}", file=sys.stderr)
    sys.exit(1)
