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
from companion.rhythm.charts import BASE_LAYOUT, panel, stacked, subplot_titles
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
        "tickvals": list(COPING_LEVELS),
        "ticktext": [coping_word(value) for value in COPING_LEVELS],
        "range": [0.5, 5.5],
        "fixedrange": True,
    }
    layout: dict[str, Any] = {
        **BASE_LAYOUT,
        "height": 300,
        "margin": {"l": 4, "r": 12, "t": 28, "b": 8},
        "hovermode": "closest",
        "showlegend": False,
        "annotations": subplot_titles([(_("How you were coping"), 1.0)]),
        "xaxis": {"fixedrange": True, "type": "category", "automargin": True},
        "yaxis": {**coping_axis, "automargin": True},
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
    domains = ((0.58, 1.0), (0.3, 0.48), (0.0, 0.2))
    layout.update(
        {
            "height": 540,
            **stacked(
                panel(_("How you were coping"), domains[0], **coping_axis),
                panel(_("Baby's longest sleep, the night before (h)"), domains[1]),
                panel(_("Night wakings, the night before"), domains[2], dtick=1),
                type="category",
            ),
        }
    )
    return {"data": traces, "layout": layout}
