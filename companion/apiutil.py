"""Small helpers shared by the JSON API modules."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from companion.errors import Forbidden, ServiceError, Unauthorized, Validation
from companion.schema import (
    DATE,
    INSTANT,
    RULE_WORDS,
    TEXT,
    UNSTORABLE,
    Day,
    Instant,
    MaybeInstant,
    Text,
    storable,
    value,
)

#: JSON nests at most this deep: deeper documents are refused before they are parsed.
MAX_JSON_DEPTH = 32


def json_body() -> dict[str, Any]:
    """The request's JSON object (what is in it is read by the features' schemas), every
    text in it, keys included, one that can be kept."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ServiceError(_("Send a JSON object in the request body."), code="bad_json")
    _refuse_unstorable(_texts(data, ""))
    return data


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every text of a JSON value with where it is (``details.soothing``), keys included."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, str(key)
            yield from _texts(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item, path)


def _refuse_unstorable(texts: Iterable[tuple[str, str]]) -> None:
    fields = {
        (path if path and storable(path) else "body"): str(RULE_WORDS[UNSTORABLE])
        for path, text in texts
        if not storable(text)
    }
    if fields:
        raise Validation(_("Please check the text."), fields)


def refuse_unstorable_fields() -> None:
    """Before every request: query arguments and form fields, names and values, hold only
    text that can be kept (no NUL, no lone surrogate), whichever view reads them."""
    pairs = list(request.args.items(multi=True))
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        pairs += request.form.items(multi=True)
    _refuse_unstorable((name, name + value) for name, value in pairs)


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


def refuse_deep_json() -> None:
    """Before every request: a JSON body nested deeper than 32 levels is a 400 before
    anything parses it (Python's parser would recurse until it fails). Its size was
    checked already (``MAX_CONTENT_LENGTH``: 413)."""
    if request.is_json and json_too_deep(request.get_data(cache=True)):
        raise ServiceError(
            _("The JSON is nested too deeply (at most %(n)d levels).", n=MAX_JSON_DEPTH), code="too_deep"
        )


def text_arg(name: str) -> str | None:
    """A free-text query argument, read by `schema.Text` (no NUL, no lone surrogate)."""
    return value(Text | None, TEXT, request.args.get(name), name, _("Please check the text."))


def role_required(*roles: str):
    """401 for anonymous callers, 403 for callers with another role (a coordinator is a worker)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                raise Unauthorized(_("Please sign in first."))
            if roles and not any(current_user.has_role(role) for role in roles):
                raise Forbidden(_("You do not have access to this."))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def parse_instant(raw: object, field: str, required: bool = True) -> datetime | None:
    """An ISO 8601 timestamp with an offset (`schema.Instant`); naive times are refused, not guessed."""
    kind = Instant if required else MaybeInstant
    return value(kind, INSTANT, raw, field, _("Please check the entry."))


def parse_date(raw: object, field: str) -> date | None:
    """An ISO date (`schema.Day`), None for none."""
    return value(Day, DATE, raw, field, _("Please check the dates."))


def parse_if_match(header: str | None) -> int | None:
    if not header or header.strip() == "*":
        return None
    raw = header.strip()
    if raw.startswith("W/"):
        raw = raw[2:]
    raw = raw.strip('"')
    try:
        return int(raw)
    except ValueError:
        raise Validation(_('The If-Match header must be an entry version, like "3".')) from None


def parse_range(args) -> tuple[date | None, date | None]:
    """The `from` and `to` local dates of a request, every bad one named at once."""
    fields: dict[str, str] = {}
    values: list[date | None] = []
    for name in ("from", "to"):
        try:
            values.append(parse_date(args.get(name), name))
        except Validation as error:
            fields.update(error.fields)
            values.append(None)
    if fields:
        raise Validation(_("Please check the dates."), fields)
    return values[0], values[1]
