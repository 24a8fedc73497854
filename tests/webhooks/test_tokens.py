"""Capability tokens: made from secrets, added to a URL keeping the rest, checked strictly."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowroutenumbersandmessaging.exceptions import ValidationError
from flowroutenumbersandmessaging.webhooks import add_token, check_token, new_token

TOKEN = "A" * 20 + "b-_" + "9" * 20
OLD = "Z" * 43


def test_new_token_is_long_url_safe_and_fresh():
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", token)


def test_add_token_appends_the_fr_token_parameter():
    assert add_token("https://hooks.example.com/flowroute", TOKEN) == (
        f"https://hooks.example.com/flowroute?fr_token={TOKEN}"
    )


def test_add_token_keeps_the_rest_of_the_url_exactly():
    url = "https://user@hooks.example.com:8443/a/b%2Fc?x=1&y=a+b&z=%20&empty=#part"
    assert add_token(url, TOKEN) == (
        f"https://user@hooks.example.com:8443/a/b%2Fc?x=1&y=a+b&z=%20&empty=&fr_token={TOKEN}#part"
    )


def test_add_token_replaces_a_token_already_there():
    first = add_token("https://hooks.example.com/f?a=1", OLD)
    rotated = add_token(first, TOKEN)
    assert rotated == f"https://hooks.example.com/f?a=1&fr_token={TOKEN}"
    assert check_token(rotated, TOKEN) and not check_token(rotated, OLD)


@pytest.mark.parametrize("token", ["short", "x" * 31, "a" * 40 + "=", "a" * 40 + "é", 42, None])
def test_add_token_refuses_a_weak_or_unsafe_token(token):
    with pytest.raises(ValidationError) as caught:
        add_token("https://hooks.example.com/f", token)
    if isinstance(token, str):
        assert token not in str(caught.value)


@pytest.mark.parametrize("url", ["hooks.example.com/f", "ftp://hooks.example.com/f", "", 3])
def test_add_token_refuses_a_url_flowroute_cannot_post_to(url):
    with pytest.raises(ValidationError):
        add_token(url, TOKEN)


def test_check_token_accepts_the_token_in_an_absolute_url_or_a_path():
    url = add_token("https://hooks.example.com/f?a=1", TOKEN)
    assert check_token(url, TOKEN)
    assert check_token(f"/f?a=1&fr_token={TOKEN}", [TOKEN])
    assert check_token(f"?fr_token={TOKEN}#ignored", (TOKEN,))


def test_check_token_accepts_any_of_several_tokens_for_rotation():
    assert check_token(f"/f?fr_token={OLD}", [TOKEN, OLD])
    assert check_token(f"/f?fr_token={TOKEN}", [TOKEN, OLD])


@pytest.mark.parametrize(
    "url",
    [
        "/f",
        "/f?other=1",
        "/f?fr_token=",
        "/f?fr_token",
        f"/f?fr_token={TOKEN[:-1]}",
        f"/f?fr_token={TOKEN}x",
        f"/f?fr_token={TOKEN[:-1]}B",  # altered, same length
        f"/f?fr_token={TOKEN}&fr_token={TOKEN}",  # duplicated
        f"/f?fr_token={TOKEN}&fr%5Ftoken={OLD}",  # duplicated under an encoded name
        f"/f?fr_token={TOKEN.replace('-', '%2D')}",  # encoded: not the token's form
        f"/f?FR_TOKEN={TOKEN}",
        f"/f#?fr_token={TOKEN}",  # in the fragment, which is never sent
        f"/f?fr_token= {TOKEN}",
    ],
)
def test_check_token_refuses_absent_altered_duplicated_or_malformed(url):
    assert check_token(url, [TOKEN, OLD]) is False


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(max_size=200) | st.binary(max_size=50) | st.none() | st.integers())
def test_check_token_never_raises_on_a_hostile_url(url):
    assert check_token(url, TOKEN) is False


@pytest.mark.parametrize("tokens", [[], (), "short", ["x" * 31], [TOKEN, 5], 7])
def test_check_token_refuses_a_bad_token_configuration(tokens):
    with pytest.raises(ValidationError):
        check_token(f"/f?fr_token={TOKEN}", tokens)
