"""Error messages and the v3 ``except`` idiom (``print(e.context.response.raw_body)``)."""

from __future__ import annotations

import pytest

from flowroutenumbersandmessaging.exceptions import (
    APIConnectionError,
    CDRDownloadError,
    FlowrouteError,
    UnprocessableEntityError,
    ValidationError,
)
from tests.support.server import Reply


def v3_style_report(call) -> str:
    """What the seed README's except blocks do with any error."""
    try:
        call()
    except Exception as e:
        return f"{e}\n{e.context.response.raw_body}"
    raise AssertionError("the call did not fail")


def test_v3_except_blocks_work_for_errors_that_had_no_response(
    client, make_client, server, tmp_path
):
    report = v3_style_report(
        lambda: client.e911s.create_address(
            "E911 Test", "Chris", "Smith", "3rd Ave", "1218", "Seattle", "Washington", "US", "98101"
        )
    )
    assert report == "state must be a 2-letter code such as WA, got 'Washington'\n"
    assert server.count == 0

    closed = make_client("http://127.0.0.1:9", max_retries=0)
    report = v3_style_report(closed.numbers.list_account_phone_numbers)
    assert report.splitlines()[0].startswith("could not connect")

    server.queue(Reply(200, {"data": {"id": "51230", "attributes": {"status": "processing"}}}))
    report = v3_style_report(lambda: client.cdrs.download_cdr_export(51230, tmp_path / "x.csv"))
    assert "processing" in report.splitlines()[0]


@pytest.mark.parametrize("error_class", [ValidationError, APIConnectionError, CDRDownloadError])
def test_errors_without_a_response_say_so_with_status_0(error_class):
    error = error_class("boom")
    assert isinstance(error, FlowrouteError)
    assert error.context.request is None
    assert (error.context.response.status_code, error.context.response.raw_body) == (0, "")


def test_field_errors_read_as_field_and_message(client, server):
    detail = {
        "data": {
            "attributes": {
                "zip": ["ZIP code must be between 4 and 7 characters."],
                "address_type": ["Unknown address type."],
            }
        }
    }
    server.queue(Reply(422, {"errors": [{"status": 422, "detail": detail}]}))
    with pytest.raises(UnprocessableEntityError) as caught:
        client.e911s.create_address(
            "L", "A", "B", "3rd Ave", "1218", "Seattle", "WA", "US", "12345"
        )
    assert str(caught.value) == (
        "422 on POST /v2/e911s: zip: ZIP code must be between 4 and 7 characters.; "
        "address_type: Unknown address type."
    )
    assert caught.value.errors[0]["detail"] == detail
