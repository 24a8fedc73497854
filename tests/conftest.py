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

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient
from tests.support.canary import ACCESS_KEY, FAST_RETRIES, SECRET_KEY
from tests.support.server import ScriptedServer


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
