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

from babel.numbers import get_decimal_symbol, get_group_symbol
from babel.units import format_unit, get_unit_name
from flask_babel import gettext as _

from companion.diary.age import age_in_days
from companion.i18n import _day, _duration, clock_formatter, clock_pattern, hour_formatter, locale_code
from companion.rhythm.analysis import MAX_CRYING_MINUTES, MAX_SLEEP_MINUTES, DayFigures, FamilyDay, Span
from companion.rhythm.clock import MAX_RANGE_DAYS

COLOURS = {
    "sleep": "#3b6fb6",
    "crying": "#c46210",
    "feeding": "#4f7f2f",
    "sleep-light": "#8fb3e3",
    "band": "rgba(59,111,182,.18)",
    "gap": "#6b6f76",
}
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
    """The 24-hour chart's row labels ("ma 3.11.", "ma 3.11. · 25 t" on a clock-change day).
    A row with nothing recorded in it is drawn as a hatched "not logged" band (`rhythm_chart`),
    so its label stays as short as the others and the chart keeps its width on a phone."""
    loc = locale_code()
    labels = []
    for figures in days:
        label = _day(figures.date, "short-weekday", loc)
        if figures.hours != 24:
            label += " · " + _duration(figures.hours * 60, loc)  # 23 t, 23 tim
        labels.append(label)
    return labels


def family_day_labels(days: list[FamilyDay]) -> list[str]:
    """The daily figures table's day labels ("ma 3.11.", "· 25 t" for a longer day)."""
    loc = locale_code()
    return [
        _day(d.date, "short-weekday", loc) + (" · " + _duration(d.hours * 60, loc) if d.hours != 24 else "")
        for d in days
    ]


def night_label(day: FamilyDay, tz: ZoneInfo) -> str:
    """Which night a family's day holds: "3.–4.11.", "30.11.–1.12.", or "4.11." for a night
    inside one date."""
    loc = locale_code()
    start = datetime.fromtimestamp(day.night_start * 60, tz).date()
    end = datetime.fromtimestamp(max(day.night_end - 1, day.night_start) * 60, tz).date()
    if start == end:
        return _day(start, "d.M.", loc)
    if start.month == end.month:
        return f"{_day(start, 'd.', loc)}–{_day(end, 'd.M.', loc)}"
    return f"{_day(start, 'd.M.', loc)}–{_day(end, 'd.M.', loc)}"


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


#: The 24-hour chart's row height in pixels, and for long periods (smaller labels, so a
#: year's chart stays a scroll, not a trek, on a phone).
ROW_HEIGHT, LONG_ROW_HEIGHT, LONG_PERIOD_ROWS = 26, 17, 35


def rhythm_chart_height(rows: int) -> int:
    """The 24-hour chart's designed height: the page keeps it whatever the screen's width."""
    per_row = ROW_HEIGHT if rows <= LONG_PERIOD_ROWS else LONG_ROW_HEIGHT
    return max(220, 96 + per_row * rows)


#: Layout shared by every chart: drawn for a phone held upright (360–430 px) first, no
#: zooming or dragging (a finger scrolls the page), hover texts large enough to read.
BASE_LAYOUT: dict[str, Any] = {
    "font": FONT,
    "dragmode": False,
    "hoverlabel": {"font": {"size": 15}},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
}


def base_layout() -> dict[str, Any]:
    """`BASE_LAYOUT` with the reader's numbers: a decimal comma in Finnish and Swedish
    (Plotly's ``separators``: the decimal sign, then the thousands sign)."""
    loc = locale_code()
    return {**BASE_LAYOUT, "separators": get_decimal_symbol(loc) + get_group_symbol(loc)}


def hour_unit() -> str:
    """The short word for hours after a number in the reader's language: t, tim, hours."""
    return get_unit_name("duration-hour", length="short", locale=locale_code())


def subplot_titles(titles: list[tuple[str, float]]) -> list[dict[str, Any]]:
    """One title above each subplot, left-aligned and level (y-axis titles turned on their
    side run into each other when subplots are short): (text, the subplot's domain top)."""
    return [
        {
            "text": text,
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": top,
            "xanchor": "left",
            "yanchor": "bottom",
            "yshift": 2,
            "showarrow": False,
            "font": {"size": 14},
        }
        for text, top in titles
    ]


def rhythm_chart(
    rows: int,
    labels: list[str],
    chart_day_start: int = 0,
    plan: dict[str, Any] | None = None,
    gaps: list[int] | None = None,
    parts: list[tuple[int, int, int]] | None = None,
) -> dict[str, Any]:
    """The 24-hour chart's figure: a row per day, sleep and crying as bars, feeds as marks,
    and the rows with nothing recorded in them (``gaps``) hatched as "not logged", as are
    the nights and daytimes with nothing in them in the other rows (``parts``: row, from
    and to in minutes from the row's start).

    The diary traces' lists are left empty: the page script fills them from the figure's
    ``spans`` (`rhythm_spans` and `spans_format`, put together from weeks in ``weeks``).
    """
    names = {"sleep": _("Sleep"), "crying": _("Crying"), "feeding": _("Feeding")}
    # Every 3 hours; the page script keeps every 6th or 12th when the plot is too narrow
    # for them (200 % zoom on a phone).
    ticks = list(range(0, 25, 3))
    hour = hour_formatter(locale_code())
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
            "marker": {"color": COLOURS["feeding"], "symbol": "triangle-up", "size": 9},
            "meta": "feeding",
        }
    )
    # Rows and parts of rows with nothing in them, last: hatched, over nothing but the
    # plan's outline.
    if gaps or parts:
        gaps, parts = gaps or [], parts or []
        clock = clock_formatter(locale_code())

        def wall(minutes: int) -> str:
            at = (chart_day_start * 60 + minutes) % 1440
            return clock(at // 60, at % 60)

        figure_traces.append(
            not_logged_bars(
                [labels[row] for row in gaps]
                + [f"{labels[row]} {wall(low)}–{wall(high)}" for row, low, high in parts],
                orientation="h",
                base=[0] * len(gaps) + [low / 60 for _row, low, _high in parts],
                x=[24] * len(gaps) + [(high - low) / 60 for _row, low, high in parts],
                y=gaps + [row for row, _low, _high in parts],
            )
        )
    return {
        "data": figure_traces,
        "layout": {
            **base_layout(),
            "barmode": "overlay",
            "height": rhythm_chart_height(rows),
            "margin": {"l": 4, "r": 12, "t": 28, "b": 8},
            "hovermode": "closest",
            "showlegend": True,
            # Under the rows, outside the plot area: never over a bar.
            "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.005, "yanchor": "top"},
            "xaxis": {
                "range": [0, 24],
                "tickvals": ticks,
                "ticktext": [hour((chart_day_start + t) % 24) for t in ticks],
                "fixedrange": True,
                "side": "top",
            },
            "yaxis": {
                "tickvals": list(range(rows)),
                "ticktext": labels,
                "tickfont": {"size": 13 if rows <= LONG_PERIOD_ROWS else 11},
                "range": [rows - 0.5, -0.5],
                "fixedrange": True,
                "automargin": True,  # a longer label ("25 t") is never cut off
            },
        },
    }


def not_logged_bars(where: list[str], showlegend: bool = True, **trace: Any) -> dict[str, Any]:
    """A hatched band over each part of a chart with nothing recorded in it, named "not
    logged" in the legend and on hover (``where``: what each band stands for, "ma 3.11.");
    ``trace`` places the bars. The page script hatches it in the theme's muted colour."""
    not_logged = _("not logged")
    return {
        "type": "bar",
        "name": _("Not logged"),
        "customdata": [f"{label}: {not_logged}" for label in where],
        "hovertemplate": "%{customdata}<extra></extra>",
        "width": 0.8,
        "marker": {
            "color": "rgba(0,0,0,0)",
            "line": {"width": 0},
            "pattern": {"shape": "/", "fgcolor": COLOURS["gap"], "size": 8, "solidity": 0.2},
        },
        "legendgroup": "gap",
        "showlegend": showlegend,
        "meta": "gap",
        **trace,
    }


def short_dates(days: list[FamilyDay] | list[DayFigures]) -> list[str]:
    """The daily totals chart's dates ("23.11.")."""
    loc = locale_code()
    return [_day(d.date, "d.M.", loc) for d in days]


#: The daily totals chart's subplots (domain bottom, top), from the top: sleep, crying, wakings.
TOTALS_DOMAINS = ((0.56, 1.0), (0.3, 0.47), (0.0, 0.21))


def totals_chart(
    baby,
    days: list[FamilyDay],
    labels: list[str] | None = None,
    nights: list[str] | None = None,
) -> dict[str, Any]:
    """Daily totals by the family's day: night and daytime sleep stacked (hours), crying
    minutes, night wakings. A part not logged is a gap, never a zero. ``labels``:
    `short_dates` of the days; ``nights``: `night_label` of each, for the hover texts;
    ``baby`` gives the age for the typical sleep band."""
    if labels is None:
        labels = short_dates(days)
    if nights is None:
        nights = labels

    def hours(value: int, logged: bool) -> float | None:
        return round(value / 60, 2) if logged else None

    night = [hours(d.night_sleep_minutes, d.night_logged) for d in days]
    daytime = [hours(d.day_sleep_minutes, d.day_logged) for d in days]
    crying = [d.crying_minutes if d.logged else None for d in days]
    wakings = [d.night_wakings if d.night_logged else None for d in days]
    night_word = _("Night %(dates)s")
    night_names = [night_word % {"dates": text} for text in nights]
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
            "customdata": night_names,
            "meta": "sleep",
            "marker": {"color": COLOURS["sleep"]},
            "hovertemplate": f"%{{customdata}}: %{{y:.1f}} {hour_unit()}<extra></extra>",
        },
        {
            "type": "bar",
            "name": _("Day sleep"),
            "x": labels,
            "y": daytime,
            "meta": "sleep-light",
            "marker": {"color": COLOURS["sleep-light"]},
            "hovertemplate": f"%{{fullData.name}}: %{{y:.1f}} {hour_unit()}<extra></extra>",
        },
        {
            "type": "bar",
            "name": _("Crying"),
            "x": labels,
            "y": crying,
            "yaxis": "y2",
            "xaxis": "x2",
            "meta": "crying",
            "marker": {"color": COLOURS["crying"]},
            "hovertemplate": "%{fullData.name}: %{y} min<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers+lines",
            "name": _("Night wakings"),
            "x": labels,
            "y": wakings,
            "customdata": night_names,
            "yaxis": "y3",
            "xaxis": "x3",
            "meta": "text",
            "connectgaps": False,
            "hovertemplate": "%{customdata}: %{y}<extra></extra>",
        },
    ]
    # A part of a day not logged is hatched in its subplot, not left looking like a zero:
    # on a hidden axis from 0 to 1 laid over the subplot, so the figures keep their scale.
    overlays: dict[str, Any] = {}
    shown = False
    for number, missing in enumerate(
        (
            [n is None or d is None for n, d in zip(night, daytime, strict=True)],
            [value is None for value in crying],
            [value is None for value in wakings],
        ),
        start=1,
    ):
        where = [label for label, gap in zip(labels, missing, strict=True) if gap]
        if not where:
            continue
        axis = f"y{number + 3}"
        overlays[f"yaxis{number + 3}"] = {
            "overlaying": "y" if number == 1 else f"y{number}",
            "range": [0, 1],
            "visible": False,
            "fixedrange": True,
        }
        x_axis = "x" if number == 1 else f"x{number}"
        bars = {"x": where, "y": [1] * len(where), "xaxis": x_axis, "yaxis": axis}
        traces.append(not_logged_bars(where, showlegend=not shown, **bars))
        shown = True
    sleep_dom, crying_dom, wakings_dom = TOTALS_DOMAINS
    return {
        "data": traces,
        "layout": {
            **base_layout(),
            "barmode": "stack",
            "height": 600,
            # The legend above the first subplot's title, outside the plot area (its lines
            # on a phone push the top margin): it never lies over the bars.
            "margin": {"l": 4, "r": 12, "t": 8, "b": 8},
            "hovermode": "x unified",
            "legend": {
                "orientation": "h",
                "traceorder": "normal",
                "x": 0,
                "xanchor": "left",
                "y": 1.06,
                "yanchor": "bottom",
            },
            **stacked(
                panel(_("Sleep (h)"), sleep_dom),
                panel(_("Crying (min)"), crying_dom),
                panel(_("Night wakings"), wakings_dom, dtick=1),
                type="category",
            ),
            **overlays,
        },
    }


def panel(title: str, domain: tuple[float, float], **axis: Any) -> dict[str, Any]:
    """One of charts stacked one above the other: its title and its y axis, from zero up
    (``axis`` adds to or overrides the axis)."""
    y = {"domain": list(domain), "fixedrange": True, "rangemode": "tozero", "automargin": True}
    return {"title": title, "axis": {**y, **axis}}


def stacked(*panels: dict[str, Any], **x: Any) -> dict[str, Any]:
    """Layout axes and titles for ``panels`` stacked top down and sharing one x axis, whose
    labels only the lowest shows (full dates, turned when they do not fit side by side,
    never cut off); ``x`` goes to the first x axis. Each title stands above its subplot
    (see `subplot_titles`)."""
    layout: dict[str, Any] = {
        "annotations": subplot_titles([(p["title"], p["axis"]["domain"][1]) for p in panels])
    }
    for number, p in enumerate(panels, start=1):
        suffix = "" if number == 1 else str(number)
        axis: dict[str, Any] = {"fixedrange": True, **(x if number == 1 else {})}
        if number < len(panels):
            axis["showticklabels"] = False
        else:
            axis["automargin"] = True
        axis["anchor"] = f"y{suffix}"
        if number > 1:
            axis["matches"] = "x"
        layout[f"xaxis{suffix}"], layout[f"yaxis{suffix}"] = axis, p["axis"]
    return layout


def crying_by_hour_chart(hourly: list[float], chart_day_start: int = 0) -> dict[str, Any]:
    loc = locale_code()
    hour, clock = hour_formatter(loc), clock_formatter(loc)
    order = [(chart_day_start + h) % 24 for h in range(24)]
    return {
        "data": [
            {
                "type": "bar",
                "x": [hour(h) for h in order],
                "y": [round(hourly[h], 1) for h in order],
                "customdata": [f"{clock(h, 0)}–{clock((h + 1) % 24, 0)}" for h in order],
                "name": _("Crying (min)"),
                "meta": "crying",
                "marker": {"color": COLOURS["crying"]},
                "hovertemplate": "%{customdata}: %{y} min<extra></extra>",
            }
        ],
        "layout": {
            **base_layout(),
            "height": 280,
            "margin": {"l": 4, "r": 12, "t": 28, "b": 8},
            "hovermode": "x",
            "annotations": subplot_titles([(_("Minutes"), 1.0)]),
            "xaxis": {
                "fixedrange": True,
                "type": "category",
                "title": {"text": _("Hour of the day")},
                "automargin": True,
            },
            "yaxis": {"fixedrange": True, "rangemode": "tozero", "automargin": True},
            "showlegend": False,
        },
    }


#: The preset periods of the rhythm views, in days (and the whole diary besides them).
PRESET_DAYS = (7, 14, 28)


def range_presets(first: date, last: date, today: date, since: date | None = None) -> list[dict[str, Any]]:
    """The 7, 14 and 28 days ending today, and the whole diary (from ``since``, the first
    entry's date, at most `clock.MAX_RANGE_DAYS`), marking the one shown."""
    presets = []
    for days in PRESET_DAYS:
        start = today - timedelta(days=days - 1)
        presets.append(
            {
                "days": days,
                "label": _("%(n)d days", n=days),
                "from": start,
                "to": today,
                "current": (first, last) == (start, today),
            }
        )
    if since is not None:
        start = max(min(since, today), today - timedelta(days=MAX_RANGE_DAYS - 1))
        presets.append(
            {
                "days": (today - start).days + 1,
                "label": _("Whole diary"),
                "from": start,
                "to": today,
                "current": (first, last) == (start, today) and not any(p["current"] for p in presets),
                "whole": True,
            }
        )
    return presets


def figure_rows(
    days: list[FamilyDay], labels: list[str], tz: ZoneInfo
) -> list[tuple[str, list[tuple[str, bool]] | None]]:
    """The daily figures table as text, a row per family's day (None for a day with
    nothing logged); each cell is (text, known): a part of the day not logged shows
    "not logged", the day's sleep "–" unless both of its parts were logged.

    Formatted here in one pass: a year's table has thousands of cells.
    """
    loc = locale_code()
    gap = _("not logged")
    rows: list[tuple[str, list[tuple[str, bool]] | None]] = []
    for label, d in zip(labels, days, strict=True):
        if not d.logged:
            rows.append((label, None))
            continue
        day, night = d.day_logged, d.night_logged
        rows.append(
            (
                label,
                [
                    (_duration(d.sleep_minutes, loc), True) if day and night else ("–", False),
                    (_duration(d.day_sleep_minutes, loc), True) if day else (gap, False),
                    (str(d.naps), True) if day else (gap, False),
                    (night_label(d, tz), True),
                    (_duration(d.night_sleep_minutes, loc), True) if night else (gap, False),
                    (str(d.night_wakings), True) if night else (gap, False),
                    (_duration(d.longest_sleep_minutes, loc), True),
                    (_duration(d.crying_minutes, loc), True),
                    (str(d.feedings), True),
                ],
            )
        )
    return rows
