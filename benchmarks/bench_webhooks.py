"""What receiving a callback costs: parsing, the dedupe stores, a whole request.

    python benchmarks/bench_webhooks.py [rounds]

Prints the CPU time of ``parse_webhook`` for each documented callback shape and for the two
worst 1 MiB bodies (one long string; half a million tiny values), a claim plus a done mark in
each store, ``WebhookReceiver.handle`` end to end for a new callback, and callbacks a second
posted over loopback HTTP to a threaded ``wsgiref`` server. Not collected by pytest.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from typing import Callable

import requests

# Runnable from a clone without installing, like the other benchmarks.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flowroutenumbersandmessaging.webhooks import (
    MemoryDedupeStore,
    SQLiteDedupeStore,
    WebhookError,
    WebhookReceiver,
    parse_webhook,
)
from tests.webhooks import payloads
from tests.webhooks.support import Served

MIB = 1024 * 1024


def cpu_per_call(fn: Callable[[int], object], rounds: int) -> float:
    """The calling thread's CPU seconds per call; ``fn`` gets the round's number."""
    fn(-1)
    start = time.thread_time()
    for n in range(rounds):
        fn(n)
    return (time.thread_time() - start) / rounds


def legacy(n: int) -> bytes:
    document = {"id": f"mdr1-{n}", "from": "12065550777", "to": "12065550142", "body": "hi"}
    return json.dumps(document).encode()


def refused_or_parsed(body: bytes) -> str:
    try:
        parse_webhook(body)
    except WebhookError:
        return "refused"
    return "parsed"


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for name, make in sorted(payloads.ALL.items()):
        body = json.dumps(make()).encode()
        cost = cpu_per_call(lambda _, body=body: parse_webhook(body), rounds)
        print(f"parse {name:7} ({len(body):4} bytes): {cost * 1e6:6.1f} us")

    frame = legacy(0)[:-1] + b', "x": '
    worst = {
        "one long string": frame + b'"' + b"x" * (MIB - len(frame) - 3) + b'"}',
        "zeros": frame + b"[" + b"0," * ((MIB - len(frame) - 3) // 2 - 1) + b"0]}",
        "empty objects": frame + b"[" + b"{}," * ((MIB - len(frame) - 3) // 3 - 1) + b"{}]}",
        "empty lists": frame + b"[" + b"[]," * ((MIB - len(frame) - 3) // 3 - 1) + b"[]]}",
    }
    for name, body in worst.items():
        cost = cpu_per_call(lambda _, body=body: refused_or_parsed(body), 10)
        plain = cpu_per_call(lambda _, body=body: json.loads(body), 10)
        print(f"1 MiB of {name}: {cost * 1e3:.0f} ms ({refused_or_parsed(body)}; "
              f"json.loads alone {plain * 1e3:.0f} ms)")  # fmt: skip

    with tempfile.TemporaryDirectory() as folder:
        stores = {
            "memory": MemoryDedupeStore(),
            "sqlite": SQLiteDedupeStore(os.path.join(folder, "dedupe.sqlite3")),
        }
        for name, store in stores.items():

            def mark(n: int, store=store, name=name) -> None:
                store.claim(f"{name}-{n}")
                store.done(f"{name}-{n}")

            print(f"{name} store, claim + done: {cpu_per_call(mark, rounds) * 1e6:.0f} us CPU")
            receiver = WebhookReceiver(on_message=lambda event: None, store=store)
            handled = cpu_per_call(
                lambda n, receiver=receiver: receiver.handle(legacy(n + 10**7), "/"), rounds
            )
            print(f"{name} store, handle() a new callback: {handled * 1e6:.0f} us CPU")

        served = Served(WebhookReceiver(on_message=lambda event: None, store=stores["sqlite"]))
        try:
            with requests.Session() as session:
                start = time.perf_counter()
                for n in range(rounds // 4):
                    session.post(served.url, data=legacy(n + 2 * 10**7), timeout=5)
                elapsed = time.perf_counter() - start
        finally:
            served.close()
        print(
            f"over loopback HTTP (wsgiref, SQLite store): {rounds // 4 / elapsed:.0f} callbacks/s"
        )


if __name__ == "__main__":
    main()
