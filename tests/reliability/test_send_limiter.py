"""The client-side send limiter (decisions.md §5): at most N sends of a kind in any one-second
window, across threads, without slowing sends that fit in the window."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from flowroutenumbersandmessaging._http import SendLimiter
from tests.support.server import Reply

# Time slack for thread wake-ups; the limiter reserves exact slots, so only scheduling jitter
# can make two sends look closer than they were.
SLACK = 0.03


def acquire_concurrently(limiter: SendLimiter, kinds: list[str]) -> dict[str, list[float]]:
    """Every thread acquires one slot of its kind; returns the moment each was let through."""
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    lock = threading.Lock()
    start = threading.Barrier(len(kinds))

    def send(kind: str) -> None:
        start.wait()
        limiter.acquire(kind)
        now = time.monotonic()
        with lock:
            times[kind].append(now)

    with ThreadPoolExecutor(len(kinds)) as pool:
        list(pool.map(send, kinds))
    return {kind: sorted(ts) for kind, ts in times.items()}


def max_in_any_window(times: list[float], window: float = 1.0 - SLACK) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


def test_at_most_5_sms_and_1_mms_in_any_second_under_concurrent_threads():
    limiter = SendLimiter({"sms": 5, "mms": 1})
    started = time.monotonic()
    times = acquire_concurrently(limiter, ["sms"] * 10 + ["mms"] * 2)
    elapsed = time.monotonic() - started
    assert max_in_any_window(times["sms"]) == 5
    assert max_in_any_window(times["mms"]) == 1
    # No needless waiting: the first five SMS and the first MMS go at once, the rest one
    # second later, and the kinds do not wait for each other.
    assert times["sms"][4] - started < 0.2 and times["mms"][0] - started < 0.2
    assert 1.0 - SLACK <= times["sms"][5] - started < 1.3
    assert elapsed < 1.5


def test_kinds_without_a_limit_are_not_limited():
    limiter = SendLimiter({"sms": 1, "mms": 0})
    started = time.monotonic()
    for _ in range(50):
        limiter.acquire("mms")  # 0 means no limit
        limiter.acquire("fax")  # unknown kinds are not limited
    limiter.acquire("sms")
    assert time.monotonic() - started < 0.1


def test_a_429_retry_of_a_send_waits_for_the_limiter(make_client, server):
    # No messages endpoint is needed for this: the limiter sits in the core, keyed by send_kind.
    # client._core.request is used because no numbers method sends with a send_kind.
    client = make_client(server, send_rate_limits={"sms": 1})
    server.queue(Reply(429), Reply(202, {"data": {"id": "mdr2-" + "0" * 32}}))
    body = {"data": {"type": "message", "attributes": {"to": "1", "from": "2", "body": "x"}}}
    document = client._core.request(
        "POST", "/v2.1/messages", body=body, create=True, send_kind="sms"
    )
    assert document == {"data": {"id": "mdr2-" + "0" * 32}}
    assert server.count == 2  # the 429'd send was not accepted, so it is sent again...
    assert server.requests[1].at - server.requests[0].at >= 1.0 - SLACK  # ...in the next window
