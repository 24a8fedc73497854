"""Thread safety and isolation: one client shared by many threads, and
two clients with different credentials side by side, never mix anything."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient
from tests.reliability.leaks import OTHER_ACCESS_KEY, OTHER_SECRET_KEY, basic_token
from tests.support.canary import ACCESS_KEY, SECRET_KEY
from tests.support.server import Recorded, Reply

CALLS = 12


def echo_offset(request: Recorded) -> Reply:
    """Answer each request with its own offset, so a thread can tell its answer from others'."""
    offset = dict(request.query)["offset"]
    return Reply(200, {"data": [{"id": offset, "auth": request.header("Authorization")}]})


def test_one_client_shared_by_8_threads_gets_every_answer_right(client, server):
    server.default = echo_offset
    start = threading.Barrier(8)

    def work(thread: int) -> list[str]:
        start.wait()
        answers = []
        for i in range(CALLS):
            offset = thread * 1000 + i
            document = client.numbers.list_account_phone_numbers(offset=offset)
            answers.append(document["data"][0]["id"])
            assert document["data"][0]["id"] == str(offset)
        return answers

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8)))
    assert [len(r) for r in results] == [CALLS] * 8
    assert server.count == 8 * CALLS
    token = f"Basic {basic_token(ACCESS_KEY, SECRET_KEY)}"
    assert {r.header("Authorization") for r in server.requests} == {token}
    assert len({r.connection for r in server.requests}) > 1  # the threads really overlapped


def test_two_clients_with_different_credentials_never_mix(make_client, server):
    server.default = echo_offset
    other = FlowroutenumbersandmessagingClient(
        OTHER_ACCESS_KEY, OTHER_SECRET_KEY, base_uri=server.url, send_rate_limits=None
    )
    tokens = [basic_token(ACCESS_KEY, SECRET_KEY), basic_token(OTHER_ACCESS_KEY, OTHER_SECRET_KEY)]
    clients = [make_client(server), other]
    start = threading.Barrier(8)

    def work(thread: int) -> None:
        account = thread % 2
        start.wait()
        for i in range(CALLS):
            offset = account * 100000 + thread * 1000 + i
            document = clients[account].numbers.list_account_phone_numbers(offset=offset)
            # The answer echoes the header the server received for this very request.
            assert document["data"][0]["auth"] == f"Basic {tokens[account]}"

    with other, ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(8)))
    assert server.count == 8 * CALLS
    for request in server.requests:
        account = int(dict(request.query)["offset"]) // 100000
        assert request.header("Authorization") == f"Basic {tokens[account]}"


def list_numbers_together(client: FlowroutenumbersandmessagingClient, threads: int, calls: int):
    """``threads`` threads start together and each lists the numbers ``calls`` times."""
    start = threading.Barrier(threads)

    def work(_: int) -> None:
        start.wait()
        for _ in range(calls):
            client.numbers.list_account_phone_numbers()

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(work, range(threads)))


def pool_full_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "pool is full" in r.getMessage()]


def test_32_threads_sharing_a_client_reuse_32_connections_without_pool_warnings(
    client, server, caplog
):
    caplog.set_level(logging.WARNING, logger="urllib3")
    list_numbers_together(client, threads=32, calls=5)
    assert server.count == 32 * 5
    assert server.connections <= 32  # each connection opened once, then reused
    assert not pool_full_warnings(caplog)


def test_max_connections_sizes_the_pool(make_client, server, caplog):
    caplog.set_level(logging.WARNING, logger="urllib3")
    list_numbers_together(make_client(server, max_connections=2), threads=4, calls=3)
    # Four threads on two pooled connections: the extra ones are opened and dropped.
    assert server.connections > 2
    assert pool_full_warnings(caplog)
