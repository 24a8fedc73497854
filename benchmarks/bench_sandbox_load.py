"""A load test of the standalone sandbox: 32 client threads, a time limit, then a state audit.

    python benchmarks/bench_sandbox_load.py [seconds] [threads] [sandbox flags...]

Starts ``python -m flowroutenumbersandmessaging.sandbox`` on a free port (as a user would, with
its defaults, such as a ring of the last 1,000 requests, unless flags say otherwise: try
``--request-log-size none``) and runs client threads against it for a
bounded time (10 s, 32 threads by default), each with its own SDK client, in a mix of reads
(numbers, available numbers, routes, messages) and creates (buy a number, send an SMS, add a
route). Then it checks that the sandbox's state agrees with what the clients were told:

- numbers on the account = numbers before + purchases answered 201;
- outbound message records = records before + sends answered 202;
- routes = routes before + routes answered 201.

Prints throughput, latency percentiles, outcomes by kind, the sandbox's memory (RSS) before and
after, and the audit. Exits non-zero on any 5xx, any failure other than a lost purchase race,
or an audit mismatch. Not collected by pytest.
"""

from __future__ import annotations

import collections
import datetime
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from typing import Any, Callable

# Runnable from a clone without installing, like the other benchmarks.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient, NotFoundError

ROOT = sys.path[0]

MOBILE = "12065550777"
SINCE = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)).date()


def start_sandbox(flags: list[str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(  # noqa: S603 - this interpreter and the package's own CLI
        [sys.executable, "-m", "flowroutenumbersandmessaging.sandbox", "--port", "0", *flags],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    found = re.search(r"listening on (\S+) ", process.stdout.readline())
    if found is None:
        process.kill()
        raise SystemExit("the sandbox did not start")
    return process, found.group(1)


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def audit(client: FlowroutenumbersandmessagingClient) -> dict[str, int]:
    """How many numbers, outbound message records and routes the account has."""
    numbers = sum(1 for _ in client.paginate(client.numbers.list_account_phone_numbers))
    messages = client.paginate(client.messages.look_up_a_set_of_messages, SINCE)
    outbound = sum(1 for m in messages if m["attributes"]["direction"] == "outbound")
    routes = sum(1 for _ in client.paginate(client.routes.list_inbound_routes))
    return {"numbers": numbers, "messages": outbound, "routes": routes}


class Load:
    def __init__(self, base: str, seconds: float) -> None:
        self.base = base
        self.ends = time.monotonic() + seconds
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.outcomes: collections.Counter[str] = collections.Counter()
        self.created: collections.Counter[str] = collections.Counter()

    def worker(self, seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311 - a load mix, not a secret
        client = FlowroutenumbersandmessagingClient(
            "load-key", "load-secret", base_uri=self.base, send_rate_limits=None
        )
        senders = [n["id"] for n in client.numbers.list_account_phone_numbers()["data"]]
        actions: list[tuple[str, Callable[[], Any]]] = [
            ("list numbers", lambda: client.numbers.list_account_phone_numbers(limit=20)),
            (
                "search",
                lambda: client.numbers.search_for_purchasable_phone_numbers(
                    starts_with=1206, limit=5, offset=rng.randrange(50)
                ),
            ),
            ("list routes", lambda: client.routes.list_inbound_routes(limit=10)),
            ("list messages", lambda: client.messages.look_up_a_set_of_messages(SINCE, limit=10)),
            ("buy", lambda: self.buy(client, rng)),
            ("send", lambda: self.send(client, rng.choice(senders))),
            ("route", lambda: self.route(client, rng)),
        ]
        weights = [4, 3, 3, 3, 1, 3, 1]
        while time.monotonic() < self.ends:
            name, action = rng.choices(actions, weights)[0]
            started = time.perf_counter()
            try:
                action()
                outcome = name
            except NotFoundError:
                outcome = f"{name}: 404 (another thread bought it first)"
            except Exception as error:
                outcome = f"{name}: {type(error).__name__} {getattr(error, 'response_code', '')}"
            elapsed = time.perf_counter() - started
            with self.lock:
                self.latencies.append(elapsed)
                self.outcomes[outcome] += 1
        client.close()

    def buy(self, client: FlowroutenumbersandmessagingClient, rng: random.Random) -> None:
        found = client.numbers.search_for_purchasable_phone_numbers(
            limit=1, offset=rng.randrange(200)
        )["data"]
        if found:
            client.numbers.purchase_a_phone_number(found[0]["id"])
            with self.lock:
                self.created["numbers"] += 1

    def send(self, client: FlowroutenumbersandmessagingClient, sender: str) -> None:
        client.messages.send_a_message({"to": MOBILE, "from": sender, "body": "load test"})
        with self.lock:
            self.created["messages"] += 1

    def route(self, client: FlowroutenumbersandmessagingClient, rng: random.Random) -> None:
        value = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        attributes = {"route_type": "host", "value": value}
        client.routes.create_an_inbound_route({"data": {"type": "route", "attributes": attributes}})
        with self.lock:
            self.created["routes"] += 1


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    process, base = start_sandbox(sys.argv[3:])
    try:
        checker = FlowroutenumbersandmessagingClient("load-key", "load-secret", base_uri=base)
        before = audit(checker)
        rss_before = rss_mib(process.pid)
        load = Load(base, seconds)
        workers = [threading.Thread(target=load.worker, args=(n,)) for n in range(threads)]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        wall = time.perf_counter() - started
        rss_after = rss_mib(process.pid)
        after = audit(checker)
        checker.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(10)
        assert process.stdout is not None
        process.stdout.close()
    calls = len(load.latencies)
    cuts = statistics.quantiles(load.latencies, n=100)
    print(f"{threads} threads for {seconds:g} s against {base} (Python {sys.version.split()[0]})")
    print(f"  {calls} calls in {wall:.1f} s: {calls / wall:.0f} calls/s")
    print(
        f"  latency: median {cuts[49] * 1000:.1f} ms, p95 {cuts[94] * 1000:.1f} ms, "
        f"p99 {cuts[98] * 1000:.1f} ms, max {max(load.latencies) * 1000:.1f} ms"
    )
    for outcome, count in sorted(load.outcomes.items()):
        print(f"  {count:6}  {outcome}")
    print(f"  sandbox RSS: {rss_before:.1f} MiB before, {rss_after:.1f} MiB after")
    consistent = True
    for kind in ("numbers", "messages", "routes"):
        expected = before[kind] + load.created[kind]
        ok = after[kind] == expected
        consistent &= ok
        print(
            f"  audit {kind}: {before[kind]} before + {load.created[kind]} created = "
            f"{expected}; the sandbox has {after[kind]} {'ok' if ok else 'MISMATCH'}"
        )
    failures = [o for o in load.outcomes if ":" in o and "another thread" not in o]
    return 0 if consistent and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
