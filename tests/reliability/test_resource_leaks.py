"""No resource leaks under retry: every socket of a failed attempt is closed (after OpenAI's
``*_doesnt_leak`` tests)."""

from __future__ import annotations

import gc
import itertools
import os
import warnings

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient, Timeout
from flowroutenumbersandmessaging.exceptions import FlowrouteError
from tests.conftest import ACCESS_KEY, FAST_RETRIES, SECRET_KEY
from tests.support.server import Action, Close, Hang, Raw, Recorded, Reply, Reset, ScriptedServer

CYCLE: list[Action] = [
    Reply(200, {"data": []}),
    Reset(),
    Reply(503),
    Close(),
    Raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"),
    Reply(200, "not json"),
    Raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"),
    Reply(429),
    Reset(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{"),
    Reply(302, "", {"Location": "http://localhost:1/"}),
    Reply(201, {"data": {"id": "12065550142"}}),
    Hang(1),
]


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def run_calls(calls: int) -> int:
    """``calls`` calls (reads and creates) against a server cycling through faults."""
    served = itertools.cycle(CYCLE)

    def respond(request: Recorded) -> Action:
        return next(served)

    failures = 0
    with ScriptedServer(default=respond) as server:
        client = FlowroutenumbersandmessagingClient(
            ACCESS_KEY,
            SECRET_KEY,
            base_uri=server.url,
            retry_policy=FAST_RETRIES,
            send_rate_limits=None,
            timeout=Timeout(0.2, 0.02),
        )
        with client:
            for i in range(calls):
                try:
                    if i % 3:
                        client.numbers.list_account_phone_numbers()
                    else:
                        client.numbers.purchase_a_phone_number("12065550142")
                except FlowrouteError:
                    failures += 1
    return failures


def test_200_calls_through_faults_leave_no_socket_open_and_no_resource_warning():
    run_calls(3)  # warm up anything created once per process
    gc.collect()
    baseline = open_fds()
    # With the collector off, only explicit closing can release a socket: a socket left to
    # the garbage collector (or to a traceback's reference cycle) stays counted.
    gc.disable()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            failures = run_calls(200)
            assert open_fds() == baseline
            gc.collect()
    finally:
        gc.enable()
    assert failures > 100  # the faults really happened
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
