"""The rhythm of a period put together from weeks, each worked out once.

A year on the rhythm page is 53 weeks, and a change to the diary (a feed logged at
night, a sleep corrected) touches one or two of them. Each week's figures, chart bars,
table rows and crying hours are kept per process (``RenderedCache``) under a key that
holds what they are made of: the baby, the week's dates, the family's zone, night and
chart settings, the language, and the versions of the UTC dates whose entries the week
reads (`models.DiaryDay`, moved in the same transaction as the entries; one small query
for the whole period). A week whose dates have not moved is used again; the others are
read (one query per run of them) and analysed. Every week is analysed as a period of
its own: the days of neighbouring weeks put together are exactly the days of the whole
period (``analyse`` reads 24 hours before a period, and each day's figures depend only
on entries that near), which ``tests/rhythm/test_weeks.py`` checks against the whole
period worked out at once.

A week with a running sleep or crying depends on the minute, and is kept for that
minute only. Nothing of the session goes in (no users, no forms). The database is read
through the two functions `services.period_figures` hands in, so this module knows
weeks, not tables.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from flask import current_app
from markupsafe import Markup

from companion.i18n import locale_code
from companion.rhythm import analysis, charts
from companion.rhythm.analysis import DayFigures, FamilyDay, Settings, Span
from companion.rhythm.cache import week_cache
from companion.rhythm.clock import week_ranges

#: Kinds whose running entry grows with the clock (a feeding without end is a moment).
RUNNING_KINDS = frozenset(("sleep", "crying"))


@dataclass(slots=True)
class Week:
    """What one week (or the part of it inside the period) adds to the rhythm page."""

    first: date
    last: date
    days: list[DayFigures]  # calendar days (the JSON API's)
    family: list[FamilyDay]  # the family's days (the pages' figures, table and totals chart)
    labels: list[str]  # the 24-hour chart's rows
    logged: list[bool]  # whether anything is recorded in each of them
    #: Each row's nights and daytimes with nothing in them (`analysis.row_part_gaps`).
    part_gaps: list[list[tuple[int, int, int]]]
    short_dates: list[str]  # the daily totals chart's
    nights: list[str]  # which night each family's day holds ("3.–4.11.")
    table: Markup  # the rows of the daily figures table
    spans: dict[str, str]  # `charts.rhythm_spans` of the week's rows, each list as JSON without brackets
    crying_hours: list[int]
    running: bool
    #: What other modules work out from the week once and keep with it (the JSON API's
    #: days, `schemas.rhythm_response`): gone with the week when its diary moves.
    kept: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _json(value: Any) -> str:
    """JSON that is safe inside a script element (as Jinja's ``tojson``), compact."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")
    )


def _minute(moment: datetime) -> int:
    return int(moment.timestamp() // 60)


def _moment(minute: int) -> datetime:
    return datetime.fromtimestamp(minute * 60, UTC)


@lru_cache(maxsize=256)
def _weeks_and_windows(
    first: date, last: date, settings: Settings, chart_day_start: int
) -> tuple[tuple[tuple[date, date], ...], tuple[tuple[int, int], ...]]:
    """The period's weeks, and the minute stamps each reads from and up to: the analysis's
    window, and the chart's last row to its end (rows that start in the evening end the
    next evening). Only dates and settings go in, so it is worked out once per period."""
    ranges = week_ranges(first, last)
    out = []
    for (low, high), (_first, end) in zip(analysis.query_windows(ranges, settings), ranges, strict=True):
        row_end = datetime.combine(end + timedelta(days=1), time(chart_day_start), tzinfo=settings.tz)
        out.append((low, max(high, _minute(row_end))))
    return tuple(ranges), tuple(out)


def _work_out(baby_id, ranges, windows, spans, settings, now, chart_day_start) -> list[Week]:
    """Analyse weeks next to each other as one period (``spans`` read for all of them),
    then cut the days into the weeks: the same as each week on its own, for less."""
    first, last = ranges[0][0], ranges[-1][1]
    days = analysis.analyse(spans, first, last, settings, now)
    family = analysis.family_days(spans, first, last, settings, now)
    labels = charts.day_labels(days)
    logged = analysis.rows_logged(spans, first, last, settings, now)
    part_gaps = analysis.row_part_gaps(spans, first, last, settings, now)
    short_dates = charts.short_dates(family)
    nights = [charts.night_label(day, settings.tz) for day in family]
    rows = charts.figure_rows(family, charts.family_day_labels(family), settings.tz)
    # The table in one go, a line a row, cut into the weeks below (a row per render
    # should a translation ever hold a line break).
    template = current_app.jinja_env.get_template("rhythm/_figure_rows.html")
    table = template.render(table=rows).splitlines(True)
    if len(table) != len(rows):
        table = [template.render(table=[row]) for row in rows]
    starts = [span.start for span in spans]
    out = []
    for (a, b), (low, high) in zip(ranges, windows, strict=True):
        begin, end = (a - first).days, (b - first).days + 1
        mine = spans[bisect_left(starts, low) : bisect_left(starts, high)]
        out.append(
            Week(
                first=a,
                last=b,
                days=days[begin:end],
                family=family[begin:end],
                labels=labels[begin:end],
                logged=logged[begin:end],
                part_gaps=part_gaps[begin:end],
                short_dates=short_dates[begin:end],
                nights=nights[begin:end],
                table=Markup("".join(table[begin:end])),
                spans={
                    name: _json(values)[1:-1]
                    for name, values in charts.rhythm_spans(
                        mine, a, b, settings.tz, now, chart_day_start
                    ).items()
                },
                crying_hours=analysis.crying_by_hour(mine, a, b, settings, now),
                running=any(stop is None and kind in RUNNING_KINDS for kind, _start, stop in mine),
            )
        )
    return out


def weeks_of(
    baby_id: int,
    first: date,
    last: date,
    now: datetime,
    settings: Settings,
    chart_day_start: int,
    read_versions: Callable[[datetime, datetime], dict[int, int]],
    read_spans: Callable[[datetime, datetime], list[Span]],
) -> list[Week]:
    """The period's weeks, the kept ones used again and the others read and worked out.

    ``read_versions(low, high)`` gives the versions of the UTC dates of [low, high) (days
    since 1970, a date not listed is version 0); ``read_spans(low, high)`` the entries that
    start in [low, high), by start.
    """
    ranges, windows = _weeks_and_windows(first, last, settings, chart_day_start)
    versions = read_versions(_moment(windows[0][0]), _moment(windows[-1][1]))
    common = (
        baby_id,
        settings.tz.key,
        settings.night_start,
        settings.night_end,
        chart_day_start,
        locale_code(),
    )
    # A week depends on the versions of whole UTC dates: a few entries more than it reads
    # at each end, which at worst works a week out again for nothing.
    keys = [
        (*common, a, b, tuple(versions.get(day, 0) for day in range(low // 1440, (high - 1) // 1440 + 1)))
        for (a, b), (low, high) in zip(ranges, windows, strict=True)
    ]
    cache = week_cache()
    minute = _minute(now)
    found: list[Week | None] = [cache.get(key, minute) for key in keys]

    # Weeks not kept are read together, one query for each run of them.
    index = 0
    while index < len(found):
        if found[index] is not None:
            index += 1
            continue
        stop = index
        while stop < len(found) and found[stop] is None:
            stop += 1
        spans = read_spans(_moment(windows[index][0]), _moment(windows[stop - 1][1]))
        worked = _work_out(
            baby_id, ranges[index:stop], windows[index:stop], spans, settings, now, chart_day_start
        )
        for at, week in enumerate(worked, start=index):
            cache.put(keys[at], week, minute if week.running else None)
            found[at] = week
        index = stop
    return found  # type: ignore[return-value]


def rhythm_figure_json(
    weeks: list[Week], plan: dict[str, Any] | None, chart_day_start: int, now: datetime | None = None
) -> Markup:
    """The 24-hour chart's figure as JSON for the page, with the weeks' spans as they were
    kept: for each list, a group per week, ``[first row, fixes, gap, length, ...]`` (feeds:
    ``[first row, gap, ...]``); the spans that began before the period, only from its
    first week (`charts.rhythm_spans`).

    Rows with nothing in them are hatched whole; in the other rows, each night or daytime
    with nothing in it that is over by ``now`` (a half-logged day never looks awake)."""
    labels = [label for week in weeks for label in week.labels]
    flags = [flag for week in weeks for flag in week.logged]
    gaps = [row for row, logged in enumerate(flags) if not logged]
    stamp = _minute(now) if now is not None else None
    parts = [
        (row, low, high)
        for row, pieces in enumerate(piece for week in weeks for piece in week.part_gaps)
        if flags[row]
        for low, high, end in pieces
        if stamp is None or end <= stamp
    ]
    figure = charts.rhythm_chart(len(labels), labels, chart_day_start, plan, gaps, parts)
    figure["spans"] = charts.spans_format(chart_day_start, len(labels))
    filled: dict[str, str] = {}
    for kind in ("sleep", "crying", "feeding"):
        groups = []
        for number, week in enumerate(weeks):
            offset = (week.first - weeks[0].first).days
            names = (f"head_{kind}", kind) if number == 0 and kind != "feeding" else (kind,)
            for name in names:
                flat = week.spans[name]
                if not flat:
                    continue
                fixes = "" if kind == "feeding" else f"[{week.spans[f'{name}_fixes']}],"
                groups.append(f"[{offset},{fixes}{flat}]")
        mark = f"@@{kind}@@"
        figure["spans"][kind] = mark
        filled[mark] = f"[{','.join(groups)}]"
    text = _json(figure)
    for mark, values in filled.items():
        text = text.replace(f'"{mark}"', values, 1)
    return Markup(text)


def crying_by_hour(weeks: list[Week], days: list[DayFigures]) -> list[float]:
    """Average crying minutes in each local hour over the logged days (`analysis.hourly_crying`)."""
    logged = sum(1 for day in days if day.logged)
    if not logged:
        return [0.0] * 24
    totals = [sum(hours) for hours in zip(*(week.crying_hours for week in weeks), strict=True)]
    return [total / logged for total in totals]
