"""One-time codes: made from `secrets`, read aloud in groups, stored only as an HMAC.

Pure (no Flask, no database). Twelve digits are easy to read aloud in Finnish or
Swedish and to type on a phone's numeric keypad; 10^12 possibilities with a throttle of
a few wrong tries per account make guessing useless. The database keeps only an
HMAC-SHA256 with a key that lives outside it, so a copy of the database alone cannot be
used to find or test codes.
"""

from __future__ import annotations

import secrets

from companion import keys

DIGITS = 12
GROUP = 4
#: What a person may type between the digits: spaces (also a phone's no-break space) and dashes.
_SEPARATORS = frozenset(" \t\u00a0\u202f-\u2010\u2011\u2012\u2013\u2014\u2212")
_ASCII_DIGITS = frozenset("0123456789")


def new_code() -> str:
    """Twelve digits from the operating system's secure random source, leading zeros kept."""
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def format_code(digits: str) -> str:
    """'123456789012' -> '1234 5678 9012'."""
    return " ".join(digits[i : i + GROUP] for i in range(0, len(digits), GROUP))


def normalise(text: object) -> str | None:
    """The twelve digits of what someone typed, or None when it cannot be a code.

    Spaces and dashes are ignored; anything else (letters, other digits scripts, a wrong
    number of digits) makes the input invalid rather than guessed at.
    """
    if not isinstance(text, str) or len(text) > 64:
        return None
    digits = []
    for char in text:
        if char in _ASCII_DIGITS:
            digits.append(char)
        elif char not in _SEPARATORS:
            return None
    if len(digits) != DIGITS:
        return None
    return "".join(digits)


def digest(key: str | bytes, digits: str, purpose: str) -> str:
    """HMAC-SHA256 hex of the digits; `purpose` keeps share codes and invites apart."""
    return keys.digest(key, purpose, digits)
