"""The sandbox never answers 5xx: malformed input gets a 4xx in the API's error shape.

First the inputs that once crashed a handler, one test each; then a hypothesis fuzz over every
endpoint (methods, ids in paths, queries, headers, bodies of every JSON type and nesting), over
HTTP against one in-process sandbox, asserting no 5xx and a well-formed error document.
"""

from __future__ import annotations

import base64
import copy
import http.client
import json
import socket
from typing import Any, Iterator, Optional
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.sandbox.conftest import Api, error_of

BROKEN_URL = "http://["
MOBILE = "12065550777"


def assert_api_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return error_of(response)


def raw_request(sandbox: Sandbox, request: bytes) -> bytes:
    """Send bytes exactly as given (no client re-encodes them); the whole answer."""
    address = urlsplit(sandbox.base_uri)
    with socket.create_connection((address.hostname, address.port), timeout=5) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


# -- inputs that once answered 500 ---------------------------------------------------------------


SEND = {"to": MOBILE, "from": "{number}", "body": "x"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/v2.1/messages/sms_callback", {"callback_url": BROKEN_URL}),
        ("POST", "/v2/cdrs/exports", {"callback_url": BROKEN_URL}),
        ("PATCH", "/v2/numbers/{number}", {"messaging_callback_url": BROKEN_URL}),
        (
            "POST",
            "/v2/numbers/{number}/relationships/sms_callback",
            {"callback_url": "http://[::1"},
        ),
        ("POST", "/v2.1/messages", {**SEND, "media_urls": [BROKEN_URL]}),
        ("POST", "/v2.1/messages", {**SEND, "dlr_callback": BROKEN_URL}),
        ("POST", "/v2.1/messages", {**SEND, "dlr_callback": "http://h:port/"}),
    ],
)
def test_a_url_with_a_broken_ipv6_bracket_or_port_is_a_422(api, method, path, body):
    number = api.my_numbers()[0]
    filled = json.loads(json.dumps(body).replace("{number}", number))
    response = api(method, path.replace("{number}", number), json=filled)
    assert_api_error(response, 422)


def test_a_body_with_a_lone_surrogate_is_a_400_not_a_crash_when_measuring_an_mms(api):
    sender = api.my_numbers()[0]
    body = (
        f'{{"to": "{MOBILE}", "from": "{sender}", "is_mms": true, "body": "hi \\ud800", '
        '"media_urls": ["https://cdn.example.com/a.png"]}'
    )
    response = api(
        "POST", "/v2.1/messages", data=body, headers={"Content-Type": "application/json"}
    )
    assert "surrogate" in assert_api_error(response, 400)["detail"]


def test_a_non_ascii_token_on_the_download_url_is_s3s_404(api, sandbox):
    window = {"start_call_start_time": "2019-01-01", "start_call_end_time": "2030-01-01"}
    export = api.jsonapi("POST", "/v2/cdrs/exports", "cdrexport", filter_parameters=window)
    sandbox.complete_cdr_export(export.json()["data"]["id"])  # a token to compare against
    answer = raw_request(
        sandbox,
        "GET /_sandbox/cdr-files/\u00e9t\u00e9.csv.gz?X-Amz-Signature=\u00e9 HTTP/1.1\r\n"
        "Host: x\r\nConnection: close\r\n\r\n".encode("latin-1"),
    )
    assert answer.startswith(b"HTTP/1.1 404")
    assert b"<Error><Code>NoSuchKey</Code>" in answer


def test_non_ascii_basic_credentials_are_a_401(sandbox):
    answer = raw_request(
        sandbox,
        b"GET /v2/numbers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Authorization: Basic \xe9\xe9\xe9\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 401")
    assert b'"title": "Unauthorized"' in answer


def test_a_duration_filter_of_thousands_of_digits_is_a_422(api):
    filters = {
        "start_call_start_time": "2019-01-01 00:00:00",
        "start_call_end_time": "2019-02-01 00:00:00",
        "duration_greater_than": "9" * 5000,
    }
    response = api.jsonapi("POST", "/v2/cdrs/exports", "cdrexport", filter_parameters=filters)
    assert "duration_greater_than" in assert_api_error(response, 422)["detail"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"route_type": "host", "value": NaN}',
        b'{"route_type": "host", "value": "h", "alias": Infinity}',
        b'{"data": ' * 200 + b"{}" + b"}" * 200,
    ],
)
def test_json_beyond_the_standard_or_nested_absurdly_deep_is_a_400(api, body):
    response = api("POST", "/v2/routes", data=body, headers={"Content-Type": "application/json"})
    assert_api_error(response, 400)


# -- the fuzz ------------------------------------------------------------------------------------

CALLBACK = "https://hooks.example.com/x"
E911 = {
    **{"label": "HQ", "first_name": "Ana", "last_name": "Ruiz", "street_number": "1218"},
    **{"street_name": "3rd Ave", "city": "Seattle", "state": "WA", "country": "US"},
    **{"zip": "98101", "address_type": "Suite", "address_type_number": "400"},
}
NUMBER_SETTINGS = {
    **{"alias": "x", "messaging_callback_url": CALLBACK, "messaging_email": "a@example.com"},
    **{"messaging_enabled": True, "cnam_lookups_enabled": False},
}
CDR_FILTERS = {
    **{"start_call_start_time": "2019-01-01 00:00:00", "start_call_end_time": "2030-01-01"},
    **{"number_aliases": ["Office 221"], "number_aliases_contains": ["Office"]},
    **{"destination_numbers": ["+12012673227"], "callerid_numbers": ["12014845220"]},
    **{"custom_x_tags": [""], "caller_ip": "53.186.152.52", "duration_greater_than": 10},
}
# Every endpoint, with a body it accepts (None: it reads none), for mutation.
ENDPOINTS = [
    ("GET", "/v2/numbers/available/areacodes", None),
    ("GET", "/v2/numbers/available/exchanges", None),
    ("GET", "/v2/numbers/available", None),
    ("GET", "/v2/numbers", None),
    ("POST", "/v2/numbers/{inventory}", NUMBER_SETTINGS),
    ("GET", "/v2/numbers/{number}", None),
    ("PATCH", "/v2/numbers/{number}", NUMBER_SETTINGS),
    ("DELETE", "/v2/numbers/{number}", None),
    ("POST", "/v2/numbers/{number}/relationships/{kind}", {"callback_url": CALLBACK}),
    ("PATCH", "/v2/numbers/{number}/relationships/primary_route", {"data": {"id": "83834"}}),
    ("DELETE", "/v2/numbers/{number}/relationships/failover_route", None),
    ("PATCH", "/v2/numbers/{number}/relationships/e911s/{id}", None),
    ("DELETE", "/v2/numbers/{number}/relationships/e911s", None),
    ("PATCH", "/v2/numbers/{number}/relationships/cnam/{id}", None),
    ("DELETE", "/v2/numbers/{number}/relationships/cnams", None),
    ("GET", "/v2/routes", None),
    ("POST", "/v2/routes", {"route_type": "host", "value": "pbx.example.com:5060", "alias": "a"}),
    ("GET", "/v2/routes/edge_strategies", None),
    ("GET", "/v2/routes/{id}", None),
    ("PATCH", "/v2/routes/{id}", {"value": "10.0.0.1", "alias": "b", "edge_strategy_id": 2}),
    ("DELETE", "/v2/routes/{id}", None),
    ("POST", "/v2.1/messages", {
        **{"to": MOBILE, "from": "12012673227", "body": "hi", "is_mms": False},
        **{"media_urls": ["https://cdn.example.com/a.png"], "dlr_callback": CALLBACK},
    }),
    ("GET", "/v2.1/messages", None),
    ("GET", "/v2.1/messages/{id}", None),
    ("PUT", "/v2.1/messages/{kind}", {"callback_url": CALLBACK}),
    ("GET", "/v2.1/messages/{kind}", None),
    ("DELETE", "/v2.1/messages/{kind}", None),
    ("GET", "/v2/e911s", None),
    ("POST", "/v2/e911s", E911),
    ("POST", "/v2/e911s/validate", E911),
    ("GET", "/v2/e911s/{id}", None),
    ("PATCH", "/v2/e911s/{id}", E911),
    ("DELETE", "/v2/e911s/{id}", None),
    ("GET", "/v2/e911s/{id}/relationships/numbers", None),
    ("GET", "/v2/cnams", None),
    ("POST", "/v2/cnams", {"value": "ACME WIDGETS"}),
    ("GET", "/v2/cnams/{id}", None),
    ("PATCH", "/v2/cnams/{id}", {"value": "BROWN BAG"}),
    ("DELETE", "/v2/cnams/{id}", None),
    ("GET", "/v2/cdrs/exports", None),
    ("POST", "/v2/cdrs/exports", {"callback_url": CALLBACK, "filter_parameters": CDR_FILTERS}),
    ("GET", "/v2/cdrs/exports/{id}", None),
    ("POST", "/v2/portorders/portability", {"numbers": ["+14255550111", "+12125550100"]}),
    ("GET", "/_sandbox/cdr-files/{token}.csv.gz", None),
]  # fmt: skip
KINDS = ["sms_callback", "mms_callback", "dlr_callback", "sms_dlr_callback", "mms_dlr_callback"]
QUERY_NAMES = [
    *("limit", "offset", "starts_with", "contains", "ends_with", "areacode", "max_setup_cost"),
    *("rate_center", "state", "route_type", "start_date", "end_date", "status", "is_approved"),
    *("value", "label", "street_name", "city", "cnam_lookups_enabled", "messaging_enabled"),
    "X-Amz-Signature",
]
# Values that broke handlers before or sit on a boundary, by the kind of field they go in.
NASTY = {
    "url": [BROKEN_URL, "http://[::1", "http://h:99999/", "ftp://x", "http://"],
    "urls": [[BROKEN_URL], ["http://h:x/"], "http://a", [1], []],
    "phone": ["+12012673227", "1201267322", 12012673227, "\u0661" * 11, "12014845220"],
    "text": ["\ud800 x", "a" * 300, "", " ", "NaN"],
    "number": ["9" * 5000, 10**30, -1, "1e400", "\u00b2"],
    "date": ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-23:59", "2019-13-45", "2019"],
    "list": [["\ud800"], [1], "x", [None], []],
    "bool": ["maybe", 2, "True", "0"],
    "any": [None, [], {}, True, 1.5, "\udfff"],
}
FIELD_KINDS = {
    **dict.fromkeys(("callback_url", "dlr_callback", "messaging_callback_url"), "url"),
    **dict.fromkeys(("to", "from"), "phone"),
    **dict.fromkeys(("edge_strategy_id", "duration_greater_than", "id"), "number"),
    **dict.fromkeys(("start_call_start_time", "start_call_end_time"), "date"),
    **dict.fromkeys(("is_mms", "messaging_enabled", "cnam_lookups_enabled"), "bool"),
    **dict.fromkeys(("number_aliases", "number_aliases_contains", "custom_x_tags"), "list"),
    **dict.fromkeys(("destination_numbers", "callerid_numbers", "numbers"), "list"),
    "media_urls": "urls",
}
SCALARS = [
    *("12012673227", "0", "-1", "83834", "21845", "22671", "2019-01-01T00:00:00Z", "true"),
    *(BROKEN_URL, "\ud800", "9" * 5000, "host", "Suite", "US", "WA", "98101"),
]
text = st.text(alphabet=st.characters(exclude_categories=()), max_size=8)
scalars = st.sampled_from(SCALARS) | st.none() | st.booleans() | st.integers() | st.floats() | text
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)
ids = st.sampled_from(["0", "83834", "21845", "22671", "51231", "98397", "12012673227"]) | text
numbers = st.sampled_from(["12012673227", "12014845220", "12062011682", "19999999999"]) | text
tokens = st.sampled_from(["{token}", "{token}x", ""]) | text
query = st.lists(
    st.tuples(st.sampled_from(QUERY_NAMES) | text, st.sampled_from(SCALARS) | text),
    max_size=3,
)
content_types = st.sampled_from(
    [
        *(None, "application/json", None, "application/vnd.api+json; charset=utf-8", None),
        *("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"),
    ]
)
hosts = st.sampled_from([None, "localhost:8080", "[::1]:80", "bad host", "[::1", "x:99999", ""])


@st.composite
def mutated(draw: Any, template: dict[str, Any]) -> Any:
    """``template`` with a few fields (top level or one down) replaced, removed or added."""
    body = json.loads(json.dumps(template))
    for _ in range(draw(st.sampled_from([1, 1, 2, 3]))):
        target = body
        nested = [k for k, v in body.items() if isinstance(v, dict)]
        if nested and draw(st.booleans()):
            target = body[draw(st.sampled_from(nested))]
        key = draw(st.sampled_from(sorted(target))) if target else draw(text)
        action = draw(st.sampled_from(["nasty"] * 6 + ["any", "any", "json", "drop", "add"]))
        # Copies: a drawn value is hypothesis's (or a shared constant), never to be changed.
        if action == "drop":
            target.pop(key, None)
        elif action == "add":
            target[draw(text)] = copy.deepcopy(draw(json_values))
        elif action == "json":
            target[key] = copy.deepcopy(draw(json_values))
        else:
            kind = FIELD_KINDS.get(key, "text") if action == "nasty" else "any"
            target[key] = copy.deepcopy(draw(st.sampled_from(NASTY[kind])))
    if draw(st.sampled_from([False, True])):
        return {"data": {"type": draw(st.sampled_from(["x", "route", 1])), "attributes": body}}
    return body


@st.composite
def fuzz_requests(draw: Any) -> dict[str, Any]:
    with_body = [e for e in ENDPOINTS if e[2] is not None]
    method, template, good = draw(st.sampled_from(draw(st.sampled_from([with_body, ENDPOINTS]))))
    if draw(st.sampled_from([False] * 9 + [True])):  # now and then, no endpoint's method or path
        method = draw(st.sampled_from(["GET", "PUT", "POST", "HEAD", "OPTIONS", "BREW"]))
        template = draw(st.sampled_from(["/{text}", template + "/x", "/v2/numbers/available"]))
    body: Any = None
    choice = draw(st.sampled_from(["mutated"] * 6 + ["json", "json", "bytes", "form"]))
    if good is not None and choice == "mutated":
        body = ("json", draw(mutated(good)))
    elif choice in ("json", "mutated"):
        body = ("json", draw(json_values))
    elif choice == "bytes":
        body = draw(st.binary(max_size=30))
    else:
        form = draw(st.dictionaries(st.sampled_from(["value", "numbers", "numbers[]"]), text))
        body = ("form", form)
    return {
        "method": method,
        "template": template,
        "values": {
            "{number}": draw(numbers),
            "{inventory}": draw(st.just("{inventory}") | numbers),
            "{id}": draw(ids),
            "{kind}": draw(st.sampled_from(KINDS) | text),
            "{token}": draw(tokens),
            "{text}": draw(text),
        },
        "query": draw(query),
        "body": body,
        "content_type": draw(content_types),
        "authorized": draw(st.sampled_from([True] * 9 + [False])),
        "host": draw(hosts),
        "fresh_account": draw(st.sampled_from([True, False])),
    }


class Fuzzer:
    """One keep-alive connection to a sandbox with an export ready to download."""

    def __init__(self, sandbox: Sandbox) -> None:
        api = Api(sandbox)
        export = api.jsonapi(
            "POST", "/v2/cdrs/exports", "cdrexport", filter_parameters=CDR_FILTERS
        ).json()["data"]["id"]
        sandbox.complete_cdr_export(export)
        url = api.get(f"/v2/cdrs/exports/{export}").json()["data"]["attributes"]["download_url"]
        self.token = urlsplit(url).path.rsplit("/", 1)[1][: -len(".csv.gz")]
        self.inventory = api.get("/v2/numbers/available", limit=1).json()["data"][0]["id"]
        api.session.close()
        address = urlsplit(sandbox.base_uri)
        self.connection = http.client.HTTPConnection(address.hostname, address.port, timeout=5)
        self.secret = sandbox.secret_key
        self.accounts = 0

    def path(self, template: str, values: dict[str, str], query: list[tuple[str, str]]) -> str:
        path = template
        for name, value in values.items():
            value = value.replace("{token}", self.token).replace("{inventory}", self.inventory)
            path = path.replace(name, _quoted(value))
        if query:
            path += "?" + "&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in query)
        return path

    def authorization(self, fresh_account: bool) -> str:
        self.accounts += fresh_account
        credentials = f"fuzz-{self.accounts}:{self.secret}".encode()
        return "Basic " + base64.b64encode(credentials).decode()

    def send(
        self, method: str, path: str, headers: dict[str, str], body: Optional[bytes]
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        if response.will_close:
            self.connection.close()
        return response.status, response.headers, payload


def _quoted(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def encode_body(body: Any) -> Optional[bytes]:
    if body is None or isinstance(body, bytes):
        return body
    kind, value = body
    if kind == "form":
        return "&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in value.items()).encode()
    return json.dumps(value).encode()


@pytest.fixture(scope="module")
def fuzzer() -> Iterator[Fuzzer]:
    with Sandbox() as sandbox:
        running = Fuzzer(sandbox)
        yield running
        running.connection.close()


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(request=fuzz_requests())
def test_no_request_gets_a_5xx_and_every_error_is_well_formed(fuzzer, request):
    path = fuzzer.path(request["template"], request["values"], request["query"])
    headers = {}
    if request["authorized"]:
        headers["Authorization"] = fuzzer.authorization(request["fresh_account"])
    if request["content_type"] is not None:
        headers["Content-Type"] = request["content_type"]
    if request["host"] is not None:
        headers["Host"] = request["host"]
    method = request["method"]
    status, answer_headers, payload = fuzzer.send(
        method, path, headers, encode_body(request["body"])
    )

    assert status < 500, (status, payload[:300])
    if method == "HEAD" or status < 400:
        return
    if path.startswith("/_sandbox/"):
        assert answer_headers["Content-Type"] == "application/xml"
        assert payload.startswith(b'<?xml version="1.0"') and b"<Error><Code>" in payload
        return
    (error,) = json.loads(payload)["errors"]
    assert error["status"] == status and error["title"] and error["detail"]
    assert answer_headers["Content-Type"] == "application/vnd.api+json"
