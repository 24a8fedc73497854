"""porting: the portability check puts the exact request on the wire and returns the document."""

from __future__ import annotations

import pytest

from flowroutenumbersandmessaging.exceptions import ValidationError
from tests.support.server import Reply
from tests.support.wire import Wire, wire_test

PORTABILITY = {
    "data": {
        "portable": ["+12065550142"],
        "nonportable": ["+14255550111"],
        "hypernetwork_enabled": ["+12065550142"],
    }
}
BOTH = ["+12065550142", "+14255550111"]


def case(call, numbers: list[str], case_id: str):
    wire = Wire(
        "POST",
        "/v2/portorders/portability",
        body={"numbers": numbers},
        content_type="application/json",
    )
    return pytest.param(call, Reply(200, PORTABILITY), wire, PORTABILITY, id=case_id)


CASES = [
    case(
        lambda c: c.porting.check_portability(["12065550142", "+14255550111"]),
        BOTH,
        "check_portability-list-plus-added-where-missing",
    ),
    case(
        lambda c: c.porting.check_portability(numbers=(12065550142, "14255550111")),
        BOTH,
        "check_portability-keyword-tuple-with-int",
    ),
    case(
        lambda c: c.porting.check_portability("12065550142"),
        ["+12065550142"],
        "check_portability-one-number",
    ),
    case(
        lambda c: c.porting.checkPortability(["12065550142", "14255550111"]),
        BOTH,
        "checkPortability-original-spelling",
    ),
    case(
        lambda c: c.porting.checkPortability(numbers="+12065550142"),
        ["+12065550142"],
        "checkPortability-keyword",
    ),
]

test_each_method_sends_exact_request_and_returns_document = wire_test(CASES)


def test_check_portability_is_retried_on_503_as_it_changes_nothing(client, server):
    server.queue(Reply(503), Reply(200, PORTABILITY))
    assert client.porting.check_portability(["12065550142"]) == PORTABILITY
    assert server.count == 2


def test_check_portability_is_the_same_method_as_checkPortability(client):
    assert client.porting.checkPortability == client.porting.check_portability


@pytest.mark.parametrize(
    "numbers",
    [
        [],
        (),
        None,
        "",
        ["2065550142"],
        ["12065550142", "abc"],
        ["+1 206 555 0142"],
        ["++12065550142"],
        [True],
        True,
        12065550142.0,
        {"12065550142"},
        iter(["12065550142"]),
        {"numbers": ["12065550142"]},
    ],
)
def test_check_portability_rejects_bad_numbers_before_sending(client, server, numbers):
    with pytest.raises(ValidationError):
        client.porting.check_portability(numbers)
    assert server.count == 0
