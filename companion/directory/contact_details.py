"""Phone numbers, email and web addresses as people type them (pure: no Flask).

Each function returns the stored form or raises ValueError with a short reason code
that the schemas turn into a localised message.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

#: Numbers without a country code are Finnish.
DEFAULT_REGION = "FI"


def normalise_phone(text: str) -> str:
    """A Finnish or international number as E.164 (+358401234567)."""
    raw = text.strip()
    if not re.fullmatch(r"[0-9+()\-./ ]{3,30}", raw):
        raise ValueError("phone_invalid")
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValueError("phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """How people read a stored number: national for Finnish ones (040 123 4567),
    international for others (+46 8 123 456 78)."""
    number = phonenumbers.parse(e164, None)
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def tel_link(e164: str) -> str:
    return "tel:" + e164


def sms_link(e164: str) -> str:
    return "sms:" + e164


def normalise_email(text: str) -> str:
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValueError("email_invalid") from None


def normalise_web(text: str) -> str:
    """An http(s) address; "www.example.fi" gets https:// in front."""
    raw = text.strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", raw, re.I):
        raw = "https://" + raw
    parts = urlsplit(raw)
    host = parts.hostname or ""
    if (
        parts.scheme.lower() not in ("http", "https")
        or "." not in host
        or "@" in parts.netloc
        or not re.fullmatch(r"[\w.-]+", host)
        or re.search(r"\s", raw)
        or len(raw) > 300
    ):
        raise ValueError("web_invalid")
    return raw
