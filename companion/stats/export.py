"""A report as CSV, and as one self-contained HTML file for an annual report.

The HTML file carries everything it needs: the charts are Plotly's ``to_html`` with
``include_plotlyjs=False`` and the pinned plotly.js bundle is written inline into a
script element, so the file opens offline and loads nothing from elsewhere.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from flask import current_app, render_template

from companion.stats.charts import Chart, spreadsheet_cell

PLOTLY = Path("vendor") / "plotly-basic.min.js"


def as_csv(title: str, charts: list[Chart]) -> str:
    """Each chart's table one after another, with its title; the same figures as the page,
    as plain numbers (minutes in minutes, a plain "-") for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title])
    for chart in charts:
        writer.writerow([])
        writer.writerow([chart.title])
        writer.writerow(chart.header)
        for row in chart.csv_rows or chart.rows:
            writer.writerow([spreadsheet_cell(cell) for cell in row])
    return out.getvalue()


def plotly_bundle() -> str:
    """The pinned plotly.js bundle (installed by `make build`), safe inside a script element."""
    path = Path(current_app.static_folder or "") / PLOTLY
    return path.read_text(encoding="utf-8").replace("</script", "<\\/script")


def as_html(title: str, subtitle: str, charts: list[Chart], texts: list[tuple[str, list[str]]]) -> str:
    plots = {
        chart.id: chart.plotly.to_html(
            include_plotlyjs=False,
            full_html=False,
            div_id=f"chart-{chart.id}",
            config={"displayModeBar": False, "responsive": True},
        )
        for chart in charts
        if chart.plotly is not None
    }
    return render_template(
        "stats/report_file.html",
        title=title,
        subtitle=subtitle,
        charts=charts,
        plots=plots,
        texts=texts,
        plotly_js=plotly_bundle(),
    )
