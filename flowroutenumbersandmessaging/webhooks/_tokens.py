"""Capability tokens in callback URLs.

Flowroute neither signs its callbacks nor sends a secret header, so the only secret a callback
can carry is one you put in its URL: a random token in the ``fr_token`` query parameter. Anyone
who does not know the URL cannot post a callback your receiver accepts.
"""

from __future__ import annotations

import hmac
import re
import secrets
from typing import Iterable, Optional, Union
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from .._validate import callback_url
from ..exceptions import ValidationError

PARAMETER = "fr_token"
# At least 192 bits of an URL-safe alphabet, so that the token never needs percent-encoding
# and the query can be compared byte for byte.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,512}")

Tokens = Union[str, Iterable[str]]


def new_token() -> str:
    """A fresh random token: 43 URL-safe characters (256 bits) from :mod:`secrets`."""
    return secrets.token_urlsafe(32)


def add_token(url: str, token: str) -> str:
    """``url`` with ``fr_token=<token>`` in its query; the rest of the URL is kept as it is.

    A ``fr_token`` already in the URL is replaced, so a rotated URL never carries two.
    """
    callback_url(url, "url")
    _token_bytes(token)
    parts = urlsplit(url)
    kept = [pair for pair in parts.query.split("&") if pair and _name(pair) != PARAMETER]
    kept.append(f"{PARAMETER}={token}")
    return urlunsplit(parts._replace(query="&".join(kept)))


def check_token(url: str, tokens: Tokens) -> bool:
    """Whether ``url`` carries exactly one ``fr_token`` equal to one of ``tokens``.

    ``url`` is the URL as requested: absolute, or its path and query. ``tokens`` is one token
    or several (during a rotation, the new one and the old one). The comparison takes the same
    time whichever token matches, or none. False when the parameter is absent, repeated,
    altered or malformed; never raises for any ``url``.
    """
    return matches(url, expected_tokens(tokens))


def expected_tokens(tokens: Tokens) -> tuple[bytes, ...]:
    """The configured tokens, checked; :class:`ValidationError` names what is wrong."""
    if isinstance(tokens, str):
        tokens = (tokens,)
    try:
        found = tuple(tokens)
    except TypeError:
        raise ValidationError("tokens must be a token or a list of tokens") from None
    if not found:
        raise ValidationError("give at least one token (or tokens=None to accept any callback)")
    return tuple(_token_bytes(token) for token in found)


def matches(url: object, expected: tuple[bytes, ...]) -> bool:
    presented = _presented(url)
    if presented is None:
        return False
    found = False
    for token in expected:
        # No early exit: every configured token is compared on every request.
        found |= hmac.compare_digest(presented, token)
    return found


def _token_bytes(token: object) -> bytes:
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        # The value itself stays out of the message: it may be a secret.
        raise ValidationError(
            "a token must be 32 to 512 characters from A-Z, a-z, 0-9, '-' and '_' "
            "(new_token() makes one)"
        )
    return token.encode("ascii")


def _presented(url: object) -> Optional[bytes]:
    if not isinstance(url, str):
        return None
    query = url.split("#", 1)[0].partition("?")[2]
    values = [pair.partition("=")[2] for pair in query.split("&") if _name(pair) == PARAMETER]
    if len(values) != 1 or not _TOKEN.fullmatch(values[0]):
        return None
    return values[0].encode("ascii")


def _name(pair: str) -> str:
    return unquote_plus(pair.partition("=")[0])
