"""Every figure the server sends is a valid Plotly figure.

Each chart is built with the `plotly` Python package's ``plotly.graph_objects.Figure``,
which checks every property name and value against Plotly's schema (plotly 7.1 carries
the schema of plotly.js 4.1.1, the bundle the pages load). The 24-hour chart is checked
with its traces filled from the spans the way the page script fills them
(`tests.chart_spans.with_spans`). The server builds figures as plain dicts for speed;
this is what keeps them honest.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs_version

from tests.chart_spans import with_spans
from tests.share.conftest import grant_for, make_worker, worker  # noqa: F401  (shared fixtures)

SCRIPT = re.compile(r'<script type="application/json" id="(fig-[\w-]+)">(.*?)</script>', re.S)


def figures(html: str) -> dict[str, dict]:
    return {name: json.loads(text) for name, text in SCRIPT.findall(html)}


def valid(name: str, figure: dict) -> go.Figure:
    figure = with_spans(figure)
    assert set(figure) == {"data", "layout"}, name
    built = go.Figure(data=figure["data"], layout=figure["layout"])  # raises on anything invalid
    built.to_dict()
    return built


def diary(family, days: int = 16) -> None:
    """Sleeps, cryings and feeds over the last days, one running sleep, and a plan."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    for back in range(2, days):
        night = now - timedelta(days=back, hours=now.hour) + timedelta(hours=18)
        for kind, start, minutes in (
            ("sleep", night, 300),
            ("sleep", night + timedelta(minutes=330), 240),
            ("crying", night - timedelta(minutes=90), 25),
            ("sleep", night - timedelta(hours=7), 80),
        ):
            end = start + timedelta(minutes=minutes)
            body = {"kind": kind, "start": start.isoformat(), "end": end.isoformat()}
            assert family.api.put(family.entry_url(str(uuid.uuid4())), body).status_code == 201
        feed = {"kind": "feeding", "start": (night + timedelta(hours=3)).isoformat()}
        assert family.api.put(family.entry_url(str(uuid.uuid4())), feed).status_code == 201
    running = {"kind": "sleep", "start": (now - timedelta(minutes=40)).isoformat()}
    assert family.api.put(family.entry_url(str(uuid.uuid4())), running).status_code == 201
    plan = {"wake": "07:00", "naps": [["10:00", "11:00"], ["14:00", "15:30"]], "bedtime": "19:30"}
    assert family.api.put(f"/api/v1/babies/{family.baby_id}/plan", plan).status_code in (200, 201)


def test_the_schema_is_that_of_the_bundle_the_pages_load():
    with open("node_modules/plotly.js-basic-dist-min/package.json", encoding="utf-8") as bundle:
        assert json.load(bundle)["version"] == get_plotlyjs_version()


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("days", [14, 60])
def test_every_figure_on_the_parents_pages_is_valid(make_family, lang, days):
    family = make_family(f"figures-{lang}-{days}", birth_date="2026-01-01")
    diary(family)
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()  # the family's today
    first = today - timedelta(days=days - 1)
    query = f"from={first.isoformat()}&to={today.isoformat()}&lang={lang}"
    html = family.api.client.get(f"/diary/{family.baby_id}/rhythm?{query}").get_data(as_text=True)
    found = figures(html)
    assert set(found) == {"fig-rhythm", "fig-totals", "fig-hourly"}
    for name, figure in found.items():
        valid(name, figure)
    rhythm = valid("fig-rhythm", found["fig-rhythm"])
    drawn = {trace.meta: trace for trace in rhythm.data}
    assert len(drawn["sleep"].x) > 20 and len(drawn["feeding"].x) > 10 and "plan" in str(rhythm.data[0].meta)
    coping = family.api.client.get(f"/wellbeing/chart?lang={lang}").get_data(as_text=True)
    for name, figure in figures(coping).items():
        valid(name, figure)


def test_every_figure_the_worker_sees_is_valid(make_family, worker):  # noqa: F811
    family = make_family("figures-shared", birth_date="2026-01-01")
    diary(family)
    grant = grant_for(family, worker, scope="diary+wellbeing")
    for path in (f"/worker/diaries/{grant}", f"/worker/diaries/{grant}/print"):
        found = figures(worker.api.client.get(path).get_data(as_text=True))
        assert {"fig-rhythm", "fig-totals", "fig-hourly"} <= set(found), path
        for name, figure in found.items():
            valid(name, figure)


def test_a_wrong_property_is_caught():
    with pytest.raises(ValueError):
        go.Figure(data=[{"type": "bar", "x": [1], "colour": "red"}])
    with pytest.raises(ValueError):
        go.Figure(layout={"legend": {"orientation": "sideways"}})
