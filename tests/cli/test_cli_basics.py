"""Help, the module twin, segments, porting, the sandbox command, and how failures read."""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from pathlib import Path

import requests

from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.cli.conftest import ACCESS_KEY, FlowrouteCLI

GROUPS = {
    (): "cdr cnam e911 messages numbers porting routes sandbox segments",
    ("numbers",): "alias buy list release search show",
    ("routes",): "create list set-failover set-primary",
    ("messages",): "callbacks list send show",
    ("messages", "callbacks"): "set",
    ("e911",): "associate create delete disconnect list show update validate",
    ("cnam",): "associate create list remove show unassociate",
    ("cdr",): "create download status summary wait",
    ("porting",): "check",
}


def commands_listed(help_text: str) -> dict[str, str]:
    """The ``Commands:`` section of a help text: name -> its one line."""
    section = help_text.split("\nCommands:\n", 1)[1]
    return dict(re.findall(r"^  (\S+)\s+(.+)$", section, flags=re.M))


def test_help_at_every_level_lists_each_command_on_one_line(flowroute_cli: FlowrouteCLI) -> None:
    *runs, bare = flowroute_cli.all(*([*path, "--help"] for path in GROUPS), ["cdr"])
    top = runs[0]

    for path, run in zip(GROUPS, runs):
        assert run.ok().startswith(f"Usage: flowroute {' '.join(path)}".rstrip()), run
        listed = commands_listed(run.stdout)
        assert sorted(listed) == GROUPS[path].split(), run.stdout
        assert not [line for line in listed.values() if line.endswith("...")], run.stdout  # cut
    assert bare.ok() == runs[list(GROUPS).index(("cdr",))].stdout  # a group alone: its help
    for flag in ("--json", "--access-key", "--secret-key", "--base-uri"):
        assert flag in top.stdout
    for variable in ("FR_ACCESS_KEY", "FR_SECRET_KEY", "FR_BASE_URI"):
        assert variable in top.stdout


def test_python_dash_m_is_the_same_command_and_json_output_never_loads_rich(
    flowroute_cli: FlowrouteCLI,
) -> None:
    # -X importtime lists every module imported on stderr.
    twin = flowroute_cli.finish(
        flowroute_cli.start(
            "--json",
            "segments",
            "hi",
            cold=[sys.executable, "-X", "importtime", "-m", "flowroutenumbersandmessaging"],
        )
    )

    assert twin.code == 0
    assert json.loads(twin.stdout) == flowroute_cli("--json", "segments", "hi").json()
    imported = re.findall(r"^import time:.*\|\s+(\S+)$", twin.stderr, flags=re.M)
    assert "click" in imported and "flowroutenumbersandmessaging.cli._app" in imported
    assert not [name for name in imported if name.split(".")[0] == "rich"]


def test_segments_counts_like_the_sdk(flowroute_cli: FlowrouteCLI) -> None:
    ascii_long, emoji, table = flowroute_cli.all(
        ["--json", "segments", "x" * 161],
        ["--json", "segments", "héllo 👍"],
        ["segments", "hello"],
    )

    assert ascii_long.json() == {"encoding": 0, "segments": 2, "units": 161, "per_segment": 140}
    assert emoji.json() == {"encoding": 8, "segments": 1, "units": 8, "per_segment": 70}
    assert table.code == 0 and "0 (ASCII)" in table.stdout and "5 characters" in table.stdout


def test_porting_check_sorts_numbers(flowroute_cli: FlowrouteCLI) -> None:
    as_json, table = flowroute_cli.all(
        ["--json", "porting", "check", "12065550100", "+14255550111"],
        ["porting", "check", "12065550100"],
    )

    data = as_json.json()["data"]
    assert sorted(data["portable"] + data["nonportable"]) == ["+12065550100", "+14255550111"]
    assert table.code == 0 and "+12065550100" in table.stdout


def test_no_credentials_names_the_variables_and_flags(flowroute_cli: FlowrouteCLI) -> None:
    run = flowroute_cli("numbers", "list", env={"FR_ACCESS_KEY": None, "FR_SECRET_KEY": None})

    line = run.error(2)
    for name in ("FR_ACCESS_KEY", "FR_SECRET_KEY", "--access-key", "--secret-key"):
        assert name in line


def test_bad_credentials_from_flags_fail_with_401_and_never_echo_the_secret(
    flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox
) -> None:
    wrong_secret = "cliSK-wrong-canary-77aa"
    run = flowroute_cli(
        "--access-key", ACCESS_KEY, "--secret-key", wrong_secret, "numbers", "list",
        env={"FR_ACCESS_KEY": None, "FR_SECRET_KEY": None},
    )  # fmt: skip

    line = run.error(1)
    assert line.startswith("error: 401 on GET /v2/numbers")
    assert "FR_SECRET_KEY" in line  # what to do
    assert wrong_secret not in run.stderr + run.stdout
    assert [r.path for r in flowroute_sandbox.requests] == ["/v2/numbers"]


def test_bad_number_is_refused_before_anything_is_sent(
    flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox
) -> None:
    buy, show = flowroute_cli.all(["numbers", "buy", "1206555"], ["numbers", "show", "+1-206"])

    # The SDK words the rule; the command adds that nothing went out.
    assert "'1206555'" in buy.error(2) and buy.stderr.endswith(". Nothing was sent\n")
    assert show.error(2).endswith(". Nothing was sent\n")
    assert flowroute_sandbox.requests == []


def test_unknown_command_and_bad_flags_are_usage_errors(flowroute_cli: FlowrouteCLI) -> None:
    unknown, flag, choice, nothing, both = flowroute_cli.all(
        ["numbrs", "list"],
        ["numbers", "list", "--limit", "zero"],
        ["routes", "create", "--type", "fax", "--value", "x"],
        ["messages", "send", "--from", "12065550100", "--to", "12065550101"],
        ["e911", "list", "--all", "--limit", "5"],
    )

    assert "No such command 'numbrs'" in unknown.error(2)
    assert "flowroute --help" in unknown.stderr
    assert "--limit" in flag.error(2) and "flowroute numbers list --help" in flag.stderr
    assert "'fax'" in choice.error(2)
    assert "--body" in nothing.error(2) and "flowroute messages send --help" in nothing.stderr
    assert "--limit or --all" in both.error(2) and "flowroute e911 list --help" in both.stderr


def test_without_the_cli_extra_one_line_says_how_to_install_it(
    flowroute_cli: FlowrouteCLI, tmp_path: Path
) -> None:
    # A directory ahead on the path whose click cannot be imported: an install without the extra.
    (tmp_path / "click").mkdir()
    (tmp_path / "click" / "__init__.py").write_text(
        'raise ModuleNotFoundError("No module named \'click\'", name="click")\n'
    )
    run = flowroute_cli.cold("numbers", "list", env={"PYTHONPATH": str(tmp_path)})

    assert run.error(1) == (
        "error: the flowroute command needs the cli extra; install it with: "
        'pip install "flowroutenumbersandmessaging[cli]"\n'
    )


def test_sandbox_command_serves_with_its_own_flags_until_ctrl_c(
    flowroute_cli: FlowrouteCLI,
) -> None:
    started = flowroute_cli.start(
        "sandbox", "--port", "0", "--access-key", "k", "--secret-key", "s"
    )
    base = re.search(r"listening on (http://\S+)", started.first_line())
    assert base, started.first_line()
    answer = requests.get(f"{base[1]}/v2/numbers", auth=("k", "s"), timeout=5)
    os.kill(started.pid, signal.SIGINT)
    run = flowroute_cli.finish(started)

    assert answer.status_code == 200 and len(answer.json()["data"]) == 2
    assert run.code == 0, run


def test_sandbox_command_help_is_the_sandbox_s_own(flowroute_cli: FlowrouteCLI) -> None:
    run = flowroute_cli("sandbox", "--help")

    assert "--cdr-processing-seconds" in run.ok() and "--port" in run.stdout
