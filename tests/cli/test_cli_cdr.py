"""``flowroute cdr ...``: create, wait, status, download, summary; and Ctrl-C mid-download."""

from __future__ import annotations

import csv
import importlib.util
import math
import os
import signal
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.cli.conftest import ACCESS_KEY, FLOWROUTE, SECRET_KEY, FlowrouteCLI

HIDDEN = "<pre-signed URL, not shown>"


def test_create_wait_download_and_a_summary_that_agrees_with_the_file(
    flowroute_cli: FlowrouteCLI, tmp_path: Path
) -> None:
    created = flowroute_cli(
        "--json", "cdr", "create", "--start", "2000-01-01", "--end", "2100-01-01"
    )
    export = created.json()["data"]["id"]
    waited = flowroute_cli("--json", "cdr", "wait", export, "--timeout", "20").json()
    file = tmp_path / "calls.csv"
    status, saved = flowroute_cli.all(
        ["cdr", "status", export], ["--json", "cdr", "download", export, str(file)]
    )
    by_day, by_number, by_direction, table = flowroute_cli.all(
        ["--json", "cdr", "summary", str(file)],
        ["--json", "cdr", "summary", str(file), "--by", "number"],
        ["cdr", "summary", str(file), "--by", "direction"],
        ["cdr", "summary", str(file)],
    )
    with file.open(newline="", encoding="utf-8") as text:
        rows = list(csv.DictReader(text))

    totals = waited["data"]["attributes"]
    assert totals["status"] == "completed" and totals["download_url"] == HIDDEN
    assert HIDDEN in status.ok() and "X-Amz" not in status.stdout
    assert saved.json() == {"filename": str(file), "bytes": file.stat().st_size}
    summary = by_day.json()
    seconds = sum(int(row["billed_duration"]) for row in rows)
    assert summary["calls"] == len(rows) == totals["num_calls"] > 0
    assert summary["billed_seconds"] == seconds
    assert summary["billed_minutes"] == round(seconds / 60, 2)
    assert math.ceil(seconds / 60) == totals["billed_minutes"]
    assert Decimal(summary["cost"]) == sum(Decimal(row["total_cost"]) for row in rows)
    assert abs(Decimal(summary["cost"]) - Decimal(totals["total_cost"])) < Decimal("0.000001")
    days = Counter(row["start_time"][:10] for row in rows)
    assert {group["day"]: group["calls"] for group in summary["groups"]} == days
    numbers = by_number.json()["groups"]
    assert sum(group["calls"] for group in numbers) == len(rows) and len(numbers) == 2
    assert sum(Decimal(group["cost"]) for group in numbers) == Decimal(summary["cost"])
    lines = by_direction.ok().splitlines()
    assert [line.split()[1] for line in lines if "bound" in line] == ["Inbound", "Outbound"]
    assert "│ total " in by_direction.stdout and f" {len(rows)} " in by_direction.stdout
    assert "█" in table.ok() and min(days) in table.stdout


def test_summary_png_needs_matplotlib(flowroute_cli: FlowrouteCLI, tmp_path: Path) -> None:
    file = tmp_path / "calls.csv"
    file.write_text("direction,start_time,destination,callerid,billed_duration,total_cost\n")
    chart = tmp_path / "chart.png"

    run = flowroute_cli("cdr", "summary", str(file), "--png", str(chart))

    if importlib.util.find_spec("matplotlib") is None:
        assert run.error(1) == (
            "error: --png needs matplotlib, which is not installed: pip install matplotlib\n"
        )
        assert not chart.exists()
    else:
        assert run.code == 0 and chart.read_bytes().startswith(b"\x89PNG")


def test_files_that_cannot_be_read_or_written_are_refused_before_sending(
    flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox, tmp_path: Path
) -> None:
    other = tmp_path / "other.csv"
    other.write_text("name,amount\nwidget,3\n")

    not_export, missing, nowhere = flowroute_cli.all(
        ["cdr", "summary", str(other)],
        ["cdr", "summary", str(tmp_path / "nowhere.csv")],
        ["cdr", "download", "51231", str(tmp_path / "no-such-folder" / "calls.csv")],
    )

    assert "is not a CDR export: no direction, start_time" in not_export.error(1)
    assert "does not exist" in missing.error(2)
    assert "no-such-folder" in nowhere.error(2) and "does not exist" in nowhere.stderr
    assert flowroute_sandbox.requests == []


# Exports that stay processing until told otherwise.
@pytest.mark.parametrize(
    "flowroute_sandbox_options",
    [{"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "cdr_processing_seconds": None}],
)
def test_wait_gives_up_after_its_timeout_and_reports_a_failed_export(
    flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox
) -> None:
    client = flowroute_sandbox.client()
    stuck, failed = (
        client.cdrs.create_cdr_export(
            {"start_call_start_time": "2000-01-01 00:00:00", "start_call_end_time": "2001-01-01"}
        )["data"]["id"]
        for _ in range(2)
    )
    flowroute_sandbox.fail_cdr_export(failed)

    slow, bad = flowroute_cli.all(
        ["cdr", "wait", stuck, "--timeout", "0.3"], ["cdr", "wait", failed]
    )

    assert slow.error(1).startswith(f"error: CDR export {stuck} is still processing after 0.3 s")
    assert (
        bad.error(1) == f"error: CDR export {failed} failed on Flowroute's side; create a new one\n"
    )
    waits = [r for r in flowroute_sandbox.requests if r.path == f"/v2/cdrs/exports/{stuck}"]
    assert len(waits) >= 2  # polled, not just asked once


def test_ctrl_c_during_a_download_exits_130_and_leaves_no_file(
    flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox, tmp_path: Path
) -> None:
    client = flowroute_sandbox.client()
    export = client.cdrs.create_cdr_export(
        {"start_call_start_time": "2000-01-01 00:00:00", "start_call_end_time": "2100-01-01"}
    )["data"]["id"]
    flowroute_sandbox.complete_cdr_export(export)
    flowroute_sandbox.faults.delay_next("GET", "/_sandbox/cdr-files/*", 20)
    downloads = tmp_path / "downloads"
    downloads.mkdir()

    started = flowroute_cli.start(
        "cdr", "download", export, str(downloads / "calls.csv"), cold=[FLOWROUTE]
    )
    give_up = time.monotonic() + 20
    while not flowroute_sandbox.download_requests and time.monotonic() < give_up:
        time.sleep(0.01)  # the file's request has arrived and hangs: the download is under way
    assert list(downloads.iterdir()), "the temporary file should exist mid-download"
    os.kill(started.pid, signal.SIGINT)
    run = flowroute_cli.finish(started)

    assert run.error(130) == "error: interrupted\n"
    assert list(downloads.iterdir()) == []


def test_a_person_watching_sees_progress_for_wait_and_download(
    flowroute_cli: FlowrouteCLI, flowroute_sandbox: Sandbox, tmp_path: Path
) -> None:
    export = flowroute_sandbox.client().cdrs.create_cdr_export(
        {"start_call_start_time": "2000-01-01 00:00:00", "start_call_end_time": "2100-01-01"}
    )["data"]["id"]
    waited = flowroute_cli.on_terminal("cdr", "wait", export)
    file = tmp_path / "calls.csv"
    downloaded = flowroute_cli.on_terminal("cdr", "download", export, str(file))

    assert waited.code == 0 and f"CDR export {export} completed" in waited.stdout
    assert f"Waiting for CDR export {export}" in waited.stderr  # a spinner line, then cleared
    assert downloaded.code == 0 and downloaded.stdout.startswith(f"Saved {file}")
    assert f"Downloading CDR export {export}" in downloaded.stderr and "bytes" in downloaded.stderr
