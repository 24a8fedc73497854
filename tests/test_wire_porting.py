"""porting: the portability check puts the exact request on the wire and returns the document."""

from __future__ import annotations

import pytest

from flowroutenumbersandmessaging.exceptions import ValidationError
from tests.support.server import Reply
from tests.support.wire import Wire, check_sent

PORTABILITY = {
    "data": {
        "portable": ["+12065550142"],
        "nonportable": ["+14255550111"],
        "hypernetwork_enabled": ["+12065550142"],
    }
}
BOTH = {"numbers": ["+12065550142", "+14255550111"]}

CASES = [
    pytest.param(
        lambda c: c.porting.check_portability(["12065550142", "+14255550111"]),
        BOTH,
        id="check_portability-list-plus-added-where-missing",
    ),
    pytest.param(
        lambda c: c.porting.check_portability(numbers=(12065550142, "14255550111")),
        BOTH,
        id="check_portability-keyword-tuple-with-int",
    ),
    pytest.param(
        lambda c: c.porting.check_portability("12065550142"),
        {"numbers": ["+12065550142"]},
        id="check_portability-one-number",
    ),
    pytest.param(
        lambda c: c.porting.checkPortability(["12065550142", "14255550111"]),
        BOTH,
        id="checkPortability-original-spelling",
    ),
    pytest.param(
        lambda c: c.porting.checkPortability(numbers="+12065550142"),
        {"numbers": ["+12065550142"]},
        id="checkPortability-keyword",
    ),
]


@pytest.mark.parametrize(("call", "body"), CASES)
def test_check_portability_sends_e164_numbers_as_json_and_returns_document(
    client, server, call, body
):
    server.queue(Reply(200, PORTABILITY))
    assert call(client) == PORTABILITY
    check_sent(
        server,
        Wire("POST", "/v2/portorders/portability", body=body, content_type="application/json"),
    )


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
