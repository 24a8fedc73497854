"""Fixtures for the sandbox's own tests: a sandbox, a raw HTTP helper, a webhook receiver."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator, Optional

import pytest
import requests

from flowroutenumbersandmessaging.sandbox import Sandbox
from flowroutenumbersandmessaging.sandbox._server import AcceptLoop

EXACT_E911 = {
    "label": "HQ",
    "first_name": "Ana",
    "last_name": "Ruiz",
    "street_number": "1218",
    "street_name": "3rd Ave",
    "city": "Seattle",
    "state": "WA",
    "country": "US",
    "zip": "98101",
}


class Api:
    """Plain ``requests`` against the sandbox, with its credentials."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.base = sandbox.base_uri
        self.session = requests.Session()
        self.session.auth = (sandbox.access_key, sandbox.secret_key)

    def __call__(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 5)
        return self.session.request(method, self.base + path, **kwargs)

    def get(self, path: str, **params: Any) -> requests.Response:
        return self("GET", path, params=params)

    def jsonapi(self, method: str, path: str, type_: str, **attributes: Any) -> requests.Response:
        return self(method, path, json={"data": {"type": type_, "attributes": attributes}})

    def my_numbers(self) -> list[str]:
        return [n["id"] for n in self.get("/v2/numbers").json()["data"]]

    def buy(self, prefix: str = "1206") -> str:
        number = self.get("/v2/numbers/available", starts_with=prefix, limit=1).json()["data"][0]
        assert self("POST", f"/v2/numbers/{number['id']}").status_code == 201
        return str(number["id"])


def error_of(response: requests.Response) -> dict[str, Any]:
    """The single JSON:API error of an error response, checked for the contract's shape."""
    (error,) = response.json()["errors"]
    assert error["status"] == response.status_code
    assert len(error["id"]) == 36 and error["title"]
    return dict(error)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[Api]:
    client = Api(sandbox)
    yield client
    client.session.close()


class Receiver:
    """A loopback webhook receiver recording every POST; answers ``status``."""

    def __init__(self) -> None:
        self.hits: list[dict[str, Any]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.hits.append(
                    {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
                )
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.accepting = AcceptLoop(self.server, "webhook-receiver")
        self.accepting.start()

    def close(self) -> None:
        self.accepting.stop()
        self.server.server_close()

    def paths(self) -> list[str]:
        return [h["path"] for h in self.hits]

    def json_at(self, path: str) -> Optional[dict[str, Any]]:
        return next((h["json"] for h in self.hits if h["path"] == path), None)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


# The package's pytest11 entry point only exists once it is installed; a source checkout gets
# the same fixtures from here (a conftest's own fixtures take precedence, so both can coexist).
from flowroutenumbersandmessaging.sandbox.pytest_plugin import (  # noqa: E402
    flowroute_client,  # noqa: F401
    flowroute_sandbox,  # noqa: F401
    flowroute_sandbox_options,  # noqa: F401
)
