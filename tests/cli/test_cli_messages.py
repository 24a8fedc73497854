"""``flowroute messages ...`` against the sandbox."""

from __future__ import annotations

from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.cli.conftest import FlowrouteCLI

MOBILE = "12065550100"


def test_send_show_and_list_messages(
    flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox
) -> None:
    number = flowroute_sandbox.client().numbers.list_account_phone_numbers()["data"][0]["id"]

    sms, mms = flowroute_cli.all(
        ["--json", "messages", "send", "--from", number, "--to", MOBILE, "--body", "[b]hi[/b] ✓"],
        ["messages", "send", "--from", number, "--to", MOBILE, "--media", "https://example.com/a.png",
         "--media", "https://example.com/b.png"],
    )  # fmt: skip
    mdr = sms.json()["data"]["id"]
    shown, table, every, listed = flowroute_cli.all(
        ["--json", "messages", "show", mdr],
        ["messages", "show", mdr],
        ["--json", "messages", "list", "--start", "2000-01-01", "--all"],
        ["messages", "list", "--start", "2000-01-01", "--end", "2100-01-01", "--limit", "5"],
    )
    sent = [r.json["data"]["attributes"] for r in flowroute_sandbox.requests if r.method == "POST"]

    assert mms.ok().startswith("Sent MMS mdr2-") and f"from {number} to {MOBILE}" in mms.stdout
    expected = [
        {"to": MOBILE, "from": number, "body": "[b]hi[/b] ✓"},
        {"to": MOBILE, "from": number,
         "media_urls": ["https://example.com/a.png", "https://example.com/b.png"]},
    ]  # fmt: skip
    assert sorted(sent, key=str) == sorted(expected, key=str)  # sent side by side: any order
    assert shown.json()["data"]["attributes"]["body"] == "[b]hi[/b] ✓"
    assert "[b]hi[/b] ✓" in table.ok()  # API text is shown as it is, never as markup
    assert "delivery_receipts" in table.stdout
    assert mdr in [message["id"] for message in every.json()["data"]]
    assert mdr in listed.ok()


def test_set_the_account_callbacks(flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox) -> None:
    runs = flowroute_cli.all(
        *(["messages", "callbacks", "set", kind, f"https://example.com/{kind}"]
          for kind in ("sms", "mms", "dlr"))
    )  # fmt: skip
    puts = {r.path: r.json for r in flowroute_sandbox.requests if r.method == "PUT"}

    assert [run.ok() for run in runs] == [
        f"Flowroute now posts {kind.upper()} callbacks to https://example.com/{kind}.\n"
        for kind in ("sms", "mms", "dlr")
    ]
    assert puts == {
        f"/v2.1/messages/{kind}_callback": {"callback_url": f"https://example.com/{kind}"}
        for kind in ("sms", "mms", "dlr")
    }


def test_a_send_from_a_bad_number_sends_nothing(
    flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox
) -> None:
    run = flowroute_cli("messages", "send", "--from", "+1206", "--to", MOBILE, "--body", "hi")

    assert run.error(2)
    assert flowroute_sandbox.requests == []
