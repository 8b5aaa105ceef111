"""Wellbeing use cases: a parent's own check-ins, and the rules for them.

Every rule of the check-in lives here (the gentle-response rules in `gentle`), and the
pages, the home-page card, the JSON API, the worker's view and the export all call these
functions: one rule, one place. A check-in is private to the parent who wrote it: every
query here is by that parent's own id, never by family, so the other parent never sees it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError

from companion.accounts.models import User
from companion.diary import services as diary
from companion.diary.models import Baby, Family
from companion.errors import Forbidden, Unauthorized, Validation, not_found
from companion.extensions import db
from companion.i18n import date_hint, parse_local_date
from companion.rhythm import services as rhythm
from companion.schema import one_kind_of_line_break, too_long_words
from companion.types import utcnow
from companion.wellbeing import gentle
from companion.wellbeing.models import COPING_LEVELS, CheckIn

#: Words for the coping answers, warmest wording we found: never numbers on screen.
COPING_LABELS = {
    1: _l("Very hard"),
    2: _l("Hard"),
    3: _l("So-so"),
    4: _l("Quite well"),
    5: _l("Well"),
}
assert tuple(COPING_LABELS) == COPING_LEVELS

NOTE_MAX = 1000
#: Own sleep is kept to the nearest quarter of an hour: nobody knows it closer at night.
SLEEP_STEP_MINUTES = 15
SLEEP_MAX_HOURS = 24
#: How far back a check-in may be written or changed.
OLDEST_DAYS = 400
DEFAULT_DAYS = 14
FALLBACK_ZONE = "Europe/Helsinki"


# -- who and when ----------------------------------------------------------------------------


def _require_parent(user: User) -> None:
    if not getattr(user, "is_authenticated", False):
        raise Unauthorized(_("Please sign in first."))
    if not user.is_parent:
        raise Forbidden(_("Only parents keep a wellbeing check-in."))


def user_zone(user: User) -> ZoneInfo:
    """The family's zone; a parent without a family yet gets the default one.

    Read without creating a family: looking at the page must not change anything.
    """
    family = db.session.get(Family, user.family_id) if user.family_id else None
    if family is not None:
        return diary.family_zone(family)
    return ZoneInfo(current_app.config.get("COMPANION_DEFAULT_TIMEZONE") or FALLBACK_ZONE)


def today_for(user: User, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(user_zone(user)).date()


def parse_day(value: object, today: date, field: str = "date") -> date:
    """A real date (2026-01-31 or 31.1.2026), not after today and not older than OLDEST_DAYS, or a 422."""
    if value is None or value == "":
        raise Validation(_("Please check the date."), {field: _("This is required.")})
    day = value if isinstance(value, date) else parse_local_date(value)
    if day is None:
        raise Validation(_("Please check the date."), {field: date_hint()})
    if day > today:
        raise Validation(_("Please check the date."), {field: _("The date cannot be in the future.")})
    if day < today - timedelta(days=OLDEST_DAYS):
        raise Validation(
            _("Please check the date."),
            {field: _("A check-in can be at most %(n)d days old.", n=OLDEST_DAYS)},
        )
    return day


# -- the values ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CleanCheckIn:
    coping: int
    own_sleep_minutes: int | None
    note: str | None


def sleep_minutes(hours: float) -> int:
    """Hours to minutes, to the nearest quarter of an hour (halves round up)."""
    return int(math.floor(hours * 60 / SLEEP_STEP_MINUTES + 0.5)) * SLEEP_STEP_MINUTES


def sleep_hours(minutes: int | None) -> int | float | None:
    """Minutes back to hours as a plain number: 7 or 6.5."""
    if minutes is None:
        return None
    return minutes // 60 if minutes % 60 == 0 else minutes / 60


def clean_values(coping: object, own_sleep_hours: object = None, note: object = None) -> CleanCheckIn:
    """Check every value and name every bad one at once; nothing is guessed or coerced."""
    fields: dict[str, str] = {}
    # bool is an int in Python, and 3.0 is not an answer: only the five whole numbers.
    if type(coping) is not int or coping not in COPING_LEVELS:
        fields["coping"] = (
            _("Choose how you are coping.") if coping is None else _("Choose one of the five answers.")
        )
    minutes = None
    if own_sleep_hours is not None:
        if (
            isinstance(own_sleep_hours, bool)
            or not isinstance(own_sleep_hours, int | float)
            or not math.isfinite(own_sleep_hours)
            or not 0 <= own_sleep_hours <= SLEEP_MAX_HOURS
        ):
            fields["own_sleep_hours"] = _("Give your sleep in hours, 0–24, or leave it out.")
        else:
            minutes = sleep_minutes(own_sleep_hours)
    text = None
    if note is not None:
        if not isinstance(note, str):
            fields["note"] = _("The note must be text.")
        else:
            text = one_kind_of_line_break(note).strip() or None
            if text and len(text) > NOTE_MAX:
                fields["note"] = too_long_words(NOTE_MAX)
    if fields:
        raise Validation(_("Please check the check-in."), fields)
    return CleanCheckIn(coping, minutes, text)  # type: ignore[arg-type]


# -- saving and reading -----------------------------------------------------------------------


def _find(user_id: int, day: date) -> CheckIn | None:
    return db.session.scalar(select(CheckIn).where(CheckIn.user_id == user_id, CheckIn.day == day))


def save_checkin(
    user: User,
    day: object,
    coping: object,
    own_sleep_hours: object = None,
    note: object = None,
    now: datetime | None = None,
    problems: Mapping[str, str] | None = None,
) -> tuple[CheckIn, bool]:
    """Create or replace the parent's check-in for a local day. Returns (check-in, created).

    The date and every value are checked together (with the ``problems`` found reading
    the request), so a client sees all its mistakes at once; a bad request changes
    nothing. Sending the same check-in again changes nothing.
    """
    _require_parent(user)
    now = now or utcnow()
    fields: dict[str, str] = dict(problems or {})
    parsed: date | None = None
    try:
        parsed = parse_day(day, today_for(user, now))
    except Validation as error:
        fields.update(error.fields)
    values = None
    try:
        values = clean_values(coping, own_sleep_hours, note)
    except Validation as error:
        fields.update(error.fields)
    if fields or parsed is None or values is None:
        raise Validation(_("Please check the check-in."), fields)
    existing = _find(user.id, parsed)
    if existing is not None:
        if (existing.coping, existing.own_sleep_minutes, existing.note) != (
            values.coping,
            values.own_sleep_minutes,
            values.note,
        ):
            _apply(existing, values, now)
            db.session.commit()
        return existing, False
    checkin = CheckIn(user_id=user.id, day=parsed, created_at=now)
    _apply(checkin, values, now)
    db.session.add(checkin)
    try:
        db.session.commit()
    except IntegrityError:
        # The same day saved at the same moment from another phone: that one wins the
        # insert, this one updates it, and the parent sees what they sent last.
        db.session.rollback()
        existing = _find(user.id, parsed)
        if existing is None:  # pragma: no cover - the row that clashed is there
            raise
        _apply(existing, values, now)
        db.session.commit()
        return existing, False
    return checkin, True


def _apply(checkin: CheckIn, values: CleanCheckIn, now: datetime) -> None:
    checkin.coping = values.coping
    checkin.own_sleep_minutes = values.own_sleep_minutes
    checkin.note = values.note
    checkin.updated_at = now


def get_checkin(user: User, day: object) -> CheckIn:
    """The parent's own check-in for a day, or 404; a date that cannot have one is a 422."""
    _require_parent(user)
    parsed = parse_day(day, today_for(user))
    checkin = _find(user.id, parsed)
    if checkin is None:
        raise not_found()
    return checkin


def find_checkin(user: User, day: date) -> CheckIn | None:
    _require_parent(user)
    return _find(user.id, day)


def check_range(first: date | None, last: date | None, today: date) -> tuple[date, date]:
    """Local dates inclusive: the last DEFAULT_DAYS days by default, at most 400."""
    return rhythm.checked_period(first, last, today, DEFAULT_DAYS)


def _between(user_id: int, first: date, last: date) -> list[CheckIn]:
    query = (
        select(CheckIn)
        .where(CheckIn.user_id == user_id, CheckIn.day >= first, CheckIn.day <= last)
        .order_by(CheckIn.day)
    )
    return list(db.session.scalars(query))


def list_checkins(
    user: User, first: date | None = None, last: date | None = None
) -> tuple[date, date, list[CheckIn]]:
    """The parent's own check-ins in a range, oldest first, with the range used."""
    _require_parent(user)
    first, last = check_range(first, last, today_for(user))
    return first, last, _between(user.id, first, last)


def export_checkins(user: User) -> list[CheckIn]:
    """Every check-in of this user (only their own), oldest first, for the data export."""
    if not user.is_parent:
        return []
    query = select(CheckIn).where(CheckIn.user_id == user.id).order_by(CheckIn.day)
    return list(db.session.scalars(query))


# -- the gentle response ------------------------------------------------------------------------


def recent_coping(user: User, today: date) -> dict[date, int]:
    first = today - timedelta(days=gentle.WINDOW_DAYS - 1)
    return {c.day: c.coping for c in _between(user.id, first, today)}


def gentle_response(user: User, today: date | None = None) -> gentle.Response:
    _require_parent(user)
    today = today or today_for(user)
    return gentle.respond(recent_coping(user, today), today)


# -- for pages -----------------------------------------------------------------------------------


def coping_word(coping: int) -> str:
    return str(COPING_LABELS.get(coping, ""))


def coping_choices() -> list[dict[str, Any]]:
    return [{"value": value, "label": str(label)} for value, label in COPING_LABELS.items()]


def card(user: User) -> dict[str, Any]:
    """Everything the compact check-in card (wellbeing/_checkin_card.html) shows but its
    links (`views.checkin_card`). Parents only (Forbidden otherwise).
    """
    _require_parent(user)
    today = today_for(user)
    saved = _find(user.id, today)
    response = gentle.respond(recent_coping(user, today), today)
    return {
        "date": today,
        "saved": row(saved) if saved else None,
        "choices": coping_choices(),
        "show_help_numbers": response.show_help_numbers,
        "offer_support": response.offer_support,
    }


# -- who else reads the check-ins -----------------------------------------------------------------

#: Who besides the parent can read the parent's own check-ins right now, asked of the
#: features that share them: filled at start-up (share adds the workers of the active
#: diary+wellbeing grants this parent made). Each takes the parent and the moment and
#: gives names as people see them.
CHECKIN_READERS: dict[str, Callable[[User, datetime], list[str]]] = {}


def checkin_readers(user: User, now: datetime | None = None) -> list[str]:
    """Everyone besides the parent who can read this parent's check-ins now, by name."""
    moment = now or utcnow()
    return list(dict.fromkeys(name for reader in CHECKIN_READERS.values() for name in reader(user, moment)))


# -- the worker's view ---------------------------------------------------------------------------


def checkins_of(parent_id: int, first: date, last: date) -> list[CheckIn]:
    """A parent's own check-ins of the local dates first..last, oldest first: for a worker
    the parent shared them with (share checks the grant and whose check-ins they are)."""
    return _between(parent_id, first, last)


def answers_between(periods: Sequence[tuple[int, date, date]]) -> list[dict[date, int]]:
    """Each (parent, first, last)'s check-in answers by local date, for the statistics
    (the answer only, never a note), read a hundred periods per query."""
    out: list[dict[date, int]] = []
    for chunk in range(0, len(periods), 100):
        part = periods[chunk : chunk + 100]
        rows = db.session.execute(
            select(CheckIn.user_id, CheckIn.day, CheckIn.coping).where(
                or_(
                    *(
                        and_(CheckIn.user_id == parent, CheckIn.day >= first, CheckIn.day <= last)
                        for parent, first, last in part
                    )
                )
            )
        )
        by_parent: dict[int, list[tuple[date, int]]] = defaultdict(list)
        for parent, day, coping in rows:
            by_parent[parent].append((day, coping))
        for parent, first, last in part:
            out.append({day: coping for day, coping in by_parent[parent] if first <= day <= last})
    return out


def row(checkin: CheckIn) -> dict[str, Any]:
    """A check-in for a page: its day, the word for the answer, sleep in minutes, note."""
    return {
        "date": checkin.day,
        "coping": checkin.coping,
        "word": coping_word(checkin.coping),
        "sleep_minutes": checkin.own_sleep_minutes,
        "note": checkin.note,
    }


# -- the chart beside the baby's nights ----------------------------------------------------


@dataclass
class ChartDay:
    date: date
    coping: int | None
    #: The baby's night before this day (the one the parent woke up from): whether anything
    #: was logged that evening, the longest sleep that began then, and the night wakings.
    baby_logged: bool = False
    longest_sleep_minutes: int | None = None
    night_wakings: int | None = None


@dataclass
class ChartData:
    first: date
    last: date
    today: date
    baby: Baby | None
    babies: list[Baby]
    days: list[ChartDay]


def chart_data(user: User, baby_id: object, first: date | None, last: date | None) -> ChartData:
    """The parent's coping beside one baby's nights, day by day.

    Each day's coping is put beside the baby's night *before* it (the evening and night
    that began the day before): that is the night the parent woke up from, the same
    night as "your own sleep last night". A baby not yet born (no birth date) or no baby
    at all: coping only. Days without a check-in or without diary entries are gaps
    (None), never zeros; so is a longest sleep of nothing.
    """
    _require_parent(user)
    today = today_for(user)
    first, last = check_range(first, last, today)
    babies = diary.family_babies(user)
    baby = diary.get_baby(user, baby_id) if baby_id not in (None, "") else (babies[0] if babies else None)
    coping = {c.day: c.coping for c in _between(user.id, first, last)}
    nights: dict[date, tuple[bool, int | None, int | None]] = {}
    if baby is not None and baby.birth_date is not None:
        before = timedelta(days=1)
        # The family's day before holds the night before (the pages' one definition of a day).
        for d in rhythm.period_figures(baby, first - before, last - before).family_days:
            nights[d.date + before] = (
                d.night_logged,
                d.longest_sleep_minutes if d.logged and d.longest_sleep_minutes else None,
                d.night_wakings if d.night_logged else None,
            )
    days = []
    day = first
    while day <= last:
        days.append(ChartDay(day, coping.get(day), *nights.get(day, (False, None, None))))
        day += timedelta(days=1)
    return ChartData(first, last, today, baby, babies, days)
