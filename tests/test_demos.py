"""The four demos, run as a user runs them: as scripts, in a clean environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from flowroutenumbersandmessaging.sandbox import Sandbox

REPO = Path(__file__).resolve().parent.parent
DEMO_TIMEOUT = 30

# Step headings each demo must print, in the seed README's order.
HEADINGS = {
    "number_route_message_demo": [
        "--List Available Area Codes",
        "--List Available Exchange Codes",
        "--Search for Purchasable Phone Numbers",
        "--Purchase a Phone Number",
        "--List Account Phone Numbers",
        "--List Phone Number Details",
        "--Create an Inbound Route",
        "--List Inbound Routes",
        "--Update Primary Voice Route",
        "--Update Failover Voice Route",
        "--Set the Delivery Receipt Callback",
        "--Send an SMS",
        "--Send an MMS",
        "--Look Up A Set Of Messages",
        "--Look Up A Message Detail Record",
        "--Check Portability",
    ],
    "e911_demo": [
        "--List E911 Records",
        "--Get Details for a specific E911 Record",
        "--Validate an Address",
        "--Validate an Address that does not exist",
        "--Create and Validate an Address",
        "--Update an E911 Address",
        "--Associate an E911 Record and a DID",
        "--List all DIDs associated with an E911 Record",
        "--Un-associate the address",
        "--Delete an E911 Address",
    ],
    "cnam_demo": [
        "--List CNAM Records",
        "--List Approved CNAM Records",
        "--List CNAM Detail",
        "--Create a CNAM Record",
        "--Wait for CNAM Record",
        "--Associate a CNAM Record to a DID",
        "--Unassociate a CNAM Record from a DID",
        "--Remove a CNAM Record from your account",
    ],
    "cdr_demo": [
        "--List Completed CDR Exports",
        "--Create a CDR Export",
        "--Get CDR Export Detail Status",
        "--Get CDR Export Data",
        "--Parse the CDR Export",
    ],
}

# Canary credentials for "real API" runs; they must never show up in a demo's output.
ACCESS_KEY = "demoAK-canary-7f3e9"
SECRET_KEY = "demoSK-canary-51c0ffee"


def demo_env(**extra: str) -> dict[str, str]:
    """The caller's environment without any FR_* variable, plus ``extra``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("FR_")}
    env.update(extra)
    return env


def start_demo(name: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, f"{name}.py"],
        cwd=REPO,
        env=demo_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        stdout, stderr = process.communicate(timeout=DEMO_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        pytest.fail(f"demo still running after {DEMO_TIMEOUT} s:\n{stdout}\n{stderr}")
    return process.returncode, stdout, stderr


def run_demo(name: str, **env: str) -> tuple[int, str, str]:
    return finish(start_demo(name, **env))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def sandbox_runs() -> Iterator[dict[str, subprocess.Popen[str]]]:
    """All four demos started at once on their own sandboxes; each test waits for its own."""
    processes = {name: start_demo(name) for name in HEADINGS}
    yield processes
    for process in processes.values():
        if process.poll() is None:
            process.kill()
            process.communicate()


@pytest.mark.parametrize("name", list(HEADINGS))
def test_demo_completes_on_the_sandbox_and_says_so_first(
    sandbox_runs: dict[str, subprocess.Popen[str]], name: str
) -> None:
    code, stdout, stderr = finish(sandbox_runs[name])

    assert code == 0, f"{name} failed:\n{stderr}\n{stdout}"
    assert stderr == ""
    first_line = stdout.splitlines()[0]
    assert first_line.startswith("No FR_ACCESS_KEY/FR_SECRET_KEY set: running on the local")
    assert "sandbox at http://127.0.0.1:" in first_line
    position = 0
    for heading in HEADINGS[name]:
        found = stdout.find(heading, position)
        assert found >= 0, f"{heading!r} missing or out of order in:\n{stdout}"
        position = found
    # On the sandbox every step runs; only a look-up of records a fresh account may not have
    # yet can be skipped.
    skips = {line for line in stdout.splitlines() if line.startswith("skipped:")}
    assert not skips, skips  # on the sandbox every step runs
    assert "Traceback" not in stdout
    assert "Authorization" not in stdout and "Basic " not in stdout
    assert "sandbox-access-key" not in stdout and "sandbox-secret-key" not in stdout


def test_number_route_message_demo_buys_and_sends_on_the_sandbox(
    sandbox_runs: dict[str, subprocess.Popen[str]],
) -> None:
    _, stdout, _ = finish(sandbox_runs["number_route_message_demo"])

    assert "'id': 'mdr2-" in stdout
    assert "--Delivery Receipts Posted to the Callback" in stdout


def test_e911_demo_shows_why_an_address_is_invalid(
    sandbox_runs: dict[str, subprocess.Popen[str]],
) -> None:
    _, stdout, _ = finish(sandbox_runs["e911_demo"])

    invalid_step = stdout.split("--Validate an Address that does not exist")[1]
    assert "400 on POST /v2/e911s/validate" in invalid_step.split("\n--")[0]


def test_cdr_demo_never_prints_the_download_url(
    sandbox_runs: dict[str, subprocess.Popen[str]],
) -> None:
    _, stdout, _ = finish(sandbox_runs["cdr_demo"])

    assert "<pre-signed URL, not shown>" in stdout
    assert "X-Amz-" not in stdout and "Signature" not in stdout
    assert "calls; the first" in stdout


def test_real_mode_without_opt_in_neither_buys_nor_sends() -> None:
    with Sandbox(access_key=ACCESS_KEY, secret_key=SECRET_KEY) as sandbox:
        code, stdout, stderr = run_demo(
            "number_route_message_demo",
            FR_ACCESS_KEY=ACCESS_KEY,
            FR_SECRET_KEY=SECRET_KEY,
            FR_BASE_URI=sandbox.base_uri,
        )
        requests = [(request.method, request.path) for request in sandbox.requests]

    assert code == 0, f"{stderr}\n{stdout}"
    assert stdout.splitlines()[0].startswith(f"Using the Flowroute API at {sandbox.base_uri}")
    assert "skipped: buying a phone number costs money" in stdout
    assert "skipped: sending a message costs money" in stdout
    assert requests, "the demo never reached the sandbox"
    posts = [path for method, path in requests if method == "POST"]
    assert not [path for path in posts if path.startswith("/v2/numbers/")]  # no purchase
    assert not [path for path in posts if path.startswith("/v2.1/messages")]  # no send
    # The existing number's live routing is left alone too.
    assert not [path for method, path in requests if "relationships" in path and method != "GET"]
    for output in (stdout, stderr):
        assert ACCESS_KEY not in output and SECRET_KEY not in output


def test_demo_fails_with_one_error_line_when_the_api_is_unreachable() -> None:
    code, stdout, stderr = run_demo(
        "e911_demo",
        FR_ACCESS_KEY=ACCESS_KEY,
        FR_SECRET_KEY=SECRET_KEY,
        FR_BASE_URI=f"http://127.0.0.1:{closed_port()}",
    )

    assert code == 1
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "GET /v2/e911s" in lines[0]
    assert "Traceback" not in stdout + stderr
    assert ACCESS_KEY not in stdout + stderr and SECRET_KEY not in stdout + stderr


def test_demo_refuses_half_set_credentials() -> None:
    code, stdout, stderr = run_demo("cdr_demo", FR_ACCESS_KEY=ACCESS_KEY)

    assert code == 1
    assert stderr.startswith("error: only one of FR_ACCESS_KEY and FR_SECRET_KEY is set")
    assert len(stderr.splitlines()) == 1
    assert ACCESS_KEY not in stdout + stderr
