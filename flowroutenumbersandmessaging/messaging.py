"""What a text costs before you send it: its encoding and segment count, and ASCII clean-up.

Flowroute bills an SMS per segment and documents the rules:

* a body of ASCII characters only goes out with encoding 0: up to 160 characters in one
  segment, and 140 characters a segment once it is longer;
* any other character switches the whole body to encoding 8 (UCS-2): 70 characters a segment,
  counted in UTF-16 code units, so a character outside the Basic Multilingual Plane (most
  emoji) counts as two.

The sandbox bills with :func:`count_segments`, so the SDK and the sandbox never disagree.
Smart quotes and dashes pasted from a word processor are the usual reason a body ends up in
UCS-2 (and Flowroute warns that smart quotes can make a send fail): :func:`normalize_text`
replaces them with ASCII on request.
"""

from __future__ import annotations

import math
from typing import NamedTuple

__all__ = ["ASCII", "UCS2", "Segments", "count_segments", "normalize_text"]

ASCII = 0
"""``message_encoding`` of a body made of ASCII characters only."""
UCS2 = 8
"""``message_encoding`` of a body with any non-ASCII character."""

_SINGLE = {ASCII: 160, UCS2: 70}
_PER_SEGMENT = {ASCII: 140, UCS2: 70}


class Segments(NamedTuple):
    """How Flowroute counts a text: ``(encoding, segments, units, per_segment)``.

    ``units`` is the length the limits apply to (characters for encoding 0, UTF-16 code units
    for encoding 8); ``per_segment`` the most units a segment holds at this length. An empty
    text is 0 segments.
    """

    encoding: int
    segments: int
    units: int
    per_segment: int


def count_segments(text: str) -> Segments:
    """The encoding and segment count Flowroute applies to ``text``."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if text.isascii():
        encoding, units = ASCII, len(text)
    else:
        # UTF-16 code units: a character above U+FFFF takes a surrogate pair.
        encoding, units = UCS2, len(text) + sum(1 for c in text if ord(c) > 0xFFFF)
    single = _SINGLE[encoding]
    per_segment = single if units <= single else _PER_SEGMENT[encoding]
    return Segments(encoding, math.ceil(units / per_segment), units, per_segment)


_ASCII_FOR = {
    # single quotes and apostrophes
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    # double quotes
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    # dashes and the minus sign
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    # ellipsis
    "\u2026": "...",
    # non-breaking and fixed-width spaces
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
}
_TABLE = str.maketrans(_ASCII_FOR)


def normalize_text(text: str) -> str:
    """``text`` with smart quotes, dashes, the ellipsis and non-breaking spaces made ASCII.

    Every other character is left as it is, so a body with an emoji or an accented letter
    still goes out in UCS-2.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return text.translate(_TABLE)
