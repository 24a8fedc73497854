"""Credentials and what keeps them secret: :class:`Secret`, :class:`BasicAuth`, scrubbing.

Credentials live in :class:`Secret` (never shown, never pickled) inside a per-request
:class:`BasicAuth`; no session ever holds them, so nothing else sent through one can carry them.
What a misbehaving server echoes back is blanked out of errors and logs by :class:`Scrubber`.
"""

from __future__ import annotations

import base64
from typing import Any, Mapping

import requests

# Values shorter than this are not scrubbed: a sandbox's one-letter key would only shred the
# text it occurs in, and a real credential is never that short.
_MIN_ECHO = 8
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
# Headers that may appear in logs; everything else (Authorization first) never does.
_LOGGED_HEADERS = frozenset(
    {"content-type", "content-length", "retry-after", "user-agent", "accept"}
)


class Secret:
    """A string that never shows itself in ``repr``, ``str``, logs or pickles."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("credentials cannot be pickled")


def basic_token(access_key: str, secret_key: str) -> str:
    return base64.b64encode(f"{access_key}:{secret_key}".encode()).decode("ascii")


def redact_key(key: str) -> str:
    """The first four characters of an access key, for telling accounts apart."""
    return repr(key[:4] + "…") if len(key) > 4 else "'…'"


class BasicAuth(requests.auth.AuthBase):
    """HTTP Basic auth from two :class:`Secret`s, applied per request, never stored on a session."""

    def __init__(self, access_key: Secret, secret_key: Secret) -> None:
        self.access_key = access_key
        self.secret_key = secret_key

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        token = basic_token(self.access_key.reveal(), self.secret_key.reveal())
        request.headers["Authorization"] = "Basic " + token
        return request

    def __repr__(self) -> str:
        return f"BasicAuth(access_key={redact_key(self.access_key.reveal())})"


class NoAuth(requests.auth.AuthBase):
    """Explicitly no credentials: requests falls back to ``~/.netrc`` only when auth is unset."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


class Scrubber:
    """Blanks one client's credentials (and their Basic token) out of text."""

    __slots__ = ("_echoes",)

    def __init__(self, access_key: str, secret_key: str) -> None:
        values = (basic_token(access_key, secret_key), secret_key, access_key)
        self._echoes = tuple(Secret(value) for value in values if len(value) >= _MIN_ECHO)

    def __call__(self, text: str) -> str:
        for secret in self._echoes:
            if secret.reveal() in text:
                text = text.replace(secret.reveal(), "[redacted]")
        return text

    def __reduce__(self) -> Any:
        raise TypeError("credentials cannot be pickled")


def redacted_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers with every credential-bearing value replaced."""
    return {k: ("[redacted]" if k.lower() in _SECRET_HEADERS else v) for k, v in headers.items()}


def loggable_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers safe to log (an allow-list)."""
    return {k: v for k, v in headers.items() if k.lower() in _LOGGED_HEADERS}
