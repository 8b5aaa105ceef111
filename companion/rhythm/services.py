"""Rhythm use cases: a period's figures, and the rhythm plan agreed with the worker.

`period_figures` is the one way to a period's figures: the rhythm pages, the JSON API,
the worker's views, the reading suggestions and the coping chart all ask it, so they
agree to the minute. It puts the period together from kept weeks (`weeks`), reading from
the database only the weeks whose dates changed (`day_versions`, `read_spans`).

A plan is in effect from its `valid_from` local date until the next plan's: changing the
plan from a date on keeps the earlier days compared with the plan they had. Only the
family's parents write plans (`get_baby`); workers read them through their grant.

Plain values in: dates, not request arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, cached_property
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from companion.accounts.models import User
from companion.diary.models import Baby, DiaryDay, Entry, Family
from companion.diary.services import family_zone, get_baby
from companion.errors import Validation
from companion.extensions import db
from companion.i18n import date_hint, parse_local_date
from companion.rhythm import analysis, clock, weeks
from companion.rhythm import plan_rules as rules
from companion.rhythm.analysis import DayFigures, Settings, Span
from companion.rhythm.models import RhythmPlan
from companion.types import epoch_minutes, utcnow

#: The period shown when none is asked for: the last two weeks.
DEFAULT_DAYS = 14


# -- local days and periods -------------------------------------------------------------------


def baby_today(baby: Baby, now: datetime | None = None) -> date:
    """Today in the baby's family's zone."""
    return clock.local_date(now or utcnow(), family_zone(baby.family))


def checked_period(
    first: date | None, last: date | None, today: date, default_days: int = DEFAULT_DAYS
) -> tuple[date, date]:
    """Local dates inclusive (`clock.period`), or a 422 that names every bad field."""
    try:
        return clock.period(first, last, today, default_days)
    except clock.PeriodError as error:
        messages = {
            "order": _("The start date must be before the end date."),
            "too_long": _("Show at most %(n)d days at a time.", n=clock.MAX_RANGE_DAYS),
        }
        fields = {name: messages[code] for name, code in error.fields.items()}
        raise Validation(_("Please check the dates."), fields) from None


def rhythm_range(
    baby: Baby, first: date | None, last: date | None, default_days: int = DEFAULT_DAYS
) -> tuple[date, date]:
    """The local dates to show: the last `default_days` days by default, at most 400."""
    return checked_period(first, last, baby_today(baby), default_days)


def rhythm_settings(family: Family) -> Settings:
    return Settings(family_zone(family), family.night_start, family.night_end, time(family.chart_day_start))


# -- reading the diary --------------------------------------------------------------------


def read_spans(baby_id: int, low: datetime, high: datetime) -> list[Span]:
    """The baby's entries (notes left out) that start in [low, high), by start, as minute stamps.

    Three columns and no ORM objects: a year of entries is read in a few milliseconds.
    """
    rows = db.session.execute(
        select(Entry.kind, epoch_minutes(Entry.start), epoch_minutes(Entry.end))
        .where(
            Entry.baby_id == baby_id,
            Entry.deleted_at.is_(None),
            Entry.start >= low,
            Entry.start < high,
            Entry.kind != "note",
        )
        .order_by(Entry.start)
    )
    return list(map(Span._make, rows))


def day_versions(baby_id: int, low: datetime, high: datetime) -> dict[int, int]:
    """The versions of the UTC dates of [low, high) (days since 1970) whose entries have
    changed (`DiaryDay`); a date not listed has not changed."""
    epoch = date(1970, 1, 1).toordinal()
    rows = db.session.execute(_versions_query(), {"baby_id": baby_id, "low": low.date(), "high": high.date()})
    return {day.toordinal() - epoch: version for day, version in rows}


def first_entry_day(baby: Baby) -> date | None:
    """The local date of the baby's first entry (the "whole diary" period starts there)."""
    first = db.session.scalar(
        select(func.min(Entry.start)).where(Entry.baby_id == baby.id, Entry.deleted_at.is_(None))
    )
    return None if first is None else clock.local_date(first, family_zone(baby.family))


@cache
def _versions_query() -> Select:
    """Built once: every page of a baby's diary runs it."""
    return select(DiaryDay.day, DiaryDay.version).where(
        DiaryDay.baby_id == bindparam("baby_id"),
        DiaryDay.day >= bindparam("low"),
        DiaryDay.day <= bindparam("high"),
    )


def period_spans(baby: Baby, first: date, last: date) -> list[Span]:
    """Every entry the analysis of first..last reads (weeks keep no entries)."""
    low, high = analysis.query_window(first, last, rhythm_settings(baby.family))
    return read_spans(baby.id, low, high)


# -- a period's figures -----------------------------------------------------------------------


@dataclass
class Period:
    """A period's figures, put together from its weeks (`weeks.Week`)."""

    baby: Baby
    first: date
    last: date
    settings: Settings
    now: datetime
    weeks: list[weeks.Week]

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.tz

    @cached_property
    def days(self) -> list[DayFigures]:
        return [day for week in self.weeks for day in week.days]

    @cached_property
    def family_days(self) -> list[analysis.FamilyDay]:
        """The family's days (`analysis.family_days`): what the pages show."""
        return [day for week in self.weeks for day in week.family]

    @cached_property
    def crying_by_hour(self) -> list[float]:
        """Average crying minutes in each local hour over the logged days."""
        return weeks.crying_by_hour(self.weeks, self.days)

    @property
    def summary(self) -> analysis.Summary:
        return analysis.summarise(self.days)

    @property
    def week_comparison(self) -> list[tuple[str, int]]:
        return analysis.compare_weeks(self.days)

    @property
    def running(self) -> bool:
        """A sleep or crying still going on: the figures move with the clock."""
        return any(week.running for week in self.weeks)


def period_figures(baby: Baby, first: date, last: date, now: datetime | None = None) -> Period:
    """The figures of the local dates first..last (inclusive) of the baby's diary.

    The caller has checked that the reader may see this baby's diary, and the period
    (`rhythm_range`).
    """
    now = now or utcnow()
    family = baby.family
    settings = rhythm_settings(family)
    found = weeks.weeks_of(
        baby.id,
        first,
        last,
        now,
        settings,
        family.chart_day_start,
        lambda low, high: day_versions(baby.id, low, high),
        lambda low, high: read_spans(baby.id, low, high),
    )
    return Period(baby, first, last, settings, now, found)


#: The week comparison's days: the last two weeks of whole days.
RECENT_DAYS = 2 * analysis.WEEK_DAYS


def recent_family_days(
    baby: Baby, now: datetime | None = None, shown: Period | None = None
) -> list[analysis.FamilyDay]:
    """The last `RECENT_DAYS` whole family's days before ``now``, oldest first: the week
    comparison compares them whatever period a page shows. Those that ``shown`` holds
    (the period a page or answer shows, worked out at the same ``now``) are taken from
    it, and only the others worked out: a family's day is the same whatever period it is
    worked out in (`weeks`), and a period of its own would be put together from weeks cut
    differently, each worked out again after a change."""
    now = shown.now if shown is not None else now or utcnow()
    settings = rhythm_settings(baby.family)
    current = analysis.family_date(now, settings)
    first, last = current - timedelta(days=RECENT_DAYS), current - timedelta(days=1)
    if shown is None or shown.last < first or last < shown.first:
        return period_figures(baby, first, last, now).family_days
    before = (
        period_figures(baby, first, shown.first - timedelta(days=1), now).family_days
        if first < shown.first
        else []
    )
    after = (
        period_figures(baby, shown.last + timedelta(days=1), last, now).family_days
        if shown.last < last
        else []
    )
    held = [day for day in shown.family_days if first <= day.date <= last]
    return [*before, *held, *after]


# -- the rhythm plan ---------------------------------------------------------------------------


#: How far from today a plan may start, either way.
FROM_LIMIT = timedelta(days=365)


#: What is wrong with a plan, in words, by `plan_rules`' codes; the API's schema of a plan
#: (`schemas.PlanInput`) says the same.
PLAN_WORDS = {
    "required": _l("This is required."),
    "time": _l("Use a time like 07:30 (hours 00–23, minutes 00–59)."),
    "bedtime_order": _l("Bedtime must be later than wake-up, on the same day (by 23:59)."),
    "naps_list": _l("Give the naps as a list of [from, to] pairs."),
    "too_many": _l("Plan at most %(n)d naps.", n=rules.MAX_NAPS),
    "nap_shape": _l("Give a nap as a pair of times: [from, to]."),
    "nap_order": _l("A nap must end after it starts."),
    "nap_outside": _l("A nap must be between wake-up and bedtime."),
    "nap_overlap": _l("This nap overlaps another nap."),
}


def _row_plan(row: RhythmPlan) -> rules.Plan:
    naps = tuple((rules.parse_clock(a), rules.parse_clock(b)) for a, b in row.naps or [])
    return rules.Plan(row.wake, row.bedtime, naps)  # type: ignore[arg-type]


def as_plan(row: RhythmPlan | None) -> rules.Plan | None:
    return None if row is None else _row_plan(row)


def baby_plans(baby: Baby) -> list[RhythmPlan]:
    """Every plan of the baby, newest `valid_from` first."""
    query = select(RhythmPlan).where(RhythmPlan.baby_id == baby.id).order_by(RhythmPlan.valid_from.desc())
    return list(db.session.scalars(query))


def plan_for(baby: Baby, day: date) -> RhythmPlan | None:
    """The plan in effect on a local date: the latest that starts on or before it."""
    query = (
        select(RhythmPlan)
        .where(RhythmPlan.baby_id == baby.id, RhythmPlan.valid_from <= day)
        .order_by(RhythmPlan.valid_from.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def plans_on(baby: Baby, day: date | None = None) -> tuple[RhythmPlan | None, list[RhythmPlan]]:
    """The plan in effect on a local date (default the family's today), and every plan."""
    return plan_for(baby, day or baby_today(baby)), baby_plans(baby)


def plans_between(baby: Baby, first: date, last: date) -> list[rules.Plan | None]:
    """The plan in effect on each local date first..last (None where there was none yet).

    One query: the plans that start up to `last`, the newest earlier one included."""
    rows = list(
        db.session.scalars(
            select(RhythmPlan)
            .where(RhythmPlan.baby_id == baby.id, RhythmPlan.valid_from <= last)
            .order_by(RhythmPlan.valid_from)
        )
    )
    return rules.in_effect(
        [row.valid_from for row in rows], [_row_plan(row) for row in rows], first, (last - first).days + 1
    )


def _valid_from(raw: object, today: date) -> tuple[date | None, str | None]:
    if raw is None or raw == "":
        return today, None
    if isinstance(raw, date):
        day = raw
    else:
        parsed = parse_local_date(raw)
        if parsed is None:
            return None, date_hint()
        day = parsed
    if abs(day - today) > FROM_LIMIT:
        return None, _("Choose a date within a year from today.")
    return day, None


def save_plan(
    user: User,
    baby_id: object,
    data: Mapping[str, object],
    now: datetime | None = None,
    problems: Mapping[str, str] | None = None,
) -> tuple[RhythmPlan, bool]:
    """Create or change the plan that starts on `data["from"]` (default today in the
    family's zone). Returns (plan, created). Bad input changes nothing; ``problems`` are
    the ones found reading the request, reported with the plan's own."""
    baby = get_baby(user, baby_id)
    now = now or utcnow()
    if not isinstance(data, Mapping):
        raise Validation(_("Please check the plan."), {"plan": _("Send the plan as an object.")})
    fields: dict[str, str] = dict(problems or {})
    valid_from, problem = _valid_from(data.get("from"), baby_today(baby, now))
    if problem:
        fields["from"] = problem
    parsed = None
    try:
        parsed = rules.parse_plan(data)
    except rules.PlanError as error:
        fields.update({name: str(PLAN_WORDS[code]) for name, code in error.fields.items()})
    if fields or parsed is None or valid_from is None:
        raise Validation(_("Please check the plan."), fields)
    naps = [[rules.clock_text(a), rules.clock_text(b)] for a, b in parsed.naps]
    row = db.session.scalar(
        select(RhythmPlan).where(RhythmPlan.baby_id == baby.id, RhythmPlan.valid_from == valid_from)
    )
    created = row is None
    if row is not None and (row.wake, row.bedtime, row.naps) == (parsed.wake, parsed.bedtime, naps):
        return row, False  # a replay changes nothing
    if row is None:
        row = RhythmPlan(baby_id=baby.id, valid_from=valid_from, created_by_id=user.id, created_at=now)
        db.session.add(row)
    row.wake, row.bedtime, row.naps = parsed.wake, parsed.bedtime, naps
    row.updated_by_id, row.updated_at = user.id, now
    try:
        db.session.commit()
    except IntegrityError:
        # The other parent saved a plan for the same date at the same moment: theirs
        # stands and this one is saved over it, as if it had come a moment later.
        db.session.rollback()
        row = db.session.scalar(
            select(RhythmPlan).where(RhythmPlan.baby_id == baby.id, RhythmPlan.valid_from == valid_from)
        )
        if row is None:
            raise
        row.wake, row.bedtime, row.naps = parsed.wake, parsed.bedtime, naps
        row.updated_by_id, row.updated_at = user.id, now
        db.session.commit()
        created = False
    return row, created
