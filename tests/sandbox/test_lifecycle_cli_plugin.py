"""Starting and stopping, the command line, and the pytest plugin."""

from __future__ import annotations

import contextlib
import importlib.metadata
import inspect
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import pytest
import requests

from flowroutenumbersandmessaging.sandbox import Sandbox
from flowroutenumbersandmessaging.sandbox.__main__ import main
from tests.support.processes import ctrl_c_restored

ROOT = Path(__file__).resolve().parents[2]


def threads_started_since(before: set[threading.Thread]) -> set[threading.Thread]:
    """Threads alive now that were not alive at ``before``: only what the test itself started
    (a thread of an earlier test may end meanwhile, and that is not this test's doing)."""
    return set(threading.enumerate()) - before


def test_start_and_stop_leave_no_threads():
    before = set(threading.enumerate())
    for _ in range(3):
        Sandbox().close()
    assert threads_started_since(before) == set()


def test_close_ends_keep_alive_connections_and_frees_the_port():
    before = set(threading.enumerate())
    sandbox = Sandbox()
    session = requests.Session()
    session.auth = ("k", "s")
    assert session.get(sandbox.base_uri + "/v2/numbers", timeout=5).status_code == 200
    assert session.get(sandbox.base_uri + "/v2/routes", timeout=5).status_code == 200
    sandbox.close()
    assert threads_started_since(before) == set()
    with pytest.raises(requests.ConnectionError):
        requests.get(sandbox.base_uri + "/v2/numbers", auth=("k", "s"), timeout=1)
    session.close()
    sandbox.close()  # idempotent


def test_close_interrupts_a_delayed_request():
    sandbox = Sandbox()
    sandbox.faults.delay_next("GET", "/v2/routes", 30)
    outcome = []

    def call():
        try:
            requests.get(sandbox.base_uri + "/v2/routes", auth=("k", "s"), timeout=20)
        except requests.ConnectionError as error:
            outcome.append(error)

    caller = threading.Thread(target=call)
    caller.start()
    while not sandbox.requests:
        time.sleep(0.005)
    sandbox.close()
    caller.join(10)
    assert not caller.is_alive() and outcome


def _cli(*args: str, code: Optional[str] = None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = ["-c", code] if code else ["-m", "flowroutenumbersandmessaging.sandbox"]
    return subprocess.Popen(
        [sys.executable, *start, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
        preexec_fn=ctrl_c_restored(),
    )


@contextlib.contextmanager
def running_cli(
    *args: str, code: Optional[str] = None
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The CLI on a free port, and its base URI; killed (if still running) on the way out."""
    process = _cli("--port", "0", *args, code=code)
    try:
        line = process.stdout.readline()
        found = re.search(r"listening on (http://127\.0\.0\.1:\d+) ", line)
        assert found, line + process.stderr.read()
        yield process, found.group(1)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()


def stop(process: subprocess.Popen[str]) -> tuple[str, str]:
    process.send_signal(signal.SIGINT)
    return process.communicate(timeout=10)


def test_cli_prints_one_start_up_line_serves_and_exits_cleanly_on_ctrl_c():
    with running_cli("--access-key", "AK", "--secret-key", "SK") as (process, base):
        assert requests.get(base + "/v2/numbers", auth=("AK", "SK"), timeout=5).status_code == 200
        assert requests.get(base + "/v2/numbers", auth=("AK", "no"), timeout=5).status_code == 401
        out, err = stop(process)
    assert process.returncode == 0
    assert out == "" and "Traceback" not in err


def test_cli_reports_a_busy_port_in_one_line(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(SystemExit) as exited:
            main(["--port", str(busy.getsockname()[1])])
    assert exited.value.code == 1
    assert "cannot start the sandbox" in capsys.readouterr().err


def wait_for(predicate: Callable[[], bool], timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def new_cnam_and_export(base: str) -> tuple[requests.Session, str, str]:
    """A session on the CLI sandbox, and the URLs of a new CNAM record and a new CDR export."""
    session = requests.Session()
    session.auth = ("k", "s")
    cnam = session.post(base + "/v2/cnams", json={"value": "ACME WIDGETS"}, timeout=5)
    window = {
        "start_call_start_time": "2020-01-01 00:00:00",
        "start_call_end_time": "2030-01-01 00:00:00",
    }
    export = session.post(
        base + "/v2/cdrs/exports",
        json={"data": {"attributes": {"filter_parameters": window}}},
        timeout=5,
    )
    return (
        session,
        f"{base}/v2/cnams/{cnam.json()['data']['id']}",
        f"{base}/v2/cdrs/exports/{export.json()['data']['id']}",
    )


def attributes(session: requests.Session, url: str) -> dict[str, Any]:
    return dict(session.get(url, timeout=5).json()["data"]["attributes"])


def test_cli_decides_cnam_records_and_completes_cdr_exports_after_a_second_by_default():
    with running_cli() as (process, base):
        session, cnam_url, export_url = new_cnam_and_export(base)
        assert wait_for(lambda: attributes(session, cnam_url)["is_approved"] is True)
        assert wait_for(lambda: attributes(session, export_url)["status"] == "completed")
        session.close()
        stop(process)


def test_cli_keeps_records_pending_when_told_never():
    args = ("--cnam-approval-seconds", "never", "--cdr-processing-seconds", "0")
    with running_cli(*args) as (process, base):
        session, cnam_url, export_url = new_cnam_and_export(base)
        completed = wait_for(lambda: attributes(session, export_url)["status"] == "completed")
        # The export, made after the CNAM record, was completed on a later tick.
        record = attributes(session, cnam_url)
        session.close()
        stop(process)
    assert completed
    assert record["is_approved"] is False and record["rejection_reason"] is None


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--cnam-approval-seconds", "soon"),
        ("--cdr-processing-seconds", "-1"),
        ("--request-log-size", "-3"),
        ("--webhook-retry-delays", "1,x"),
        ("--send-rate-limits", "sms"),
        ("--send-rate-limits", "sms=fast"),
    ],
)
def test_cli_refuses_bad_flag_values_in_one_line(capsys, flag, value):
    with pytest.raises(SystemExit) as exited:
        main(["--port", "0", flag, value])
    out, err = capsys.readouterr()
    assert exited.value.code == 2 and out == ""
    assert f"argument {flag}" in err.splitlines()[-1]


def test_cli_logs_sandbox_errors_to_stderr_without_verbose():
    # Whatever the sandbox logs as an error (an unexpected exception behind a 500 is the case
    # that matters) reaches stderr, though the SDK puts a NullHandler on its package logger.
    code = textwrap.dedent(
        """
        import logging, sys, threading, time
        from flowroutenumbersandmessaging.sandbox.__main__ import main

        log = logging.getLogger("flowroutenumbersandmessaging.sandbox")

        def error_once_serving():
            while not logging.root.handlers:  # main() sets logging up once the sandbox is up
                time.sleep(0.01)
            log.error("sandbox error on GET /v2/x")

        threading.Thread(target=error_once_serving, daemon=True).start()
        sys.exit(main(sys.argv[1:]))
        """
    )
    with running_cli(code=code) as (process, _):
        line = process.stderr.readline()
        stop(process)
    assert "ERROR sandbox error on GET /v2/x" in line


@pytest.mark.skipif(
    "send_rate_limits" not in inspect.signature(Sandbox).parameters,
    reason="the sandbox's send rate arrives with the accounts work",
)
def test_cli_send_rate_limits_answer_429_past_the_rate():
    with running_cli("--send-rate-limits", "sms=1,mms=1") as (process, base):
        session = requests.Session()
        session.auth = ("k", "s")
        sender = session.get(base + "/v2/numbers", timeout=5).json()["data"][0]["id"]
        message = {"to": "12065550777", "from": sender, "body": "hi"}
        statuses = [
            session.post(base + "/v2.1/messages", json=message, timeout=5) for _ in range(2)
        ]
        session.close()
        stop(process)
    assert [r.status_code for r in statuses] == [202, 429]
    assert statuses[1].headers["Retry-After"]


def test_plugin_fixtures_give_a_fresh_sandbox_and_a_client(flowroute_sandbox, flowroute_client):
    assert flowroute_client.base_uri == flowroute_sandbox.base_uri
    numbers = flowroute_client.numbers.list_account_phone_numbers()
    assert len(numbers["data"]) == 2
    assert [r.path for r in flowroute_sandbox.requests] == ["/v2/numbers"]


def test_plugin_loads_lightly_in_a_users_suite_and_options_can_be_overridden(tmp_path):
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            import sys

            import pytest

            # Collected after the plugin loaded: nothing of the sandbox itself is loaded yet.
            PRIVATE = "flowroutenumbersandmessaging.sandbox._"
            LOADED = sorted(m for m in sys.modules if m.startswith(PRIVATE))

            @pytest.fixture
            def flowroute_sandbox_options():
                return {"access_key": "mine", "secret_key": "also-mine", "seed": 3}

            def test_the_plugin_loaded_nothing_of_the_sandbox_until_a_fixture_ran():
                assert LOADED == []

            def test_uses_the_sandbox(flowroute_sandbox, flowroute_client):
                assert flowroute_sandbox.access_key == "mine"
                assert flowroute_client.routes is not None
                assert len(flowroute_client.numbers.list_account_phone_numbers()["data"]) == 2
            """
        )
    )
    points = importlib.metadata.entry_points()
    # Python 3.9 has no select(): its entry_points() is a dict of groups.
    plugins = points.select(group="pytest11") if hasattr(points, "select") else points["pytest11"]
    installed = any(
        ep.value == "flowroutenumbersandmessaging.sandbox.pytest_plugin" for ep in plugins
    )
    plugin = [] if installed else ["-p", "flowroutenumbersandmessaging.sandbox.pytest_plugin"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *plugin, "test_user.py"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
