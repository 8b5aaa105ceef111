"""The pure code rules: twelve digits from secrets, grouped for reading aloud, HMAC only."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.share import codes

digits12 = st.text(alphabet="0123456789", min_size=12, max_size=12)
separators = st.text(alphabet=" -\u00a0\u2013", max_size=3)


def test_new_codes_are_twelve_digits_and_differ():
    made = {codes.new_code() for _ in range(200)}
    assert len(made) == 200
    assert all(re.fullmatch(r"\d{12}", code) for code in made)


def test_leading_zeros_are_kept(monkeypatch):
    monkeypatch.setattr(codes.secrets, "randbelow", lambda n: 42)
    assert codes.new_code() == "000000000042"
    assert codes.format_code(codes.new_code()) == "0000 0000 0042"


def test_format_groups_by_four():
    assert codes.format_code("123456789012") == "1234 5678 9012"


@given(digits12)
def test_formatted_code_normalises_back(digits):
    assert codes.normalise(codes.format_code(digits)) == digits


@given(digits12, st.lists(separators, min_size=13, max_size=13))
def test_spaces_and_dashes_anywhere_are_ignored(digits, seps):
    typed = "".join(sep + char for sep, char in zip(seps[:12], digits, strict=True)) + seps[12]
    assert codes.normalise(typed) == digits


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "1234 5678 901",  # 11 digits
        "1234 5678 90123",  # 13 digits
        "1234 5678 9O12",  # a letter O
        "1234.5678.9012",  # dots are not separators
        "1234_5678_9012",
        "１２３４５６７８９０１２",  # full-width digits
        "١٢٣٤٥٦٧٨٩٠١٢",  # Arabic-Indic digits
        "+358 1234 5678",
        "1234 5678 9012 " + " " * 60,  # absurdly long input
    ],
)
def test_anything_else_is_invalid(typed):
    assert codes.normalise(typed) is None


@pytest.mark.parametrize("value", [None, 123456789012, b"123456789012", ["123456789012"]])
def test_non_text_is_invalid(value):
    assert codes.normalise(value) is None


@given(digits12)
def test_digest_is_hmac_hex_and_depends_on_key_and_purpose(digits):
    one = codes.digest("key-one", digits, "share")
    assert re.fullmatch(r"[0-9a-f]{64}", one)
    assert one == codes.digest(b"key-one", digits, "share")
    assert one != codes.digest("key-two", digits, "share")
    assert one != codes.digest("key-one", digits, "invite")
    assert digits not in one


def test_digest_matches_a_known_hmac():
    import hashlib
    import hmac

    expected = hmac.new(b"k", b"share:123456789012", hashlib.sha256).hexdigest()
    assert codes.digest("k", "123456789012", "share") == expected
