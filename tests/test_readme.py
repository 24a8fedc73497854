"""The README stays true: its Python compiles, and its test command is the one CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)

TEST_COMMAND = 'pip install -e ".[test]" && python -m pytest'
DEMO_COMMAND = "pip install -e . && python number_route_message_demo.py"


@pytest.mark.parametrize("number", range(len(BLOCKS)))
def test_every_python_example_compiles(number):
    compile(BLOCKS[number], f"README.md python block {number + 1}", "exec")


def test_the_quick_start_holds_both_set_up_commands():
    quick_start = README.split("\nQuick start\n", 1)[1].split("* * *", 1)[0]
    assert DEMO_COMMAND in quick_start
    assert TEST_COMMAND in quick_start


def test_ci_runs_the_readme_test_command():
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_controller_method_is_in_the_reference():
    from flowroutenumbersandmessaging.sandbox import Sandbox

    with Sandbox() as sandbox:
        client = sandbox.client()
        for name in ("numbers", "routes", "messages", "e911s", "cnams", "cdrs", "porting"):
            controller = getattr(client, name)
            public = [m for m in dir(controller) if not m.startswith("_")]
            missing = [m for m in public if m not in README]
            assert not missing, f"{name}: {missing} not documented in README.md"
