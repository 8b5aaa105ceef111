"""Charts on a phone, in a real browser: every chart keeps its designed height and shows
every row after the phone is turned (390 → 844 → 390 px wide) and after a theme change,
for the parent and for the worker."""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from tests.browser.conftest import CHROMIUM  # noqa: F401  (skips without chromium)

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
  };
}"""


def call(context, base: str, method: str, path: str, body: dict | None = None):
    token = context.request.get(base + "/api/v1/me").json()["csrf_token"]
    return context.request.fetch(
        base + path,
        method=method,
        data=json.dumps(body) if body is not None else None,
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
    )


def staff_login(context, base: str, name: str, password: str) -> None:
    """A staff member signs in and enrols the second factor (a real TOTP code)."""
    assert call(context, base, "POST", "/api/v1/login", {"username": name, "password": password}).ok
    secret = call(context, base, "POST", "/api/v1/me/second-factor").json()["secret"]
    confirmed = call(
        context, base, "POST", "/api/v1/me/second-factor/confirm", {"otp": pyotp.TOTP(secret).now()}
    )
    assert confirmed.ok, confirmed.text()


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
            assert any("not logged" in row for row in got["rows"]), got["rows"]
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


def watched(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.js_errors = errors
    return page


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
