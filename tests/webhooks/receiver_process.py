"""A receiver in a process of its own, sharing an SQLite dedupe store with its siblings.

``python -m tests.webhooks.receiver_process STORE HANDLED`` prints its callback URL, then serves
until its stdin closes. The handler appends each event's id to the file HANDLED, so the test can
count how many times, over all processes, a callback was handled.
"""

from __future__ import annotations

import os
import sys
import time

from flowroutenumbersandmessaging.webhooks import SQLiteDedupeStore, WebhookReceiver
from tests.webhooks.support import Served


def main(store: str, handled: str) -> None:
    def record(event: object) -> None:
        # Slow enough that concurrent posts of the same callback overlap with the handler.
        time.sleep(0.05)
        fd = os.open(handled, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(fd, f"{event.id}\n".encode())  # type: ignore[attr-defined]
        finally:
            os.close(fd)

    served = Served(WebhookReceiver(on_message=record, store=SQLiteDedupeStore(store)))
    sys.stdout.write(f"{served.url}\n")
    sys.stdout.flush()
    sys.stdin.read()
    served.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
