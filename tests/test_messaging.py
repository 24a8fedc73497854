"""count_segments at every boundary Flowroute documents, and normalize_text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowroutenumbersandmessaging.messaging import (
    ASCII,
    UCS2,
    Segments,
    count_segments,
    normalize_text,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Segments(ASCII, 0, 0, 160)),
        ("a", Segments(ASCII, 1, 1, 160)),
        ("a" * 160, Segments(ASCII, 1, 160, 160)),
        ("a" * 161, Segments(ASCII, 2, 161, 140)),
        ("a" * 280, Segments(ASCII, 2, 280, 140)),
        ("a" * 281, Segments(ASCII, 3, 281, 140)),
        ("a" * 420, Segments(ASCII, 3, 420, 140)),
        ("a" * 421, Segments(ASCII, 4, 421, 140)),
        ("é", Segments(UCS2, 1, 1, 70)),
        ("é" * 70, Segments(UCS2, 1, 70, 70)),
        ("é" * 71, Segments(UCS2, 2, 71, 70)),
        ("é" * 140, Segments(UCS2, 2, 140, 70)),
        ("é" * 141, Segments(UCS2, 3, 141, 70)),
        # one non-ASCII character switches the whole body to UCS-2
        ("a" * 69 + "€", Segments(UCS2, 1, 70, 70)),
        ("a" * 70 + "€", Segments(UCS2, 2, 71, 70)),
        # an emoji is two UTF-16 code units
        ("😀" * 35, Segments(UCS2, 1, 70, 70)),
        ("😀" * 35 + "a", Segments(UCS2, 2, 71, 70)),
        ("a" * 69 + "😀", Segments(UCS2, 2, 71, 70)),
    ],
)
def test_count_segments_at_each_boundary(text, expected):
    assert count_segments(text) == expected


def test_count_segments_is_a_tuple_with_names():
    encoding, segments, units, per_segment = count_segments("hello")
    assert (encoding, segments, units, per_segment) == (0, 1, 5, 160)
    assert count_segments("hello").segments == 1


@given(st.text(max_size=600))
def test_segments_always_hold_the_text_and_no_segment_is_empty(text):
    result = count_segments(text)
    assert result.encoding == (ASCII if text.isascii() else UCS2)
    assert result.units == len(text.encode("utf-16-le")) // 2
    assert result.segments * result.per_segment >= result.units
    assert (result.segments - 1) * result.per_segment < result.units or result.units == 0


def test_count_segments_refuses_what_is_not_text():
    with pytest.raises(TypeError):
        count_segments(b"bytes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u201cHi\u201d", '"Hi"'),
        ("it\u2019s", "it's"),
        ("\u2018quoted\u2019", "'quoted'"),
        ("9\u20135 \u2014 daily", "9-5 - daily"),
        ("wait\u2026", "wait..."),
        ("10\u00a0am", "10 am"),
        ("plain text", "plain text"),
    ],
)
def test_normalize_text_replaces_typographic_characters_with_ascii(text, expected):
    assert normalize_text(text) == expected
    assert count_segments(normalize_text(text)).encoding == ASCII


def test_normalize_text_leaves_other_characters_alone():
    text = "Café 😀 \u201cok\u201d"
    assert normalize_text(text) == 'Café 😀 "ok"'
    assert count_segments(normalize_text(text)).encoding == UCS2
