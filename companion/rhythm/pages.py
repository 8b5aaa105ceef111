"""The rhythm figures as the pages show them: the parent's rhythm page and the worker's
diary and visit summary render the same body (``rhythm/_rhythm_body.html``).

A year of diary takes tens of milliseconds to plot and render; the same period is asked
for again and again (a worker before a visit, a parent going back and forth) while the
diary has not moved. The rendered body is kept per process (`cache.rendered_cache`)
under a key that holds everything it depends on: the baby's data version (moved in the
same transaction as every change to its entries and plans, see ``Baby.data_version``),
the birth and due dates, the family's settings, the period, the family's today, the
language and who is looking. A body that shows a running sleep or crying, or a plan
compared with the last two days, also depends on the minute, and is kept for that
minute only.

What is kept is served to both parents and to workers alike: it must never hold anything
of the session (no forms, no CSRF token, no names of users).

The rhythm plan on the pages (the outline behind the 24-hour chart, the plan in words and
the diary compared with it) is put in here; charts.py only takes the finished trace
(`rhythm_chart(..., plan=...)`), so without a plan the figures are exactly what they were.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from flask import flash, render_template
from flask_babel import gettext as _
from markupsafe import Markup

from companion import types
from companion.apiutil import parse_range
from companion.diary.models import Baby
from companion.diary.services import data_version
from companion.errors import ServiceError
from companion.i18n import locale_code
from companion.rhythm import charts, services, weeks
from companion.rhythm import plan_rules as rules
from companion.rhythm.analysis import family_date
from companion.rhythm.cache import rendered_cache
from companion.rhythm.clock import local_date
from companion.rhythm.wording import day_words, describe, period_sentences, plan_sentences, week_sentences


def asked_period(baby: Baby, args: Mapping[str, str]) -> tuple[date, date, int]:
    """The period a page's ``from`` and ``to`` ask for, and 200; or, when they are wrong,
    the default period with the problem shown above it, and 422."""
    try:
        return (*services.rhythm_range(baby, *parse_range(args)), 200)
    except ServiceError as error:
        flash(" ".join([error.message, *error.fields.values()]), "error")
        return (*services.rhythm_range(baby, None, None), 422)


def plan_context(period: services.Period, chart_day_start: int) -> dict[str, Any]:
    """What the rhythm pages show of the plan for the period.

    `plan_trace` goes to `charts.rhythm_chart(..., plan=...)`; the rest to the template.
    The comparison reads the period's entries (weeks keep none), only when there is a plan.
    """
    baby, first, last = period.baby, period.first, period.last
    rows = (last - first).days + 1
    # One more day: with rows starting after midnight, the next morning ends the last row.
    plans = services.plans_between(baby, first, last + timedelta(days=1))
    today = period.now.astimezone(period.tz).date()
    if first <= today <= last + timedelta(days=1):
        current = plans[(today - first).days]
    else:
        current = services.plans_between(baby, today, today)[0]
    if not any(plans) and current is None:
        return {"plan_trace": None, "plan_current": None, "plan_sentences": []}
    trace = rules.plan_trace(plans, rows, chart_day_start, _("Plan"))
    spans = services.period_spans(baby, first, last)
    sleeps = [(span.start, span.end) for span in spans if span.kind == "sleep"]
    days = rules.analyse(plans[:rows], first, sleeps, period.tz, period.now)
    return {
        "plan_trace": trace,
        "plan_current": describe(current) if current else None,
        "plan_sentences": plan_sentences(rules.summarise(days)),
        "plan_days": days,
    }


def page_model(baby: Baby, first: date, last: date, now: datetime) -> tuple[dict[str, Any], bool]:
    """Everything the rhythm page (and the worker's view) shows for one period, and
    whether it depends on the minute (a running sleep or crying, a plan compared with
    the last two days).

    The figures, the table, the daily totals chart and the sentences are by the family's
    day (`analysis.family_days`); the week comparison takes the last two weeks of whole
    days, whatever the period."""
    chart_day_start = baby.family.chart_day_start
    period = services.period_figures(baby, first, last, now)
    kept = period.weeks
    family = period.family_days
    plan = plan_context(period, chart_day_start)
    hourly = period.crying_by_hour
    # A day still going on would pull the averages down: whole days only.
    now_minute = int(now.timestamp() // 60)
    complete = [d for d in family if d.end <= now_minute]
    band = charts.sleep_band(charts.effective_age(baby, last))
    settings = period.settings
    model = {
        **plan,
        "first": first,
        "last": last,
        "days": family,
        "table": Markup("").join(week.table for week in kept),
        "sentences": period_sentences(
            complete,
            [night for week in kept for night in week.nights][: len(complete)],
            [day for week in kept for day in week.short_dates][: len(complete)],
        ),
        "week": week_sentences(services.recent_family_days(baby, now, period)),
        "today_left_out": len(complete) < len(family),
        "day_words": day_words(settings),
        "hourly": hourly,
        "crying_peak": max(range(24), key=lambda h: hourly[h]) if any(hourly) else None,
        "band": band,
        "chart_height": charts.rhythm_chart_height(len(family)),
        "rhythm_figure": weeks.rhythm_figure_json(kept, plan["plan_trace"], chart_day_start, now),
        "figures": {
            "totals": charts.totals_chart(
                baby,
                family,
                [label for week in kept for label in week.short_dates],
                [night for week in kept for night in week.nights],
            ),
            "hourly": charts.crying_by_hour_chart(hourly, chart_day_start),
        },
    }
    # The plan's comparison waits for the evening to pass: today's figures move with the clock.
    today = now.astimezone(period.tz).date()
    judging = plan["plan_trace"] is not None and last >= today - timedelta(days=1)
    return model, period.running or judging


def rhythm_body(baby: Baby, first: date, last: date, viewer: str, **extra: Any) -> Markup:
    """The rhythm figures, charts and tables of a period (``rhythm/_rhythm_body.html``).

    ``viewer`` names who looks ("parent", "worker"); ``extra`` is what that viewer's
    body shows besides the figures and must follow from the key (links, for example).
    """
    family = baby.family
    now = types.utcnow()
    settings = services.rhythm_settings(family)
    today = local_date(now, settings.tz)
    key = (
        baby.id,
        data_version(baby),
        baby.birth_date,
        baby.due_date,
        family.timezone,
        family.chart_day_start,
        family.night_start,
        family.night_end,
        first,
        last,
        today,
        family_date(now, settings),  # whole days and the week comparison move at the day start
        locale_code(),
        viewer,
    )

    def render() -> tuple[Markup, bool]:
        model, by_minute = page_model(baby, first, last, now)
        return Markup(render_template("rhythm/_rhythm_body.html", **model, **extra)), by_minute

    return rendered_cache().get_or_render(key, int(now.timestamp() // 60), render)
