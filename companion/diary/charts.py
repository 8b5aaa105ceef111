"""Plotly figures for the day rhythm, built as plain dicts in Plotly's figure schema.

One trace per kind (not per bar) and plain dicts instead of plotly.graph_objects keep a
year's figure cheap to build and to serialise. The page script recolours the figures
from the page's CSS variables, so they follow the light or dark theme.
Every label is localised here: no Plotly-made text (its modebar is off).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _

from companion.diary.age import age_in_days
from companion.diary.rhythm import MAX_CRYING_MINUTES, MAX_SLEEP_MINUTES, DayFigures
from companion.diary.services import RhythmData
from companion.i18n import _day, _duration, clock_formatter, locale_code

COLOURS = {"sleep": "#3b6fb6", "crying": "#c46210", "feeding": "#4f7f2f", "band": "rgba(59,111,182,.12)"}
FONT = {"family": "system-ui, sans-serif", "size": 13}

# Sleep need in 24 h by age (US National Sleep Foundation 2015), shown only as a soft band.
SLEEP_BANDS = ((0, 122, 14, 17), (122, 365, 12, 15), (365, 3 * 365, 11, 14))


def effective_age(baby, day: date) -> int | None:
    """The corrected age for a baby born early, otherwise the age, in days."""
    age, corrected = age_in_days(baby.birth_date, baby.due_date, day)
    return corrected if corrected is not None else age


def sleep_band(age_days: int | None) -> tuple[int, int] | None:
    if age_days is None or age_days < 0:
        return None
    for low, high, least, most in SLEEP_BANDS:
        if low <= age_days < high:
            return least, most
    return None


def _row_edges(data: RhythmData, chart_day_start: int) -> list[int]:
    """Minute stamps of each row's start (and the last row's end): local H:00 each day."""
    edges = []
    day = data.first
    while day <= data.last + timedelta(days=1):
        moment = datetime.combine(day, time(chart_day_start), tzinfo=data.tz)
        edges.append(int(moment.timestamp() // 60))
        day += timedelta(days=1)
    return edges


def day_labels(days: list[DayFigures]) -> list[str]:
    loc = locale_code()
    gap = " · " + _("not logged")
    labels = []
    for figures in days:
        label = _day(figures.date, "short-weekday", loc)
        if figures.hours != 24:
            label += f" · {figures.hours} h"
        if not figures.logged:
            label += gap
        labels.append(label)
    return labels


def rhythm_bars(data: RhythmData, chart_day_start: int = 0) -> dict[str, dict[str, list]]:
    """The 24-hour chart's bars and marks for the rows of ``data.first``..``data.last``.

    Sleep and crying as bars (``base``, ``x``: hours from the row start; ``y``: the row,
    0 for ``data.first``; ``customdata``: the hover text), feeds as marks (``x``, ``y``,
    ``customdata``). A span that began before the first row is drawn from the row start
    with its real times in the hover text, so the rows of neighbouring periods put
    together are the rows of the whole period.

    Bars sit at their wall-clock hours, as on a paper diary; the hover text gives the
    real length, which differs on the nights the clocks change.
    """
    tz = data.tz
    edges = _row_edges(data, chart_day_start)
    rows = len(edges) - 1
    now = int(data.now.timestamp() // 60)
    clock = clock_formatter(locale_code())
    loc = locale_code()
    limits = {"sleep": MAX_SLEEP_MINUTES, "crying": MAX_CRYING_MINUTES}
    traces: dict[str, dict[str, list]] = {
        kind: {"base": [], "x": [], "y": [], "customdata": []} for kind in ("sleep", "crying")
    }
    feeds: dict[str, list] = {"x": [], "y": [], "customdata": []}
    names = {"sleep": _("Sleep"), "crying": _("Crying"), "feeding": _("Feeding")}

    # Within a row of 24 hours the offset is fixed, so wall time is plain arithmetic;
    # only the rows of clock-change days ask the zone for every moment.
    offsets = []
    for edge in edges[:-1]:
        delta = datetime.fromtimestamp(edge * 60, tz).utcoffset()
        offsets.append(int(delta.total_seconds() // 60) if delta else 0)
    regular = [edges[i + 1] - edges[i] == 1440 for i in range(rows)]

    def wall(minute: int, index: int) -> tuple[float, str]:
        if 0 <= index < rows and regular[index]:
            local = (minute + offsets[index]) % 1440
            return (minute - edges[index]) / 60, clock(local // 60, local % 60)
        moment = datetime.fromtimestamp(minute * 60, tz)
        hours = moment.hour + moment.minute / 60 - chart_day_start
        return (hours + 24 if hours < 0 else hours), clock(moment.hour, moment.minute)

    feed_x, feed_y, feed_text = feeds["x"], feeds["y"], feeds["customdata"]
    feed_name = names["feeding"]
    first_edge, last_edge = edges[0], edges[-1]
    for kind, start, span_end in data.spans:
        if kind == "feeding":
            if first_edge <= start < last_edge:
                index = bisect_right(edges, start) - 1
                x, text = wall(start, index)
                feed_x.append(round(x, 3))
                feed_y.append(index)
                feed_text.append(f"{feed_name} {text}")
            continue
        trace = traces.get(kind)
        if trace is None:
            continue
        end = span_end if span_end is not None else min(now, start + limits[kind])
        if end <= start or end <= first_edge or start >= last_edge:
            continue
        index = max(0, bisect_right(edges, start) - 1)
        # A bar starts inside a row only in the row of its start, and ends inside a row
        # only in the row of its end: each end is placed once.
        x_start, since = wall(start, index)
        x_end, until = wall(end, bisect_right(edges, end) - 1)
        if span_end is None:
            until = "…"
        text = f"{names[kind]} {since}–{until} · {_duration(end - start, loc)}"
        base, width, row, hover = trace["base"], trace["x"], trace["y"], trace["customdata"]
        while index < rows and edges[index] < end:
            row_start, row_end = edges[index], edges[index + 1]
            seg_start = start if start > row_start else row_start
            seg_end = end if end < row_end else row_end
            if seg_start < seg_end:
                x0 = 0.0 if seg_start == row_start else x_start
                x1 = 24.0 if seg_end == row_end else x_end
                base.append(round(x0, 3))
                width.append(round(max(x1 - x0, 0.05), 3))
                row.append(index)
                hover.append(text)
            index += 1
    return {**traces, "feeding": feeds}


#: The lists of `rhythm_bars` that travel as they are; ``y`` is moved by each part's first row.
BAR_FIELDS = {
    "sleep": ("base", "x", "customdata"),
    "crying": ("base", "x", "customdata"),
    "feeding": ("x", "customdata"),
}


def rhythm_chart(
    rows: int,
    labels: list[str],
    chart_day_start: int = 0,
    plan: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The 24-hour chart's figure: a row per day, sleep and crying as bars, feeds as marks.

    The traces' lists are left empty, to be filled with `rhythm_bars` of the period (or of
    its parts put together: see ``pagecache``).
    """
    names = {"sleep": _("Sleep"), "crying": _("Crying"), "feeding": _("Feeding")}
    ticks = list(range(0, 25, 3))
    # The rhythm plan's outline (plan_charts.plan_context) first, so it lies behind the diary.
    figure_traces: list[dict[str, Any]] = [plan] if plan else []
    for kind in ("sleep", "crying"):
        figure_traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": names[kind],
                "base": [],
                "x": [],
                "y": [],
                "customdata": [],
                "hovertemplate": "%{customdata}<extra></extra>",
                "marker": {"color": COLOURS[kind]},
                "width": 0.8 if kind == "sleep" else 0.5,
                "meta": kind,
            }
        )
    figure_traces.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": names["feeding"],
            "x": [],
            "y": [],
            "customdata": [],
            "hovertemplate": "%{customdata}<extra></extra>",
            "marker": {"color": COLOURS["feeding"], "symbol": "triangle-up", "size": 8},
            "meta": "feeding",
        }
    )
    height = max(220, 90 + 26 * rows)
    return {
        "data": figure_traces,
        "layout": {
            "barmode": "overlay",
            "height": height,
            "margin": {"l": 120, "r": 10, "t": 30, "b": 50},
            "font": FONT,
            "showlegend": True,
            "legend": {"orientation": "h", "x": 0, "y": 0, "yanchor": "top"},
            "xaxis": {
                "range": [0, 24],
                "tickvals": ticks,
                "ticktext": [f"{(chart_day_start + t) % 24:02d}" for t in ticks],
                "fixedrange": True,
                "side": "top",
            },
            "yaxis": {
                "tickvals": list(range(rows)),
                "ticktext": labels,
                "range": [rows - 0.5, -0.5],
                "fixedrange": True,
                "automargin": True,  # a long label ("not logged", "25 h") is never cut off
            },
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


def short_dates(days: list[DayFigures]) -> list[str]:
    """The daily totals chart's dates ("3.11.")."""
    loc = locale_code()
    return [_day(d.date, "d.M.", loc) for d in days]


def totals_chart(data: RhythmData, labels: list[str] | None = None) -> dict[str, Any]:
    """Daily totals: night and day sleep stacked (hours), crying minutes, night wakings.
    Days that were not logged are gaps, never zeros. ``labels``: `short_dates` of the days."""
    days = data.days
    if labels is None:
        labels = short_dates(days)

    def hours(value: int, logged: bool) -> float | None:
        return round(value / 60, 2) if logged else None

    night = [hours(d.night_sleep_minutes, d.logged or d.night_sleep_minutes > 0) for d in days]
    daytime = [hours(d.day_sleep_minutes, d.logged) for d in days]
    crying = [d.crying_minutes if d.logged else None for d in days]
    wakings = [d.night_wakings if (d.logged or d.night_sleep_minutes) else None for d in days]
    traces: list[dict[str, Any]] = []
    baby = data.baby
    # The age grows a day a day: worked out once, for the first day.
    age = effective_age(baby, days[0].date) if days else None
    band = [sleep_band(None if age is None else age + i) for i in range(len(days))]
    if any(band):
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": labels,
                "y": [b[0] if b else None for b in band],
                "line": {"width": 0},
                "hoverinfo": "skip",
                "showlegend": False,
                "meta": "band",
            }
        )
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": labels,
                "y": [b[1] if b else None for b in band],
                "fill": "tonexty",
                "fillcolor": COLOURS["band"],
                "line": {"width": 0},
                "hoverinfo": "skip",
                "name": _("Typical range for the age"),
                "meta": "band",
            }
        )
    traces += [
        {
            "type": "bar",
            "name": _("Night sleep"),
            "x": labels,
            "y": night,
            "meta": "sleep",
            "marker": {"color": COLOURS["sleep"]},
            "hovertemplate": "%{y:.1f} h<extra>%{fullData.name}</extra>",
        },
        {
            "type": "bar",
            "name": _("Day sleep"),
            "x": labels,
            "y": daytime,
            "meta": "sleep-light",
            "marker": {"color": "#8fb3e3"},
            "hovertemplate": "%{y:.1f} h<extra>%{fullData.name}</extra>",
        },
        {
            "type": "bar",
            "name": _("Crying (min)"),
            "x": labels,
            "y": crying,
            "yaxis": "y2",
            "xaxis": "x2",
            "meta": "crying",
            "marker": {"color": COLOURS["crying"]},
            "hovertemplate": "%{y} min<extra>%{fullData.name}</extra>",
        },
        {
            "type": "scatter",
            "mode": "markers+lines",
            "name": _("Night wakings"),
            "x": labels,
            "y": wakings,
            "yaxis": "y3",
            "xaxis": "x3",
            "meta": "text",
            "connectgaps": False,
            "hovertemplate": "%{y}<extra>%{fullData.name}</extra>",
        },
    ]
    return {
        "data": traces,
        "layout": {
            "barmode": "stack",
            "height": 460,
            "margin": {"l": 50, "r": 10, "t": 30, "b": 40},
            "font": FONT,
            "legend": {"orientation": "h", "y": 1.12},
            "xaxis": {"fixedrange": True, "showticklabels": False, "anchor": "y"},
            "xaxis2": {"fixedrange": True, "showticklabels": False, "anchor": "y2", "matches": "x"},
            "xaxis3": {"fixedrange": True, "anchor": "y3", "matches": "x"},
            "yaxis": {
                "domain": [0.5, 1],
                "title": {"text": _("Sleep (h)")},
                "fixedrange": True,
                "rangemode": "tozero",
            },
            "yaxis2": {
                "domain": [0.22, 0.44],
                "title": {"text": _("Crying (min)")},
                "fixedrange": True,
                "rangemode": "tozero",
            },
            "yaxis3": {
                "domain": [0, 0.16],
                "title": {"text": _("Wakings")},
                "fixedrange": True,
                "rangemode": "tozero",
                "dtick": 1,
            },
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


def crying_by_hour_chart(hourly: list[float], chart_day_start: int = 0) -> dict[str, Any]:
    order = [(chart_day_start + h) % 24 for h in range(24)]
    return {
        "data": [
            {
                "type": "bar",
                "x": [f"{h:02d}" for h in order],
                "y": [round(hourly[h], 1) for h in order],
                "name": _("Crying (min)"),
                "meta": "crying",
                "marker": {"color": COLOURS["crying"]},
                "hovertemplate": "%{x}: %{y} min<extra></extra>",
            }
        ],
        "layout": {
            "height": 260,
            "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
            "font": FONT,
            "xaxis": {"fixedrange": True, "type": "category", "title": {"text": _("Hour of the day")}},
            "yaxis": {"fixedrange": True, "title": {"text": _("Minutes")}, "rangemode": "tozero"},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "showlegend": False,
        },
    }


def range_presets(first: date, last: date, today: date) -> list[dict[str, Any]]:
    """The 7, 14 and 28 days ending today, marking the one shown."""
    presets = []
    for days in (7, 14, 28):
        start = today - timedelta(days=days - 1)
        presets.append({"days": days, "from": start, "to": today, "current": (first, last) == (start, today)})
    return presets


def figure_rows(days: list[DayFigures], labels: list[str]) -> list[tuple[str, list[str] | None]]:
    """The daily figures table as text, a row per day (None for a day not logged).

    Formatted here in one pass: a year's table has thousands of cells.
    """
    loc = locale_code()
    rows: list[tuple[str, list[str] | None]] = []
    for label, d in zip(labels, days, strict=True):
        if not d.logged:
            rows.append((label, None))
            continue
        rows.append(
            (
                label,
                [
                    _duration(d.sleep_minutes, loc),
                    _duration(d.night_sleep_minutes, loc),
                    _duration(d.day_sleep_minutes, loc),
                    str(d.naps),
                    _duration(d.longest_sleep_minutes, loc),
                    str(d.night_wakings),
                    _duration(d.crying_minutes, loc),
                    str(d.feedings),
                ],
            )
        )
    return rows
