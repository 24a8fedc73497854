"""Unsafe deserialization (jsonpickle's CVE-2020-22083) and a static audit of the package
source for what would leak credentials, weaken TLS or decode untrusted data unsafely."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import jsonpickle
import pytest

import flowroutenumbersandmessaging
from flowroutenumbersandmessaging.exceptions import BadRequestError
from tests.reliability.conftest import NUMBER
from tests.support.server import Reply

CALLS: list[object] = []


def side_effect(*args: object) -> str:
    """Named by the hostile payloads below; must never run."""
    CALLS.append(args)
    return "ran"


class Gadget:
    def __setstate__(self, state: object) -> None:
        CALLS.append(("setstate", state))


REDUCE = {"py/reduce": [{"py/function": f"{__name__}.side_effect"}, {"py/tuple": ["reduce"]}]}
OBJECT = {"py/object": f"{__name__}.Gadget", "py/state": {"armed": True}}
PAYLOAD = json.dumps({"data": {"id": NUMBER, "attributes": REDUCE}, "included": [OBJECT]})


@pytest.fixture(autouse=True)
def no_calls():
    CALLS.clear()
    yield
    CALLS.clear()


def test_the_payload_does_run_code_under_jsonpickle():
    # Proof that the tests below would notice a jsonpickle.decode in the response path.
    jsonpickle.decode(PAYLOAD, keys=True)
    assert ("reduce",) in CALLS and ("setstate", {"armed": True}) in CALLS


@pytest.mark.parametrize("operation", ["read", "create"])
def test_jsonpickle_tags_in_a_response_stay_plain_dicts(operation, client, server):
    server.queue(Reply(201 if operation == "create" else 200, PAYLOAD))
    if operation == "read":
        document = client.numbers.list_phone_number_details(NUMBER)
    else:
        document = client.numbers.purchase_a_phone_number(NUMBER)
    assert document == json.loads(PAYLOAD)
    assert CALLS == []


def test_jsonpickle_tags_in_an_error_body_stay_plain_dicts(client, server):
    server.queue(Reply(400, json.dumps({"errors": [REDUCE, OBJECT]})))
    with pytest.raises(BadRequestError) as caught:
        client.numbers.list_account_phone_numbers()
    assert caught.value.errors == [REDUCE, OBJECT]
    assert CALLS == []


# ---------------------------------------------------------------- static audit of the package

PACKAGE = Path(flowroutenumbersandmessaging.__file__).parent
SOURCES = sorted(PACKAGE.rglob("*.py"))
BANNED_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill"}
# jsonpickle is a dependency of the design card, allowed for encoding only.
JSONPICKLE_DECODERS = {"decode", "loads", "Unpickler", "unpickler"}
# print() is for the sandbox's start-up line and the demos only.
PRINT_ALLOWED = {PACKAGE / "sandbox" / "__main__.py"}


def parse(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def offences(path: Path) -> list[str]:
    found = []
    jsonpickle_names = set()
    for node in ast.walk(parse(path)):
        where = f"{path.name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in BANNED_MODULES or alias.name.split(".")[0] in BANNED_MODULES:
                    found.append(f"{where} imports {alias.name}")
                if alias.name == "jsonpickle":
                    jsonpickle_names.add(alias.asname or "jsonpickle")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = {alias.name for alias in node.names}
            if module in BANNED_MODULES or module.split(".")[0] in BANNED_MODULES:
                found.append(f"{where} imports from {module}")
            if module.startswith("jsonpickle") and names & JSONPICKLE_DECODERS:
                found.append(f"{where} imports a jsonpickle decoder")
            if module == "yaml" and names & {"load", "unsafe_load", "full_load"}:
                found.append(f"{where} imports yaml.load")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("eval", "exec"):
                found.append(f"{where} calls {func.id}")
            if isinstance(func, ast.Name) and func.id == "print" and path not in PRINT_ALLOWED:
                found.append(f"{where} calls print")
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "yaml"
                and func.attr in ("load", "unsafe_load", "full_load")
            ):
                found.append(f"{where} calls yaml.{func.attr}")
            for keyword in node.keywords:
                if keyword.arg == "verify" and _is_falsy_constant(keyword.value):
                    found.append(f"{where} passes verify={ast.unparse(keyword.value)}")
        elif isinstance(node, ast.Assign) and _is_falsy_constant(node.value):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "verify":
                    found.append(f"{where} sets .verify = {ast.unparse(node.value)}")
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in jsonpickle_names
            and node.attr in JSONPICKLE_DECODERS
        ):
            found.append(f"{where} uses jsonpickle.{node.attr}")
    return found


def _is_falsy_constant(node: ast.expr) -> bool:
    """``False``, ``None``, ``0``, ``""``: verification off. (A CA bundle path is fine.)"""
    return isinstance(node, ast.Constant) and not node.value


def test_the_audit_sees_the_whole_package():
    names = {path.name for path in SOURCES}
    assert {"_http.py", "_transport.py", "exceptions.py", "numbers_controller.py"} <= names


def test_the_audit_catches_what_it_bans(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import pickle\nimport jsonpickle as jp\nfrom marshal import loads\n"
        "jp.decode('{}')\neval('1')\nprint('x')\nrequests.get(u, verify=False)\n"
        "session.verify = False\nimport yaml\nyaml.load(s)\nsession.verify = bundle\n"
    )
    found = offences(bad)
    assert len(found) == 8, found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_package_source_has_no_unsafe_deserialization_eval_print_or_verify(path):
    assert offences(path) == []
