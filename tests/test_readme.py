"""The README stays true: its Python examples run, and its set-up commands are the ones CI runs.

Every ```` ```python ```` block runs in README order, in one shared namespace (a later block may
use what an earlier one defined), with ``__name__ == "readme"`` so that anything guarded by
``if __name__ == "__main__":`` (a server loop) does not start. ``FR_ACCESS_KEY``,
``FR_SECRET_KEY`` and ``FR_BASE_URI`` point at a fresh in-process sandbox whose CNAM records are
decided and CDR exports completed at the next request, and these names are defined before the
first block: ``access_key`` and ``secret_key`` (the sandbox's), ``number_id`` (a number on the
sandbox account) and ``mobile_number`` (a made-up mobile number). Blocks run in a temporary
directory, and what they print is ignored.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Iterator, NamedTuple, Optional

import pytest

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient
from flowroutenumbersandmessaging.sandbox import Sandbox

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

TEST_COMMAND = (
    'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest'
)
DEMO_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -e . "
    "&& .venv/bin/python number_route_message_demo.py"
)
MOBILE_NUMBER = "12065550777"


class Block(NamedTuple):
    line: int
    section: str
    source: str


def python_blocks() -> list[Block]:
    blocks = []
    section = "(top)"
    lines = README.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if index + 1 < len(lines) and re.fullmatch(r"-{3,}", lines[index + 1]) and line.strip():
            section = line.strip()
        if line.strip() == "```python":
            end = lines.index("```", index + 1)
            blocks.append(Block(index + 2, section, "\n".join(lines[index + 1 : end]) + "\n"))
            index = end
        index += 1
    return blocks


BLOCKS = python_blocks()


@pytest.fixture(scope="module")
def outcomes(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[int, Optional[BaseException]]]:
    """Run every block once, in order, and keep what each one raised (``None``: it ran)."""
    results: dict[int, Optional[BaseException]] = {}
    with contextlib.ExitStack() as stack:
        sandbox = stack.enter_context(Sandbox(cnam_approval_seconds=0, cdr_processing_seconds=0))
        monkeypatch = stack.enter_context(pytest.MonkeyPatch.context())
        monkeypatch.setenv("FR_ACCESS_KEY", sandbox.access_key)
        monkeypatch.setenv("FR_SECRET_KEY", sandbox.secret_key)
        monkeypatch.setenv("FR_BASE_URI", sandbox.base_uri)
        monkeypatch.chdir(tmp_path_factory.mktemp("readme"))
        first_number = sandbox.client().numbers.list_account_phone_numbers()["data"][0]["id"]
        namespace = {
            "__name__": "readme",
            "access_key": sandbox.access_key,
            "secret_key": sandbox.secret_key,
            "number_id": first_number,
            "mobile_number": MOBILE_NUMBER,
        }
        output = io.StringIO()
        for block in BLOCKS:
            code = compile(block.source, f"README.md:{block.line}", "exec")
            try:
                with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
                    exec(code, namespace)
            except Exception as error:
                results[block.line] = error
            else:
                results[block.line] = None
        yield results
        # The examples leave their clients open, as a short script may; close what is still
        # reachable, and let the collector take the rest before the sandbox stops.
        for value in namespace.values():
            if isinstance(value, FlowroutenumbersandmessagingClient):
                value.close()
        namespace.clear()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()


@pytest.mark.parametrize("block", BLOCKS, ids=[f"line{block.line}" for block in BLOCKS])
def test_python_example_runs(block: Block, outcomes: dict[int, Optional[BaseException]]) -> None:
    error = outcomes[block.line]
    if error is not None:
        pytest.fail(
            f"README.md line {block.line} ({block.section}) raised "
            f"{type(error).__name__}: {error}\n{block.source}"
        )


def test_the_quick_start_holds_both_set_up_commands() -> None:
    quick_start = README.split("\nQuick start\n", 1)[1].split("* * *", 1)[0]
    assert DEMO_COMMAND in quick_start
    assert TEST_COMMAND in quick_start


def test_ci_runs_the_readme_test_command() -> None:
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_controller_method_is_in_the_reference() -> None:
    with Sandbox() as sandbox:
        client = sandbox.client()
        for name in ("numbers", "routes", "messages", "e911s", "cnams", "cdrs", "porting"):
            controller = getattr(client, name)
            public = [m for m in dir(controller) if not m.startswith("_")]
            missing = [m for m in public if m not in README]
            assert not missing, f"{name}: {missing} not documented in README.md"


def test_pytest_without_the_test_extra_says_in_one_line_what_to_install() -> None:
    # Blocking the plugins makes pytest see what it sees when they are not installed: an
    # unknown "timeout" setting and an unknown --numprocesses option in pyproject.toml.
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:timeout", "-p", "no:xdist", "--collect-only"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    needs = "ERROR: the test suite needs pytest-timeout, pytest-xdist from the test extra"
    assert lines[0].startswith(needs)
    assert f"{sys.executable} -m pip install -e '.[test]'" in lines[0]
