"""Phone numbers, email and web addresses as people type them (pure functions)."""

from __future__ import annotations

import pytest

from companion.directory.contact_details import display_phone, normalise_email, normalise_phone, normalise_web


@pytest.mark.parametrize(
    "typed, stored, shown",
    [
        ("040 123 4567", "+358401234567", "040 1234567"),
        ("0401234567", "+358401234567", "040 1234567"),
        ("+358 40 123 4567", "+358401234567", "040 1234567"),
        ("00358401234567", "+358401234567", "040 1234567"),
        ("(09) 2525 0111", "+358925250111", "09 25250111"),
        ("+46 8 123 456 78", "+46812345678", "+46 8 123 456 78"),
    ],
)
def test_finnish_and_international_numbers(typed, stored, shown):
    assert normalise_phone(typed) == stored
    assert display_phone(stored) == shown


@pytest.mark.parametrize(
    "typed", ["123", "040 12", "phone me", "+358 40 123 4567 8888 9999", "040-abc-4567", ""]
)
def test_not_a_phone_number(typed):
    with pytest.raises(ValueError, match="phone_invalid"):
        normalise_phone(typed)


def test_email_addresses():
    assert normalise_email(" Baby.Blues@Example.fi ") == "Baby.Blues@example.fi"
    for bad in ("babyblues", "a@b", "two@@example.fi", "with space@example.fi"):
        with pytest.raises(ValueError, match="email_invalid"):
            normalise_email(bad)


def test_web_addresses():
    assert normalise_web("www.example.fi/babyblues") == "https://www.example.fi/babyblues"
    assert normalise_web("http://example.fi") == "http://example.fi"
    assert normalise_web("https://ensikoti-äänekoski.fi") == "https://ensikoti-äänekoski.fi"
    for bad in (
        "javascript:alert(1)",
        "ftp://example.fi",
        "localhost",
        "https://exa mple.fi",
        "mailto:a@b.fi",
    ):
        with pytest.raises(ValueError, match="web_invalid"):
            normalise_web(bad)
