"""Authentication, error bodies, content types, limits and pagination edges."""

from __future__ import annotations

import base64
import socket

import pytest
import requests

from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.sandbox.conftest import error_of


def test_requests_without_or_with_malformed_basic_auth_are_401(sandbox):
    url = sandbox.base_uri + "/v2/numbers"
    for auth in (None, ("key", ""), ("", "secret")):
        response = requests.get(url, auth=auth, timeout=5)
        assert response.status_code == 401
        assert error_of(response)["title"] == "Unauthorized"
    garbled = requests.get(url, headers={"Authorization": "Basic !!!"}, timeout=5)
    assert garbled.status_code == 401
    assert requests.get(url, auth=("any", "thing"), timeout=5).status_code == 200


def test_configured_credentials_are_the_only_ones_accepted():
    with Sandbox(access_key="AK1", secret_key="SK1") as sandbox:
        url = sandbox.base_uri + "/v2/routes"
        wrong = requests.get(url, auth=("AK1", "nope"), timeout=5)
        right = requests.get(url, auth=("AK1", "SK1"), timeout=5)
        with sandbox.client() as client:
            mine = client.numbers.list_account_phone_numbers()
    assert wrong.status_code == 401 and right.status_code == 200
    assert len(mine["data"]) == 2
    with pytest.raises(ValueError, match="both"):
        Sandbox(access_key="AK1")


def test_unknown_path_is_404_and_wrong_method_is_405_with_allow(api):
    missing = api.get("/v3/everything")
    assert missing.status_code == 404 and "/v3/everything" in error_of(missing)["detail"]
    wrong = api("PUT", "/v2/routes")
    assert wrong.status_code == 405
    assert wrong.headers["Allow"] == "GET, POST"
    assert error_of(wrong)["title"] == "Method Not Allowed"


def test_wrong_content_type_is_415_and_malformed_json_is_400(api):
    body = b'{"data": {"type": "route", "attributes": {}}}'
    text = api("POST", "/v2/routes", data=body, headers={"Content-Type": "text/plain"})
    assert text.status_code == 415
    assert "Content-Type" in error_of(text)["detail"]
    form = api("POST", "/v2/routes", data={"data": "x"})
    assert form.status_code == 415
    broken = api(
        "POST", "/v2/routes", data=b'{"data": ', headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400
    assert error_of(broken)["detail"] == "Malformed JSON in the request body."
    not_object = api("POST", "/v2/routes", json=[1, 2])
    assert not_object.status_code == 400
    empty = api("POST", "/v2/routes", headers={"Content-Type": "application/json"})
    assert empty.status_code == 400


def test_chunked_request_bodies_are_read(api):
    chunks = iter(
        [
            b'{"data": {"type": "route", "attributes": ',
            b'{"route_type": "host", "value": "10.1.1.1"}}}',
        ]
    )
    response = api("POST", "/v2/routes", data=chunks, headers={"Content-Type": "application/json"})
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v2/numbers", {"limit": 0}),
        ("/v2/numbers", {"limit": 201}),
        ("/v2/numbers/available/areacodes", {"limit": 401}),
        ("/v2/numbers/available/exchanges", {"limit": 201}),
        ("/v2/routes", {"limit": "ten"}),
        ("/v2/routes", {"offset": -1}),
        ("/v2/numbers", {"limit": "--5"}),
        ("/v2/numbers", {"offset": "--1"}),
        ("/v2/numbers", {"limit": "+5"}),
        ("/v2/numbers", {"offset": "9" * 5000}),
        ("/v2.1/messages", {"start_date": "0001-01-01T00:00:00+01:00"}),
        ("/v2/cdrs/exports", {"limit": 201}),
        ("/v2/e911s", {"limit": 2001}),
        ("/v2/numbers/available", {"starts_with": "12a"}),
    ],
)
def test_limits_out_of_range_or_not_integers_are_400(api, path, params):
    response = api.get(path, **params)
    assert response.status_code == 400
    assert error_of(response)["detail"]


def test_per_endpoint_maximum_limits_are_accepted(api):
    assert len(api.get("/v2/numbers/available/areacodes", limit=400).json()["data"]) >= 30
    assert len(api.get("/v2/numbers/available", limit=200).json()["data"]) == 200
    assert api.get("/v2/cnams", limit=5000).status_code == 200


def test_empty_list_has_a_self_link_and_no_next(api):
    doc = api.get("/v2/e911s", state="AK").json()
    assert doc == {"data": [], "links": {"self": f"{api.base}/v2/e911s?state=ak&limit=10&offset=0"}}


def add_routes(api, count):
    for n in range(count):
        value = f"10.0.0.{n + 1}"
        api.jsonapi("POST", "/v2/routes", "route", route_type="host", value=value, alias=str(n))


def test_exact_multiple_of_the_page_size_has_no_next_on_the_last_page(api):
    add_routes(api, 8)  # + sip-reg and the number route = 10
    first = api.get("/v2/routes", limit=5).json()
    assert first["links"]["next"] == f"{api.base}/v2/routes?limit=5&offset=5"
    second = api.get("/v2/routes", limit=5, offset=5).json()
    assert len(second["data"]) == 5 and "next" not in second["links"]
    assert second["links"]["self"] == f"{api.base}/v2/routes?limit=5&offset=5"
    whole = api.get("/v2/routes").json()
    assert len(whole["data"]) == 10 and "next" not in whole["links"]


def test_last_partial_page_and_offset_past_the_end(api):
    add_routes(api, 5)  # 7 routes
    ids = [r["id"] for r in api.get("/v2/routes", limit=200).json()["data"]]
    last = api.get("/v2/routes", limit=3, offset=6).json()
    assert [r["id"] for r in last["data"]] == ids[6:] and "next" not in last["links"]
    beyond = api.get("/v2/routes", limit=3, offset=50).json()
    assert beyond["data"] == [] and "next" not in beyond["links"]
    pages = [api.get("/v2/routes", limit=3, offset=o).json()["data"] for o in (0, 3, 6)]
    assert [r["id"] for page in pages for r in page] == ids


def raw_exchange(sandbox, request: bytes) -> bytes:
    """Send raw bytes to the sandbox; what came back before it answered or closed (2 s max)."""
    host, port = sandbox.base_uri.rsplit("/", 1)[-1].split(":")
    with socket.create_connection((host, int(port)), timeout=2) as sock:
        sock.sendall(request)
        try:
            return sock.recv(65536)
        except socket.timeout:
            return b"<no answer>"


def auth_header(sandbox) -> bytes:
    token = base64.b64encode(f"{sandbox.access_key}:{sandbox.secret_key}".encode())
    return b"Authorization: Basic " + token + b"\r\n"


def test_a_negative_chunk_size_is_400_not_a_hung_connection(sandbox):
    answer = raw_exchange(
        sandbox,
        b"POST /v2/routes HTTP/1.1\r\nHost: x\r\n"
        + auth_header(sandbox)
        + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"-1\r\nabc\r\n0\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 400")


def test_a_non_ascii_content_length_is_400_not_a_dropped_connection(sandbox):
    answer = raw_exchange(
        sandbox,
        b"POST /v2/routes HTTP/1.1\r\nHost: x\r\n"
        + auth_header(sandbox)
        + "Content-Length: \u00b2\r\n\r\n".encode("latin-1")
        + b"{}",
    )
    assert answer.startswith(b"HTTP/1.1 400")


def test_an_empty_body_labelled_as_a_form_is_no_body_at_all(api):
    number = api.get("/v2/numbers/available", limit=1).json()["data"][0]["id"]
    response = api(
        "POST",
        f"/v2/numbers/{number}",
        data=b"",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 201


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE", "PUT"])
def test_writing_to_the_available_numbers_is_405_allowing_only_get(api, method):
    response = api(method, "/v2/numbers/available")
    assert response.status_code == 405 and response.headers["Allow"] == "GET"
    assert error_of(response)["title"] == "Method Not Allowed"


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/v2/numbers/available", "GET"),
        ("/v2/numbers", "GET"),
        ("/v2/numbers/12012673227", "POST, GET, DELETE, PATCH"),
        ("/v2/routes", "GET, POST"),
        ("/v2/routes/edge_strategies", "GET"),
        ("/v2.1/messages/sms_callback", "PUT, GET, DELETE"),
        ("/v2/e911s/validate", "POST"),
        ("/v2/portorders/portability", "POST"),
        ("/_sandbox/cdr-files/abc.csv.gz", "GET"),
    ],
)
def test_options_lists_only_the_methods_the_path_allows(sandbox, path, allowed):
    response = requests.options(sandbox.base_uri + path, timeout=5)
    assert response.status_code == 204 and response.headers["Allow"] == allowed
    assert requests.options(sandbox.base_uri + "/v9/nothing", timeout=5).status_code == 404


def test_links_use_the_host_the_client_called_and_the_bind_address_for_a_bad_host(api, sandbox):
    port = sandbox.base_uri.rsplit(":", 1)[1]
    for host in (f"localhost:{port}", f"[::1]:{port}", "sandbox.test"):
        doc = api("GET", "/v2/routes", headers={"Host": host})
        assert doc.json()["links"]["self"] == f"http://{host}/v2/routes?limit=10&offset=0"
    for bad in ("bad host", "x:99999", "[::1", "a/b", ""):
        doc = api("GET", "/v2/routes", headers={"Host": bad})
        assert doc.json()["data"][0]["links"]["self"] == f"{sandbox.base_uri}/v2/routes/0"
