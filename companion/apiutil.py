"""Small helpers shared by the JSON API modules."""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from companion.errors import Forbidden, ServiceError, Unauthorized, Validation
from companion.schema import DATE, INSTANT, Day, Instant, MaybeInstant, value


def json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ServiceError(_("Send a JSON object in the request body."), code="bad_json")
    return data


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
