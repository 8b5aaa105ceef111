"""The statistics' charts (plotly.graph_objects) and the tables beside them.

Every chart has its table with the same figures: a hidden count is shown as "fewer
than 5" or as a dash, never drawn as a bar. Labels are localised here; the page draws
the figures with the same pinned plotly.js bundle as the rhythm pages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
from babel.numbers import format_decimal
from flask_babel import gettext as _
from flask_babel import pgettext

from companion.i18n import format_day, format_duration, locale_code
from companion.stats.figures import AGE_BANDS, COPING, HELPED, MEASURES, RECOMMEND, WHAT_HELPED
from companion.stats.forms import HELPED_LABELS, RECOMMEND_LABELS, WHAT_HELPED_LABELS
from companion.wellbeing.services import COPING_LABELS

FONT = {"family": "system-ui, sans-serif", "size": 13}
COLOURS = ("#3b6fb6", "#c46210", "#4f7f2f", "#8a5fb0", "#2d8c8c", "#9a6b16")


def age_labels() -> dict[str, str]:
    return {
        "pregnancy": _("Pregnancy"),
        "months_0_3": _("0–3 months"),
        "months_4_6": _("4–6 months"),
        "months_7_12": _("7–12 months"),
        "over_12_months": _("Over 12 months"),
    }


def coping_labels() -> dict[str, str]:
    """The check-in's own words for its answers (levels 1-5, in `COPING`'s order)."""
    return {key: str(label) for key, label in zip(COPING, COPING_LABELS.values(), strict=True)}


def measure_labels() -> dict[str, str]:
    return {
        "night_wakings": _("Night wakings"),
        "longest_sleep_minutes": _("Longest sleep"),
        "crying_minutes": _("Crying a day"),
    }


def measure_units() -> dict[str, str]:
    """The measures with their units, for the CSV's plain numbers."""
    return {
        "night_wakings": _("Night wakings"),
        "longest_sleep_minutes": _("Longest sleep, min"),
        "crying_minutes": _("Crying, min a day"),
    }


#: The measures in minutes: shown as hours and minutes.
MINUTES = ("longest_sleep_minutes", "crying_minutes")
#: The minus sign of a negative figure shown to people (a spreadsheet wants "-").
MINUS = "\u2212"


def period_label(key: str) -> str:
    if len(key) == 4:
        return key
    if "Q" in key:
        return _("Q%(n)s %(year)s", n=key[-1], year=key[:4])
    from datetime import date  # noqa: PLC0415  (only for the month's name)

    return format_day(date(int(key[:4]), int(key[5:]), 1), "LLL yyyy")


def shown(value: Any) -> str:
    """A published count or figure as text: "fewer than 5", a dash for a hidden one, and
    a negative figure with the minus sign."""
    if value == "<5":
        return _("fewer than 5")
    if value is None:
        return "–"
    if isinstance(value, float):
        text = format_decimal(value, format="#,##0.0", locale=locale_code())
    else:
        text = str(value)
    return MINUS + text[1:] if text.startswith("-") else text


def shown_minutes(value: Any) -> str:
    """A figure in minutes as hours and minutes ("5 h 50 min"), to the whole minute."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return shown(value)
    minutes = round(value)
    return (MINUS if minutes < 0 else "") + format_duration(abs(minutes))


def spreadsheet_cell(text: str) -> str:
    """A shown figure as a spreadsheet reads a number: a plain "-" for the minus sign."""
    return text.replace(MINUS, "-")


def _bar_value(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


@dataclass
class Chart:
    """One chart and its table: ``header`` names the columns, ``rows`` the cells as text."""

    id: str
    title: str
    note: str
    figure: dict[str, Any] | None
    header: list[str]
    rows: list[list[str]]
    plotly: go.Figure | None = field(default=None, repr=False)
    #: The table's rows for a spreadsheet where they differ (plain numbers, not durations).
    csv_rows: list[list[str]] | None = field(default=None, repr=False)


def _figure(traces: list[go.Bar | go.Scatter], y_title: str, *, stacked: bool = False) -> go.Figure:
    # The legend sits above the plot, with room for its lines on a phone.
    rows = 1 if len(traces) <= 2 else 3
    fig = go.Figure(data=traces)
    fig.update_layout(
        template="none",  # the page's own colours (rhythm.js themes them), a small figure
        height=300 + 24 * rows,
        margin={"l": 50, "r": 10, "t": 16 + 24 * rows, "b": 70},
        font=FONT,
        barmode="stack" if stacked else "group",
        showlegend=len(traces) > 1,
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "yanchor": "bottom",
            # Two to a row at most, so that five age groups fit in three rows on a phone.
            **({"entrywidth": 0.5, "entrywidthmode": "fraction"} if rows > 1 else {}),
        },
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        # Room for the longest label ("Oma jaksamiseni", "Q4 2026"), never cut at the edge.
        xaxis={"fixedrange": True, "type": "category", "automargin": True},
        yaxis={"fixedrange": True, "rangemode": "tozero", "title": {"text": y_title}, "automargin": True},
    )
    return fig


def _bars(name: str, x: list[str], values: list[Any], colour: str, *, said_at_zero: bool = True) -> go.Bar:
    """A series of bars, each with its figure. A 0, "fewer than 5" or hidden figure draws
    no bar: with ``said_at_zero`` its words stand on the axis instead ("0", "fewer than 5",
    "–"), so that a hidden figure never looks like a zero (in a stack they would pile up:
    the table beside the chart tells them)."""
    bars = [_bar_value(v) for v in values]
    if said_at_zero:
        y, text = [bar or 0 for bar in bars], [shown(v) for v in values]
        position: str | list[str] = ["auto" if bar else "outside" for bar in bars]
    else:
        y, text = bars, [shown(v) if bar is not None else "" for v, bar in zip(values, bars, strict=True)]
        position = "auto"
    return go.Bar(
        name=name,
        x=x,
        y=y,
        text=text,
        textposition=position,
        cliponaxis=not said_at_zero,  # words standing on the axis are never cut off
        marker={"color": colour},
        hovertemplate="%{x}: %{text}<extra>" + name + "</extra>",
    )


def _draws_something(fig: go.Figure) -> bool:
    """Whether any bar would be seen: not when every figure is 0, fewer than 5 or hidden."""
    for trace in fig.data:
        values = trace.x if getattr(trace, "orientation", None) == "h" else trace.y
        if any(_bar_value(value) for value in values or ()):
            return True
    return False


def _chart(chart_id: str, title: str, note: str, fig: go.Figure | None, header, rows) -> Chart:
    """A chart and its table; no chart where it would draw nothing (the table tells why)."""
    if fig is not None and not _draws_something(fig):
        fig = None
    figure = json.loads(fig.to_json()) if fig is not None else None
    return Chart(chart_id, title, note, figure, header, rows, fig)


def _series_chart(
    chart_id: str,
    title: str,
    note: str,
    labels: tuple[str, list[str]],
    values: tuple[str, list[Any]],
    y_title: str,
    colour: str,
) -> Chart:
    """A chart of one series of bars, and its table: the ``labels`` column (its header and
    the bars' names) and the ``values`` column (its header, which names the series too)."""
    (label_header, x), (name, figures) = labels, values
    return _chart(
        chart_id,
        title,
        note,
        _figure([_bars(name, x, figures, colour)], y_title),
        [label_header, name],
        [[label, shown(value)] for label, value in zip(x, figures, strict=True)],
    )


def report_charts(body: dict[str, Any]) -> list[Chart]:
    """The charts of one organisation's (or the country's) report body (schemas.report_body)."""
    rows = body["rows"]
    x = [period_label(row["period"]) for row in rows]
    charts = []

    # Families who shared a diary
    new = [row["new_grants_count"] for row in rows]
    active = [row["active_grants_count"] for row in rows]
    fig = _figure(
        [_bars(_("New"), x, new, COLOURS[0]), _bars(_("Active"), x, active, COLOURS[1])], _("Diaries")
    )
    charts.append(
        _chart(
            "shared",
            _("Families who shared a diary"),
            _("New: diaries first shared with a worker in the period. Active: shared at some time in it."),
            fig,
            [_("Period"), _("New"), _("Active")],
            [[p, shown(a), shown(b)] for p, a, b in zip(x, new, active, strict=True)],
        )
    )

    # The baby's age when the diary was first shared
    labels = age_labels()
    traces = [
        _bars(
            labels[band],
            x,
            [row["first_share_age"][f"{band}_count"] for row in rows],
            COLOURS[i % 6],
            said_at_zero=False,
        )
        for i, band in enumerate(AGE_BANDS)
    ]
    charts.append(
        _chart(
            "age",
            _("The baby's age when the diary was first shared"),
            _("A family counts once, when it first shares a diary with the association."),
            _figure(traces, _("Families"), stacked=True),
            [_("Period"), *labels.values()],
            [
                [p, *(shown(row["first_share_age"][f"{b}_count"]) for b in AGE_BANDS)]
                for p, row in zip(x, rows, strict=True)
            ],
        )
    )

    # How long grants last; how often workers opened the diaries: one series a period each
    per_period = (
        (
            "length",
            _("How long sharing lasted"),
            _("The median length of the sharings that ended in the period; shown for 5 or more."),
            (_("Median length, days"), [row["grant_days_median"] for row in rows]),
            _("Days"),
            COLOURS[2],
        ),
        (
            "opens",
            _("How often workers opened the diaries"),
            _("Every time a worker opened a shared diary or printed its summary."),
            (_("Opened"), [row["opens_count"] for row in rows]),
            _("Times"),
            COLOURS[3],
        ),
    )
    charts.extend(
        _series_chart(chart_id, title, note, (_("Period"), x), values, y_title, colour)
        for chart_id, title, note, values, y_title, colour in per_period
    )

    # Contact requests
    received = [row["contact_requests_count"] for row in rows]
    close = [row["contact_close_hours_median"] for row in rows]
    charts.append(
        _chart(
            "contacts",
            _("Contact requests"),
            _("Requests received through Baby blues near you, and the median time to close them."),
            _figure([_bars(_("Received"), x, received, COLOURS[4])], _("Requests")),
            [_("Period"), _("Received"), _("Median time to close, hours")],
            [[p, shown(r), shown(c)] for p, r, c in zip(x, received, close, strict=True)],
        )
    )

    # Feedback for the year: each question's answers, in the form's words and order
    feedback = body["feedback"]
    answer = pgettext("table column", "Answer")
    questions = (
        (
            ("helped", "helped"),
            _("Did the work help the family?"),
            _("The families' own answers for the year; %(n)s answers.", n=shown(feedback["feedback_count"]))
            if feedback["feedback_count"] is not None
            else _("The families' own answers for the year."),
            (answer, _("Answers"), COLOURS[0]),
            dict(zip(HELPED, HELPED_LABELS.values(), strict=True)),
        ),
        (
            ("what", "what_helped"),
            _("What helped"),
            _("A family may choose several things, or none."),
            (_("What helped"), _("Families"), COLOURS[2]),
            {word: WHAT_HELPED_LABELS[word] for word in WHAT_HELPED},
        ),
        (
            ("recommend", "recommend"),
            _("Would they recommend it?"),
            _("Whether the family would recommend the work to another family."),
            (answer, _("Answers"), COLOURS[1]),
            {word: RECOMMEND_LABELS[word] for word in RECOMMEND},
        ),
    )
    for (chart_id, key), title, note, (column, unit, colour), words in questions:
        charts.append(
            _series_chart(
                chart_id,
                title,
                note,
                (column, [str(label) for label in words.values()]),
                (unit, [feedback[key][f"{word}_count"] for word in words]),
                unit,
                colour,
            )
        )

    # Change over the work
    change = body["change"]
    names = measure_labels()
    before = [change[m]["median_first_week"] for m in MEASURES]
    after = [change[m]["median_weeks_5_8"] for m in MEASURES]
    # One small chart per measure (their units differ), one above the other: the first
    # week against weeks 5-8, the values written on the bars.
    fig = go.Figure()
    short = [_("Week 1"), _("Weeks 5–8")]
    for index, measure in enumerate(MEASURES):
        suffix = str(index + 1) if index else ""
        values = [before[index], after[index]]
        as_text = shown_minutes if measure in MINUTES else shown
        fig.add_trace(
            go.Bar(
                orientation="h",
                y=short,
                x=[_bar_value(v) for v in values],
                text=[as_text(v) if _bar_value(v) is not None else "" for v in values],
                textposition="auto",
                marker={"color": [COLOURS[0], COLOURS[1]]},
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
                showlegend=False,
                hovertemplate=names[measure] + ", %{y}: %{text}<extra></extra>",
            )
        )
    layout: dict[str, Any] = {
        "template": "none",
        "height": 340,
        "margin": {"l": 90, "r": 10, "t": 10, "b": 10},
        "font": FONT,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "annotations": [],
    }
    for index, measure in enumerate(MEASURES):
        suffix = str(index + 1) if index else ""
        top = 1 - index / 3 - 0.1
        layout[f"yaxis{suffix}"] = {
            "domain": [top - 0.2, top],
            "fixedrange": True,
            "anchor": f"x{suffix}",
            "type": "category",
            "autorange": "reversed",
        }
        layout[f"xaxis{suffix}"] = {
            "fixedrange": True,
            "rangemode": "tozero",
            "anchor": f"y{suffix}",
            "showticklabels": False,
            "showgrid": False,
        }
        layout["annotations"].append(
            {
                "text": f"<b>{names[measure]}</b>",
                "x": 0,
                "xanchor": "left",
                "y": top + 0.02,
                "yanchor": "bottom",
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
            }
        )
    fig.update_layout(layout)
    parts = ("median_first_week", "median_weeks_5_8", "median_change")
    units = measure_units()
    change_chart = _chart(
        "change",
        _("Change over the work"),
        _(
            "Families who allowed statistics and logged enough: the first week of the sharing "
            "against weeks 5–8, medians. Babies also grow in those weeks, there is no comparison "
            "group, and families who keep a diary may differ from those who do not: the figures "
            "cannot show what caused a change."
        ),
        fig,
        [_("Measure"), _("Families"), _("First week"), _("Weeks 5–8"), _("Median change")],
        [
            [
                names[m],
                shown(change[m]["families_count"]),
                *((shown_minutes if m in MINUTES else shown)(change[m][part]) for part in parts),
            ]
            for m in MEASURES
        ],
    )
    change_chart.csv_rows = [
        [units[m], shown(change[m]["families_count"]), *(shown(change[m][part]) for part in parts)]
        for m in MEASURES
    ]
    charts.append(change_chart)

    # Check-in answers
    words = coping_labels()
    checkins = change["checkins"]
    first = [checkins["first"][f"{w}_count"] for w in COPING]
    last = [checkins["last"][f"{w}_count"] for w in COPING]
    wx = [words[w] for w in COPING]
    charts.append(
        _chart(
            "checkins",
            _("How parents said they were coping"),
            _(
                "Parents who shared their wellbeing and allowed statistics: each counted once per "
                "window, with the answer they gave most often in the first and in the last two weeks "
                "of the sharing (%(n)s families). Never an average score. There is no comparison "
                "group, and parents who check in may differ from those who do not: the figures cannot "
                "show what caused a change.",
                n=shown(checkins["families_count"]),
            ),
            _figure(
                [
                    _bars(_("First two weeks"), wx, first, COLOURS[0]),
                    _bars(_("Last two weeks"), wx, last, COLOURS[1]),
                ],
                _("Families"),
            ),
            [pgettext("table column", "Answer"), _("First two weeks"), _("Last two weeks")],
            [[w, shown(a), shown(b)] for w, a, b in zip(wx, first, last, strict=True)],
        )
    )
    return charts
