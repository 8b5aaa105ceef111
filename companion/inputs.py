"""The rules every input obeys, in one place: the API's parsers, the page forms and a hook
before every request call these, so no endpoint can forget one.

- Dates and times lie between 2000-01-01 and 2100-12-31 (a diary has nothing older, and
  arithmetic on years such as 1 or 9999 overflows).
- Text holds no NUL character and no lone surrogate (neither can be stored: PostgreSQL
  refuses NUL, and a lone surrogate cannot be encoded as UTF-8).
- JSON nests at most 32 levels (deeper documents are refused before they are parsed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from wtforms import DateField
from wtforms.validators import ValidationError

from companion.errors import ServiceError, Validation
from companion.i18n import format_day

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
MAX_JSON_DEPTH = 32
#: NUL, and UTF-16 surrogates, which are never characters on their own.
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


def date_message() -> str:
    return _(
        "Use a date between %(first)s and %(last)s.",
        first=format_day(EARLIEST, "d.M.yyyy"),
        last=format_day(LATEST, "d.M.yyyy"),
    )


def date_in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def check_date(day: date, field: str) -> date:
    if not date_in_range(day):
        raise Validation(_("Please check the dates."), {field: date_message()})
    return day


def check_instant(moment: datetime, field: str) -> datetime:
    """A moment whose own calendar date (before any conversion, which could overflow) is
    within the bounds."""
    if not date_in_range(moment.date()):
        raise Validation(_("Please check the entry."), {field: date_message()})
    return moment


def text_ok(value: str) -> bool:
    return _BAD_TEXT.search(value) is None


def bad_text_message() -> str:
    return _("The text contains characters that cannot be saved.")


def _strings(value: Any, path: str) -> Iterable[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, str(key)
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, path)


def check_json_text(data: Any) -> None:
    """Every string of a JSON document, keys included, can be stored."""
    fields = {path or "body": bad_text_message() for path, text in _strings(data, "") if not text_ok(text)}
    if fields:
        raise Validation(_("Please check the text."), fields)


def check_pairs(pairs: Iterable[tuple[str, str]]) -> None:
    """Query arguments and form fields: names and values that can be stored."""
    fields = {
        name if text_ok(name) else "body": bad_text_message()
        for name, value in pairs
        if not (text_ok(name) and text_ok(value))
    }
    if fields:
        raise Validation(_("Please check the text."), fields)


def json_too_deep(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a JSON text nests deeper than ``limit`` (brackets inside strings ignored).

    Cheap for ordinary bodies: only a body with more opening brackets than the limit is
    scanned at all.
    """
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def too_deep() -> ServiceError:
    return ServiceError(
        _("The JSON is nested too deeply (at most %(n)d levels).", n=MAX_JSON_DEPTH), code="too_deep"
    )


class BoundedDateField(DateField):
    """A form's date field that refuses dates outside the bounds, with the same message."""

    def pre_validate(self, form) -> None:
        super().pre_validate(form)
        if self.data is not None and not date_in_range(self.data):
            raise ValidationError(date_message())


def check_request(request) -> None:
    """Before every request: query arguments and form fields hold storable text."""
    check_pairs(request.args.items(multi=True))
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        check_pairs(request.form.items(multi=True))
