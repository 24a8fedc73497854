"""``python -m flowroutenumbersandmessaging.sandbox``: serve the sandbox on a port until Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from typing import Any, Optional

from . import Sandbox


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m flowroutenumbersandmessaging.sandbox",
        description="Serve a stateful local Flowroute API (numbers, routes, messages, E911, "
        "CNAM, CDR exports, portability) for demos and tests.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (8080; 0 picks a free one)")
    parser.add_argument("--access-key", help="accept only this access key (default: any)")
    parser.add_argument("--secret-key", help="accept only this secret key (default: any)")
    parser.add_argument(
        "--cnam-approval-seconds",
        type=float,
        help="decide new CNAM records after this many seconds (default: stay pending)",
    )
    parser.add_argument(
        "--cdr-processing-seconds",
        type=float,
        help="complete new CDR exports after this many seconds (default: stay processing)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the number catalogue (0)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.access_key is None) != (args.secret_key is None):
        parser.error("give both --access-key and --secret-key, or neither")
    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    try:
        sandbox = Sandbox(
            access_key=args.access_key,
            secret_key=args.secret_key,
            host=args.host,
            port=args.port,
            cnam_approval_seconds=args.cnam_approval_seconds,
            cdr_processing_seconds=args.cdr_processing_seconds,
            seed=args.seed,
        )
    except (OSError, ValueError) as error:
        parser.exit(1, f"cannot start the sandbox on {args.host}:{args.port}: {error}\n")
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
        while not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
