"""A user's strict mypy sees every endpoint's return type: a document, None, or CDR rows; never Any.

The user script below is type-checked by ``mypy --strict`` in a subprocess. It reveals the type
of every public controller method (found by introspection, so a new endpoint is covered), and
reads responses in ways that only type-check when the types are right; the ``type: ignore``
lines must be needed, or strict mypy reports them as unused.
"""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flowroutenumbersandmessaging import documents
from flowroutenumbersandmessaging.flowroutenumbersandmessaging_client import (
    FlowroutenumbersandmessagingClient,
)

ROOT = Path(__file__).resolve().parent.parent
CONTROLLERS = ("numbers", "routes", "messages", "e911s", "cnams", "cdrs", "porting")

USER_CODE = """
from typing import Iterator, Optional

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient

client = FlowroutenumbersandmessagingClient("access", "secret")

route_id: str = client.routes.create_an_inbound_route("{}")["data"]["id"]
alias: Optional[str] = client.numbers.list_phone_number_details(1)["data"]["attributes"]["alias"]
setup_cost: float = client.numbers.search_for_purchasable_phone_numbers()["data"][0][
    "attributes"
]["setup_cost"]
sender: str = client.messages.look_up_a_message_detail_record("m")["data"]["attributes"]["from"]
message_id: str = client.messages.send_sms(1, 2, "hi")["data"]["id"]
portable: list[str] = client.porting.check_portability(1)["data"]["portable"]
edge_id: int = client.routes.list_edge_strategies()["data"][0]["id"]
export_id = client.cdrs.list_cdr_exports()["data"][0]["data"]["id"]
saved = client.cdrs.download_cdr_export(export_id, "calls.csv")["filename"]
rows: list[dict[str, str]] = client.cdrs.parse_cdr_export(saved)
row_iter: Iterator[dict[str, str]] = client.cdrs.iter_cdr_export(saved)

not_a_list: int = client.numbers.list_account_phone_numbers()["data"]  # type: ignore[assignment]
e911 = client.e911s.get_e911(1)["data"]
zipcode = e911["attributes"]["zipcode"]  # type: ignore[typeddict-item]
released = client.numbers.release_a_did(1)  # type: ignore[func-returns-value]
"""

# The endpoints that answer 204 No Content.
NO_CONTENT = {
    "numbers.release_a_did",
    "numbers.set_did_callback",
    "routes.update_primary_voice_route",
    "routes.update_failover_voice_route",
    "messages.set_account_level_sms_callback",
    "messages.set_account_level_mms_callback",
    "messages.set_account_level_dlr_callback",
    "messages.set_did_level_dlr_callback",
    "e911s.validate_address",
    "e911s.associate",
    "e911s.disconnect",
    "e911s.delete_address",
    "cnams.remove_cnam",
}


def public_methods() -> list[tuple[str, str]]:
    with FlowroutenumbersandmessagingClient("access", "secret") as client:
        controllers = {name: type(getattr(client, name)) for name in CONTROLLERS}
    return [
        (attribute, name)
        for attribute, controller in controllers.items()
        for name, _ in inspect.getmembers(controller, inspect.isfunction)
        if not name.startswith("_")
    ]


def test_every_public_method_is_found():
    methods = public_methods()
    assert ("numbers", "purchase_a_phone_number") in methods
    assert ("porting", "checkPortability") in methods
    assert len(methods) >= 45


def test_a_users_strict_mypy_sees_real_return_types(tmp_path):
    pytest.importorskip("mypy")
    methods = public_methods()
    reveals = "".join(f"reveal_type(client.{c}.{m})\n" for c, m in methods)
    script = tmp_path / "user_script.py"
    script.write_text(USER_CODE + reveals, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version=3.9",
            "--no-error-summary",
            # A lasting cache (git-ignored) makes every run after the first take a second.
            f"--cache-dir={ROOT / '.mypy_cache' / 'user-script'}",
            str(script),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(ROOT)},
    )
    lines = result.stdout.splitlines()
    # What mypy says about the user's code; inside an installed package it reports nothing
    # (here the package is type-checked from source, against whatever stubs this Python has).
    errors = [line for line in lines if line.startswith(f"{script.name}:") and ": error:" in line]
    assert not errors, "\n".join(errors) + result.stderr
    revealed = [m.group(1) for m in map(re.compile(r'Revealed type is "(.*)"').search, lines) if m]
    revealed = [kind.replace("builtins.", "") for kind in revealed]  # as older mypy spells them
    assert len(revealed) == len(methods)
    # mypy shows "def (...) -> T", and no arrow at all for None.
    returns = {
        f"{c}.{m}": r.split(") -> ", 1)[1] if ") -> " in r else "None"
        for (c, m), r in zip(methods, revealed)
    }
    rows = {"list[dict[str, str]]", "typing.Iterator[dict[str, str]]"}
    odd = {name: kind for name, kind in returns.items() if not kind.startswith("TypedDict(")}
    assert {name for name, kind in odd.items() if kind not in rows} == NO_CONTENT
    assert {odd[name] for name in odd.keys() - NO_CONTENT} == rows


def test_document_types_are_typeddicts_of_optional_keys():
    for name in documents.__all__:
        value = getattr(documents, name)
        if hasattr(value, "__required_keys__") and name != "DownloadResult":
            assert value.__required_keys__ == frozenset(), name
