"""Webhook delivery: receivers do not wait on each other, and unanswered webhooks come again."""

from __future__ import annotations

import socket
import threading
from typing import Any, Iterator

import pytest

from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.sandbox.conftest import Api
from tests.support.server import Drip, Hang, Reply, ScriptedServer

MOBILE = "12065550777"


@pytest.fixture
def receivers() -> Iterator[list[ScriptedServer]]:
    started: list[ScriptedServer] = []
    yield started
    for server in started:
        server.stop()


def receiver(receivers: list[ScriptedServer], default: Any = None) -> ScriptedServer:
    server = ScriptedServer(default or Reply(200, ""))
    receivers.append(server.__enter__())
    return server


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def send_with_receipts(sandbox: Sandbox, url: str) -> None:
    """An SMS whose two delivery receipts go to ``url``."""
    api = Api(sandbox)
    sender = api.my_numbers()[0]
    attributes = {"to": MOBILE, "from": sender, "body": "hi", "dlr_callback": url}
    assert api.jsonapi("POST", "/v2.1/messages", "message", **attributes).status_code == 202
    api.session.close()


def inbound_sms_to(sandbox: Sandbox, url: str) -> None:
    api = Api(sandbox)
    assert api("PUT", "/v2.1/messages/sms_callback", json={"callback_url": url}).ok
    sandbox.receive_sms(api.my_numbers()[0], MOBILE, "hello")
    api.session.close()


def test_a_slow_receiver_delays_only_its_own_deliveries(receivers):
    slow = receiver(receivers, Drip(Reply(200, "x" * 100), interval=1.5))
    healthy = [receiver(receivers) for _ in range(4)]
    with Sandbox() as sandbox:
        send_with_receipts(sandbox, slow.url + "/dlr")
        for server in healthy:
            send_with_receipts(sandbox, server.url + "/dlr")
        first = sandbox.wait_for_webhooks(8, timeout=4)[:8]
        assert {d.url for d in first} == {server.url + "/dlr" for server in healthy}
        assert [d.status for d in first] == [200] * 8
        assert [server.count for server in healthy] == [2, 2, 2, 2]


def test_a_receiver_answering_500_twice_gets_the_same_callback_three_times(receivers):
    flaky = receiver(receivers)
    flaky.queue(Reply(500, "busy"), Reply(500, "busy"))
    with Sandbox(webhook_retry_delays=(0.05, 0.05, 0.05)) as sandbox:
        inbound_sms_to(sandbox, flaky.url + "/sms")
        attempts = sandbox.wait_for_webhooks(3)
        assert [(d.attempt, d.status, d.final, d.ok) for d in attempts] == [
            (1, 500, False, False),
            (2, 500, False, False),
            (3, 200, True, True),
        ]
    assert flaky.count == 3
    assert flaky.requests[0].body == flaky.requests[1].body == flaky.requests[2].body
    assert flaky.requests[0].json["data"]["attributes"]["body"] == "hello"


def test_any_status_but_200_is_delivered_again(receivers):
    picky = receiver(receivers)
    picky.queue(Reply(204, ""), Reply(302, "", {"Location": picky.url + "/elsewhere"}))
    with Sandbox(webhook_retry_delays=(0.01, 0.01)) as sandbox:
        inbound_sms_to(sandbox, picky.url + "/sms")
        statuses = [d.status for d in sandbox.wait_for_webhooks(3)]
    assert statuses == [204, 302, 200]
    assert [r.path for r in picky.requests] == ["/sms"] * 3


def test_a_dead_receiver_is_retried_then_given_up():
    url = f"http://127.0.0.1:{closed_port()}/sms"
    with Sandbox(webhook_retry_delays=(0.01, 0.02)) as sandbox:
        inbound_sms_to(sandbox, url)
        attempts = sandbox.wait_for_webhooks(3)
    assert [(d.attempt, d.status, d.final) for d in attempts] == [
        (1, None, False),
        (2, None, False),
        (3, None, True),
    ]
    assert all("refused" in (d.error or "").lower() for d in attempts)
    assert len(sandbox.webhooks) == 3


def test_an_attempt_is_cut_off_at_the_timeout_even_while_bytes_trickle_in(receivers):
    hanging = receiver(receivers, Hang(30))
    trickling = receiver(receivers, Drip(Reply(200, "x" * 100), interval=0.05))
    with Sandbox(webhook_retry_delays=(), webhook_timeout=0.3) as sandbox:
        inbound_sms_to(sandbox, hanging.url)
        send_with_receipts(sandbox, trickling.url)
        attempts = sandbox.wait_for_webhooks(3)
    assert {d.error for d in attempts} == {"no answer within 0.3 s"}
    assert all(d.final and d.status is None for d in attempts)


def test_closing_the_sandbox_cuts_off_deliveries_in_progress(receivers):
    hanging = receiver(receivers, Hang(30))
    before = set(threading.enumerate())
    sandbox = Sandbox()
    inbound_sms_to(sandbox, hanging.url)
    while hanging.count == 0:
        threading.Event().wait(0.01)
    sandbox.close()
    # Only the threads this test started: an earlier test's may still be ending.
    started = set(threading.enumerate()) - before
    assert [t.name for t in started if t.name.startswith("flowroute-sandbox")] == []
    assert sandbox.webhooks == []


def test_skipped_webhooks_are_not_retried():
    with Sandbox(webhook_retry_delays=(0.01,)) as sandbox:
        inbound_sms_to(sandbox, "https://hooks.example.com/sms")
        (delivery,) = sandbox.wait_for_webhooks(1)
    assert delivery.skipped and delivery.final and delivery.attempt == 1
    assert sandbox.webhooks == [delivery]


def test_retry_delays_and_timeout_are_checked():
    with pytest.raises(ValueError, match="webhook_retry_delays"):
        Sandbox(webhook_retry_delays=(1, -1))
    with pytest.raises(ValueError, match="webhook_timeout"):
        Sandbox(webhook_timeout=0)
