"""The sandbox API: a function from request to response, over the resource modules' URL tables.

Nothing here touches sockets. ``App.handle(request)`` takes a :class:`Request` and returns a
:class:`Response`; the HTTP server (``_server``) and the fault layer sit in front of it.
``handle`` authenticates the caller (each access key is its own account), finds the resource
the path names and the handler for the method, and turns every refusal into the API's
``{"errors": [...]}`` body. A handler that fails unexpectedly is a sandbox bug: it is logged
and answered 500, and the server keeps serving.
"""

from __future__ import annotations

import base64
import hmac
import logging
import re
from collections.abc import Mapping
from typing import Callable, Optional
from urllib.parse import unquote

from . import _cdrs, _cnam, _e911, _messages, _numbers, _porting, _routes
from ._account import Account
from ._rules import ApiError, is_http_host
from ._s3 import DOWNLOAD_PREFIX, download
from ._state import State
from ._wire import Call, Request, Response, error_response

__all__ = ["App", "Request", "Response", "error_response"]

logger = logging.getLogger("flowroutenumbersandmessaging.sandbox")

Handler = Callable[..., Response]
# In order: where a fixed path and a pattern both match (/v2/numbers/available and
# /v2/numbers/{number}), the fixed path comes first in its module and wins.
RESOURCE_MODULES = (_numbers, _routes, _messages, _e911, _cnam, _cdrs, _porting)


class App:
    """The Flowroute API over one :class:`State`.

    Args:
        state: the world and its accounts.
        base_uri: what links start with when the request names no usable ``Host``
            (``http://127.0.0.1:PORT``).
        access_key, secret_key: the only credentials accepted; ``None`` accepts any non-empty
            pair, each access key with an account of its own.
    """

    def __init__(
        self,
        state: State,
        base_uri: str,
        *,
        access_key: Optional[str] = None,
        secret_key: Optional[str] = None,
    ) -> None:
        self.state = state
        self.base = base_uri.rstrip("/")
        self.access_key = access_key
        self.secret_key = secret_key
        self.routes: list[tuple[re.Pattern[str], Mapping[str, Handler]]] = [
            (re.compile(pattern), methods)
            for module in RESOURCE_MODULES
            for pattern, methods in module.RESOURCES
        ]

    def handle(self, request: Request) -> Response:
        """Answer one request. Never raises."""
        try:
            self.state.advance()
            if request.path.startswith(DOWNLOAD_PREFIX):
                if request.method == "OPTIONS":
                    return Response(204, headers={"Allow": "GET"})
                return download(request, self.state)
            if request.method == "OPTIONS":
                methods, _ = self.resolve(request.path)
                return Response(204, headers={"Allow": ", ".join(methods)})
            account = self.authenticate(request)
            methods, params = self.resolve(request.path)
            wanted = "GET" if request.method == "HEAD" else request.method
            handler = methods.get(wanted)
            if handler is None:
                allowed = ", ".join(methods)
                raise ApiError(
                    405,
                    f"{request.method} is not allowed on {request.path}; use {allowed}.",
                    headers={"Allow": allowed},
                )
            call = Call(request, self.state, account, self.base_for(request))
            with self.state.lock:
                return handler(call, **params)
        except ApiError as error:
            return error_response(error.status, error.detail, error.headers)
        except Exception:
            logger.exception("sandbox error on %s %r", request.method, request.target[:200])
            return error_response(500, "The sandbox hit an unexpected error.")

    def authenticate(self, request: Request) -> Account:
        """The caller's account, from HTTP Basic credentials; 401 without usable ones."""
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except ValueError:  # not base64 (or not ASCII at all), or not UTF-8 inside
            decoded = ""
        user, colon, password = decoded.partition(":")
        if scheme.lower() != "basic" or not colon or not user or not password:
            raise ApiError(
                401, "Authentication required: HTTP Basic with your API access key and secret key."
            )
        if self.access_key is not None and self.secret_key is not None:
            ok = hmac.compare_digest(user.encode(), self.access_key.encode())
            ok &= hmac.compare_digest(password.encode(), self.secret_key.encode())
            if not ok:
                raise ApiError(401, "Invalid access key or secret key.")
        return self.state.account(user)

    def resolve(self, path: str) -> tuple[Mapping[str, Handler], dict[str, str]]:
        """The methods of the resource ``path`` names, and the ids it carries; else 404."""
        for pattern, methods in self.routes:
            match = pattern.fullmatch(path)
            if match is not None:
                return methods, {k: unquote(v) for k, v in match.groupdict().items()}
        raise ApiError(404, f"No such endpoint: {path[:200]}")

    def base_for(self, request: Request) -> str:
        """Links start with the host the client called, so they work through any name for it."""
        host = request.headers.get("host", "")
        return f"http://{host}" if is_http_host(host) else self.base
