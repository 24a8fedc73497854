"""The four demos, run as a user runs them: as scripts, in a clean environment.

Each demo runs on the sandbox it starts itself and on a sandbox started on a port in another
process (``FR_BASE_URI`` on loopback), which must behave the same. A run starts when a test
first needs it, and its output serves every test that reads it.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator, Optional

import pytest

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient
from flowroutenumbersandmessaging.sandbox import Sandbox

REPO = Path(__file__).resolve().parent.parent
DEMO_TIMEOUT = 30

# Step headings each demo must print, in the order of Flowroute's original README.
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
        "--Set the Account's SMS Callback",
        "--Send an SMS",
        "--Send an MMS",
        "--Look Up A Set Of Messages",
        "--Look Up A Message Detail Record",
        "--Receive an SMS",
        "--Messages and Delivery Receipts Posted to the Receiver",
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
MODES = ("built-in sandbox", "sandbox on a port")
FIRST_LINES = {
    "built-in sandbox": "No FR_ACCESS_KEY/FR_SECRET_KEY set: running on the local Flowroute "
    "sandbox at http://127.0.0.1:",
    "sandbox on a port": "Using the Flowroute sandbox at http://127.0.0.1:",
}

# The one step a sandbox on a port cannot run: nothing but the built-in sandbox's controls make
# a message arrive.
PORT_SKIPS = {
    "number_route_message_demo": [
        "skipped: a sandbox on a port has no way to make a message arrive; the sandbox the demo "
        "starts itself (without FR_BASE_URI) does"
    ],
}
INBOUND_TEXT = "Hi! This is a reply from a phone."

# Canary credentials; they must never show up in a demo's output.
ACCESS_KEY = "demoAK-canary-7f3e9"
SECRET_KEY = "demoSK-canary-51c0ffee"

Run = tuple[int, str, str]


def demo_env(**extra: str) -> dict[str, str]:
    """The caller's environment without any FR_* variable, plus ``extra``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("FR_")}
    env.update(extra)
    return env


def start_demo(name: str, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, f"{name}.py", *args],
        cwd=REPO,
        env=demo_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> Run:
    try:
        stdout, stderr = process.communicate(timeout=DEMO_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        pytest.fail(f"demo still running after {DEMO_TIMEOUT} s:\n{stdout}\n{stderr}")
    return process.returncode, stdout, stderr


def run_demo(name: str, *args: str, **env: str) -> Run:
    return finish(start_demo(name, *args, **env))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def no_internet() -> dict[str, str]:
    """A demo on the real API goes through a proxy on a closed port of this machine: nowhere."""
    proxy = f"http://127.0.0.1:{closed_port()}"
    return {"HTTPS_PROXY": proxy, "https_proxy": proxy, "NO_PROXY": "", "no_proxy": ""}


def read_until(process: subprocess.Popen[str], text: str) -> str:
    """What the (unbuffered) demo printed up to the line holding ``text``."""
    assert process.stdout is not None
    seen = ""
    while text not in seen:
        line = process.stdout.readline()
        assert line, f"the demo ended before printing {text!r}:\n{seen}"
        seen += line
    return seen


def start_port_sandbox() -> tuple[subprocess.Popen[str], str]:
    """A sandbox on a free port in its own process, deciding CNAM and CDR work after 1 s."""
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "flowroutenumbersandmessaging.sandbox", "--port", "0"),
            *("--cnam-approval-seconds", "1", "--cdr-processing-seconds", "1"),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    found = re.search(r"http://127\.0\.0\.1:\d+", process.stdout.readline())
    if not found:
        process.kill()
        process.communicate()
        pytest.fail("the sandbox did not say where it listens")
    return process, found.group(0)


# On the port every demo runs, two with credentials of their own and two with none; on the
# built-in sandbox the Quick start's demo and one that waits for the sandbox's life cycles.
RUNS = [("sandbox on a port", name) for name in HEADINGS] + [
    ("built-in sandbox", "number_route_message_demo"),
    ("built-in sandbox", "cdr_demo"),
]
REAL_API = ("real API", "e911_demo")


class DemoRuns:
    """The slow demo runs of this file, each run once by the first test that needs it.

    Several tests read one run's output. A run starts only in a test process that has a test
    needing it, so that test processes working in parallel do not all run every demo.
    """

    def __init__(self) -> None:
        self.finished: dict[tuple[str, str], Run] = {}
        self.port_sandbox: Optional[subprocess.Popen[str]] = None
        self.port_url = ""

    def __getitem__(self, run: tuple[str, str]) -> Run:
        if run not in self.finished:
            self.finished[run] = finish(self.start(*run))
        return self.finished[run]

    def start(self, mode: str, name: str) -> subprocess.Popen[str]:
        keys = {"FR_ACCESS_KEY": ACCESS_KEY, "FR_SECRET_KEY": SECRET_KEY}
        if mode == "built-in sandbox":
            return start_demo(name)
        if mode == "real API":
            return start_demo(name, **keys, **no_internet())
        if self.port_sandbox is None:
            self.port_sandbox, self.port_url = start_port_sandbox()
        with_keys = RUNS.index((mode, name)) % 2
        return start_demo(name, FR_BASE_URI=self.port_url, **(keys if with_keys else {}))

    def close(self) -> None:
        if self.port_sandbox is not None:
            self.port_sandbox.terminate()
            self.port_sandbox.communicate(timeout=10)


@pytest.fixture(scope="module")
def runs() -> Iterator[DemoRuns]:
    demo_runs = DemoRuns()
    yield demo_runs
    demo_runs.close()


@pytest.mark.parametrize(("mode", "name"), RUNS)
def test_demo_runs_every_step_on_a_sandbox_and_says_so_first(
    runs: DemoRuns, mode: str, name: str
) -> None:
    code, stdout, stderr = runs[mode, name]

    assert code == 0, f"{name} failed:\n{stderr}\n{stdout}"
    assert stderr == ""
    assert stdout.splitlines()[0].startswith(FIRST_LINES[mode])
    position = 0
    for heading in HEADINGS[name]:
        found = stdout.find(heading, position)
        assert found >= 0, f"{heading!r} missing or out of order in:\n{stdout}"
        position = found
    skips = [line for line in stdout.splitlines() if line.startswith("skipped:")]
    # On a sandbox every step runs, purchases and sends included.
    assert skips == (PORT_SKIPS.get(name, []) if mode == "sandbox on a port" else [])
    assert "Traceback" not in stdout
    assert "Authorization" not in stdout and "Basic " not in stdout
    assert "fr_token" not in stdout  # the receiver's token stays secret
    for secret in ("sandbox-access-key", "sandbox-secret-key", ACCESS_KEY, SECRET_KEY):
        assert secret not in stdout


@pytest.mark.parametrize("mode", MODES)
def test_number_route_message_demo_buys_and_sends_on_a_sandbox(runs: DemoRuns, mode: str) -> None:
    _, stdout, _ = runs[mode, "number_route_message_demo"]

    purchase = stdout.split("--Purchase a Phone Number")[1].split("\n--")[0]
    assert "'type': 'number'" in purchase
    assert "'id': 'mdr2-" in stdout.split("--Send an SMS")[1]


@pytest.mark.parametrize("mode", MODES)
def test_number_route_message_demo_prints_the_callbacks_its_receiver_gets(
    runs: DemoRuns, mode: str
) -> None:
    _, stdout, _ = runs[mode, "number_route_message_demo"]

    sent = re.search(r"'id': '(mdr2-[0-9a-f]{32})'", stdout.split("--Send an SMS")[1])
    assert sent, stdout
    received = stdout.split("--Messages and Delivery Receipts Posted to the Receiver")[1]
    received = received.split("\n--")[0]
    for level, status in ((1, "smsc submit"), (2, "delivered")):
        assert f"delivery receipt level {level} for {sent.group(1)}: {status}" in received
    inbound = "inbound sms from 12065550777 to "
    if mode == "built-in sandbox":
        assert inbound in received and f"{INBOUND_TEXT!r}" in received
    else:
        assert inbound not in received


def test_e911_demo_shows_why_an_address_is_invalid(
    runs: DemoRuns,
) -> None:
    _, stdout, _ = runs["sandbox on a port", "e911_demo"]

    invalid_step = stdout.split("--Validate an Address that does not exist")[1]
    assert "400 on POST /v2/e911s/validate" in invalid_step.split("\n--")[0]


@pytest.mark.parametrize("mode", MODES)
def test_cdr_demo_never_prints_the_download_url(runs: DemoRuns, mode: str) -> None:
    _, stdout, _ = runs[mode, "cdr_demo"]

    assert "<pre-signed URL, not shown>" in stdout
    assert "X-Amz-" not in stdout and "Signature" not in stdout
    assert "calls; the first" in stdout


def test_help_prints_usage_and_the_environment_without_running() -> None:
    with Sandbox() as sandbox:
        helps = {
            name: start_demo(name, "--help", FR_BASE_URI=sandbox.base_uri) for name in HEADINGS
        }
        finished = {name: finish(process) for name, process in helps.items()}
        sent = sandbox.requests

    for name, (code, stdout, stderr) in finished.items():
        assert code == 0 and stderr == ""
        assert stdout.startswith(f"usage: {name}.py")
        for variable in ("FR_ACCESS_KEY", "FR_BASE_URI", "FR_DEMO_ALLOW_CHARGES"):
            assert variable in stdout
        assert "--List" not in stdout
    assert not sent


def test_ctrl_c_during_a_request_prints_one_line_and_exits_130() -> None:
    with Sandbox() as sandbox:
        sandbox.faults.delay_next("GET", "/v2/numbers/available/areacodes", 20)
        process = start_demo(
            "number_route_message_demo", FR_BASE_URI=sandbox.base_uri, PYTHONUNBUFFERED="1"
        )
        read_until(process, "--List Available Area Codes")
        deadline = time.monotonic() + 10
        while not sandbox.requests and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sandbox.requests, "the demo never asked for the area codes"
        process.send_signal(signal.SIGINT)
        code, stdout, stderr = finish(process)

    assert code == 130
    assert stderr == "error: interrupted\n"
    assert "Traceback" not in stdout


def test_ctrl_c_while_waiting_for_an_export_prints_one_line_and_exits_130() -> None:
    # This sandbox never completes exports, so the demo is still polling when Ctrl-C comes.
    with Sandbox() as sandbox:
        process = start_demo("cdr_demo", FR_BASE_URI=sandbox.base_uri, PYTHONUNBUFFERED="1")
        read_until(process, "(checking every")
        process.send_signal(signal.SIGINT)
        code, stdout, stderr = finish(process)

    assert code == 130
    assert stderr == "error: interrupted\n"
    assert "Traceback" not in stdout


@pytest.mark.parametrize(
    ("base_uri", "keys"),
    [
        ("localhost:8080", False),  # no scheme
        ("http://[::1:8080", False),  # broken IPv6 brackets
        ("http://api.flowroute.com", True),  # plain http to the real API
    ],
)
def test_a_bad_base_uri_is_named_before_anything_is_sent(base_uri: str, keys: bool) -> None:
    credentials = {"FR_ACCESS_KEY": ACCESS_KEY, "FR_SECRET_KEY": SECRET_KEY} if keys else {}
    code, stdout, stderr = run_demo("e911_demo", FR_BASE_URI=base_uri, **credentials)

    assert code == 1
    assert stdout == ""
    assert stderr.startswith(f"error: FR_BASE_URI={base_uri!r} ")
    assert len(stderr.splitlines()) == 1
    assert ACCESS_KEY not in stderr and SECRET_KEY not in stderr


@pytest.mark.parametrize("mobile_number", ["+12065550123", "2065550123"])
def test_a_bad_mobile_number_is_refused_before_any_paid_step(mobile_number: str) -> None:
    with Sandbox() as sandbox:
        code, stdout, stderr = run_demo(
            "number_route_message_demo",
            FR_BASE_URI=sandbox.base_uri,
            FR_DEMO_MOBILE_NUMBER=mobile_number,
        )
        sent = sandbox.requests

    assert code == 1
    assert stderr == (
        "error: FR_DEMO_MOBILE_NUMBER must be 11 digits starting with 1, without '+' "
        f"(like 12065550123), got {mobile_number!r}\n"
    )
    assert stdout == ""
    assert not sent  # nothing bought, no route changed, nothing sent


def test_real_api_mode_is_chosen_away_from_loopback_and_fails_in_one_line(
    runs: DemoRuns,
) -> None:
    code, stdout, stderr = runs[REAL_API]

    assert code == 1
    assert stdout.splitlines()[0].startswith("Using the Flowroute API at https://api.flowroute.com")
    assert "purchases and sends: off" in stdout.splitlines()[0]
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "GET /v2/e911s" in lines[0]
    assert "Traceback" not in stdout + stderr
    assert ACCESS_KEY not in stdout + stderr and SECRET_KEY not in stdout + stderr


def test_real_api_without_opt_in_neither_buys_nor_sends_nor_reroutes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import number_route_message_demo
    from demo_support import Demo

    with Sandbox() as sandbox:
        demo = Demo(sandbox.client(), on_sandbox=False, allow_charges=False, mobile_number=None)
        number_route_message_demo.main(demo)
        requests = [(request.method, request.path) for request in sandbox.requests]
    stdout = capsys.readouterr().out

    assert "skipped: buying a phone number costs money" in stdout
    assert "skipped: sending a message costs money" in stdout
    assert "skipped: Flowroute cannot reach this machine: set FR_DEMO_PUBLIC_URL" in stdout
    posts = [path for method, path in requests if method == "POST"]
    assert not [path for path in posts if path.startswith("/v2/numbers/")]  # no purchase
    assert not [path for path in posts if path.startswith("/v2.1/messages")]  # no send
    # The existing number's live routing and callbacks are left alone too, and the account's.
    assert not [path for method, path in requests if "relationships" in path and method != "GET"]
    assert not [path for method, path in requests if method == "PUT"]


def test_demo_refuses_half_set_credentials() -> None:
    code, stdout, stderr = run_demo("cdr_demo", FR_ACCESS_KEY=ACCESS_KEY)

    assert code == 1
    assert stderr.startswith("error: only one of FR_ACCESS_KEY and FR_SECRET_KEY is set")
    assert len(stderr.splitlines()) == 1
    assert ACCESS_KEY not in stdout + stderr


def test_real_api_with_a_public_url_receives_the_receipts_and_the_text_you_send(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import number_route_message_demo
    from demo_support import Demo, Inbox

    # The sandbox stands in for the real API, and a loopback URL for the public one.
    port = closed_port()
    public_url = f"http://127.0.0.1:{port}/from-the-internet?app=demo"
    with Sandbox() as sandbox:
        inbox = Inbox(port, public_url)
        demo = Demo(
            sandbox.client(),
            on_sandbox=False,
            allow_charges=True,
            mobile_number="12065550123",
            inbox=inbox,
        )
        run = threading.Thread(target=number_route_message_demo.main, args=(demo,))
        try:
            run.start()
            # Once the demo sends, its callbacks point at the receiver: "you" text the number.
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not any(
                request.path == "/v2.1/messages" for request in sandbox.requests
            ):
                time.sleep(0.01)
            (bought,) = [
                found.group(1)
                for request in sandbox.requests
                if request.method == "POST"
                and (found := re.fullmatch(r"/v2/numbers/(1[0-9]{10})", request.path))
            ]
            sandbox.receive_sms(bought, "12065550123", "texted by hand")
            run.join(timeout=DEMO_TIMEOUT)
        finally:
            inbox.close()
        callbacks = [delivery.url for delivery in sandbox.webhooks]
    stdout = capsys.readouterr().out

    assert not run.is_alive()
    assert "Text anything to " in stdout
    assert "inbound sms from 12065550123 to " in stdout and "'texted by hand'" in stdout
    assert "delivery receipt level 1 for mdr2-" in stdout
    assert "delivery receipt level 2 for mdr2-" in stdout
    assert "callback URL: http://127.0.0.1:" in stdout and "from-the-internet (with the" in stdout
    assert "fr_token" not in stdout and "app=demo" not in stdout
    # Every callback went to the public URL, with its own query kept and the token added.
    assert callbacks and all(url.startswith(public_url + "&fr_token=") for url in callbacks), (
        callbacks
    )


def test_a_bad_receiver_setting_is_named_before_anything_is_sent() -> None:
    bad = {"FR_DEMO_PUBLIC_URL": "hooks.example.com/flowroute", "FR_DEMO_RECEIVER_PORT": "80000"}
    keys = {"FR_ACCESS_KEY": ACCESS_KEY, "FR_SECRET_KEY": SECRET_KEY}
    processes = {
        variable: start_demo(
            "number_route_message_demo",
            **keys,
            **no_internet(),
            **{"FR_DEMO_PUBLIC_URL": "https://hooks.example.com/flowroute", variable: value},
        )
        for variable, value in bad.items()
    }
    finished = {variable: finish(process) for variable, process in processes.items()}

    for variable, (code, stdout, stderr) in finished.items():
        assert code == 1
        assert stdout == ""
        assert stderr.startswith(f"error: {variable} must be ")
        assert f"{bad[variable]!r}" in stderr and len(stderr.splitlines()) == 1


def test_a_callback_token_in_a_document_is_never_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from demo_support import Demo

    url = "https://hooks.example.com/sms?app=1&fr_token=" + "t0ken-" * 8
    with FlowroutenumbersandmessagingClient(ACCESS_KEY, SECRET_KEY) as client:
        demo = Demo(client, on_sandbox=False, allow_charges=False, mobile_number=None)
        demo.show({"data": [{"attributes": {"message_callback_url": url}}]})
    stdout = capsys.readouterr().out

    assert "t0ken" not in stdout
    assert "https://hooks.example.com/sms?app=1&fr_token=<secret>" in stdout
