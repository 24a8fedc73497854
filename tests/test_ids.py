"""Ids are validated before any URL exists: a bad id raises ValidationError and sends nothing."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient
from flowroutenumbersandmessaging.exceptions import ValidationError
from tests.support.canary import ACCESS_KEY, FAST_RETRIES, SECRET_KEY
from tests.support.server import Reply, ScriptedServer

NUMBER = "12065550142"
RECORD = "21845"
MESSAGE = "mdr2-39cadeace66e11e7aff806cd7f24ba2d"
HOOK = "https://hooks.example.com/dlr"
ROUTE = {"data": {"type": "route", "id": "83834"}}

BAD_IDS: list[Any] = [
    "",
    ".",
    "..",
    "%2e%2e",
    "a/b",
    "a?b",
    "a#b",
    "1\r\nX: y",
    "1\x00",
    "\x00",
    "1" * 10_240,
    "\u0661\u0662\u0663",  # Arabic-Indic digits: \d would take them, the API would not
    True,
    False,
    1.0,
    12065550142.0,
    None,
    ["1"],
    # Near misses: a valid id with something riding along.
    f"{NUMBER}/..",
    f"../{NUMBER}",
    f"{NUMBER}?limit=1",
    f"{NUMBER}#x",
    f"{NUMBER}%2F..",
    f" {NUMBER}",
    f"{NUMBER}\n",
    f"{RECORD}/../1",
    f"{MESSAGE}/..",
    MESSAGE.upper(),
    "-1",
    "+",
]

Call = Callable[[FlowroutenumbersandmessagingClient, Any], Any]


def route(route_id: Any) -> dict:
    return {"data": {"type": "route", "id": route_id}}


# (name, call with the id under test, a good id for that call)
ID_METHODS: list[tuple[str, Call, Any]] = [
    ("numbers.purchase_a_phone_number", lambda c, v: c.numbers.purchase_a_phone_number(v), NUMBER),
    (
        "numbers.list_phone_number_details",
        lambda c, v: c.numbers.list_phone_number_details(v),
        NUMBER,
    ),
    ("numbers.release_a_did", lambda c, v: c.numbers.release_a_did(v), NUMBER),
    ("numbers.set_did_alias", lambda c, v: c.numbers.set_did_alias(v, "alias"), NUMBER),
    ("numbers.set_did_callback", lambda c, v: c.numbers.set_did_callback(v, HOOK), NUMBER),
    (
        "routes.update_primary_voice_route",
        lambda c, v: c.routes.update_primary_voice_route(v, route("83834")),
        NUMBER,
    ),
    (
        "routes.update_primary_voice_route[route id]",
        lambda c, v: c.routes.update_primary_voice_route(NUMBER, route(v)),
        RECORD,
    ),
    (
        "routes.update_failover_voice_route",
        lambda c, v: c.routes.update_failover_voice_route(v, route("83834")),
        NUMBER,
    ),
    (
        "routes.update_failover_voice_route[route id]",
        lambda c, v: c.routes.update_failover_voice_route(NUMBER, route(v)),
        RECORD,
    ),
    (
        "messages.look_up_a_message_detail_record",
        lambda c, v: c.messages.look_up_a_message_detail_record(v),
        MESSAGE,
    ),
    (
        "messages.set_did_level_dlr_callback",
        lambda c, v: c.messages.set_did_level_dlr_callback(v, HOOK),
        NUMBER,
    ),
    ("e911s.get_e911", lambda c, v: c.e911s.get_e911(v), RECORD),
    ("e911s.update_address", lambda c, v: c.e911s.update_address(v, label="x"), RECORD),
    ("e911s.delete_address", lambda c, v: c.e911s.delete_address(v), RECORD),
    ("e911s.associate[e911_id]", lambda c, v: c.e911s.associate(v, NUMBER), RECORD),
    ("e911s.associate[number_id]", lambda c, v: c.e911s.associate(RECORD, v), NUMBER),
    ("e911s.disconnect", lambda c, v: c.e911s.disconnect(v), NUMBER),
    ("e911s.list_dids_for_e911", lambda c, v: c.e911s.list_dids_for_e911(v), RECORD),
    ("cnams.get_cnam", lambda c, v: c.cnams.get_cnam(v), RECORD),
    ("cnams.associate_cnam[cnam_id]", lambda c, v: c.cnams.associate_cnam(v, NUMBER), RECORD),
    ("cnams.associate_cnam[number_id]", lambda c, v: c.cnams.associate_cnam(RECORD, v), NUMBER),
    ("cnams.unassociate_cnam", lambda c, v: c.cnams.unassociate_cnam(v), NUMBER),
    ("cnams.unassociate", lambda c, v: c.cnams.unassociate(v), NUMBER),
    ("cnams.remove_cnam", lambda c, v: c.cnams.remove_cnam(v), RECORD),
    (
        "porting.check_portability[in a list]",
        lambda c, v: c.porting.check_portability([NUMBER, v]),
        NUMBER,
    ),
    ("porting.check_portability[alone]", lambda c, v: c.porting.check_portability(v), NUMBER),
]
ID_NAMES = [name for name, _, _ in ID_METHODS]


@pytest.fixture(scope="module")
def module_client_server():
    """(client, server): one scripted server answering 204, and a client on it, for the whole
    module (the property test below makes hundreds of calls)."""
    with ScriptedServer(default=Reply(204)) as server:
        client = FlowroutenumbersandmessagingClient(
            ACCESS_KEY,
            SECRET_KEY,
            base_uri=server.url,
            retry_policy=FAST_RETRIES,
            send_rate_limits=None,
        )
        with client:
            yield client, server


@pytest.mark.parametrize(("name", "call", "good"), ID_METHODS, ids=ID_NAMES)
def test_bad_ids_raise_validation_error_and_send_nothing(module_client_server, name, call, good):
    client, server = module_client_server
    before = server.count
    for bad in BAD_IDS:
        with pytest.raises(ValidationError):
            call(client, bad)
    assert server.count == before


@pytest.mark.parametrize(("name", "call", "good"), ID_METHODS, ids=ID_NAMES)
def test_a_good_id_does_reach_the_server(module_client_server, name, call, good):
    client, server = module_client_server
    before = server.count
    call(client, good)
    assert server.count == before + 1


PATH_METHODS: list[tuple[str, Call, str, bool]] = [
    ("e911s.get_e911", lambda c, v: c.e911s.get_e911(v), "/v2/e911s/{}", False),
    ("cnams.remove_cnam", lambda c, v: c.cnams.remove_cnam(v), "/v2/cnams/{}", False),
    (
        "cnams.associate_cnam",
        lambda c, v: c.cnams.associate_cnam(v, NUMBER),
        f"/v2/numbers/{NUMBER}/relationships/cnam/{{}}",
        False,
    ),
    (
        "numbers.list_phone_number_details",
        lambda c, v: c.numbers.list_phone_number_details(v),
        "/v2/numbers/{}",
        True,
    ),
    (
        "e911s.disconnect",
        lambda c, v: c.e911s.disconnect(v),
        "/v2/numbers/{}/relationships/e911s",
        True,
    ),
    (
        "messages.look_up_a_message_detail_record",
        lambda c, v: c.messages.look_up_a_message_detail_record(v),
        "/v2.1/messages/{}",
        False,
    ),
]

# Mostly arbitrary text; the regex arm makes sure valid-looking ids are exercised as well.
ANY_ID = st.one_of(
    st.text(),
    st.from_regex(r"\+?1[0-9]{10}|[0-9]{1,20}|mdr[0-9]-[0-9a-f]{32}", fullmatch=True),
    st.integers(min_value=-1, max_value=10**20),
)


@pytest.mark.parametrize(
    ("name", "call", "template", "is_number"), PATH_METHODS, ids=[m[0] for m in PATH_METHODS]
)
# A backstop for BAD_IDS, which names the known attacks for every method: 50 ids for each of
# the six methods, 300 in all over the three id validators they share.
@settings(max_examples=50, deadline=None, database=None)
@given(value=ANY_ID)
def test_any_id_either_fails_validation_unsent_or_is_exactly_one_path_segment(
    module_client_server, name, call, template, is_number, value
):
    client, server = module_client_server
    before = server.count
    try:
        call(client, value)
    except ValidationError:
        assert server.count == before
        return
    assert server.count == before + 1
    segment = str(value)
    if is_number and segment.startswith("+"):
        segment = segment[1:]  # the one normalisation: "+1206..." and "1206..." name one number
    assert segment.isascii() and segment.replace("-", "").isalnum()
    assert server.requests[-1].target == template.format(segment)
