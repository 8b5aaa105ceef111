"""The parent's coping beside the baby's nights: a Plotly figure as a plain dict.

Each day's coping stands beside the baby's night before it (see services.chart_data).

Built like companion.rhythm.charts (plain dicts in Plotly's figure schema, every label
localised here, colours by `meta` so the page script follows the light or dark theme).
Days without a check-in or without diary entries are gaps (None), never zeros.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from companion.i18n import format_day
from companion.rhythm.charts import FONT, panel, stacked
from companion.wellbeing.models import COPING_LEVELS
from companion.wellbeing.services import ChartData, coping_word


def has_baby_figures(data: ChartData) -> bool:
    return data.baby is not None and data.baby.birth_date is not None


def coping_chart(data: ChartData) -> dict[str, Any]:
    labels = [format_day(d.date, "d.M.") for d in data.days]
    coping = [d.coping for d in data.days]
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "markers+lines",
            "name": _("How you were coping"),
            "x": labels,
            "y": coping,
            "customdata": [coping_word(value) if value else "" for value in coping],
            "hovertemplate": "%{x}: %{customdata}<extra></extra>",
            "connectgaps": False,
            "marker": {"size": 9},
            "meta": "text",
        }
    ]
    coping_axis = {
        "title": {"text": _("Coping")},
        "tickvals": list(COPING_LEVELS),
        "ticktext": [coping_word(value) for value in COPING_LEVELS],
        "range": [0.5, 5.5],
        "fixedrange": True,
    }
    layout: dict[str, Any] = {
        "height": 280,
        "margin": {"l": 110, "r": 10, "t": 30, "b": 40},
        "font": FONT,
        "showlegend": True,
        "legend": {"orientation": "h", "y": 1.12},
        "xaxis": {"fixedrange": True, "type": "category"},
        "yaxis": coping_axis,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
    }
    if not has_baby_figures(data):
        return {"data": traces, "layout": layout}
    longest = [
        round(d.longest_sleep_minutes / 60, 2) if d.longest_sleep_minutes is not None else None
        for d in data.days
    ]
    wakings = [d.night_wakings for d in data.days]
    traces += [
        {
            "type": "bar",
            "name": _("Baby's longest sleep, the night before"),
            "x": labels,
            "y": longest,
            "xaxis": "x2",
            "yaxis": "y2",
            "meta": "sleep",
            "hovertemplate": "%{x}: %{y:.1f} h<extra>%{fullData.name}</extra>",
        },
        {
            "type": "scatter",
            "mode": "markers+lines",
            "name": _("Night wakings, the night before"),
            "x": labels,
            "y": wakings,
            "xaxis": "x3",
            "yaxis": "y3",
            "connectgaps": False,
            "meta": "sleep-light",
            "hovertemplate": "%{x}: %{y}<extra>%{fullData.name}</extra>",
        },
    ]
    layout.update(
        {
            "height": 480,
            **stacked(
                {**coping_axis, "domain": [0.56, 1]},
                panel(_("Sleep (h)"), (0.26, 0.48)),
                panel(_("Wakings"), (0, 0.18), dtick=1),
                type="category",
            ),
        }
    )
    return {"data": traces, "layout": layout}
