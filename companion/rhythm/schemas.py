"""The JSON shapes of the rhythm API: a period's figures and the rhythm plan.

The parent's API and the worker's read-only API give the same shapes from here.
"""

from __future__ import annotations

from typing import Any

from companion.rhythm import analysis, services
from companion.rhythm.models import RhythmPlan


def rhythm_body(period: services.Period) -> dict[str, Any]:
    """The rhythm contract: local dates inclusive, the days' figures and what sums them up."""
    family = period.baby.family
    summary = period.summary
    return {
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "timezone": family.timezone,
        "night": {
            "start": family.night_start.strftime("%H:%M"),
            "end": family.night_end.strftime("%H:%M"),
        },
        "days": [day.as_dict() for day in period.days],
        "summary": {"days_logged": summary.days_logged, "averages": summary.averages},
        "week_comparison": dict(period.week_comparison),
        "crying_by_hour": period.crying_by_hour,
        "family_day": family_day_body(period),
    }


def family_day_body(period: services.Period) -> dict[str, Any]:
    """The period by the family's day: new fields beside the calendar days' (which stay)."""
    summary = analysis.summarise_family(period.family_days)
    recent = services.recent_family_days(period.baby, period.now)
    return {
        "starts_at": analysis.family_day_start(period.settings).strftime("%H:%M"),
        "days": [day.as_dict() for day in period.family_days],
        "summary": {
            "days_logged": summary.days_logged,
            "nights_logged": summary.nights_logged,
            "daytimes_logged": summary.daytimes_logged,
            "averages": summary.averages,
        },
        "week_comparison": dict(analysis.compare_family_weeks(recent)),
    }


def plan_body(row: RhythmPlan | None) -> dict[str, Any] | None:
    """The API's shape of a plan."""
    if row is None:
        return None
    plan = services.as_plan(row)
    assert plan is not None
    return {
        "from": row.valid_from.isoformat(),
        **plan.as_strings(),
        "updated_at": row.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def plans_body(plan: RhythmPlan | None, plans: list[RhythmPlan]) -> dict[str, Any]:
    """The plan in effect on a day, and every plan, newest first."""
    return {"plan": plan_body(plan), "plans": [plan_body(row) for row in plans]}
