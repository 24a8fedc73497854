"""Import cost: modules load when first used, and everything stays reachable and documented.

What an import loads is checked in a fresh interpreter (``sys.modules``); how long it takes is
measured by ``benchmarks/bench_import.py``, not here.
"""

from __future__ import annotations

import json
import pydoc
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import flowroutenumbersandmessaging
from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient, models
from flowroutenumbersandmessaging.controllers import CDRsController
from tests.support.canary import ACCESS_KEY, SECRET_KEY

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "flowroutenumbersandmessaging"
CONTROLLERS = ("numbers", "routes", "messages", "e911s", "cnams", "cdrs", "porting")
LOADED_ON_USE = (
    "dateutil",
    f"{PACKAGE}.models",
    f"{PACKAGE}._cdr",
    f"{PACKAGE}.sandbox",
    f"{PACKAGE}.controllers",
)


def modules_after(code: str) -> dict[str, list[str]]:
    """Run ``code`` in a fresh interpreter; it prints a JSON object of module lists."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout)


def loaded(names: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes))


def test_importing_the_client_loads_no_controller_model_cdr_or_sandbox_module(tmp_path):
    export = tmp_path / "calls.csv"
    export.write_text("direction,start_time\nOutbound,2019-06-25 18:18:54+00\n")
    code = f"""
import json, sys
from {PACKAGE}.{PACKAGE}_client import FlowroutenumbersandmessagingClient
after_import = list(sys.modules)
client = FlowroutenumbersandmessagingClient("key", "secret", base_uri="http://127.0.0.1:9")
cdrs = client.cdrs
after_controller = list(sys.modules)
rows = cdrs.parse_cdr_export({str(export)!r})
print(json.dumps({{"import": after_import, "controller": after_controller,
                   "parse": list(sys.modules)}}))
"""
    seen = modules_after(code)
    assert loaded(seen["import"], LOADED_ON_USE) == []
    assert f"{PACKAGE}.controllers.cdrs_controller" in seen["controller"]
    assert loaded(seen["controller"], (f"{PACKAGE}._cdr", f"{PACKAGE}.models")) == []
    assert f"{PACKAGE}._cdr" in seen["parse"]


def test_importing_the_package_loads_only_its_version():
    code = f"import json, sys, {PACKAGE}; print(json.dumps({{'import': list(sys.modules)}}))"
    seen = modules_after(code)
    assert loaded(seen["import"], (PACKAGE,)) == [PACKAGE, f"{PACKAGE}._version"]
    assert "requests" not in seen["import"]


def test_every_public_name_is_reachable_and_listed_by_dir():
    listed = dir(flowroutenumbersandmessaging)
    for name in flowroutenumbersandmessaging.__all__:
        assert name in listed
        assert getattr(flowroutenumbersandmessaging, name) is not None
    assert flowroutenumbersandmessaging.PhoneNumber is models.PhoneNumber
    with pytest.raises(AttributeError, match="no attribute 'NoSuchThing'"):
        flowroutenumbersandmessaging.NoSuchThing  # noqa: B018


def test_a_controller_is_created_once_however_many_threads_ask_first():
    client = FlowroutenumbersandmessagingClient(ACCESS_KEY, SECRET_KEY, base_uri="http://[::1]:9")
    start = threading.Barrier(16)

    def get(_: int) -> int:
        start.wait()
        return id(client.cdrs)

    with client, ThreadPoolExecutor(16) as pool:
        ids = set(pool.map(get, range(16)))
        assert ids == {id(client.cdrs)}
        assert isinstance(client.cdrs, CDRsController)
        copy = client.with_options(max_retries=0)
        assert copy.cdrs is not client.cdrs and copy.cdrs is copy.cdrs


def test_help_on_the_client_lists_the_seven_controllers_one_line_each():
    client = FlowroutenumbersandmessagingClient(ACCESS_KEY, SECRET_KEY, base_uri="http://[::1]:9")
    with client:
        text = pydoc.render_doc(client, renderer=pydoc.plaintext)
    lines = text.splitlines()
    for name in CONTROLLERS:
        at = lines.index(f" |  {name}")
        summary = lines[at + 1].strip(" |")
        assert summary and summary == getattr(type(client), name).__doc__
    for method in ("with_options", "paginate"):
        doc = getattr(type(client), method).__doc__
        assert "Returns" in doc or "Yield" in doc, method
        assert "Raises:" in doc, method
