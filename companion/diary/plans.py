"""Use cases of the rhythm plan agreed with the Baby blues worker.

A plan is in effect from its `valid_from` local date until the next plan's: changing the
plan from a date on keeps the earlier days compared with the plan they had. Only the
family's parents write plans (`get_baby`); workers read them through their grant.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from companion.accounts.models import User
from companion.apiutil import date_hint
from companion.diary import plan as rules
from companion.diary.models import Baby, RhythmPlan
from companion.diary.services import family_zone, get_baby
from companion.diary.timeutil import local_date
from companion.errors import Validation
from companion.extensions import db
from companion.i18n import parse_local_date
from companion.types import utcnow

#: How far from today a plan may start, either way.
FROM_LIMIT = timedelta(days=365)


def _messages() -> dict[str, str]:
    return {
        "required": _("This is required."),
        "time": _("Use a time like 07:30 (hours 00–23, minutes 00–59)."),
        "bedtime_order": _("Bedtime must be later than wake-up, on the same day (by 23:59)."),
        "naps_list": _("Give the naps as a list of [from, to] pairs."),
        "too_many": _("Plan at most %(n)d naps.", n=rules.MAX_NAPS),
        "nap_shape": _("Give a nap as a pair of times: [from, to]."),
        "nap_order": _("A nap must end after it starts."),
        "nap_outside": _("A nap must be between wake-up and bedtime."),
        "nap_overlap": _("This nap overlaps another nap."),
    }


def _row_plan(row: RhythmPlan) -> rules.Plan:
    naps = tuple((rules.parse_clock(a), rules.parse_clock(b)) for a, b in row.naps or [])
    return rules.Plan(row.wake, row.bedtime, naps)  # type: ignore[arg-type]


def as_plan(row: RhythmPlan | None) -> rules.Plan | None:
    return None if row is None else _row_plan(row)


def plan_body(row: RhythmPlan | None) -> dict[str, Any] | None:
    """The API's shape of a plan."""
    if row is None:
        return None
    return {
        "from": row.valid_from.isoformat(),
        **_row_plan(row).as_strings(),
        "updated_at": row.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def baby_today(baby: Baby, now: datetime | None = None) -> date:
    return local_date(now or utcnow(), family_zone(baby.family))


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
    user: User, baby_id: object, data: Mapping[str, object], now: datetime | None = None
) -> tuple[RhythmPlan, bool]:
    """Create or change the plan that starts on `data["from"]` (default today in the
    family's zone). Returns (plan, created). Bad input changes nothing."""
    baby = get_baby(user, baby_id)
    now = now or utcnow()
    if not isinstance(data, Mapping):
        raise Validation(_("Please check the plan."), {"plan": _("Send the plan as an object.")})
    fields: dict[str, str] = {}
    valid_from, problem = _valid_from(data.get("from"), baby_today(baby, now))
    if problem:
        fields["from"] = problem
    parsed = None
    try:
        parsed = rules.parse_plan(data)
    except rules.PlanError as error:
        messages = _messages()
        fields.update({name: messages[code] for name, code in error.fields.items()})
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
