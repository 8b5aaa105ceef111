"""The rhythm's JSON shapes: a period's figures, and the rhythm plan in and out.

The parent's API and the worker's read-only API answer with the same shapes from here.
A day's figures are written as the analysis makes them (`analysis.DayFigures`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from flask import Response, current_app
from flask_babel import lazy_gettext as _l
from pydantic import BeforeValidator, ConfigDict, Field, TypeAdapter, WithJsonSchema
from pydantic_core import PydanticCustomError

from companion.rhythm import analysis, services, weeks
from companion.rhythm import plan_rules as rules
from companion.rhythm.analysis import Count, DayFigures, FamilyDay, Summary
from companion.rhythm.models import RhythmPlan
from companion.schema import DATE, Day, Reply, Says, Shape, Stamp, shapes

_CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
CLOCK_PATTERN = f"^{_CLOCK.pattern}$"


def _clock(value: Any) -> str:
    """ "HH:MM" on the 24-hour clock (`plan_rules.parse_clock`), or a ``clock`` error."""
    if not isinstance(value, str) or rules.parse_clock(value) is None:
        raise PydanticCustomError("clock", "not a time")
    return value


def _required_clock(value: Any) -> str:
    if value is None or value == "":
        raise PydanticCustomError("clock_missing", "no time")
    return _clock(value)


_WORDS = services.PLAN_WORDS
_CLOCK_SCHEMA = WithJsonSchema({"type": "string", "pattern": CLOCK_PATTERN})
#: A plan's wake-up or bedtime.
Clock = Annotated[
    str,
    BeforeValidator(_required_clock),
    _CLOCK_SCHEMA,
    Says(_WORDS["time"], missing=_WORDS["required"], clock_missing=_WORDS["required"]),
]
#: One nap: [from, to].
Nap = Annotated[
    tuple[
        Annotated[str, BeforeValidator(_clock), _CLOCK_SCHEMA, Says(clock=_WORDS["time"])],
        Annotated[str, BeforeValidator(_clock), _CLOCK_SCHEMA, Says(clock=_WORDS["time"])],
    ],
    Says(_WORDS["nap_shape"], at=True),
]


class PlanInput(Shape):
    """The rhythm plan agreed with the worker. Times are local wall-clock HH:MM; bedtime is
    later than wake-up on the same day; naps lie within wake-up..bedtime, from < to, do
    not overlap, at most 8 (`plan_rules`)."""

    model_config = ConfigDict(populate_by_name=True)
    problem = _l("Please check the plan.")

    wake: Clock
    naps: Annotated[
        list[Nap] | None,
        Field(max_length=rules.MAX_NAPS),
        Says(_WORDS["naps_list"], too_long=_WORDS["too_many"]),
    ] = None
    bedtime: Clock
    valid_from: Annotated[
        Day,
        Field(
            alias="from",
            description="local date the plan is used from (default today in the family's zone; within a "
            "year of today); a plan with the same date is replaced",
        ),
        DATE,
    ] = None


class PlanBody(Reply):
    model_config = ConfigDict(serialize_by_alias=True, populate_by_name=True)

    valid_from: Annotated[date, Field(alias="from")]
    wake: str
    naps: list[Annotated[list[str], Field(min_length=2, max_length=2)]]
    bedtime: str
    updated_at: Stamp


class Plans(Reply):
    plan: Annotated[
        PlanBody | None, Field(description="the plan in effect today (or on ?date=), null when none")
    ]
    plans: Annotated[list[PlanBody], Field(description="every plan, newest first")]


class PlanSaved(Reply):
    plan: PlanBody


def _plan(row: RhythmPlan) -> PlanBody:
    plan = services.as_plan(row)
    assert plan is not None
    return PlanBody.model_construct(valid_from=row.valid_from, updated_at=row.updated_at, **plan.as_strings())


def plan_body(row: RhythmPlan | None) -> dict[str, Any] | None:
    """The API's shape of a plan."""
    return None if row is None else _plan(row).model_dump(mode="json", by_alias=True)


def plans_body(plan: RhythmPlan | None, plans: list[RhythmPlan]) -> dict[str, Any]:
    """The plan in effect on a day, and every plan, newest first."""
    found = Plans.model_construct(plan=_plan(plan) if plan else None, plans=[_plan(row) for row in plans])
    return found.model_dump(mode="json", by_alias=True)


# -- a period's figures --------------------------------------------------------------------------


class Night(Reply):
    start: str
    end: str


class FamilyNight(Reply):
    start: Stamp
    end: Stamp


#: A figure of a part of the day that was not logged is null, never a made-up zero.
Known = Annotated[Count | None, Field(description="null when its part of the day was not logged")]


class FamilyDayBody(Reply):
    """One family's day, as the pages show it (`analysis.FamilyDay`): from the family's day
    start to the next, holding one whole night; sleep is the night's plus the daytime's."""

    date: date
    start: Stamp
    end: Stamp
    hours: Literal[23, 24, 25]
    logged: bool
    day_logged: bool
    night_logged: bool
    night: FamilyNight
    sleep_minutes: Annotated[Count | None, Field(description="null unless daytime and night were logged")]
    night_sleep_minutes: Known
    day_sleep_minutes: Known
    naps: Known
    longest_sleep_minutes: Known
    night_wakings: Known
    crying_minutes: Known
    crying_episodes: Known
    feedings: Known


class FamilySummary(Reply):
    """Averages over the logged days, nights and daytimes (each figure over its own)."""

    days_logged: int
    nights_logged: int
    daytimes_logged: int
    averages: dict[str, float]


class FamilyDays(Reply):
    """The period by the family's day (what the pages show), beside the calendar days."""

    starts_at: Annotated[str, Field(pattern=CLOCK_PATTERN)]
    days: Annotated[list[FamilyDayBody], Field(max_length=400)]
    summary: FamilySummary
    week_comparison: Annotated[
        dict[str, int], Field(description="the last 7 whole days against the 7 before, whatever the period")
    ]


class Rhythm(Reply):
    """A period's figures: local dates inclusive, the days' figures and what sums them up."""

    model_config = ConfigDict(serialize_by_alias=True, populate_by_name=True)

    first: Annotated[date, Field(alias="from")]
    last: Annotated[date, Field(alias="to")]
    timezone: str
    night: Night
    days: Annotated[list[DayFigures], Field(max_length=400)]
    summary: Summary
    week_comparison: dict[str, int]
    crying_by_hour: Annotated[list[float], Field(min_length=24, max_length=24)]
    family_day: FamilyDays


def _moment(minute: int) -> datetime:
    return datetime.fromtimestamp(minute * 60, UTC)


def family_day_body(day: FamilyDay) -> FamilyDayBody:
    """A family's day with the figures of a part not logged left out (null)."""
    daytime, night, logged = day.day_logged, day.night_logged, day.logged
    return FamilyDayBody.model_construct(
        date=day.date,
        start=_moment(day.start),
        end=_moment(day.end),
        hours=day.hours,
        logged=logged,
        day_logged=daytime,
        night_logged=night,
        night=FamilyNight.model_construct(start=_moment(day.night_start), end=_moment(day.night_end)),
        sleep_minutes=day.sleep_minutes if daytime and night else None,
        night_sleep_minutes=day.night_sleep_minutes if night else None,
        day_sleep_minutes=day.day_sleep_minutes if daytime else None,
        naps=day.naps if daytime else None,
        longest_sleep_minutes=day.longest_sleep_minutes if logged else None,
        night_wakings=day.night_wakings if night else None,
        crying_minutes=day.crying_minutes if logged else None,
        crying_episodes=day.crying_episodes if logged else None,
        feedings=day.feedings if logged else None,
    )


def family_days_body(period: services.Period) -> FamilyDays:
    """The period by the family's day, its days left out (`rhythm_response` puts them in)."""
    summary = analysis.summarise_family(period.family_days)
    recent = services.recent_family_days(period.baby, shown=period)
    return FamilyDays.model_construct(
        starts_at=analysis.family_day_start(period.settings).strftime("%H:%M"),
        days=[],
        summary=FamilySummary.model_construct(
            days_logged=summary.days_logged,
            nights_logged=summary.nights_logged,
            daytimes_logged=summary.daytimes_logged,
            averages=summary.averages,
        ),
        week_comparison=dict(analysis.compare_family_weeks(recent)),
    )


_CALENDAR_DAYS = TypeAdapter(list[DayFigures])
_FAMILY_DAYS = TypeAdapter(list[FamilyDayBody])
#: Where the days go in the answer's JSON text (nothing else in it looks like these).
_DAYS_MARK, _FAMILY_DAYS_MARK = "@@days@@", "@@family-days@@"


def _dumps(value: Any) -> str:
    """JSON text as `flask.jsonify` writes it outside debug mode (the app's settings, compact)."""
    return current_app.json.dumps(value, separators=(",", ":"))


def _week_json(week: weeks.Week) -> tuple[str, str]:
    """A week's calendar days and family's days as the API writes them: the items of a
    JSON array, without its brackets. Worked out once and kept with the week: a year is
    730 days of figures, and writing them is most of the answer's work."""
    found = week.kept.get("api")
    if found is None:
        calendar = _CALENDAR_DAYS.dump_python(week.days, mode="json")
        family = _FAMILY_DAYS.dump_python([family_day_body(day) for day in week.family], mode="json")
        found = week.kept["api"] = (_dumps(calendar)[1:-1], _dumps(family)[1:-1])
    return found


def rhythm_response(period: services.Period) -> Response:
    """The API's answer for a period: JSON as `flask.jsonify` writes it, the days put in
    from the weeks' kept text."""
    family = period.baby.family
    body = Rhythm.model_construct(
        first=period.first,
        last=period.last,
        timezone=family.timezone,
        night=Night.model_construct(
            start=family.night_start.strftime("%H:%M"), end=family.night_end.strftime("%H:%M")
        ),
        days=[],
        summary=period.summary,
        week_comparison=dict(period.week_comparison),
        crying_by_hour=period.crying_by_hour,
        family_day=family_days_body(period),
    ).model_dump(mode="json", by_alias=True)
    body["days"], body["family_day"]["days"] = _DAYS_MARK, _FAMILY_DAYS_MARK
    kept = [_week_json(week) for week in period.weeks]
    text = (
        _dumps(body)
        .replace(f'"{_DAYS_MARK}"', f"[{','.join(days for days, _ in kept if days)}]", 1)
        .replace(f'"{_FAMILY_DAYS_MARK}"', f"[{','.join(days for _, days in kept if days)}]", 1)
    )
    return current_app.response_class(f"{text}\n", mimetype=current_app.json.mimetype)


#: The OpenAPI components of the rhythm ((model, mode): what clients send, what they get).
COMPONENTS = shapes(
    sent=(PlanInput,),
    answered=(PlanBody, Plans, PlanSaved, Rhythm),
)
