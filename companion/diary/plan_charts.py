"""The rhythm plan on the rhythm pages: the outline behind the 24-hour chart, the plan in
words and the diary compared with it, said kindly (no scores, gaps are not misses).

Kept apart from charts.py, which only takes the finished trace (`rhythm_chart(...,
plan=...)`): without a plan the figures are exactly what they were.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from babel.numbers import format_decimal
from flask_babel import gettext as _

from companion.diary import plan as rules
from companion.diary.plans import plans_between
from companion.diary.rhythm import Span
from companion.diary.services import RhythmData
from companion.i18n import clock_formatter, format_duration, locale_code

#: A mean difference smaller than this is "close to the plan" and not mentioned.
MEAN_THRESHOLD = 15


def clock(value) -> str:
    return clock_formatter(locale_code())(value.hour, value.minute)


def describe(plan: rules.Plan) -> dict[str, Any]:
    """The plan's times in the reader's clock format, for the pages."""
    return {
        "wake": clock(plan.wake),
        "naps": [f"{clock(start)}–{clock(end)}" for start, end in plan.naps],
        "bedtime": clock(plan.bedtime),
    }


def _number(value: float) -> str:
    return format_decimal(round(value, 1), format="#,##0.#", locale=locale_code())


def sentences(summary: rules.Summary) -> list[str]:
    """The period's figures in plain words; days the diary cannot tell about are left out."""
    if summary.planned_days == 0:
        return []
    if summary.wake_days == 0 and summary.bedtime_days == 0:
        return [_("The diary is compared with the plan once wake-ups and bedtimes are logged.")]
    lines = []
    if summary.bedtime_days:
        lines.append(
            _(
                "Bedtime within %(m)d minutes of the plan on %(n)d of %(total)d days with a logged bedtime.",
                m=rules.CLOSE_MINUTES,
                n=summary.bedtime_close,
                total=summary.bedtime_days,
            )
        )
    if summary.wake_days:
        lines.append(
            _(
                "Wake-up within %(m)d minutes of the plan on %(n)d of %(total)d days with a logged wake-up.",
                m=rules.CLOSE_MINUTES,
                n=summary.wake_close,
                total=summary.wake_days,
            )
        )
    bed = summary.bedtime_mean_diff
    if bed is not None and abs(bed) >= MEAN_THRESHOLD:
        lines.append(
            _("Bedtime has been about %(d)s later than planned, on average.", d=format_duration(bed))
            if bed > 0
            else _("Bedtime has been about %(d)s earlier than planned, on average.", d=format_duration(-bed))
        )
    wake = summary.wake_mean_diff
    if wake is not None and abs(wake) >= MEAN_THRESHOLD:
        lines.append(
            _("Wake-up has been about %(d)s later than planned, on average.", d=format_duration(wake))
            if wake > 0
            else _("Wake-up has been about %(d)s earlier than planned, on average.", d=format_duration(-wake))
        )
    if summary.naps_taken is not None and summary.naps_planned is not None:
        lines.append(
            _(
                "Naps: about %(n)s a day; the plan has %(planned)s.",
                n=_number(summary.naps_taken),
                planned=_number(summary.naps_planned),
            )
        )
    return lines


def plan_context(
    data: RhythmData, chart_day_start: int, spans: Callable[[], list[Span]] | None = None
) -> dict[str, Any]:
    """What the rhythm pages show of the plan for the period of `data`.

    `plan_trace` goes to `charts.rhythm_chart(..., plan=...)`; the rest to the template.
    ``spans`` gives the period's entries when ``data`` comes without them (asked only
    when there is a plan).
    """
    rows = (data.last - data.first).days + 1
    # One more day: with rows starting after midnight, the next morning ends the last row.
    plans = plans_between(data.baby, data.first, data.last + timedelta(days=1))
    today = data.now.astimezone(data.tz).date()
    if data.first <= today <= data.last + timedelta(days=1):
        current = plans[(today - data.first).days]
    else:
        current = plans_between(data.baby, today, today)[0]
    if not any(plans) and current is None:
        return {"plan_trace": None, "plan_current": None, "plan_sentences": []}
    trace = rules.plan_trace(plans, rows, chart_day_start, _("Plan"))
    sleeps = [(span.start, span.end) for span in (spans() if spans else data.spans) if span.kind == "sleep"]
    days = rules.analyse(plans[:rows], data.first, sleeps, data.tz, data.now)
    return {
        "plan_trace": trace,
        "plan_current": describe(current) if current else None,
        "plan_sentences": sentences(rules.summarise(days)),
        "plan_days": days,
    }
