"""WebhookReceiver over real HTTP: every status it answers, and what reaches the handlers."""

from __future__ import annotations

import io
import json
import logging
import socket
import threading
from urllib.parse import urlsplit
from wsgiref.validate import validator

import pytest
import requests

from flowroutenumbersandmessaging.exceptions import ValidationError
from flowroutenumbersandmessaging.webhooks import (
    DeliveryReceiptEvent,
    InboundMessage,
    MemoryDedupeStore,
    WebhookReceiver,
    add_token,
    new_token,
    parse_webhook,
)
from tests.webhooks import payloads

TOKEN = new_token()
SMS = json.dumps(payloads.inbound_sms()).encode()
MIB = 1024 * 1024


def post(url, body=SMS, **kwargs):
    return requests.post(url, data=body, timeout=5, **kwargs)


def raw_status(url, request: bytes, *, close_write=False) -> int:
    """Send ``request`` as is on a new connection; the status the server answers."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(request)
        if close_write:
            sock.shutdown(socket.SHUT_WR)
        return int(sock.recv(4096).split()[1])


@pytest.fixture
def store():
    return MemoryDedupeStore()


@pytest.fixture
def hook(serve, recorder, store):
    """A receiver with a token, served; its ``url`` carries the token."""
    receiver = WebhookReceiver(
        on_message=recorder, on_receipt=recorder, tokens=[TOKEN], store=store
    )
    served = serve(receiver)
    served.url = add_token(served.url, TOKEN)
    return served


def test_an_inbound_sms_reaches_the_handler_as_a_typed_event(hook, recorder):
    answer = post(hook.url)
    assert answer.status_code == 200
    (event,) = recorder.events
    assert isinstance(event, InboundMessage)
    assert event.message.body == "Hello from my phone"


def test_a_duplicate_is_answered_200_without_calling_the_handler_again(hook, recorder):
    assert post(hook.url).status_code == 200
    reformatted = json.dumps(payloads.inbound_sms(), indent=1).encode()
    assert post(hook.url, reformatted).status_code == 200
    assert post(hook.url).status_code == 200
    assert recorder.calls == 1


def test_a_failing_handler_answers_500_and_the_repost_is_handled(hook, recorder):
    recorder.failures = 1
    assert post(hook.url).status_code == 500
    assert recorder.events == []
    assert post(hook.url).status_code == 200
    assert recorder.calls == 2 and len(recorder.events) == 1
    assert post(hook.url).status_code == 200
    assert recorder.calls == 2


def test_a_callback_being_handled_answers_409_so_it_is_posted_again(serve, store):
    entered, finish = threading.Event(), threading.Event()
    calls = []

    def slow(event):
        calls.append(event)
        entered.set()
        finish.wait(5)

    served = serve(WebhookReceiver(on_message=slow, store=store))
    first = []
    worker = threading.Thread(target=lambda: first.append(post(served.url).status_code))
    worker.start()
    assert entered.wait(5)
    assert post(served.url).status_code == 409
    finish.set()
    worker.join()
    assert first == [200]
    assert post(served.url).status_code == 200
    assert len(calls) == 1


def test_a_kind_with_no_handler_is_accepted_ignored_and_marked_done(serve, recorder, store):
    served = serve(WebhookReceiver(on_message=recorder, store=store))
    receipt = payloads.receipt()
    assert post(served.url, json.dumps(receipt)).status_code == 200
    assert store.is_done(parse_webhook(receipt).id)
    assert recorder.calls == 0


def test_receipts_of_both_levels_are_each_handled(hook, recorder):
    assert post(hook.url, json.dumps(payloads.receipt(1))).status_code == 200
    assert post(hook.url, json.dumps(payloads.receipt(2))).status_code == 200
    assert [e.receipt.level for e in recorder.events] == [1, 2]
    assert all(isinstance(e, DeliveryReceiptEvent) for e in recorder.events)


@pytest.mark.parametrize("method", ["GET", "PUT", "HEAD", "DELETE"])
def test_only_post_is_allowed(hook, recorder, method):
    answer = requests.request(method, hook.url, data=SMS, timeout=5)
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "POST"
    assert recorder.calls == 0


@pytest.mark.parametrize(
    "query",
    ["", "?fr_token=", f"?fr_token={TOKEN[:-1]}", f"?fr_token={new_token()}",
     f"?fr_token={TOKEN}&fr_token={TOKEN}"],
    ids=["absent", "empty", "altered", "another", "repeated"],
)  # fmt: skip
def test_a_missing_or_wrong_token_is_403(hook, recorder, query):
    url = hook.url.split("?")[0] + query
    assert post(url).status_code == 403
    assert recorder.calls == 0


def test_the_token_is_checked_before_the_body_is_read(hook):
    # The body is announced but never sent: reading it would wait until the client gave up.
    port = urlsplit(hook.url).port
    request = (
        f"POST /flowroute?fr_token=wrong HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    )
    assert raw_status(hook.url, request.encode()) == 403


def test_a_content_length_over_one_mib_is_413_before_reading(hook, recorder):
    target = urlsplit(hook.url)
    request = (
        f"POST {target.path}?{target.query} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Length: {MIB + 1}\r\n\r\n"
    )
    assert raw_status(hook.url, request.encode()) == 413
    assert recorder.calls == 0


def test_a_body_cut_short_of_its_content_length_is_400(hook, recorder):
    target = urlsplit(hook.url)
    request = (
        f"POST {target.path}?{target.query} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Length: {len(SMS) + 10}\r\n\r\n"
    ).encode() + SMS
    assert raw_status(hook.url, request, close_write=True) == 400
    assert recorder.calls == 0


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"[]", b'{"data": {"type": "porting"}}', b"\xff\xfe"]
)
def test_a_malformed_body_is_400(hook, recorder, body):
    assert post(hook.url, body).status_code == 400
    assert recorder.calls == 0


def test_reading_stops_at_one_mib_when_the_length_is_not_declared(recorder):
    # A server that de-chunks request bodies sets wsgi.input_terminated and no length.
    stream = io.BytesIO(b"x" * (3 * MIB))
    statuses = []
    environ = {
        "REQUEST_METHOD": "POST",
        "QUERY_STRING": "",
        "wsgi.input": stream,
        "wsgi.input_terminated": True,
    }
    body = WebhookReceiver(on_message=recorder)(environ, lambda s, h: statuses.append(s))
    assert statuses[0].startswith("413 ")
    assert b"".join(body)
    assert stream.tell() <= MIB + 1


def test_a_handler_failure_is_logged_without_the_body_or_the_token(hook, recorder, caplog):
    marker = "private-text-4411"
    document = payloads.inbound_sms()
    document["data"]["attributes"]["body"] = marker
    recorder.failures = 1
    with caplog.at_level(logging.DEBUG, logger="flowroutenumbersandmessaging"):
        assert post(hook.url, json.dumps(document)).status_code == 500
    # The posting side (urllib3, standing in for Flowroute) logs the URL; the SDK must not.
    ours = [r for r in caplog.records if r.name.startswith("flowroutenumbersandmessaging")]
    (record,) = ours
    text = "\n".join(caplog.handler.format(r) for r in ours)
    assert record.exc_info is not None and "on purpose" in text
    assert marker not in text
    assert TOKEN not in text


def test_a_failing_store_answers_500_and_the_handler_is_not_called(serve, recorder):
    class BrokenStore(MemoryDedupeStore):
        def claim(self, key):
            raise OSError("disk full")

    served = serve(WebhookReceiver(on_message=recorder, store=BrokenStore()))
    assert post(served.url).status_code == 500
    assert recorder.calls == 0


def test_handle_answers_like_the_wsgi_application(recorder):
    receiver = WebhookReceiver(on_message=recorder, tokens=TOKEN)
    url = add_token("https://hooks.example.com/flowroute", TOKEN)
    assert receiver.handle(SMS, url) == 200
    assert receiver.handle(SMS.decode(), url) == 200
    assert recorder.calls == 1
    assert receiver.handle(SMS, "https://hooks.example.com/flowroute") == 403
    assert receiver.handle(b"{}", url) == 400
    assert receiver.handle(b" " * (MIB + 1), url) == 413
    assert receiver.handle("\ud800", url) == 400


def test_the_receiver_repr_shows_no_token():
    assert TOKEN not in repr(WebhookReceiver(tokens=[TOKEN]))


@pytest.mark.parametrize(
    "options",
    [
        {"on_message": "print"},
        {"on_receipt": 3},
        {"tokens": []},
        {"tokens": ["too-short"]},
        {"store": object()},
    ],
)
def test_a_bad_configuration_is_refused(options):
    with pytest.raises(ValidationError):
        WebhookReceiver(**options)


def test_the_receiver_keeps_to_the_wsgi_specification(serve, recorder):
    # wsgiref.validate raises on any breach of PEP 3333 by the application.
    served = serve(validator(WebhookReceiver(on_message=recorder, tokens=[TOKEN])))
    url = add_token(served.url, TOKEN)
    assert [post(url).status_code, post(url).status_code] == [200, 200]
    assert post(served.url).status_code == 403
    assert post(url, b"{").status_code == 400
    assert requests.get(url, timeout=5).status_code == 405
    assert recorder.calls == 1
