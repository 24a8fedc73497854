"""Messages, callback settings, and the webhooks the sandbox POSTs to a local receiver."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from tests.sandbox.conftest import error_of

MOBILE = "12065550777"


def send(api, **attributes):
    return api.jsonapi("POST", "/v2.1/messages", "message", **attributes)


def test_sms_is_accepted_with_an_mdr2_id_and_gets_two_receipts(api):
    sender = api.my_numbers()[0]
    response = send(api, to=MOBILE, **{"from": sender}, body="Your code is 4411")
    assert response.status_code == 202
    data = response.json()["data"]
    assert re.fullmatch(r"mdr2-[0-9a-f]{32}", data["id"])
    assert data["links"]["self"] == f"{api.base}/v2.1/messages/{data['id']}"
    mdr = api.get(f"/v2.1/messages/{data['id']}").json()["data"]["attributes"]
    assert mdr["direction"] == "outbound" and mdr["status"] == "delivered"
    assert [r["level"] for r in mdr["delivery_receipts"]] == [1, 2]
    assert mdr["amount_display"] == "$0.0040" and mdr["message_encoding"] == 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d\dZ", mdr["timestamp"])


@pytest.mark.parametrize(
    ("body", "encoding", "segments"),
    [("a" * 160, 0, 1), ("a" * 161, 0, 2), ("é" * 70, 8, 1), ("é" * 140, 8, 2), ("é" * 141, 8, 3)],
)
def test_sms_is_billed_per_segment_as_the_sdk_counts_them(api, body, encoding, segments):
    sender = api.my_numbers()[0]
    sent = send(api, to=MOBILE, **{"from": sender}, body=body).json()["data"]["id"]
    mdr = api.get(f"/v2.1/messages/{sent}").json()["data"]["attributes"]
    assert mdr["message_encoding"] == encoding
    assert mdr["amount_nanodollars"] == 4_000_000 * segments


def test_flat_body_and_string_is_mms_are_accepted_like_the_old_sdk_sent(api):
    sender = api.my_numbers()[0]
    flat = api("POST", "/v2.1/messages", json={"to": MOBILE, "from": sender, "body": "hi"})
    assert flat.status_code == 202
    mms = send(
        api,
        to=MOBILE,
        **{"from": sender},
        body="hello there",
        is_mms="true",
        media_urls=["http://cdn.example.com/37.gif"],
    )
    assert mms.status_code == 202
    doc = api.get(f"/v2.1/messages/{mms.json()['data']['id']}").json()
    assert doc["data"]["attributes"]["is_mms"] is True
    (media,) = doc["included"]
    assert media["attributes"]["mime_type"] == "image/gif"
    assert doc["data"]["relationships"]["media"]["data"] == [{"type": "media", "id": media["id"]}]


@pytest.mark.parametrize(
    ("attributes", "status"),
    [
        ({"to": MOBILE, "from": "19995550000", "body": "x"}, 422),
        ({"to": "2065550777", "body": "x"}, 422),
        ({"to": MOBILE}, 422),
        ({"to": MOBILE, "body": "x", "is_mms": "maybe"}, 422),
        ({"to": MOBILE, "is_mms": True}, 422),
        ({"to": MOBILE, "body": "x", "media_urls": "not a list"}, 422),
    ],
)
def test_invalid_messages_are_refused(api, attributes, status):
    attributes.setdefault("from", api.my_numbers()[0])
    response = send(api, **attributes)
    assert response.status_code == status
    assert error_of(response)["detail"]


def test_mms_over_the_size_limit_is_422(api, sandbox):
    sandbox.register_media("https://cdn.example.com/big.png", 767_000)
    sender = api.my_numbers()[0]
    ok = send(api, to=MOBILE, **{"from": sender}, media_urls=["https://cdn.example.com/big.png"])
    assert ok.status_code == 202
    too_big = send(
        api,
        to=MOBILE,
        **{"from": sender},
        body="x" * 900,
        media_urls=["https://cdn.example.com/big.png"],
    )
    assert too_big.status_code == 422
    assert "767840" in error_of(too_big)["detail"]


def test_message_lookup_needs_start_date_and_accepts_iso_datetimes(api):
    sender = api.my_numbers()[0]
    for n in range(3):
        send(api, to=MOBILE, **{"from": sender}, body=f"n{n}")
    assert api.get("/v2.1/messages").status_code == 400
    today = datetime.now(timezone.utc).date().isoformat()
    everything = api.get("/v2.1/messages", start_date=today, end_date=today).json()
    assert [m["attributes"]["body"] for m in everything["data"]] == ["n2", "n1", "n0"]
    hour_ago = (datetime.now(timezone.utc) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
    page = api.get("/v2.1/messages", start_date=hour_ago + "Z", limit=2).json()
    assert len(page["data"]) == 2
    assert "offset=2" in page["links"]["next"] and "self" not in page["links"]
    last = api.get("/v2.1/messages", start_date=hour_ago + "+00:00", limit=2, offset=2).json()
    assert len(last["data"]) == 1 and "next" not in last["links"]
    future = api.get("/v2.1/messages", start_date="2999-01-01").json()
    assert future["data"] == []
    backwards = api.get("/v2.1/messages", start_date=today, end_date="2000-01-01")
    assert backwards.status_code == 400
    assert api.get("/v2.1/messages", start_date="yesterday").status_code == 400


def test_account_callbacks_accept_flat_and_nested_bodies(api):
    flat = api("PUT", "/v2.1/messages/sms_callback", json={"callback_url": "https://a.example/sms"})
    nested = api(
        "PUT",
        "/v2.1/messages/dlr_callback",
        json={"data": {"attributes": {"callback_url": "https://a.example/dlr"}}},
    )
    assert flat.status_code == nested.status_code == 204
    looked_up = api.get("/v2.1/messages/sms_callback").json()["data"]["attributes"]
    assert looked_up["callback_url"] == "https://a.example/sms"
    bad = api("PUT", "/v2.1/messages/mms_callback", json={"callback_url": "ftp://x"})
    assert bad.status_code == 422


def test_inbound_sms_is_posted_to_the_number_callback_before_the_account_one(
    api, sandbox, receiver
):
    mine = api.my_numbers()
    api("PUT", "/v2.1/messages/sms_callback", json={"callback_url": receiver.url + "/account"})
    api(
        "POST",
        f"/v2/numbers/{mine[0]}/relationships/sms_callback",
        json={"data": {"attributes": {"callback_url": receiver.url + "/number"}}},
    )
    first = sandbox.receive_sms(mine[0], MOBILE, "Hello from my phone")
    sandbox.receive_sms(mine[1], MOBILE, "To the other line")
    deliveries = sandbox.wait_for_webhooks(2)
    assert [d.status for d in deliveries] == [200, 200]
    assert receiver.paths() == ["/number", "/account"]
    payload = receiver.json_at("/number")
    assert payload["data"]["id"] == first
    attributes = payload["data"]["attributes"]
    assert attributes["direction"] == "inbound" and attributes["to"] == mine[0]
    assert attributes["message_callback_url"] == receiver.url + "/number"
    assert receiver.hits[0]["headers"]["Content-Type"] == "application/json"
    assert api.get(f"/v2.1/messages/{first}").json()["data"]["attributes"]["from"] == MOBILE


def test_inbound_mms_carries_media_in_included(api, sandbox, receiver):
    api("PUT", "/v2.1/messages/mms_callback", json={"callback_url": receiver.url + "/mms"})
    media = [{"url": "https://media.example/a.png", "mime_type": "image/png", "file_size": 14832}]
    sandbox.receive_mms(api.my_numbers()[0], MOBILE, media=media)
    (delivery,) = sandbox.wait_for_webhooks(1)
    payload = delivery.json
    assert payload["data"]["attributes"]["is_mms"] is True
    assert payload["data"]["attributes"]["body"] is None
    (item,) = payload["included"]
    assert item["attributes"]["file_size"] == 14832
    assert payload["data"]["relationships"]["media"]["data"][0]["id"] == item["id"]
    assert receiver.json_at("/mms") == payload


def test_delivery_receipts_go_to_the_per_message_url_first(api, sandbox, receiver):
    sender = api.my_numbers()[0]
    api("PUT", "/v2.1/messages/dlr_callback", json={"callback_url": receiver.url + "/account"})
    api(
        "POST",
        f"/v2/numbers/{sender}/relationships/dlr_callback",
        json={"data": {"attributes": {"callback_url": receiver.url + "/number"}}},
    )
    own = send(api, to=MOBILE, **{"from": sender}, body="a", dlr_callback=receiver.url + "/msg")
    send(api, to=MOBILE, **{"from": sender}, body="b")
    sandbox.wait_for_webhooks(4)
    assert receiver.paths() == ["/msg", "/msg", "/number", "/number"]
    level1, level2 = (h["json"]["data"] for h in receiver.hits[:2])
    assert level1["id"] == own.json()["data"]["id"] and level1["type"] == "delivery_receipt"
    assert (level1["attributes"]["level"], level2["attributes"]["level"]) == (1, 2)
    assert level2["attributes"]["status_code"] == "1000"
    assert level2["attributes"]["body"] == "a"
    assert level2["links"]["related"].endswith(level2["id"])


def test_webhooks_to_non_loopback_hosts_are_recorded_as_skipped(api, sandbox, receiver):
    api("PUT", "/v2.1/messages/sms_callback", json={"callback_url": "https://hooks.example.com/x"})
    sandbox.receive_sms(api.my_numbers()[0], MOBILE, "hi")
    (delivery,) = sandbox.wait_for_webhooks(1)
    assert delivery.skipped and delivery.status is None and "loopback" in delivery.error
    receiver.status = 500
    api("PUT", "/v2.1/messages/sms_callback", json={"callback_url": receiver.url})
    sandbox.receive_sms(api.my_numbers()[0], MOBILE, "again")
    assert sandbox.wait_for_webhooks(2)[1].status == 500


def test_wait_for_webhooks_times_out_with_a_clear_error(sandbox):
    with pytest.raises(TimeoutError, match="0 webhook deliveries"):
        sandbox.wait_for_webhooks(1, timeout=0.05)


def test_waiting_for_webhooks_in_vain_names_the_receivers_without_their_tokens(
    api, sandbox, receiver
):
    url = receiver.url + "/sms?fr_token=secret-receiver-token"
    api("PUT", "/v2.1/messages/sms_callback", json={"callback_url": url})
    sandbox.receive_sms(api.my_numbers()[0], MOBILE, "Hello")
    sandbox.wait_for_webhooks(1)
    with pytest.raises(TimeoutError) as waited:
        sandbox.wait_for_webhooks(2, timeout=0.01)
    assert receiver.url + "/sms" in str(waited.value)
    assert "secret-receiver-token" not in str(waited.value)
