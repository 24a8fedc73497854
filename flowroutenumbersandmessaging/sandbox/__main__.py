"""``python -m flowroutenumbersandmessaging.sandbox``: serve the sandbox on a port until Ctrl-C.

On a port the sandbox serves demos and other processes, so its life cycles are quick by
default (CNAM records decided and CDR exports completed after 1 s), and it keeps only the last
1,000 requests so that a long run, or a fuzzer, cannot grow it without bound.
"""

from __future__ import annotations

import argparse
import logging
import math
import signal
import sys
import threading
from typing import Any, Optional

from . import Sandbox

NEVER = "never"
NONE = "none"


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected seconds (0 or more), got {text!r}")
    return value


def _seconds_or_never(text: str) -> Optional[float]:
    return None if text.strip().lower() == NEVER else _seconds(text)


def _count_or_none(text: str) -> Optional[int]:
    if text.strip().lower() == NONE:
        return None
    if not text.strip().isascii() or not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number or 'none', got {text!r}")
    return int(text)


def _delays(text: str) -> tuple[float, ...]:
    return () if text.strip().lower() == NONE else tuple(map(_seconds, text.split(",")))


def _rate_limits(text: str) -> dict[str, int]:
    limits: dict[str, int] = {}
    for pair in text.split(","):
        kind, equals, count = pair.partition("=")
        if not equals or not count.strip().isascii() or not count.strip().isdigit():
            raise argparse.ArgumentTypeError(f"expected e.g. sms=5,mms=1, got {text!r}")
        limits[kind.strip().lower()] = int(count)
    return limits


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m flowroutenumbersandmessaging.sandbox",
        description="Serve a stateful local Flowroute API (numbers, routes, messages, E911, "
        "CNAM, CDR exports, portability) for demos and tests.",
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    add("--port", type=int, default=8080, help="port (8080; 0 picks a free one)")
    add("--access-key", help="accept only this access key (default: any)")
    add("--secret-key", help="accept only this secret key (default: any)")
    add(
        "--cnam-approval-seconds",
        type=_seconds_or_never,
        default=1.0,
        metavar="SECONDS",
        help="decide new CNAM records after this many seconds, or 'never' to keep them pending (1)",
    )
    add(
        "--cdr-processing-seconds",
        type=_seconds_or_never,
        default=1.0,
        metavar="SECONDS",
        help="complete new CDR exports after this many seconds, or 'never' to keep them "
        "processing (1)",
    )
    add(
        "--send-rate-limits",
        type=_rate_limits,
        metavar="LIMITS",
        help="answer 429 past Flowroute's per-account send rate, e.g. sms=5,mms=1 "
        "(default: no limit)",
    )
    add(
        "--request-log-size",
        type=_count_or_none,
        default=1000,
        metavar="N",
        help="remember only the last N requests and webhook attempts, or 'none' to keep all (1000)",
    )
    add(
        "--webhook-retry-delays",
        type=_delays,
        metavar="SECONDS",
        help="seconds before each re-delivery of a webhook not answered 200, e.g. "
        "30,30,30,30 as Flowroute, or 'none' (0.2,0.5,1,2)",
    )
    add("--seed", type=int, default=0, help="seed of the number catalogue (0)")
    add("-v", "--verbose", action="store_true", help="log every request")
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.access_key is None) != (args.secret_key is None):
        parser.error("give both --access-key and --secret-key, or neither")
    options: dict[str, Any] = {}
    if args.send_rate_limits is not None:
        options["send_rate_limits"] = args.send_rate_limits
    if args.webhook_retry_delays is not None:
        options["webhook_retry_delays"] = args.webhook_retry_delays
    try:
        sandbox = Sandbox(
            access_key=args.access_key,
            secret_key=args.secret_key,
            host=args.host,
            port=args.port,
            cnam_approval_seconds=args.cnam_approval_seconds,
            cdr_processing_seconds=args.cdr_processing_seconds,
            seed=args.seed,
            request_log_size=args.request_log_size,
            **options,
        )
    except (OSError, ValueError) as error:
        parser.exit(1, f"cannot start the sandbox on {args.host}:{args.port}: {error}\n")
    # Always a handler on stderr: the SDK's NullHandler would otherwise swallow the sandbox's
    # own errors (a 500 and its traceback); -v adds a line per request.
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(message)s",
    )
    base = sandbox.base_uri
    if args.access_key is None:
        accepts = "accepts any non-empty access key and secret key"
        keys = f"FR_ACCESS_KEY={sandbox.access_key} FR_SECRET_KEY={sandbox.secret_key}"
    else:
        accepts = "accepts only the --access-key/--secret-key given"
        keys = f"FR_ACCESS_KEY={args.access_key} FR_SECRET_KEY=<your --secret-key>"
    # The CLI's one start-up line: where it listens and how to point the SDK at it.
    print(
        f"Flowroute sandbox listening on {base} ({accepts}); point the SDK at it with "
        f"FR_BASE_URI={base} {keys}; Ctrl-C stops it.",
        flush=True,
    )
    stop = threading.Event()

    def on_term(*_: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_term)
    try:
        # A timeout, so that Ctrl-C is noticed on Windows too.
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
