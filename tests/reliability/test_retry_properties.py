"""Whatever the server does, the SDK never multiplies a create.

The server plays a sequence drawn from 429, 500, 503, reset-after-read, close-after-read,
hang and success. A create may only be repeated after a 429 (Flowroute: "not accepted"); a
read is retried at most ``max_retries`` times.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient, Timeout
from flowroutenumbersandmessaging.exceptions import FlowrouteError
from tests.reliability.conftest import NUMBER
from tests.support.canary import ACCESS_KEY, FAST_RETRIES, SECRET_KEY
from tests.support.server import Action, Close, Hang, Reply, Reset, ScriptedServer

FAULTS: dict[str, Action] = {
    "429": Reply(429),
    "500": Reply(500),
    "503": Reply(503),
    "reset": Reset(),
    "close": Close(),
    "hang": Hang(1.0),
}
SUCCESS = {"read": Reply(200, {"data": []}), "create": Reply(201, {"data": {"id": NUMBER}})}
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# A hang costs a whole read timeout, so it is drawn a third as often as each other answer, and
# at most once a script (the fault matrix times hangs).
ANSWERS = [name for name in [*FAULTS, "ok"] if name != "hang"] * 3 + ["hang"]
scripts = st.lists(st.sampled_from(ANSWERS), max_size=5).filter(
    lambda script: script.count("hang") <= 1
)


@pytest.fixture(scope="module")
def shared() -> Iterator[tuple[ScriptedServer, FlowroutenumbersandmessagingClient]]:
    # One server and client for every example: starting a server per example would dominate.
    with ScriptedServer() as server:
        client = FlowroutenumbersandmessagingClient(
            ACCESS_KEY,
            SECRET_KEY,
            base_uri=server.url,
            retry_policy=FAST_RETRIES,
            send_rate_limits=None,
            # A read timeout that a loopback answer never trips, even on a busy machine (see
            # tests/support/timing.py), and that a hang outlasts.
            timeout=Timeout(0.2, 0.5),
            deadline=5.0,
        )
        with client:
            yield server, client


def play(shared, operation: str, script: list[str]) -> tuple[int, list[str], bool]:
    """Run one call against ``script``; return requests seen, answers served, outcome_unknown."""
    server, client = shared
    server.reset()
    server.default = SUCCESS[operation]
    server.queue(*[SUCCESS[operation] if name == "ok" else FAULTS[name] for name in script])
    outcome_unknown = False
    try:
        if operation == "read":
            client.numbers.list_account_phone_numbers()
        else:
            client.numbers.purchase_a_phone_number(NUMBER)
    except FlowrouteError as error:
        outcome_unknown = error.outcome_unknown
    served = (script + ["ok"] * 3)[: server.count]
    return server.count, served, outcome_unknown


@SETTINGS
@given(script=scripts)
def test_a_create_reaches_the_server_at_most_once_plus_once_per_429(shared, script):
    count, served, outcome_unknown = play(shared, "create", script)
    assert count <= 1 + served.count("429")
    # Exactly: the create is repeated only while the answers are 429s, up to the budget.
    leading_429s = next((i for i, name in enumerate(script) if name != "429"), len(script))
    assert count == 1 + min(leading_429s, FAST_RETRIES.max_retries)
    # Its outcome is unknown exactly when the last attempt may have been carried out.
    assert outcome_unknown is (served[-1] not in ("ok", "429"))


@SETTINGS
@given(script=scripts)
def test_a_read_reaches_the_server_at_most_once_plus_max_retries(shared, script):
    count, _, outcome_unknown = play(shared, "read", script)
    assert count <= 1 + FAST_RETRIES.max_retries
    first_ok = [*script, "ok"].index("ok")
    assert count == 1 + min(first_ok, FAST_RETRIES.max_retries)
    assert not outcome_unknown
