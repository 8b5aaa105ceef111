"""Small helpers shared by the JSON API modules."""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from companion import inputs
from companion.errors import Forbidden, ServiceError, Unauthorized, Validation


def json_body() -> dict[str, Any]:
    """The request's JSON object, checked by the rules of companion.inputs."""
    if inputs.json_too_deep(request.get_data(cache=True)):
        raise inputs.too_deep()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ServiceError(_("Send a JSON object in the request body."), code="bad_json")
    inputs.check_json_text(data)
    return data


def role_required(*roles: str):
    """401 for anonymous callers, 403 for callers with another role."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                raise Unauthorized(_("Please sign in first."))
            if roles and current_user.role not in roles:
                raise Forbidden(_("You do not have access to this."))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def parse_instant(value: object, field: str, required: bool = True) -> datetime | None:
    """An ISO 8601 timestamp with an offset; naive times are refused, not guessed."""
    if value is None or value == "":
        if required:
            raise Validation(_("Please check the entry."), {field: _("This is required.")})
        return None
    if not isinstance(value, str):
        raise Validation(_("Please check the entry."), {field: _("Use an ISO 8601 time with an offset.")})
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise Validation(
            _("Please check the entry."), {field: _("Use an ISO 8601 time with an offset.")}
        ) from None
    if parsed.tzinfo is None:
        raise Validation(
            _("Please check the entry."),
            {field: _("Give the time with its offset, for example 2026-01-31T21:15:00+02:00.")},
        )
    return inputs.check_instant(parsed, field)


def parse_date(value: object, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return inputs.check_date(day, field)
    raise Validation(_("Please check the dates."), {field: _("Use a date like 2026-01-31.")})


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


#: The longest period a page or the API shows at once, in days.
MAX_RANGE_DAYS = 400


def period(first: date | None, last: date | None, today: date, default_days: int = 14) -> tuple[date, date]:
    """Local dates inclusive: the last `default_days` days to today by default, at most
    MAX_RANGE_DAYS; a period that ends before it starts is refused."""
    last = last or today
    first = first or last - timedelta(days=default_days - 1)
    fields = {}
    if first > last:
        fields["from"] = _("The start date must be before the end date.")
    elif (last - first).days + 1 > MAX_RANGE_DAYS:
        fields["to"] = _("Show at most %(n)d days at a time.", n=MAX_RANGE_DAYS)
    if fields:
        raise Validation(_("Please check the dates."), fields)
    return first, last
