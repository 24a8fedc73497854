"""Accounts per access key, and Flowroute's per-account send rate, tested with SDK clients."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from typing import Any

import pytest
import requests

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient
from flowroutenumbersandmessaging.exceptions import NotFoundError
from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.sandbox.conftest import error_of

MOBILE = "12065550777"
WINDOW = {"start_call_start_time": "2019-01-01 00:00:00", "start_call_end_time": "2100-01-01"}


def other_client(sandbox: Sandbox, key: str = "second-account", **options: Any):
    return FlowroutenumbersandmessagingClient(
        key, "any-secret", base_uri=sandbox.base_uri, **options
    )


def sms(sender: str, text: str = "hello") -> dict[str, Any]:
    return {"data": {"type": "message", "attributes": {"to": MOBILE, "from": sender, "body": text}}}


def mms(sender: str) -> dict[str, Any]:
    attributes = {"to": MOBILE, "from": sender, "media_urls": ["https://cdn.example.com/a.gif"]}
    return {"data": {"type": "message", "attributes": attributes}}


def route(value: str) -> dict[str, Any]:
    return {"data": {"type": "route", "attributes": {"route_type": "host", "value": value}}}


def ids(document: Any) -> list[str]:
    return [str(item.get("data", item)["id"]) for item in document["data"]]


def test_two_access_keys_are_two_accounts_that_see_only_their_own_records(sandbox):
    first = sandbox.client()
    with other_client(sandbox) as second:
        before = {
            "routes": ids(second.routes.list_inbound_routes()),
            "e911s": ids(second.e911s.list_e911s()),
            "cnams": ids(second.cnams.list_cnams()),
        }
        number = first.numbers.list_account_phone_numbers()["data"][0]["id"]
        route_id = first.routes.create_an_inbound_route(route("pbx.example.com"))["data"]["id"]
        cnam_id = first.cnams.create_cnam_record("FIRST ONLY")["data"]["id"]
        e911_id = first.e911s.create_address(
            label="A", first_name="Ana", last_name="Ruiz", street_name="3rd Ave",
            street_number="1218", city="Seattle", state="WA", country="US", zipcode="98101",
        )["data"]["id"]  # fmt: skip
        export_id = first.cdrs.create_cdr_export(WINDOW)["data"]["id"]
        message_id = first.messages.send_a_message(sms(number))["data"]["id"]
        first.messages.set_account_level_sms_callback("https://first.example/sms")
        first.numbers.set_did_alias(number, "First's line")

        assert ids(second.routes.list_inbound_routes()) == before["routes"]
        assert ids(second.e911s.list_e911s()) == before["e911s"]
        assert ids(second.cnams.list_cnams()) == before["cnams"]
        assert second.cdrs.list_cdr_exports()["data"] == []
        for look_up in (
            lambda: second.routes.update_primary_voice_route(
                number, {"data": {"type": "route", "id": route_id}}
            ),
            lambda: second.cnams.get_cnam(cnam_id),
            lambda: second.e911s.get_e911(e911_id),
            lambda: second.cdrs.get_cdr_export_status(export_id),
            lambda: second.messages.look_up_a_message_detail_record(message_id),
        ):
            with pytest.raises(NotFoundError):
                look_up()
        details = second.numbers.list_phone_number_details(number)["data"]["attributes"]
        assert details["alias"] == "Office 221"
        auth = ("second-account", "any-secret")
        callback = requests.get(f"{sandbox.base_uri}/v2.1/messages/sms_callback", auth=auth)
        assert callback.json()["data"]["attributes"]["callback_url"] is None


def test_every_account_opens_with_the_same_starting_contents(sandbox):
    first = sandbox.client()
    with other_client(sandbox, "third") as third:
        for list_of in (
            lambda c: c.numbers.list_account_phone_numbers(),
            lambda c: c.routes.list_inbound_routes(),
            lambda c: c.e911s.list_e911s(),
            lambda c: c.cnams.list_cnams(),
            lambda c: c.messages.look_up_a_set_of_messages("2000-01-01", limit=50),
        ):
            assert list_of(third)["data"] == list_of(first)["data"]


def test_the_inventory_is_shared_a_number_bought_by_one_is_gone_for_the_other(sandbox):
    first = sandbox.client()
    with other_client(sandbox) as second:
        number = "12062011682"
        assert first.numbers.purchase_a_phone_number(number)["data"]["id"] == number
        assert second.numbers.search_for_purchasable_phone_numbers(starts_with=number)["data"] == []
        with pytest.raises(NotFoundError, match="not available for purchase"):
            second.numbers.purchase_a_phone_number(number)
        first.numbers.release_a_did(number)
        assert second.numbers.purchase_a_phone_number(number)["data"]["id"] == number
        assert number in ids(second.numbers.list_account_phone_numbers())
        assert number not in ids(first.numbers.list_account_phone_numbers())


def test_controls_act_on_the_sandboxs_own_account_unless_given_an_access_key(sandbox):
    first = sandbox.client()
    with other_client(sandbox) as second:
        cnam_id = second.cnams.create_cnam_record("SECOND CO")["data"]["id"]
        with pytest.raises(KeyError):
            sandbox.approve_cnam(cnam_id)
        sandbox.approve_cnam(cnam_id, access_key="second-account")
        assert second.cnams.get_cnam(cnam_id)["data"]["attributes"]["is_approved"] is True

        export_id = second.cdrs.create_cdr_export(WINDOW)["data"]["id"]
        sandbox.complete_cdr_export(export_id, access_key="second-account")
        status = second.cdrs.get_cdr_export_status(export_id)["data"]["attributes"]["status"]
        assert status == "completed"

        number = second.numbers.list_account_phone_numbers()["data"][0]["id"]
        inbound = sandbox.receive_sms(number, MOBILE, "to the second", access_key="second-account")
        assert second.messages.look_up_a_message_detail_record(inbound)["data"]["id"] == inbound
        with pytest.raises(NotFoundError):
            first.messages.look_up_a_message_detail_record(inbound)


def test_with_explicit_credentials_there_is_one_account_and_only_that_pair_gets_in():
    with Sandbox(access_key="AK1", secret_key="SK1") as sandbox:
        other = requests.get(f"{sandbox.base_uri}/v2/numbers", auth=("AK2", "SK1"), timeout=5)
        assert other.status_code == 401
        with pytest.raises(ValueError, match="only its own access key"):
            sandbox.receive_sms("12012673227", MOBILE, "hi", access_key="AK2")
        sandbox.receive_sms("12012673227", MOBILE, "hi", access_key="AK1")


# -- the send rate -------------------------------------------------------------------------------


def send_raw(sandbox: Sandbox, key: str, body: dict[str, Any]) -> requests.Response:
    return requests.post(
        f"{sandbox.base_uri}/v2.1/messages", json=body, auth=(key, "secret"), timeout=5
    )


def test_without_a_send_rate_a_burst_of_sends_is_all_accepted(sandbox):
    statuses = {send_raw(sandbox, "k", sms("12012673227")).status_code for _ in range(12)}
    assert statuses == {202}


def test_past_the_send_rate_a_send_is_429_with_retry_after_per_account_and_kind():
    with Sandbox(send_rate_limits={"sms": 2, "mms": 1}) as sandbox:
        sender = "12012673227"
        first = [send_raw(sandbox, "a", sms(sender)).status_code for _ in range(2)]
        refused = send_raw(sandbox, "a", sms(sender))
        assert first == [202, 202] and refused.status_code == 429
        assert refused.headers["Retry-After"] == "1"
        assert "2 a second" in error_of(refused)["detail"]
        assert send_raw(sandbox, "a", mms(sender)).status_code == 202  # its own count
        assert send_raw(sandbox, "a", mms(sender)).status_code == 429
        assert send_raw(sandbox, "b", sms(sender)).status_code == 202  # another account's
        invalid = send_raw(sandbox, "a", {"to": MOBILE, "from": sender})
        assert invalid.status_code == 422  # a refused message is not a send


@pytest.mark.parametrize(
    "limits", [{"sms": 0}, {"fax": 1}, {"sms": 1.5}, {"mms": True}, [("sms", 5)]]
)
def test_send_rate_limits_must_be_whole_sends_per_second_of_sms_or_mms(limits):
    with pytest.raises(ValueError, match="send_rate_limits"):
        Sandbox(send_rate_limits=limits)


def test_a_client_without_its_own_limiter_gets_429s_that_it_retries():
    with Sandbox(send_rate_limits={"sms": 2}) as sandbox:
        client = sandbox.client(send_rate_limits=None)
        for n in range(3):
            client.messages.send_a_message(sms("12012673227", f"n{n}"))
        posts = [r for r in sandbox.requests if r.path == "/v2.1/messages"]
        assert len(posts) == 4  # the third send was refused once, then accepted
        today = client.messages.look_up_a_set_of_messages("2000-01-01", limit=3)
        assert [m["attributes"]["body"] for m in today["data"]] == ["n2", "n1", "n0"]


def test_the_sdks_own_limiter_never_trips_flowroutes_send_rate():
    with Sandbox(send_rate_limits={"sms": 5, "mms": 1}) as sandbox:
        client = sandbox.client(max_retries=0)  # a 429 would raise RateLimitError
        sender = "12012673227"
        client.numbers.list_account_phone_numbers()  # connections warm, as in a running app
        failures: list[BaseException] = []

        def send(body: dict[str, Any], times: int) -> None:
            try:
                for _ in range(times):
                    client.messages.send_a_message(body)
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=send, args=(sms(sender), 3)) for _ in range(2)]
        threads.append(threading.Thread(target=send, args=(mms(sender), 2)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert failures == []
        today = datetime.now(timezone.utc).date()
        assert len(client.messages.look_up_a_set_of_messages(today, limit=50)["data"]) == 8
