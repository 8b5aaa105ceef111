"""Plain-language sentences about a period of the diary and its rhythm plan (localised,
kind, no scores: gaps in the diary are not misses)."""

from __future__ import annotations

from typing import Any, NamedTuple

from babel.numbers import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from companion.i18n import clock_formatter, format_duration, locale_code
from companion.rhythm import plan_rules as rules
from companion.rhythm.analysis import (
    FamilyDay,
    Settings,
    compare_family_weeks,
    family_day_start,
    summarise_family,
)

MINUTE_THRESHOLD = 10  # smaller week-to-week changes are "about the same"
#: A mean difference from the plan smaller than this is "close to the plan" and not mentioned.
MEAN_THRESHOLD = 15


def _number(value: float) -> str:
    return format_decimal(round(value, 1), format="#,##0.#", locale=locale_code())


def day_words(settings: Settings) -> str:
    """What a day is in the figures, in one sentence (the family's day start and night)."""
    start = family_day_start(settings)
    return _(
        "A day in these figures runs from %(start)s to %(start)s the next day. Its night "
        "(%(night_start)s–%(night_end)s) is the one that begins in it, never split between two days.",
        start=clock(start),
        night_start=clock(settings.night_start),
        night_end=clock(settings.night_end),
    )


#: Up to this many nights (or daytimes) without entries are named; more are only counted.
NAMED_GAPS = 5


def _gaps(days: list[FamilyDay], part: str, labels: list[str] | None) -> tuple[int, str]:
    """How many of the days' nights (or daytimes) have no entries, and which ("" when they
    are too many to name or there are no labels)."""
    missing = [i for i, day in enumerate(days) if not getattr(day, part)]
    if not labels or len(missing) > NAMED_GAPS:
        return len(missing), ""
    return len(missing), ", ".join(labels[i] for i in missing)


def period_sentences(
    days: list[FamilyDay], nights: list[str] | None = None, daytimes: list[str] | None = None
) -> list[str]:
    """The period's family's days in plain words: each figure averaged over the days (or
    nights, or daytimes) that were logged, never over a gap.

    The count of days with entries never reads as if every night and daytime had some: the
    nights and daytimes without entries (the table's "not logged") are counted beside it,
    and named when they are few (``nights``, ``daytimes``: each day's labels, "3.–4.11.")."""
    summary = summarise_family(days)
    total = len(days)
    if summary.days_logged == 0:
        return [_("Nothing was logged in these days. That is fine: the figures appear when you log.")]
    avg = summary.averages
    parts_missing = min(summary.nights_logged, summary.daytimes_logged) < summary.days_logged
    # Plainly how many days have entries; a gap is neither counted against anyone nor averaged.
    if summary.days_logged == total and not parts_missing:
        lines = [_("Entries from every day and every night.")]
    elif summary.days_logged == total:
        lines = [
            ngettext(
                "Entries from the day, but not from its night or daytime.",
                "Entries from %(num)d days, but not from every night and daytime.",
                total,
            )
        ]
    else:
        lines = [
            ngettext(
                "Entries from %(num)d of the %(total)d days. "
                "Days without entries are left out of the averages.",
                "Entries from %(num)d of the %(total)d days. "
                "Days without entries are left out of the averages.",
                summary.days_logged,
                total=total,
            )
        ]
    if parts_missing:
        for part, labels, named, counted in (
            (
                "night_logged",
                nights,
                _l("Nights without entries: %(n)d (%(which)s)."),
                _l("Nights without entries: %(n)d."),
            ),
            (
                "day_logged",
                daytimes,
                _l("Daytimes without entries: %(n)d (%(which)s)."),
                _l("Daytimes without entries: %(n)d."),
            ),
        ):
            count, which = _gaps(days, part, labels)
            if count:
                lines.append((named if which else counted) % {"n": count, "which": which})
        lines.append(
            _(
                "Night figures are averaged over the nights with entries, daytime figures over "
                "the daytimes with entries."
            )
        )
    night, daytime = avg.get("night_sleep_minutes"), avg.get("day_sleep_minutes")
    if night is not None and daytime is not None:
        lines.append(
            _(
                "Sleep: about %(total)s a day (night %(night)s, daytime %(day)s).",
                total=format_duration(round(night) + round(daytime)),
                night=format_duration(night),
                day=format_duration(daytime),
            )
        )
    elif night is not None:
        lines.append(_("Night sleep: about %(d)s a night.", d=format_duration(night)))
    elif daytime is not None:
        lines.append(_("Daytime sleep: about %(d)s a day.", d=format_duration(daytime)))
    lines.append(_("Longest sleep: %(d)s on average.", d=format_duration(avg["longest_sleep_minutes"])))
    if night is not None:
        lines.append(_("Night wakings: about %(n)s a night.", n=_number(avg["night_wakings"])))
    if daytime is not None:
        lines.append(_("Naps: about %(n)s a day.", n=_number(avg["naps"])))
    lines.append(
        _(
            "Crying: about %(d)s a day, in %(n)s episodes.",
            d=format_duration(avg["crying_minutes"]),
            n=_number(avg["crying_episodes"]),
        )
    )
    return lines


#: How a week's change of a figure is said: (more or longer, less or shorter), each with
#: the amount of time as ``%(d)s``.
_WEEK_CHANGES = {
    "night_sleep_minutes": (
        _l("Nights have been about %(d)s longer than the week before."),
        _l("Nights have been about %(d)s shorter than the week before."),
    ),
    "day_sleep_minutes": (
        _l("Daytime sleep has been about %(d)s more than the week before."),
        _l("Daytime sleep has been about %(d)s less than the week before."),
    ),
    "crying_minutes": (
        _l("About %(d)s more crying a day than the week before."),
        _l("About %(d)s less crying a day than the week before."),
    ),
    "longest_sleep_minutes": (
        _l("The longest sleep has been about %(d)s longer than the week before."),
        _l("The longest sleep has been about %(d)s shorter than the week before."),
    ),
}


def week_sentences(days: list[FamilyDay]) -> list[str]:
    """The last 7 whole days against the 7 before (``days``: `services.recent_family_days`),
    for each figure whose days were logged often enough in both weeks."""
    lines = []
    for key, diff in compare_family_weeks(days):
        size = abs(diff)
        if key == "night_wakings":
            if size >= 1:
                lines.append(
                    _("About %(n)d fewer night wakings than the week before.", n=size)
                    if diff < 0
                    else _("About %(n)d more night wakings than the week before.", n=size)
                )
        elif size >= MINUTE_THRESHOLD:
            more, less = _WEEK_CHANGES[key]
            lines.append((more if diff > 0 else less) % {"d": format_duration(size)})
        elif key == "night_sleep_minutes":
            lines.append(_("Nights have been about the same as the week before."))
    return lines


# -- the rhythm plan ---------------------------------------------------------------------


def clock(value) -> str:
    return clock_formatter(locale_code())(value.hour, value.minute)


def describe(plan: rules.Plan) -> dict[str, Any]:
    """The plan's times in the reader's clock format, for the pages."""
    return {
        "wake": clock(plan.wake),
        "naps": [f"{clock(start)}–{clock(end)}" for start, end in plan.naps],
        "bedtime": clock(plan.bedtime),
    }


class _PlannedTime(NamedTuple):
    """How the diary's fit to one of the plan's times is said: days within
    ``%(m)d`` minutes (``%(n)d`` of ``%(total)d``), and the mean difference (``%(d)s``)."""

    close: Any
    later: Any
    earlier: Any


_BEDTIME = _PlannedTime(
    _l("Bedtime within %(m)d minutes of the plan on %(n)d of %(total)d days with a logged bedtime."),
    _l("Bedtime has been about %(d)s later than planned, on average."),
    _l("Bedtime has been about %(d)s earlier than planned, on average."),
)
_WAKE = _PlannedTime(
    _l("Wake-up within %(m)d minutes of the plan on %(n)d of %(total)d days with a logged wake-up."),
    _l("Wake-up has been about %(d)s later than planned, on average."),
    _l("Wake-up has been about %(d)s earlier than planned, on average."),
)


def plan_sentences(summary: rules.Summary) -> list[str]:
    """The period's figures in plain words; days the diary cannot tell about are left out."""
    if summary.planned_days == 0:
        return []
    if summary.wake_days == 0 and summary.bedtime_days == 0:
        return [_("The diary is compared with the plan once wake-ups and bedtimes are logged.")]
    lines = []
    times = (
        (summary.bedtime_days, summary.bedtime_close, summary.bedtime_mean_diff, _BEDTIME),
        (summary.wake_days, summary.wake_close, summary.wake_mean_diff, _WAKE),
    )
    for days, close, _diff, words in times:
        if days:
            lines.append(words.close % {"m": rules.CLOSE_MINUTES, "n": close, "total": days})
    for _days, _close, diff, words in times:
        if diff is not None and abs(diff) >= MEAN_THRESHOLD:
            lines.append((words.later if diff > 0 else words.earlier) % {"d": format_duration(abs(diff))})
    if summary.naps_taken is not None and summary.naps_planned is not None:
        lines.append(
            _(
                "Naps: about %(n)s a day; the plan has %(planned)s.",
                n=_number(summary.naps_taken),
                planned=_number(summary.naps_planned),
            )
        )
    return lines
