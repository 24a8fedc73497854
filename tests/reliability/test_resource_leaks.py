"""No resource leaks under retry: every socket of a failed attempt is closed (after OpenAI's
``*_doesnt_leak`` tests).

Open file descriptors belong to the whole process, and a test process may have other work under
way (a parallel test worker, a thread still ending from an earlier test): the calls are made and
counted in an interpreter of their own (``python -m tests.reliability.test_resource_leaks``).
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient, Timeout
from flowroutenumbersandmessaging.exceptions import FlowrouteError
from tests.support.canary import ACCESS_KEY, FAST_RETRIES, SECRET_KEY
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


def measure() -> dict[str, Any]:
    """Open descriptors before and after 200 calls through faults, in this process."""
    run_calls(len(CYCLE))  # warm up anything created once per process, by any fault
    gc.collect()
    baseline = open_fds()
    # With the collector off, only explicit closing can release a socket: a socket left to
    # the garbage collector (or to a traceback's reference cycle) stays counted.
    gc.disable()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            failures = run_calls(200)
            after = open_fds()
            gc.collect()
    finally:
        gc.enable()
    return {
        "baseline": baseline,
        "after": after,
        "failures": failures,
        "resource_warnings": [
            str(w.message) for w in caught if issubclass(w.category, ResourceWarning)
        ],
    }


def test_200_calls_through_faults_leave_no_socket_open_and_no_resource_warning():
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "tests.reliability.test_resource_leaks"]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    measured = json.loads(done.stdout)
    assert measured["after"] == measured["baseline"]
    assert measured["failures"] > 100  # the faults really happened
    assert measured["resource_warnings"] == []


if __name__ == "__main__":
    sys.stdout.write(json.dumps(measure()))
