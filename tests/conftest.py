"""Fixtures every test may use. A fixture name means one thing across ``tests/``:

``server``
    a :class:`~tests.support.server.ScriptedServer` on loopback (replies and faults on cue).
``make_client``
    ``make_client(server_or_url, **options)``: an SDK client with fast retries and no send
    limiter, closed after the test.
``client``
    ``make_client(server)``: the SDK client the wire and error tests drive.
``flowroute_sandbox`` / ``flowroute_client``
    a fresh in-process sandbox and a client on it (the package's pytest plugin).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient, RetryPolicy
from tests.support.server import ScriptedServer

ACCESS_KEY = "canaryAK7f3e9"
SECRET_KEY = "canarySK-51c0ffee-secret"

# Retries without real waiting: tests assert on attempts, not on sleeps.
FAST_RETRIES = RetryPolicy(
    max_retries=2, initial_delay=0.001, max_delay=0.002, rate_limit_min_delay=0.0
)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as s:
        yield s


@pytest.fixture
def make_client() -> Iterator[Callable[..., FlowroutenumbersandmessagingClient]]:
    clients = []

    def make(base: Any, **options: Any) -> FlowroutenumbersandmessagingClient:
        options.setdefault("retry_policy", FAST_RETRIES)
        options.setdefault("send_rate_limits", None)
        url = base if isinstance(base, str) else base.url
        client = FlowroutenumbersandmessagingClient(ACCESS_KEY, SECRET_KEY, base_uri=url, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(
    server: ScriptedServer, make_client: Callable[..., FlowroutenumbersandmessagingClient]
) -> FlowroutenumbersandmessagingClient:
    return make_client(server)
