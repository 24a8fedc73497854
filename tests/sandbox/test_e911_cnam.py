"""E911 addresses and CNAM records: validation, life cycles and associations."""

from __future__ import annotations

import email.utils
import time

import pytest

from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.sandbox.conftest import EXACT_E911, Api, error_of

GEOCODE = "Could not geocode this address. Please check the validity of your address."


def create_e911(api, **changes):
    return api.jsonapi("POST", "/v2/e911s", "e911", **{**EXACT_E911, **changes})


def test_validate_answers_204_and_geocoding_failures_400(api):
    assert api.jsonapi("POST", "/v2/e911s/validate", "e911", **EXACT_E911).status_code == 204
    for changes in (
        {"street_name": "Nowhere Lane"},
        {"country": "CA"},  # Flowroute's v3 README example: a WA address filed under Canada
        {"zip": "9810"},
    ):
        response = api.jsonapi("POST", "/v2/e911s/validate", "e911", **{**EXACT_E911, **changes})
        assert response.status_code == 400, changes
        assert error_of(response)["detail"] == GEOCODE


def test_field_errors_are_422_with_a_detail_object(api):
    response = api.jsonapi(
        "POST", "/v2/e911s", "e911", **{**EXACT_E911, "zip": "98", "address_type": "Castle"}
    )
    assert response.status_code == 422
    attributes = error_of(response)["detail"]["data"]["attributes"]
    assert attributes["zip"] == ["ZIP code must be between 4 and 7 characters."]
    assert set(attributes) == {"zip", "address_type", "address_type_number"}
    missing = api.jsonapi("POST", "/v2/e911s", "e911", label="only a label")
    assert set(error_of(missing)["detail"]["data"]["attributes"]) >= {"city", "zip", "state"}


def test_create_get_and_partial_update(api):
    created = create_e911(api, address_type="Suite", address_type_number="400")
    assert created.status_code == 201
    record = created.json()["data"]
    assert record["attributes"]["address_type"] == "Suite"
    assert record["links"]["self"] == f"{api.base}/v2/e911s/{record['id']}"
    # The original SDK PATCHed without a Content-Type and sent both zip and zip_code.
    body = b'{"data": {"attributes": {"last_name": "Wiley", "zip": "98104", "zip_code": "98104"}}}'
    updated = api("PATCH", f"/v2/e911s/{record['id']}", data=body)
    assert updated.status_code == 200
    attributes = updated.json()["data"]["attributes"]
    assert attributes["last_name"] == "Wiley" and attributes["zip"] == "98104"
    assert "zip_code" not in attributes and attributes["first_name"] == "Ana"
    assert attributes["address_type_number"] == "400"
    cleared = api.jsonapi(
        "PATCH", f"/v2/e911s/{record['id']}", "e911", address_type=None, address_type_number=None
    )
    assert "address_type" not in cleared.json()["data"]["attributes"]
    assert api.get(f"/v2/e911s/{record['id']}").json()["data"]["attributes"]["last_name"] == "Wiley"
    assert api.get("/v2/e911s/424242").status_code == 404


def test_list_filters_by_state(api):
    create_e911(api)
    create_e911(api, label="Vancouver", city="Vancouver", state="BC", country="CA", zip="V6B 1A1")
    assert [r["attributes"]["state"] for r in api.get("/v2/e911s", state="bc").json()["data"]] == [
        "BC"
    ]
    # Two new records plus the one a fresh account holds.
    assert len(api.get("/v2/e911s").json()["data"]) == 3


def test_associate_lists_dids_and_blocks_delete_until_disconnected(api):
    e911_id = create_e911(api).json()["data"]["id"]
    number = api.my_numbers()[0]
    assert api("PATCH", f"/v2/numbers/{number}/relationships/e911s/{e911_id}").status_code == 204
    dids = api.get(f"/v2/e911s/{e911_id}/relationships/numbers").json()
    assert [d["attributes"]["value"] for d in dids["data"]] == [number]
    assert dids["links"]["self"].endswith("/relationships/numbers?limit=10&offset=0")
    details = api.get(f"/v2/numbers/{number}").json()
    assert details["data"]["relationships"]["e911_address"]["data"] == {
        "type": "e911",
        "id": e911_id,
    }
    assert ("e911", e911_id) in {(i["type"], i["id"]) for i in details["included"]}
    refused = api("DELETE", f"/v2/e911s/{e911_id}")
    assert refused.status_code == 403 and error_of(refused)["detail"]
    assert api("DELETE", f"/v2/numbers/{number}/relationships/e911s").status_code == 204
    assert api("DELETE", f"/v2/e911s/{e911_id}").status_code == 204


def test_e911_cannot_go_on_a_toll_free_number(api):
    e911_id = create_e911(api).json()["data"]["id"]
    toll_free = api.buy("1800")
    response = api("PATCH", f"/v2/numbers/{toll_free}/relationships/e911s/{e911_id}")
    assert response.status_code == 422
    assert "emergency services" in error_of(response)["detail"]


def test_cnam_create_accepts_form_flat_json_and_jsonapi(api):
    form = api("POST", "/v2/cnams", data={"value": "FR H5K8"})
    flat = api("POST", "/v2/cnams", json={"value": "ACME WIDGETS"})
    nested = api.jsonapi("POST", "/v2/cnams", "cnam", value="BROWN BAG")
    assert [r.status_code for r in (form, flat, nested)] == [201, 201, 201]
    record = form.json()["data"]
    assert record["attributes"]["value"] == "FR H5K8"
    assert record["attributes"]["is_approved"] is False
    assert record["attributes"]["rejection_reason"] is None
    assert record["attributes"]["creation_datetime"].endswith("+00:00")


@pytest.mark.parametrize("value", ["SIXTEEN CHARS XX", "12345", "BAD#CHAR", ""])
def test_cnam_value_rules_answer_422(api, value):
    response = api("POST", "/v2/cnams", json={"value": value})
    assert response.status_code == 422
    assert error_of(response)["detail"]["data"]["attributes"]["value"]


def test_cnam_is_associated_only_once_approved_on_both_path_spellings(api, sandbox):
    cnam_id = api("POST", "/v2/cnams", json={"value": "ACME WIDGETS"}).json()["data"]["id"]
    number = api.my_numbers()[0]
    pending = api("PATCH", f"/v2/numbers/{number}/relationships/cnam/{cnam_id}")
    assert pending.status_code == 422 and "not approved" in error_of(pending)["detail"]
    sandbox.approve_cnam(cnam_id)
    approved = api.get("/v2/cnams", is_approved="True").json()["data"]
    assert [r["id"] for r in approved] == ["22671", cnam_id]  # the fresh account's, and ours
    assert approved[0]["attributes"]["approval_datetime"]
    for spelling in ("cnam", "cnams"):
        response = api("PATCH", f"/v2/numbers/{number}/relationships/{spelling}/{cnam_id}")
        assert response.status_code == 202
        data = response.json()["data"]
        assert data["type"] == "cnam" and data["id"] == int(cnam_id)
        assert email.utils.parsedate_to_datetime(data["attributes"]["date_created"])
        assert data["attributes"]["date_created"].endswith(" GMT")
    details = api.get(f"/v2/numbers/{number}").json()
    assert details["data"]["relationships"]["cnam_preset"]["data"] == {
        "type": "cnam",
        "id": cnam_id,
    }
    removed = api("DELETE", f"/v2/numbers/{number}/relationships/cnams")
    assert removed.status_code == 202 and removed.json()["data"]["id"] is None
    assert api("DELETE", f"/v2/cnams/{cnam_id}").status_code == 204
    assert api.get(f"/v2/cnams/{cnam_id}").status_code == 404


def test_rejected_cnam_shows_its_reason_and_cannot_be_associated(api, sandbox):
    cnam_id = api("POST", "/v2/cnams", json={"value": "SEATTLE POLICE"}).json()["data"]["id"]
    sandbox.reject_cnam(cnam_id, "Misleading caller name.")
    record = api.get(f"/v2/cnams/{cnam_id}").json()["data"]["attributes"]
    assert record["is_approved"] is False
    assert record["rejection_reason"] == "Misleading caller name."
    number = api.my_numbers()[0]
    response = api("PATCH", f"/v2/numbers/{number}/relationships/cnams/{cnam_id}")
    assert response.status_code == 422 and "rejected" in error_of(response)["detail"]
    assert api.get("/v2/cnams", is_approved="false").json()["data"][0]["id"] == cnam_id
    with pytest.raises(KeyError):
        sandbox.approve_cnam("999999")


def test_auto_approval_applies_the_cnam_rules():
    with Sandbox(cnam_approval_seconds=0) as sandbox:
        api = Api(sandbox)
        good = api("POST", "/v2/cnams", json={"value": "ACME WIDGETS"}).json()["data"]["id"]
        bad = api("POST", "/v2/cnams", json={"value": "SEATTLE POLICE"}).json()["data"]["id"]
        time.sleep(0.01)
        good_record = api.get(f"/v2/cnams/{good}").json()["data"]["attributes"]
        bad_record = api.get(f"/v2/cnams/{bad}").json()["data"]["attributes"]
        api.session.close()
    assert good_record["is_approved"] is True
    assert bad_record["is_approved"] is False and "misleading" in bad_record["rejection_reason"]
