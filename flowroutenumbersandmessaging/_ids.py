"""Validators for every value that ends up in a URL path.

Ids are checked against strict ASCII patterns before any URL is built: quoting alone does not
stop ``..`` segments (requests removes dot-segments and decodes ``%2E``), and ``\\d`` would
accept non-ASCII digits. A bad id raises :class:`ValidationError` and nothing is sent.
"""

from __future__ import annotations

import re
from typing import Union

from .exceptions import ValidationError

_PHONE_NUMBER = re.compile(r"1[0-9]{10}")
_RECORD_ID = re.compile(r"[0-9]{1,19}")
_MESSAGE_ID = re.compile(r"mdr[0-9]+-[0-9a-f]{32}")

IdLike = Union[str, int]


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "...")


def _text(value: object, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValidationError(f"{what} must be a string or an int, not {type(value).__name__}")
    return str(value)


def phone_number(value: IdLike, what: str = "number_id") -> str:
    """An 11-digit NANP number (``12065550142``); a leading ``+`` is dropped."""
    text = _text(value, what)
    digits = text[1:] if text.startswith("+") else text
    if not _PHONE_NUMBER.fullmatch(digits):
        raise ValidationError(
            f"{what} must be an 11-digit number starting with 1, got {_shown(text)}"
        )
    return digits


def record_id(value: IdLike, what: str) -> str:
    """A numeric record id (route, E911, CNAM, CDR export)."""
    text = _text(value, what)
    if not _RECORD_ID.fullmatch(text):
        raise ValidationError(f"{what} must be a numeric id, got {_shown(text)}")
    return text


def message_id(value: IdLike, what: str = "message_id") -> str:
    """A message detail record id: ``mdr2-`` followed by 32 lowercase hex digits."""
    text = _text(value, what)
    if not _MESSAGE_ID.fullmatch(text):
        raise ValidationError(f"{what} must look like 'mdr2-' + 32 hex digits, got {_shown(text)}")
    return text
