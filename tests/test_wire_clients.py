"""Clients share nothing: each request carries its own client's credentials, in any thread."""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient
from tests.support.canary import FAST_RETRIES

CREDENTIALS = {
    "101": ("accessKeyAlpha", "secretAlpha"),
    "202": ("accessKeyBravo", "secretBravo"),
}


def basic(access_key: str, secret_key: str) -> str:
    return "Basic " + base64.b64encode(f"{access_key}:{secret_key}".encode()).decode()


def test_two_clients_in_many_threads_never_mix_credentials(server):
    clients = {
        record: FlowroutenumbersandmessagingClient(
            *pair, base_uri=server.url, retry_policy=FAST_RETRIES, send_rate_limits=None
        )
        for record, pair in CREDENTIALS.items()
    }

    def work(record: str) -> None:
        client = clients[record]
        for _ in range(15):
            # The record id in the path tells the server which client sent the request.
            client.cnams.get_cnam(record)
            client.e911s.get_e911(record)

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(work, list(CREDENTIALS) * 4))
    finally:
        for client in clients.values():
            client.close()
    assert server.count == 2 * 15 * 8
    for request in server.requests:
        record = request.path.rsplit("/", 1)[1]
        assert request.header("Authorization") == basic(*CREDENTIALS[record]), request.path
