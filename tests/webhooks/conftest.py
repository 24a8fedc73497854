"""Fixtures: a receiver served on loopback, and a recording handler."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from tests.webhooks.support import Recorder, Served


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[..., Any]], Served]]:
    servers: list[Served] = []

    def start(app: Callable[..., Any]) -> Served:
        servers.append(Served(app))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()
