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
from zoneinfo import ZoneInfo

from babel.units import format_unit
from flask_babel import gettext as _

from companion.diary.age import age_in_days
from companion.i18n import _day, _duration, clock_pattern, locale_code
from companion.rhythm.analysis import MAX_CRYING_MINUTES, MAX_SLEEP_MINUTES, DayFigures, Span

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


def day_labels(days: list[DayFigures]) -> list[str]:
    loc = locale_code()
    gap = " · " + _("not logged")
    labels = []
    for figures in days:
        label = _day(figures.date, "short-weekday", loc)
        if figures.hours != 24:
            label += " · " + _duration(figures.hours * 60, loc)  # 23 t, 23 tim
        if not figures.logged:
            label += gap
        labels.append(label)
    return labels


def rhythm_spans(
    spans: list[Span], first: date, last: date, tz: ZoneInfo, now: datetime, chart_day_start: int = 0
) -> dict[str, Any]:
    """The 24-hour chart's sleeps, cryings and feeds as wall-clock positions, for the
    page script to draw (``static/js/rhythm.js``, with `spans_format`).

    ``spans`` are the entries that start in the rows' window, by start, as minute stamps.
    A position is ``row * 1440 + minutes from the row's start by the wall clock``, a row
    being a day from ``chart_day_start`` and row 0 ``first``: bars sit at their
    wall-clock hours, as on a paper diary. Sleeps and cryings that start in the rows
    (``"sleep"``, ``"crying"``) and those that started before the first row and reach into
    it (``"head_sleep"``, ``"head_crying"``, drawn only when these rows begin the chart)
    are flat lists of ``gap, length``: the gap from the previous span's end (the first
    from the start of row 0) and the length, in wall-clock minutes; plus ``fixes``:
    ``index, real minutes, running`` for the spans whose real length differs from the
    wall-clock one (across a clock change) or that are still running. Feeds are the gaps
    from the previous feed (the first from the start of row 0).
    """
    rows = (last - first).days + 1
    # Row edges from two days before the first row (a span may start a day earlier) to
    # three after the last (an end may lie beyond it).
    origin = first - timedelta(days=2)
    edges = []
    for number in range(rows + 6):
        moment = datetime.combine(origin + timedelta(days=number), time(chart_day_start), tzinfo=tz)
        edges.append(int(moment.timestamp() // 60))
    regular = [edges[i + 1] - edges[i] == 1440 for i in range(len(edges) - 1)]
    shift = timedelta(hours=chart_day_start)

    def position(minute: int) -> int:
        index = bisect_right(edges, minute) - 1
        if 0 <= index < len(regular) and regular[index]:
            return (index - 2) * 1440 + minute - edges[index]
        # A clock-change day, or beyond the edges: by the wall clock.
        wall = datetime.fromtimestamp(minute * 60, tz).replace(tzinfo=None) - shift
        return (wall.date() - first).days * 1440 + wall.hour * 60 + wall.minute

    now_minute = int(now.timestamp() // 60)
    limits = {"sleep": MAX_SLEEP_MINUTES, "crying": MAX_CRYING_MINUTES}
    first_edge, last_edge = edges[2], edges[rows + 2]
    out: dict[str, Any] = {}
    lists = {name: {"at": 0, "flat": [], "fixes": [], "count": 0} for name in SPAN_LISTS}
    feeds = lists["feeding"]
    for kind, start, span_end in spans:
        if kind == "feeding":
            if first_edge <= start < last_edge:
                at = position(start)
                feeds["flat"].append(at - feeds["at"])
                feeds["at"] = at
            continue
        limit = limits.get(kind)
        if limit is None:
            continue
        end = span_end if span_end is not None else min(now_minute, start + limit)
        if end <= start or end <= first_edge or start >= last_edge:
            continue
        target = lists[kind if start >= first_edge else f"head_{kind}"]
        at = position(start)
        length = position(end) - at
        if span_end is None or length != end - start:
            target["fixes"] += (target["count"], end - start, 1 if span_end is None else 0)
        target["flat"] += (at - target["at"], length)
        target["at"] = at + length
        target["count"] += 1
    for name, kept in lists.items():
        out[name] = kept["flat"]
        if name != "feeding":
            out[f"{name}_fixes"] = kept["fixes"]
    return out


#: The lists of `rhythm_spans`, each made per week and put together in the page's figure.
SPAN_LISTS = ("sleep", "crying", "feeding", "head_sleep", "head_crying")


def spans_format(chart_day_start: int, rows: int) -> dict[str, Any]:
    """What the page script needs to draw `rhythm_spans` and write their hover texts in
    the reader's language: the clock's pattern (Babel's short time) and the units."""
    loc = locale_code()
    pattern, am, pm = clock_pattern(loc)

    def unit(name: str) -> list[str]:
        return [format_unit(n, name, length="short", locale=loc).replace(str(n), "{0}") for n in (1, 2)]

    return {
        "rows": rows,
        "start": chart_day_start,
        "clock": pattern,
        "periods": [am, pm],
        "hour": unit("duration-hour"),
        "minute": unit("duration-minute"),
    }


def rhythm_chart(
    rows: int,
    labels: list[str],
    chart_day_start: int = 0,
    plan: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The 24-hour chart's figure: a row per day, sleep and crying as bars, feeds as marks.

    The traces' lists are left empty: the page script fills them from the figure's
    ``spans`` (`rhythm_spans` and `spans_format`, put together from weeks in ``weeks``).
    """
    names = {"sleep": _("Sleep"), "crying": _("Crying"), "feeding": _("Feeding")}
    ticks = list(range(0, 25, 3))
    # The rhythm plan's outline (pages.plan_context) first, so it lies behind the diary.
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


def totals_chart(baby, days: list[DayFigures], labels: list[str] | None = None) -> dict[str, Any]:
    """Daily totals: night and day sleep stacked (hours), crying minutes, night wakings.
    Days that were not logged are gaps, never zeros. ``labels``: `short_dates` of the days;
    ``baby`` gives the age for the typical sleep band."""
    if labels is None:
        labels = short_dates(days)

    def hours(value: int, logged: bool) -> float | None:
        return round(value / 60, 2) if logged else None

    night = [hours(d.night_sleep_minutes, d.logged or d.night_sleep_minutes > 0) for d in days]
    daytime = [hours(d.day_sleep_minutes, d.logged) for d in days]
    crying = [d.crying_minutes if d.logged else None for d in days]
    wakings = [d.night_wakings if (d.logged or d.night_sleep_minutes) else None for d in days]
    traces: list[dict[str, Any]] = []
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
            **stacked(
                panel(_("Sleep (h)"), (0.5, 1)),
                panel(_("Crying (min)"), (0.22, 0.44)),
                panel(_("Wakings"), (0, 0.16), dtick=1),
            ),
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


def panel(title: str, domain: tuple[float, float], **extra: Any) -> dict[str, Any]:
    """The y axis of one of charts stacked one above the other, from zero up."""
    axis = {"domain": list(domain), "title": {"text": title}, "fixedrange": True, "rangemode": "tozero"}
    return {**axis, **extra}


def stacked(*panels: dict[str, Any], **x: Any) -> dict[str, Any]:
    """Layout axes for ``panels`` stacked top down and sharing one x axis, whose labels
    only the lowest shows; ``x`` goes to the first x axis."""
    axes: dict[str, Any] = {}
    for number, y in enumerate(panels, start=1):
        suffix = "" if number == 1 else str(number)
        axis: dict[str, Any] = {"fixedrange": True, **(x if number == 1 else {})}
        if number < len(panels):
            axis["showticklabels"] = False
        axis["anchor"] = f"y{suffix}"
        if number > 1:
            axis["matches"] = "x"
        axes[f"xaxis{suffix}"], axes[f"yaxis{suffix}"] = axis, y
    return axes


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
