"""Charts on a phone, in a real browser: every chart keeps its designed height and shows
every row after the phone is turned (390 → 844 → 390 px wide) and after a theme change,
for the parent and for the worker; at 390 px, in Finnish and Swedish, legends lie outside
the plot areas, each subplot has one title of its own, dates are whole ("23.11.") and a
tap on a bar shows its figures."""

from __future__ import annotations

import itertools
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, call, staff_login, watched  # noqa: F401  (CHROMIUM: skips without it)

pytestmark = pytest.mark.browser
_names = itertools.count(1)
PASSWORD = "long enough password"
WORKER_PASSWORD = "worker password 1"
CHARTS = ("fig-rhythm", "fig-totals", "fig-hourly")

MEASURE = """(name) => {
  const holder = document.querySelector(`[data-figure=${name}]`);
  const svg = holder.querySelector(".main-svg");
  if (!svg) return null;
  const box = svg.getBoundingClientRect();
  const ticks = [...holder.querySelectorAll(".yaxislayer-above .ytick text")];
  const inside = ticks.filter((t) => {
    const r = t.getBoundingClientRect();
    return r.height > 0 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  });
  return {
    designed: JSON.parse(document.getElementById(name).textContent).layout.height,
    height: Math.round(box.height),
    holder: Math.round(holder.getBoundingClientRect().height),
    width: Math.round(box.width),
    holderWidth: Math.round(holder.getBoundingClientRect().width),
    rows: ticks.map((t) => t.textContent),
    rowsInside: inside.length,
    bars: holder.querySelectorAll(".bars .point").length,
    gaps: holder.data.filter((t) => t.meta === "gap").map((t) => t.y.length)[0] || 0,
    legend: [...holder.querySelectorAll(".legendtext")].map((t) => t.textContent),
  };
}"""


def parent_with_two_weeks(context, base: str) -> int:
    """A parent signed in on this phone, with a baby and two weeks of nights, naps and feeds
    (one night and one whole day left out: "not logged")."""
    name = f"chart-parent-{next(_names)}"
    assert (
        call(context, base, "POST", "/api/v1/signup", {"username": name, "password": PASSWORD}).status == 201
    )
    baby = call(context, base, "POST", "/api/v1/babies", {"name": "Aino", "birth_date": "2026-01-01"})
    baby_id = baby.json()["baby"]["id"]
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    for back in range(1, 15):
        if back == 9:
            continue
        day = midnight - timedelta(days=back)
        entries = [("sleep", day + timedelta(hours=10), 75), ("feeding", day + timedelta(hours=12), None)]
        if back not in (4, 10):  # the night before the day left out too
            entries.append(("sleep", day + timedelta(hours=17), 420))
        for kind, start, minutes in entries:
            end = start + timedelta(minutes=minutes) if minutes else None
            body = {"kind": kind, "start": start.isoformat(), "end": end.isoformat() if end else None}
            entry = str(uuid.uuid4())
            assert call(context, base, "PUT", f"/api/v1/babies/{baby_id}/entries/{entry}", body).status == 201
    return baby_id


def draw_all(page) -> None:
    for name in CHARTS:
        page.locator(f"[data-figure={name}]").scroll_into_view_if_needed()
        page.wait_for_selector(f"[data-figure={name}] .main-svg", timeout=15000)


def check_charts(page, rows: int, width: int) -> None:
    page.wait_for_timeout(700)  # plotly.js redraws a moment after a resize
    for name in CHARTS:
        got = page.evaluate(MEASURE, name)
        assert got is not None, name
        assert got["height"] == got["designed"] == got["holder"] - 2, (name, got)  # 2: the border
        assert abs(got["width"] - got["holderWidth"]) <= 2, (name, got)  # and the screen's width
        assert got["holderWidth"] <= width, (name, got)
        if name == "fig-rhythm":
            assert len(got["rows"]) == got["rowsInside"] == rows, got
            # The rows with nothing in them are hatched "not logged" bands; their labels
            # stay short, so the 24 hours keep most of the width.
            assert got["gaps"] >= 1 and "Not logged" in got["legend"], got
            assert not any("not logged" in row for row in got["rows"]), got["rows"]
            assert got["bars"] > 20, got
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def turn_and_switch_theme(page, rows: int) -> None:
    check_charts(page, rows, 390)
    page.set_viewport_size({"width": 844, "height": 390})  # turned on its side
    check_charts(page, rows, 844)
    page.set_viewport_size({"width": 390, "height": 844})
    check_charts(page, rows, 390)
    page.click(".menu > summary")
    page.click("[data-theme-toggle]")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    check_charts(page, rows, 390)
    assert page.js_errors == []


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", color_scheme="light"
    )
    yield context
    context.close()


def test_the_parents_charts_keep_their_height_and_rows_when_the_phone_turns(phone, live_server):
    baby = parent_with_two_weeks(phone, live_server)
    page = watched(phone)
    page.goto(f"{live_server}/diary/{baby}/rhythm")
    draw_all(page)
    turn_and_switch_theme(page, 14)


def test_the_workers_charts_keep_their_height_and_rows_too(phone, browser, live_server):
    from companion.accounts.services import create_organisation, create_staff_user

    baby = parent_with_two_weeks(phone, live_server)
    code = call(phone, live_server, "POST", f"/api/v1/babies/{baby}/share-codes", {"label": "Family A"})
    worker_name = f"chart-worker-{next(_names)}"
    with live_server.app.app_context():
        create_organisation(worker_name, "Baby blues Test", "Tampere")
        create_staff_user(worker_name, "worker", WORKER_PASSWORD, worker_name, "Maija")
    desk = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", color_scheme="light")
    try:
        staff_login(desk, live_server, worker_name, WORKER_PASSWORD)
        grant = call(desk, live_server, "POST", "/api/v1/share/redeem", {"code": code.json()["code"]})
        assert grant.status == 201, grant.text()
        page = watched(desk)
        page.goto(f"{live_server}/worker/diaries/{grant.json()['grant']['id']}")
        draw_all(page)
        turn_and_switch_theme(page, 14)
    finally:
        desk.close()


LAYOUT = """(name) => {
  const holder = document.querySelector(`[data-figure=${name}]`);
  const full = holder._fullLayout;
  const svg = holder.querySelector(".main-svg").getBoundingClientRect();
  const box = (e) => { const r = e.getBoundingClientRect();
    return {l: r.left - svg.left, r: r.right - svg.left, t: r.top - svg.top, b: r.bottom - svg.top}; };
  const axes = Object.keys(full).filter((k) => /^yaxis\\d*$/.test(k) && !full[k].overlaying).sort();
  const plots = axes.map((k) => {
    const y = full[k], x = full["xaxis" + y.anchor.slice(1)];
    return {l: x._offset, r: x._offset + x._length, t: y._offset, b: y._offset + y._length};
  });
  const legend = holder.querySelector(".legend");
  return {
    width: svg.width, height: svg.height, plots,
    legend: legend ? box(legend) : null,
    titles: [...holder.querySelectorAll(".annotation")].map((a) => ({text: a.textContent, ...box(a)})),
    yTitles: [...holder.querySelectorAll("[class^=g-y][class$=title]")].map((t) => t.textContent),
    dates: [...holder.querySelectorAll(`.${plots.length > 1 ? "x" + plots.length : "x"}tick text`)]
      .map((t) => ({text: t.textContent, ...box(t)})),
  };
}"""


def apart(a: dict, b: dict) -> bool:
    return a["r"] <= b["l"] + 1 or b["r"] <= a["l"] + 1 or a["b"] <= b["t"] + 1 or b["b"] <= a["t"] + 1


@pytest.mark.parametrize("locale", ["fi-FI", "sv-FI"])
def test_chart_layouts_are_drawn_for_a_phone(browser, live_server, locale):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale=locale,
        color_scheme="light",
        has_touch=True,
        is_mobile=True,
    )
    try:
        baby = parent_with_two_weeks(context, live_server)
        page = watched(context)
        page.goto(f"{live_server}/diary/{baby}/rhythm")
        draw_all(page)
        page.wait_for_timeout(500)
        for name in CHARTS:
            got = page.evaluate(LAYOUT, name)
            for plot in got["plots"]:
                assert got["legend"] is None or apart(got["legend"], plot), (
                    name,
                    "legend over the plot",
                    got,
                )
            assert all(text == "" for text in got["yTitles"]), (name, got["yTitles"])  # no sideways titles
            if name != "fig-rhythm":  # one title above each subplot, level, apart from the others
                assert len(got["titles"]) == len(got["plots"]), (name, got["titles"])
                for title, plot in zip(got["titles"], got["plots"], strict=True):
                    assert title["b"] <= plot["t"] + 1 and title["r"] <= got["width"], (name, title, plot)
                    assert got["legend"] is None or apart(title, got["legend"]), (name, title, got["legend"])
                for upper, lower in itertools.pairwise(got["titles"]):
                    assert apart(upper, lower), (name, upper, lower)
            if name == "fig-totals":  # whole dates, all inside the chart, none over another
                dates = got["dates"]
                assert len(dates) == 14 and all(
                    re.fullmatch(r"\d{1,2}\.\d{1,2}\.", d["text"]) for d in dates
                ), dates
                assert all(
                    d["l"] >= 0 and d["r"] <= got["width"] and d["b"] <= got["height"] for d in dates
                ), dates
                for a, b in itertools.pairwise(sorted(dates, key=lambda d: d["l"])):
                    assert a["r"] <= b["l"] + 1, (a, b)
        # A tap on a day's bar shows that day's figures, in letters large enough to read.
        bar = page.locator("[data-figure=fig-totals] .bars .point path").nth(5)
        bar.scroll_into_view_if_needed()
        where = bar.bounding_box()
        page.touchscreen.tap(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
        hover = page.locator("[data-figure=fig-totals] .hoverlayer")
        expect(hover).to_contain_text(re.compile(r"\d{1,2}\.\d{1,2}\."))
        size = hover.locator("text").last.evaluate("(t) => parseFloat(getComputedStyle(t).fontSize)")
        assert size >= 15
        assert page.js_errors == []
    finally:
        context.close()
