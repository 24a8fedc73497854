"""``client.paginate`` walks list endpoints by offset over loopback, never by ``links.next``."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any, Callable

import pytest

from flowroutenumbersandmessaging.exceptions import InvalidResponseError, ValidationError
from flowroutenumbersandmessaging.models import CDRExport, PhoneNumber
from tests.support.server import Recorded, Reply, ScriptedServer


def number(i: int) -> dict[str, Any]:
    value = f"1206555{i:04d}"
    return {"type": "number", "id": value, "attributes": {"value": value}}


def pages_of(items: list[Any], next_base: str = "https://api.flowroute.com") -> Callable:
    """A responder serving ``items`` by the request's limit/offset, with a ``links.next``."""

    def respond(request: Recorded) -> Reply:
        query = dict(request.query)
        limit, offset = int(query["limit"]), int(query["offset"])
        page = items[offset : offset + limit]
        links = {"self": f"{next_base}/v2/numbers?limit={limit}&offset={offset}"}
        if offset + limit < len(items):
            links["next"] = f"{next_base}/v2/numbers?limit={limit}&offset={offset + limit}"
        return Reply(200, {"data": page, "links": links})

    return respond


def offsets(server: ScriptedServer) -> list[tuple[str, str]]:
    return [(dict(r.query)["limit"], dict(r.query)["offset"]) for r in server.requests]


@pytest.fixture
def serve_pages(make_client):
    """``serve_pages(items)`` starts a server answering pages of ``items`` by the request's
    limit/offset; returns (client, server)."""
    with ExitStack() as stack:

        def start(items: list[Any], **responder_options: Any):
            server = stack.enter_context(
                ScriptedServer(default=pages_of(items, **responder_options))
            )
            return make_client(server), server

        yield start


def test_empty_list_costs_one_request_and_yields_nothing(serve_pages):
    client, server = serve_pages([])
    assert list(client.paginate(client.numbers.list_account_phone_numbers, page_size=2)) == []
    assert offsets(server) == [("2", "0")]


def test_last_partial_page_ends_the_walk(serve_pages):
    items = [number(i) for i in range(5)]
    client, server = serve_pages(items)
    got = list(client.paginate(client.numbers.list_account_phone_numbers, page_size=2))
    assert got == items
    assert offsets(server) == [("2", "0"), ("2", "2"), ("2", "4")]
    assert all(r.path == "/v2/numbers" for r in server.requests)


def test_exact_multiple_of_page_size_costs_one_extra_empty_request(serve_pages):
    items = [number(i) for i in range(4)]
    client, server = serve_pages(items)
    got = list(client.paginate(client.numbers.list_account_phone_numbers, page_size=2))
    assert got == items
    assert offsets(server) == [("2", "0"), ("2", "2"), ("2", "4")]


def test_pages_are_fetched_lazily(serve_pages):
    client, server = serve_pages([number(i) for i in range(6)])
    walk = client.paginate(client.numbers.list_account_phone_numbers, page_size=2)
    assert server.count == 0
    assert next(walk) == number(0)
    assert server.count == 1
    next(walk), next(walk)
    assert server.count == 2


def test_links_next_on_another_host_is_never_followed(serve_pages):
    with ScriptedServer() as elsewhere:
        client, server = serve_pages([number(i) for i in range(3)], next_base=elsewhere.url)
        got = list(client.paginate(client.numbers.list_account_phone_numbers, page_size=2))
        assert len(got) == 3
        assert server.count == 2
        assert elsewhere.count == 0


def test_filters_and_positional_arguments_reach_every_page(serve_pages):
    client, server = serve_pages([number(i) for i in range(3)])
    walk = client.paginate(
        client.numbers.search_for_purchasable_phone_numbers, 1425, page_size=2, state="wa"
    )
    assert len(list(walk)) == 3
    assert [r.path for r in server.requests] == ["/v2/numbers/available"] * 2
    for request, offset in zip(server.requests, ("0", "2")):
        query = dict(request.query)
        assert query == {"starts_with": "1425", "state": "wa", "limit": "2", "offset": offset}


def test_keyword_filters_pass_through_for_account_numbers(serve_pages):
    client, server = serve_pages([number(1)])
    list(
        client.paginate(
            client.numbers.list_account_phone_numbers, page_size=2, starts_with=1206, contains=55
        )
    )
    assert dict(server.requests[0].query) == {
        "starts_with": "1206",
        "contains": "55",
        "limit": "2",
        "offset": "0",
    }


def test_empty_body_page_ends_the_walk(client, server):
    server.queue(Reply(200, {"data": [number(0), number(1)]}), Reply(204))
    got = list(client.paginate(client.numbers.list_account_phone_numbers, page_size=2))
    assert got == [number(0), number(1)]
    assert server.count == 2


def test_null_data_counts_as_an_empty_page(client, server):
    server.queue(Reply(200, {"data": None}))
    assert list(client.paginate(client.numbers.list_account_phone_numbers)) == []
    assert server.count == 1


def test_wrapped_cdr_export_items_are_yielded_as_served(serve_pages):
    wrapped = [{"data": {"type": "cdrexport", "id": 51230 + i, "attributes": {}}} for i in range(3)]
    client, _ = serve_pages(wrapped, next_base="http://cdr-api")
    got = list(client.paginate(client.numbers.list_account_phone_numbers, page_size=2))
    assert got == wrapped
    assert [CDRExport.from_json(item).id for item in got] == ["51230", "51231", "51232"]


def test_items_build_models(serve_pages):
    client, _ = serve_pages([number(i) for i in range(3)])
    walk = client.paginate(client.numbers.list_account_phone_numbers, page_size=2)
    assert [PhoneNumber.from_json(item).value for item in walk] == [
        "12065550000",
        "12065550001",
        "12065550002",
    ]


def test_server_that_ignores_offset_raises_instead_of_looping(make_client):
    same = {"data": [number(0), number(1)]}
    with ScriptedServer(default=Reply(200, same)) as server:
        client = make_client(server)
        walk = client.paginate(client.numbers.list_account_phone_numbers, page_size=2)
        assert [next(walk), next(walk)] == same["data"]
        with pytest.raises(InvalidResponseError, match="ignore offset"):
            next(walk)
        assert server.count == 2


def test_single_resource_method_is_refused_after_its_first_page(client, server):
    server.queue(Reply(200, {"data": {"type": "number", "id": "12065550142"}}))
    with pytest.raises(InvalidResponseError, match="not a list"):
        list(client.paginate(client.numbers.list_account_phone_numbers))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": True}, "page_size"),
        ({"page_size": "10"}, "page_size"),
        ({"limit": 5}, "limit"),
        ({"offset": 5}, "offset"),
    ],
)
def test_bad_paging_options_raise_before_any_request(client, server, options, message):
    with pytest.raises(ValidationError, match=message):
        client.paginate(client.numbers.list_account_phone_numbers, **options)
    assert server.count == 0
