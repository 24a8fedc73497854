"""CDR export endpoints on the wire: list, create, status."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from flowroutenumbersandmessaging.exceptions import ServerError, ValidationError
from tests.support.server import Reply

FILTERS = {
    "start_call_start_time": "2019-01-01 00:00:00",
    "start_call_end_time": "2019-02-01 00:00:00",
    "number_aliases": ["Office 221", "Office 888"],
}
CREATED = {"data": {"type": "cdrexport", "id": "38647", "attributes": {"status": "processing"}}}


def test_list_cdr_exports_sends_status_limit_offset_in_readme_order(client, server):
    assert client.cdrs.list_cdr_exports("completed", 10, 0) == {"data": []}
    (request,) = server.requests
    assert request.method == "GET"
    assert request.target == "/v2/cdrs/exports?status=completed&limit=10&offset=0"


def test_list_cdrs_takes_the_v3_code_order_and_sends_the_same_request(client, server):
    client.cdrs.list_cdrs(10, 0, "completed")
    client.cdrs.list_cdr_exports(status="completed", limit=10, offset=0)
    first, second = server.requests
    assert first.target == second.target == "/v2/cdrs/exports?status=completed&limit=10&offset=0"


def test_list_cdr_exports_without_arguments_sends_no_query(client, server):
    client.cdrs.list_cdr_exports()
    assert server.requests[0].target == "/v2/cdrs/exports"


@pytest.mark.parametrize("status", ["done", "COMPLETED", ""])
def test_list_cdr_exports_refuses_unknown_status_before_sending(client, server, status):
    with pytest.raises(ValidationError, match="processing, completed, failed"):
        client.cdrs.list_cdr_exports(status)
    assert server.count == 0


def test_create_cdr_export_posts_jsonapi_body_with_filters_and_callback(client, server):
    server.queue(Reply(201, CREATED))
    result = client.cdrs.create_cdr_export(FILTERS, "https://myserver.com/cdrs")
    assert result == CREATED
    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/v2/cdrs/exports")
    assert request.header("Content-Type") == "application/vnd.api+json"
    assert request.json == {
        "data": {
            "type": "cdrexport",
            "attributes": {
                "filter_parameters": FILTERS,
                "callback_url": "https://myserver.com/cdrs",
            },
        }
    }


def test_create_cdr_is_the_same_call_and_omits_a_missing_callback(client, server):
    server.queue(Reply(201, CREATED))
    client.cdrs.create_cdr(FILTERS)
    assert server.requests[0].json == {
        "data": {"type": "cdrexport", "attributes": {"filter_parameters": FILTERS}}
    }


def test_create_cdr_export_writes_dates_in_the_api_formats(client, server):
    server.queue(Reply(201, CREATED))
    client.cdrs.create_cdr_export(
        {
            "start_call_start_time": datetime(2019, 1, 1, 6, 30),
            "start_call_end_time": datetime(2019, 2, 1, tzinfo=timezone.utc),
            "other": date(2019, 1, 15),
        }
    )
    sent = server.requests[0].json["data"]["attributes"]["filter_parameters"]
    assert sent == {
        "start_call_start_time": "2019-01-01 06:30:00",
        "start_call_end_time": "2019-02-01T00:00:00+00:00",
        "other": "2019-01-15 00:00:00",
    }


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"start_call_start_time": "2019-01-01 00:00:00"}, "start_call_end_time"),
        ({}, "start_call_start_time and start_call_end_time"),
        ('{"start_call_start_time": "x", "start_call_end_time": "y"}', "dict"),
        (None, "dict"),
    ],
)
def test_create_cdr_export_refuses_bad_filters_before_sending(client, server, filters, message):
    with pytest.raises(ValidationError, match=message):
        client.cdrs.create_cdr_export(filters)
    assert server.count == 0


def test_create_cdr_export_is_not_retried_after_a_503(client, server):
    server.queue(Reply(503))
    with pytest.raises(ServerError) as caught:
        client.cdrs.create_cdr_export(FILTERS)
    assert server.count == 1
    assert caught.value.outcome_unknown


def test_get_cdr_export_status_gets_the_export_by_id(client, server):
    document = {"data": {"type": "cdrexport", "id": "51230", "attributes": {"status": "completed"}}}
    server.queue(Reply(200, document))
    assert client.cdrs.get_cdr_export_status(cdrexport_id=51230) == document
    assert server.requests[0].method == "GET"
    assert server.requests[0].target == "/v2/cdrs/exports/51230"


@pytest.mark.parametrize("bad", ["1/../2", "51230?x=1", "", "١٢٣", True, 1.5])
def test_get_cdr_export_status_refuses_non_numeric_ids_before_sending(client, server, bad):
    with pytest.raises(ValidationError):
        client.cdrs.get_cdr_export_status(bad)
    assert server.count == 0


def test_paginate_walks_cdr_exports_by_offset(client, server):
    server.queue(
        Reply(200, {"data": [{"data": {"id": 1}}, {"data": {"id": 2}}]}),
        Reply(200, {"data": [{"data": {"id": 3}}]}),
    )
    items = list(client.paginate(client.cdrs.list_cdr_exports, page_size=2, status="failed"))
    assert [item["data"]["id"] for item in items] == [1, 2, 3]
    assert [r.target for r in server.requests] == [
        "/v2/cdrs/exports?status=failed&limit=2&offset=0",
        "/v2/cdrs/exports?status=failed&limit=2&offset=2",
    ]


@pytest.mark.parametrize("url", ["nope", "ftp://h.example/cdr", "https://h.example/\nX", 5])
def test_create_refuses_a_bad_callback_url_before_sending(client, server, url):
    filters = {
        "start_call_start_time": "2019-01-01 00:00:00",
        "start_call_end_time": "2019-02-01 00:00:00",
    }
    with pytest.raises(ValidationError):
        client.cdrs.create_cdr_export(filters, url)
    assert server.count == 0
