"""The ``flowroute`` command run the way a user runs it: a process of its own, against a sandbox.

Most commands run as forks of a warmed-up interpreter (``warm.py`` says why and how); ``cold``
starts the installed console script itself.
"""

from __future__ import annotations

import itertools
import json
import os
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import pytest

from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.support.processes import ctrl_c_restored

# The console script pip installs beside the interpreter.
FLOWROUTE = str(Path(sys.executable).with_name("flowroute"))
WARM = Path(__file__).with_name("warm.py")
ACCESS_KEY = "cliAK-canary-2b7d"
SECRET_KEY = "cliSK-canary-9e4f1a"
TIMEOUT = 30.0


@dataclass
class Run:
    """How one command ended."""

    argv: list[str]
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        assert self.code == 0 and self.stderr == "", self
        return json.loads(self.stdout)

    def ok(self) -> str:
        assert self.code == 0 and self.stderr == "", self
        return self.stdout

    def error(self, code: int) -> str:
        """The one ``error:`` line of a command that failed with ``code``."""
        assert self.code == code, self
        assert self.stdout == "", self
        assert self.stderr.startswith("error: ") and self.stderr.count("\n") == 1, self
        return self.stderr


@dataclass
class Started:
    """A command still running: its pid, where its output goes, and how to wait for it."""

    argv: list[str]
    pid: int
    stdout: Path
    stderr: Path
    wait: Callable[[float], int]

    def first_line(self) -> str:
        """The first line of stdout, once written."""
        give_up = time.monotonic() + TIMEOUT
        while "\n" not in read(self.stdout) and time.monotonic() < give_up:
            time.sleep(0.01)
        return read(self.stdout).split("\n", 1)[0]


class Warm:
    """The helper process that forks a command per request."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WARM)],
            env=clean_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            preexec_fn=ctrl_c_restored(),
        )
        self.lock = threading.Lock()

    def ask(self, **request: Any) -> Any:
        assert self.process.stdin is not None and self.process.stdout is not None
        with self.lock:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            reply = self.process.stdout.readline()
        assert reply, "the warm helper died"
        return json.loads(reply)

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(TIMEOUT)
        self.process.stdout.close()


class FlowrouteCLI:
    """Runs ``flowroute`` with the sandbox's address and credentials in the environment."""

    def __init__(self, sandbox: Sandbox, warm: Warm, directory: Path) -> None:
        self.warm = warm
        self.directory = directory
        self.numbers = itertools.count()
        self.env = {
            **clean_env(),
            "FR_BASE_URI": sandbox.base_uri,
            "FR_ACCESS_KEY": ACCESS_KEY,
            "FR_SECRET_KEY": SECRET_KEY,
        }

    def start(
        self,
        *args: str,
        env: Optional[dict[str, Optional[str]]] = None,
        cold: Optional[list[str]] = None,
    ) -> Started:
        """Start ``flowroute ARGS``: forked warm, or ``cold`` (the program to run, e.g.
        ``[FLOWROUTE]``) as a new interpreter."""
        variables = {**self.env, **(env or {})}
        variables = {key: value for key, value in variables.items() if value is not None}
        number = next(self.numbers)
        out, err = self.directory / f"run{number}.out", self.directory / f"run{number}.err"
        argv = list(args)
        if cold is None:
            pid = self.warm.ask(argv=argv, env=variables, out=str(out), err=str(err))["pid"]
            return Started(
                argv, pid, out, err, lambda t: self.warm.ask(wait=pid, timeout=t)["code"]
            )
        with out.open("w") as stdout, err.open("w") as stderr:
            process = subprocess.Popen(
                [*cold, *argv],
                env=variables,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                preexec_fn=ctrl_c_restored(),
            )
        return Started(argv, process.pid, out, err, lambda t: _wait(process, t))

    def finish(self, started: Started) -> Run:
        code = started.wait(TIMEOUT)
        run = Run(started.argv, code, read(started.stdout), read(started.stderr))
        assert code != -9, f"still running after {TIMEOUT} s: {run}"
        # Whatever happened, the secret never shows and nothing ends in a traceback.
        assert SECRET_KEY not in run.stdout + run.stderr, run
        assert "Traceback" not in run.stderr, run
        return run

    def on_terminal(self, *args: str) -> Run:
        """``flowroute ARGS`` with stderr on a pseudo-terminal, as when a person watches it.

        The run's ``stderr`` is everything the terminal received, escape sequences included.
        """
        out = self.directory / f"run{next(self.numbers)}.out"
        env = {**self.env, "TERM": "xterm-256color"}
        with Terminal() as terminal:
            started = self.warm.ask(argv=list(args), env=env, out=str(out), err=terminal.path)
            code = self.warm.ask(wait=started["pid"], timeout=TIMEOUT)["code"]
        run = Run(list(args), code, read(out), terminal.received())
        assert code != -9 and SECRET_KEY not in run.stdout + run.stderr, run
        return run

    def __call__(self, *args: str, env: Optional[dict[str, Optional[str]]] = None) -> Run:
        return self.finish(self.start(*args, env=env))

    def cold(self, *args: str, env: Optional[dict[str, Optional[str]]] = None) -> Run:
        """``flowroute ARGS`` through the installed console script, from a cold start."""
        return self.finish(self.start(*args, env=env, cold=[FLOWROUTE]))

    def all(self, *commands: list[str]) -> list[Run]:
        """Run independent commands side by side; their runs in the same order."""
        return [self.finish(started) for started in [self.start(*argv) for argv in commands]]


class Terminal:
    """A pseudo-terminal whose output is read as it comes (a full one would block the writer)."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        self.path = os.ttyname(self.slave)
        self.chunks: list[bytes] = []
        self.stop = threading.Event()
        self.reader = threading.Thread(target=self._read)

    def _read(self) -> None:
        while not self.stop.is_set():
            if select.select([self.master], [], [], 0.05)[0]:
                self.chunks.append(os.read(self.master, 65536))

    def __enter__(self) -> Terminal:
        self.reader.start()
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.05)  # what the command wrote last
        self.stop.set()
        self.reader.join()
        os.close(self.master)
        os.close(self.slave)

    def received(self) -> str:
        return b"".join(self.chunks).decode("utf-8", "replace")


def read(path: Path) -> str:
    """What a command wrote to ``path`` (nothing yet if it has not opened it yet)."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def clean_env() -> dict[str, str]:
    """This environment without FR_* variables, and wide enough that tables never wrap."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("FR_")}
    env["COLUMNS"] = "200"
    return env


def _wait(process: subprocess.Popen[bytes], timeout: float) -> int:
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return -9


@pytest.fixture(scope="session")
def warm() -> Iterator[Warm]:
    helper = Warm()
    yield helper
    helper.close()


@pytest.fixture
def flowroute_sandbox_options() -> dict[str, Any]:
    return {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "cdr_processing_seconds": 0.2}


@pytest.fixture
def flowroute_cli(flowroute_sandbox: Sandbox, warm: Warm, tmp_path: Path) -> FlowrouteCLI:
    return FlowrouteCLI(flowroute_sandbox, warm, tmp_path)
