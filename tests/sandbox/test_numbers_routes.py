"""Numbers and routes on the sandbox: catalogue, purchase, release, details, routes."""

from __future__ import annotations

import re

from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.sandbox.conftest import error_of


def test_fresh_account_holds_two_aliased_numbers_and_two_routes(api):
    numbers = api.get("/v2/numbers").json()["data"]
    assert [n["attributes"]["alias"] for n in numbers] == ["Office 221", "Office 888"]
    assert all(re.fullmatch(r"1[0-9]{10}", n["id"]) for n in numbers)
    routes = api.get("/v2/routes").json()["data"]
    assert routes[0] == {
        "type": "route",
        "id": "0",
        "attributes": {"route_type": "sip-reg", "alias": "sip-reg", "value": None},
        "links": {"self": f"{api.base}/v2/routes/0"},
    }
    assert [r["attributes"]["route_type"] for r in routes] == ["sip-reg", "number"]


def test_catalogue_spans_many_area_codes_including_the_documented_ones(api):
    codes = [a["id"] for a in api.get("/v2/numbers/available/areacodes", limit=400).json()["data"]]
    assert len(codes) >= 30
    assert {"201", "203", "206", "347", "425", "208", "212", "646", "800"} <= set(codes)
    first = api.get("/v2/numbers/available/areacodes", limit=1).json()["data"][0]
    assert first["links"]["related"] == (
        f"{api.base}/v2/numbers/available/exchanges?areacode={first['id']}"
    )


def test_exchanges_filter_by_area_code_and_link_to_a_search(api):
    doc = api.get("/v2/numbers/available/exchanges", areacode=425, limit=2).json()
    assert [e["id"][:3] for e in doc["data"]] == ["425", "425"]
    exchange = doc["data"][0]
    assert exchange["links"]["related"] == (
        f"{api.base}/v2/numbers/available?starts_with=1{exchange['id']}"
    )
    assert doc["links"]["self"] == (
        f"{api.base}/v2/numbers/available/exchanges?areacode=425&limit=2&offset=0"
    )


def test_search_normalises_starts_with_and_applies_every_filter(api):
    doc = api.get("/v2/numbers/available", starts_with=206, limit=3).json()
    assert all(n["id"].startswith("1206") for n in doc["data"])
    assert "starts_with=1206" in doc["links"]["self"]
    item = doc["data"][0]
    assert set(item["attributes"]) == {
        "value",
        "rate_center",
        "state",
        "number_type",
        "monthly_cost",
        "setup_cost",
    }
    ending = item["id"][-2:]
    found = api.get("/v2/numbers/available", ends_with=ending, contains=item["id"][4:7]).json()
    assert item["id"] in [n["id"] for n in found["data"]]
    center = api.get("/v2/numbers/available", starts_with=1425).json()["data"][0]["attributes"]
    by_center = api.get(
        "/v2/numbers/available", rate_center=center["rate_center"].upper(), state="WA", limit=200
    )
    assert {n["attributes"]["rate_center"] for n in by_center.json()["data"]} == {
        center["rate_center"]
    }
    cheap = api.get("/v2/numbers/available/areacodes", max_setup_cost=0, limit=400).json()
    assert 0 < len(cheap["data"]) < 42


def test_rate_center_without_state_is_a_400(api):
    response = api.get("/v2/numbers/available", rate_center="seattle")
    assert response.status_code == 400
    assert "state" in error_of(response)["detail"]


def test_purchase_moves_the_number_from_inventory_into_the_account(api):
    candidate = api.get("/v2/numbers/available", starts_with=1425, limit=1).json()["data"][0]
    response = api("POST", f"/v2/numbers/{candidate['id']}")
    assert response.status_code == 201
    doc = response.json()
    assert doc["data"]["relationships"]["primary_route"] == {"data": {"type": "route", "id": "0"}}
    assert doc["data"]["relationships"]["failover_route"] == {"data": None}
    assert doc["included"][0]["attributes"]["route_type"] == "sip-reg"
    assert doc["links"]["self"] == f"{api.base}/v2/numbers/{candidate['id']}"
    assert candidate["id"] in api.my_numbers()
    again = api.get("/v2/numbers/available", starts_with=candidate["id"]).json()
    assert again["data"] == []
    assert api("POST", f"/v2/numbers/{candidate['id']}").status_code == 422


def test_purchase_of_a_number_not_in_inventory_is_404(api):
    response = api("POST", "/v2/numbers/19999999999")
    assert response.status_code == 404
    assert error_of(response)["detail"]


def test_release_returns_the_number_to_inventory(api):
    number = api.buy()
    assert api("DELETE", f"/v2/numbers/{number}").status_code == 204
    assert api.get(f"/v2/numbers/{number}").status_code == 404
    assert api.get("/v2/numbers/available", starts_with=number).json()["data"][0]["id"] == number
    missing = api("DELETE", f"/v2/numbers/{number}")
    assert error_of(missing)["detail"] == "Could not find that resource on your account."


def test_alias_patch_without_content_type_and_as_jsonapi(api):
    number = api.my_numbers()[0]
    flat = api("PATCH", f"/v2/numbers/{number}", data=b'{"type": "number", "alias": "Support"}')
    assert flat.status_code == 200
    assert flat.json()["data"]["attributes"]["alias"] == "Support"
    nested = api.jsonapi("PATCH", f"/v2/numbers/{number}", "number", cnam_lookups_enabled=False)
    assert nested.json()["data"]["attributes"]["cnam_lookups_enabled"] is False
    assert nested.json()["data"]["attributes"]["alias"] == "Support"
    bad = api("PATCH", f"/v2/numbers/{number}", json={"messaging_enabled": "maybe"})
    assert bad.status_code == 422


def test_catalogue_is_the_same_for_the_same_seed():
    def first_numbers(seed):
        with Sandbox(seed=seed) as sandbox, sandbox.client() as client:
            page = client.numbers.search_for_purchasable_phone_numbers(limit=5)
            mine = client.numbers.list_account_phone_numbers()
        return [n["id"] for n in page["data"]] + [n["id"] for n in mine["data"]]

    assert first_numbers(0) == first_numbers(0)
    assert first_numbers(0) != first_numbers(1)


def test_create_route_answers_201_with_the_real_apis_link_quirk(api):
    response = api.jsonapi(
        "POST", "/v2/routes", "route", route_type="host", value="pbx.example.com:5060", alias="pbx"
    )
    assert response.status_code == 201
    doc = response.json()
    route_id = doc["data"]["id"]
    assert doc["links"]["self"] == f"{api.base}/routes/{route_id}"
    assert doc["data"]["attributes"] == {
        "route_type": "host",
        "alias": "pbx",
        "value": "pbx.example.com:5060",
    }
    assert route_id in [r["id"] for r in api.get("/v2/routes", route_type="host").json()["data"]]


def test_route_values_are_validated_by_type(api):
    for route_type, value in (
        ("host", "bad host!"),
        ("number", "2065550100"),
        ("uri", "sip:nobody"),
        ("sip-reg", None),
    ):
        response = api.jsonapi("POST", "/v2/routes", "route", route_type=route_type, value=value)
        assert response.status_code == 422, (route_type, value)
    uri = api.jsonapi(
        "POST",
        "/v2/routes",
        "route",
        route_type="uri",
        value="sip:pbx@example.com:5061;transport=tls",
    )
    assert uri.status_code == 201
    edge = api.jsonapi(
        "POST", "/v2/routes", "route", route_type="number", value="12065550100", edge_strategy_id=99
    )
    assert edge.status_code == 422


def test_primary_and_failover_routes_show_in_number_details(api):
    number = api.my_numbers()[0]
    route = api.jsonapi("POST", "/v2/routes", "route", route_type="host", value="10.0.0.5")
    route_id = route.json()["data"]["id"]
    body = f'{{"data": {{"type": "route", "id": "{route_id}"}}}}'.encode()
    # The original SDK sent these PATCH bodies without a Content-Type.
    assert (
        api("PATCH", f"/v2/numbers/{number}/relationships/primary_route", data=body).status_code
        == 204
    )
    failover = {"data": {"type": "route", "id": 83834}}
    assert (
        api(
            "PATCH", f"/v2/numbers/{number}/relationships/failover_route", json=failover
        ).status_code
        == 204
    )
    doc = api.get(f"/v2/numbers/{number}").json()
    assert doc["data"]["relationships"]["primary_route"]["data"] == {
        "type": "route",
        "id": route_id,
    }
    assert doc["data"]["relationships"]["failover_route"]["data"] == {
        "type": "route",
        "id": "83834",
    }
    assert {(i["type"], i["id"]) for i in doc["included"]} == {
        ("route", route_id),
        ("route", "83834"),
    }
    unknown = {"data": {"type": "route", "id": "424242"}}
    assert (
        api("PATCH", f"/v2/numbers/{number}/relationships/primary_route", json=unknown).status_code
        == 404
    )


def test_route_in_use_cannot_be_deleted(api):
    number = api.my_numbers()[0]
    route_id = api.jsonapi(
        "POST", "/v2/routes", "route", route_type="host", value="10.0.0.6"
    ).json()["data"]["id"]
    api(
        "PATCH",
        f"/v2/numbers/{number}/relationships/primary_route",
        json={"data": {"id": route_id}},
    )
    refused = api("DELETE", f"/v2/routes/{route_id}")
    assert refused.status_code == 403
    assert error_of(refused)["detail"] == "Please disassociate all numbers before deleting."
    api("PATCH", f"/v2/numbers/{number}/relationships/primary_route", json={"data": {"id": "0"}})
    assert api("DELETE", f"/v2/routes/{route_id}").status_code == 204
    assert api("DELETE", "/v2/routes/0").status_code == 403


def test_edge_strategies_have_integer_ids(api):
    data = api.get("/v2/routes/edge_strategies").json()["data"]
    assert data and all(isinstance(s["id"], int) and s["type"] == "edge_strategy" for s in data)
    assert {"name", "naptr", "description", "firewall_rules"} <= set(data[0]["attributes"])


def test_sdk_numbers_controller_runs_on_the_sandbox(sandbox):
    with sandbox.client() as client:
        mine = client.numbers.list_account_phone_numbers(limit=1)
        bought = client.numbers.purchase_a_phone_number(
            client.numbers.search_for_purchasable_phone_numbers(starts_with=208)["data"][0]["id"]
        )
    assert len(mine["data"]) == 1 and "next" in mine["links"]
    assert bought["data"]["attributes"]["state"] == "id"
