"""The client-side send limiter: at most N sends of a kind in any one-second window *as
Flowroute sees them* (on arrival), across threads, however long the network takes."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
import requests.adapters

from flowroutenumbersandmessaging._limiter import SendLimiter
from flowroutenumbersandmessaging.exceptions import APITimeoutError
from tests.support.server import Recorded, Reply
from tests.support.timing import AT_ONCE

MESSAGE = {"data": {"type": "message", "id": "mdr2-" + "0" * 32}}


def message(kind: str, thread: int) -> dict[str, Any]:
    attributes: dict[str, Any] = {"to": "12061232634", "from": "12012673227", "body": f"{thread}"}
    if kind == "mms":
        attributes["is_mms"] = True
    return {"data": {"type": "message", "attributes": attributes}}


def most_in_one_second(arrivals: list[float]) -> int:
    """The most arrivals in any window [t, t + 1s): it is enough to start one at each arrival."""
    return max(
        (sum(1 for t in arrivals if start <= t < start + 1.0) for start in arrivals), default=0
    )


class ClearingNetwork(requests.adapters.HTTPAdapter):
    """A network whose latency on the way to the server falls from 250 ms to nothing in two
    seconds (congestion clearing): later sends overtake earlier ones in arrival time."""

    def __init__(self) -> None:
        super().__init__(pool_maxsize=16)
        self.started = time.monotonic()

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        elapsed = time.monotonic() - self.started
        time.sleep(max(0.0, 0.25 - 0.125 * elapsed))
        return super().send(request, **kwargs)


def test_no_one_second_window_at_the_server_sees_more_than_5_sms_or_1_mms(make_client, server):
    def answer(request: Recorded) -> Reply:
        time.sleep(random.uniform(0.0, 0.05))  # the server takes its time, unevenly
        return Reply(202, MESSAGE)

    server.default = answer
    session = requests.Session()
    session.mount("http://", ClearingNetwork())
    client = make_client(server, session=session, send_rate_limits={"sms": 5, "mms": 1})
    ends = time.monotonic() + 2.0
    start = threading.Barrier(12)

    def send(kind: str, thread: int) -> None:
        start.wait()
        while True:
            left = ends - time.monotonic()
            if left <= 0:
                return
            try:  # a send still waiting for its window when time is up is not sent at all
                client.with_options(deadline=left).messages.send_a_message(message(kind, thread))
            except APITimeoutError as error:
                assert "not sent" in str(error)
                return

    with session, ThreadPoolExecutor(12) as pool:
        jobs = [pool.submit(send, "sms", n) for n in range(8)]
        jobs += [pool.submit(send, "mms", n) for n in range(4)]
        for job in jobs:
            job.result()
    arrivals = {"sms": [], "mms": []}
    for request in server.requests:
        kind = "mms" if request.json["data"]["attributes"].get("is_mms") else "sms"
        arrivals[kind].append(request.at)
    assert most_in_one_second(arrivals["sms"]) <= 5
    assert most_in_one_second(arrivals["mms"]) <= 1
    # Still as fast as the rule allows: a full window's worth each second the network allows.
    assert len(arrivals["sms"]) >= 10
    assert len(arrivals["mms"]) >= 2


def test_the_first_sends_of_each_kind_go_at_once_and_kinds_do_not_wait_for_each_other():
    limiter = SendLimiter({"sms": 5, "mms": 1})
    started = time.monotonic()
    for _ in range(5):
        with limiter.slot("sms"):
            pass
    with limiter.slot("mms"):
        pass
    assert time.monotonic() - started < AT_ONCE


def test_a_waiting_send_goes_one_second_after_an_earlier_send_ended_not_began():
    limiter = SendLimiter({"sms": 2})
    starts: list[float] = []
    ends: list[float] = []
    lock = threading.Lock()
    ready = threading.Barrier(3)

    def send(_: int) -> None:
        ready.wait()
        with limiter.slot("sms"):
            with lock:
                starts.append(time.monotonic())
            time.sleep(0.1)  # the send takes its time
            with lock:
                ends.append(time.monotonic())

    with ThreadPoolExecutor(3) as pool:
        list(pool.map(send, range(3)))
    starts.sort()
    assert starts[1] - starts[0] < AT_ONCE  # two at once...
    assert starts[2] - min(ends) >= 1.0  # ...then the third a second after the first ended


def test_kinds_without_a_limit_are_not_limited():
    limiter = SendLimiter({"sms": 1, "mms": 0})
    started = time.monotonic()
    for _ in range(50):
        with limiter.slot("mms"):  # 0 means no limit
            pass
        with limiter.slot("fax"):  # unknown kinds are not limited
            pass
    assert time.monotonic() - started < AT_ONCE


def test_a_429_retry_of_a_send_goes_in_a_later_window(make_client, server):
    client = make_client(server, send_rate_limits={"sms": 1})
    server.queue(Reply(429), Reply(202, MESSAGE))
    assert client.messages.send_a_message(message("sms", 0)) == MESSAGE
    assert server.count == 2  # the 429'd send was not accepted, so it is sent again...
    assert server.requests[1].at - server.requests[0].at >= 1.0  # ...in the next window


def test_a_send_waiting_for_the_limiter_stops_at_its_deadline_without_being_sent(
    make_client, server
):
    client = make_client(server, send_rate_limits={"sms": 1}, deadline=0.3)
    server.default = Reply(202, MESSAGE)
    client.messages.send_a_message(message("sms", 0))
    started = time.monotonic()
    with pytest.raises(APITimeoutError, match="not sent") as caught:
        client.messages.send_a_message(message("sms", 1))
    assert time.monotonic() - started < 0.8  # its deadline, not the one-second window
    assert not caught.value.outcome_unknown
    assert server.count == 1
