"""Fixtures for the fault-injection suite: small timeouts so every fault resolves in a second or
two, a port nobody listens on, and a second host that must never be contacted."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any, Callable

import pytest

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient, Timeout
from tests.support.server import ScriptedServer

# Per-attempt timeouts and a per-call deadline small enough for a test, large enough that a
# loopback server never trips them, even on a busy machine (see tests/support/timing.py): the
# connect timeout covers the TLS handshake too, which can take a starved server a while.
FAULT_TIMEOUT = Timeout(1.0, 1.0)
FAULT_DEADLINE = 4.0
NUMBER = "12065550142"

Factory = Callable[..., FlowroutenumbersandmessagingClient]


@pytest.fixture
def fault_client(make_client: Factory) -> Factory:
    def make(base: Any, **options: Any) -> FlowroutenumbersandmessagingClient:
        options.setdefault("timeout", FAULT_TIMEOUT)
        options.setdefault("deadline", FAULT_DEADLINE)
        return make_client(base, **options)

    return make


@pytest.fixture
def elsewhere() -> Iterator[ScriptedServer]:
    """Another loopback host (``localhost`` rather than ``127.0.0.1``): redirects point here."""
    with ScriptedServer(host="localhost") as other:
        yield other


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL on which nothing listens: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Everything logged at DEBUG on the root logger (urllib3's lines included)."""
    caplog.set_level(logging.DEBUG)
    return caplog


def retries_logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == "flowroutenumbersandmessaging" and r.getMessage().startswith("retrying")
    ]
