"""``flowroute numbers ...`` and ``flowroute routes ...`` against the sandbox."""

from __future__ import annotations

from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.cli.conftest import FlowrouteCLI


def ids(document: dict) -> list[str]:
    return [item["id"] for item in document["data"]]


def test_list_search_and_show_read_the_account_and_the_inventory(
    flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox
) -> None:
    owned = ids(flowroute_sandbox.client().numbers.list_account_phone_numbers())
    one, every, table, found, found_table, shown, shown_table = flowroute_cli.all(
        ["--json", "numbers", "list", "--limit", "1"],
        ["--json", "numbers", "list", "--all"],
        ["numbers", "list"],
        ["--json", "numbers", "search", "--starts-with", "1206", "--limit", "3"],
        ["numbers", "search", "--state", "WA", "--rate-center", "seattle", "--limit", "2"],
        ["--json", "numbers", "show", owned[0]],
        ["numbers", "show", owned[0]],
    )

    assert ids(one.json()) == owned[:1]
    assert ids(every.json()) == owned
    assert all(number in table.ok() for number in owned) and "Office 221" in table.stdout
    numbers = ids(found.json())
    assert len(numbers) == 3 and all(number.startswith("1206") for number in numbers)
    assert found_table.ok().count("seattle") == 2
    assert shown.json()["data"]["id"] == owned[0]
    assert "primary_route" in shown_table.ok() and "route 0" in shown_table.stdout
    pages = [r.query for r in flowroute_sandbox.requests if r.query.get("limit") == "200"]
    assert pages == [{"limit": "200", "offset": "0"}]  # --all walks pages of 200


def test_buy_name_route_and_release_a_number(
    flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox
) -> None:
    client = flowroute_sandbox.client()
    number = ids(client.numbers.search_for_purchasable_phone_numbers(starts_with=1206, limit=1))[0]

    bought = flowroute_cli("--json", "numbers", "buy", number)
    created, named = flowroute_cli.all(
        ["--json", "routes", "create", "--type", "host", "--value", "pbx.example.com:5060",
         "--alias", "office-pbx"],
        ["numbers", "alias", number, "Lab line"],
    )  # fmt: skip
    route = created.json()["data"]["id"]
    primary, failover, routes, table = flowroute_cli.all(
        ["routes", "set-primary", number, route],
        ["--json", "routes", "set-failover", number, "0"],
        ["--json", "routes", "list", "--all"],
        ["routes", "list"],
    )
    details = client.numbers.list_phone_number_details(number)["data"]
    released = flowroute_cli("numbers", "release", number)

    assert bought.json()["data"]["id"] == number
    assert named.ok() == f"{number} is now called 'Lab line'.\n"
    assert primary.ok() == f"Calls to {number} now go to route {route}.\n"
    assert failover.json() is None  # 204: no document
    assert route in ids(routes.json())
    assert "office-pbx" in table.ok() and "pbx.example.com:5060" in table.stdout
    assert details["attributes"]["alias"] == "Lab line"
    assert details["relationships"]["primary_route"]["data"]["id"] == route
    assert details["relationships"]["failover_route"]["data"]["id"] == "0"
    assert released.ok() == f"Released {number}.\n"
    assert number not in ids(client.numbers.list_account_phone_numbers())


def test_an_api_refusal_is_one_line_with_the_status_detail_and_what_to_do(
    flowroute_cli: FlowrouteCLI,
) -> None:
    run = flowroute_cli("numbers", "buy", "12065550000")

    line = run.error(1)
    assert line.startswith("error: 404 on POST /v2/numbers/12065550000: ")  # status, what failed
    assert line.endswith(". Check the number or id\n")  # what to do
