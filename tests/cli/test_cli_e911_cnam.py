"""``flowroute e911 ...`` and ``flowroute cnam ...`` against the sandbox."""

from __future__ import annotations

from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.cli.conftest import FlowrouteCLI

ADDRESS = [
    "--label", "Lab", "--first-name", "Ana", "--last-name", "Ruiz", "--street-name", "3rd Ave",
    "--street-number", "1218", "--city", "Seattle", "--state", "WA", "--country", "US",
    "--zip", "98101",
]  # fmt: skip


def flag_set(flags: list[str], name: str, value: str) -> list[str]:
    changed = list(flags)
    changed[changed.index(name) + 1] = value
    return changed


def test_e911_address_life_cycle(flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox) -> None:
    number = flowroute_sandbox.client().numbers.list_account_phone_numbers()["data"][0]["id"]

    valid, invalid, created = flowroute_cli.all(
        ["e911", "validate", *ADDRESS],
        ["e911", "validate", *flag_set(ADDRESS, "--street-name", "Nowhere Rd")],
        ["--json", "e911", "create", *ADDRESS],
    )
    e911 = created.json()["data"]["id"]
    updated, associated = flowroute_cli.all(
        ["--json", "e911", "update", e911, "--last-name", "Wiley", "--address-type", "Suite",
         "--address-type-number", "400"],
        ["e911", "associate", e911, number],
    )  # fmt: skip
    shown, listed, table, refused = flowroute_cli.all(
        ["e911", "show", e911],
        ["--json", "e911", "list", "--all"],
        ["e911", "list"],
        ["e911", "delete", e911],
    )
    disconnected = flowroute_cli("e911", "disconnect", number)
    deleted = flowroute_cli("--json", "e911", "delete", e911)

    assert valid.ok() == "The address is valid.\n"
    assert "400 on POST /v2/e911s/validate: Could not geocode" in invalid.error(1)
    assert updated.json()["data"]["attributes"]["last_name"] == "Wiley"
    assert associated.ok() == f"{number} now uses E911 address {e911}.\n"
    assert "Wiley" in shown.ok() and "Suite" in shown.stdout
    assert e911 in [item["id"] for item in listed.json()["data"]]
    assert "1218" in table.ok() and "3rd Ave" in table.stdout
    assert refused.error(1).startswith(f"error: 403 on DELETE /v2/e911s/{e911}")
    assert disconnected.ok() == f"{number} has no E911 address now.\n"
    assert deleted.json() is None
    assert e911 not in [
        item["id"] for item in flowroute_sandbox.client().e911s.list_e911s()["data"]
    ]


def test_an_incomplete_address_is_refused_before_sending(
    flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox
) -> None:
    missing, nothing = flowroute_cli.all(
        ["e911", "create", "--label", "Lab"], ["e911", "update", "21845"]
    )

    assert "first_name" in missing.error(2) and missing.stderr.endswith(". Nothing was sent\n")
    assert nothing.error(2).endswith(". Nothing was sent\n")
    assert flowroute_sandbox.requests == []


def test_cnam_record_life_cycle(flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox) -> None:
    number = flowroute_sandbox.client().numbers.list_account_phone_numbers()["data"][0]["id"]

    created = flowroute_cli("--json", "cnam", "create", "ACME LABS")
    cnam = created.json()["data"]["id"]
    pending = flowroute_cli("--json", "cnam", "list", "--not-approved")
    flowroute_sandbox.approve_cnam(cnam)
    shown, approved, every, associated = flowroute_cli.all(
        ["cnam", "show", cnam],
        ["cnam", "list", "--approved", "--all"],
        ["--json", "cnam", "list"],
        ["--json", "cnam", "associate", cnam, number],
    )
    unassociated = flowroute_cli("cnam", "unassociate", number)
    removed = flowroute_cli("cnam", "remove", cnam)

    assert [item["id"] for item in pending.json()["data"]] == [cnam]
    assert "ACME LABS" in shown.ok()
    assert "ACME LABS" in approved.ok() and "ACME WIDGETS" in approved.stdout
    assert len(every.json()["data"]) == 2
    assert associated.json()["data"]["id"] in (cnam, int(cnam))
    assert unassociated.ok() == f"{number} shows no CNAM record now.\n"
    assert removed.ok() == f"Removed CNAM record {cnam}.\n"
    assert flowroute_sandbox.client().cnams.list_cnams(value="ACME LABS")["data"] == []


def test_a_bad_cnam_value_is_refused_before_sending(
    flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox
) -> None:
    run = flowroute_cli("cnam", "create", "1234567890")

    assert run.error(2).endswith(". Nothing was sent\n")
    assert flowroute_sandbox.requests == []
