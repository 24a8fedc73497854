"""Starting and stopping, the command line, and the pytest plugin."""

from __future__ import annotations

import importlib.metadata
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import requests

from flowroutenumbersandmessaging.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


def test_start_and_stop_are_fast_and_leave_no_threads():
    before = set(threading.enumerate())
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        sandbox = Sandbox()
        up = time.perf_counter()
        sandbox.close()
        timings.append((up - started, time.perf_counter() - up))
    assert statistics.median(t for t, _ in timings) < 0.05
    assert statistics.median(t for _, t in timings) < 0.05
    assert set(threading.enumerate()) == before


def test_close_ends_keep_alive_connections_and_frees_the_port():
    before = set(threading.enumerate())
    sandbox = Sandbox()
    session = requests.Session()
    session.auth = ("k", "s")
    assert session.get(sandbox.base_uri + "/v2/numbers", timeout=5).status_code == 200
    assert session.get(sandbox.base_uri + "/v2/routes", timeout=5).status_code == 200
    started = time.perf_counter()
    sandbox.close()
    assert time.perf_counter() - started < 0.5
    assert set(threading.enumerate()) == before
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
            requests.get(sandbox.base_uri + "/v2/routes", auth=("k", "s"), timeout=10)
        except requests.ConnectionError as error:
            outcome.append(error)

    caller = threading.Thread(target=call)
    caller.start()
    while not sandbox.requests:
        time.sleep(0.005)
    started = time.perf_counter()
    sandbox.close()
    caller.join(5)
    assert time.perf_counter() - started < 1 and outcome


def _cli(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "flowroutenumbersandmessaging.sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def test_cli_prints_one_start_up_line_serves_and_exits_cleanly_on_ctrl_c():
    process = _cli("--port", "0", "--access-key", "AK", "--secret-key", "SK")
    try:
        line = process.stdout.readline()
        base = re.search(r"listening on (http://127\.0\.0\.1:\d+) ", line).group(1)
        assert f"FR_BASE_URI={base}" in line and "Ctrl-C" in line and "SK" not in line
        assert requests.get(base + "/v2/numbers", auth=("AK", "SK"), timeout=5).status_code == 200
        assert requests.get(base + "/v2/numbers", auth=("AK", "no"), timeout=5).status_code == 401
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == 0
    assert out == "" and "Traceback" not in err


def test_cli_reports_a_busy_port_in_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        process = _cli("--port", str(busy.getsockname()[1]))
        _, err = process.communicate(timeout=10)
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == 1
    assert "cannot start the sandbox" in err and "Traceback" not in err


def test_plugin_fixtures_give_a_fresh_sandbox_and_a_client(flowroute_sandbox, flowroute_client):
    assert flowroute_client.base_uri == flowroute_sandbox.base_uri
    numbers = flowroute_client.numbers.list_account_phone_numbers()
    assert len(numbers["data"]) == 2
    assert [r.path for r in flowroute_sandbox.requests] == ["/v2/numbers"]


def test_plugin_loads_in_a_users_suite_and_options_can_be_overridden(tmp_path):
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            import pytest

            @pytest.fixture
            def flowroute_sandbox_options():
                return {"access_key": "mine", "secret_key": "also-mine", "seed": 3}

            def test_uses_the_sandbox(flowroute_sandbox, flowroute_client):
                assert flowroute_sandbox.access_key == "mine"
                assert flowroute_client.routes is not None
                assert len(flowroute_client.numbers.list_account_phone_numbers()["data"]) == 2
            """
        )
    )
    installed = any(
        ep.value == "flowroutenumbersandmessaging.sandbox.pytest_plugin"
        for ep in importlib.metadata.entry_points(group="pytest11")
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
    assert "1 passed" in result.stdout
