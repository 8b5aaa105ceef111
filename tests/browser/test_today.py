"""A parent at night, in a real browser: sign up, add a baby, log with one tap."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
_names = itertools.count(1)


def tap(page, action: str) -> None:
    """A quick-log tap as a person makes it: a second tap within 600 ms at the same spot is
    the same tap, so taps come a moment apart."""
    page.click(f"[data-action={action}]")
    page.wait_for_timeout(650)


def sign_up_with_baby(page, live_server) -> None:
    page.goto(live_server + "/signup")
    page.fill("#username", f"night-parent-{next(_names)}")
    page.fill("#password", "long enough password")
    page.click("main button[type=submit]")
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    page.click("text=I have saved them, continue")
    page.fill("#name", "Aino")
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-action=sleep-start]")


def test_one_tap_logging_with_timer_and_undo(page, live_server):
    sign_up_with_baby(page, live_server)
    assert page.is_visible("[data-action=sleep-start]")
    assert page.is_hidden("[data-action=sleep-end]")

    tap(page, "sleep-start")
    assert page.is_visible("[data-action=sleep-end]")
    assert page.is_hidden("[data-action=sleep-start]")
    assert "Asleep" in page.inner_text(".now-cards")

    tap(page, "crying-start")  # crying during a sleep ends the sleep
    assert page.is_visible("[data-action=sleep-start]")
    assert page.is_visible("[data-action=crying-end]")
    assert "Crying" in page.inner_text(".now-cards")
    assert page.locator(".entries li").count() == 2

    page.click("text=Undo")
    assert page.is_visible("[data-action=sleep-end]")
    assert page.is_visible("[data-action=crying-start]")
    assert page.locator(".entries li").count() == 1

    tap(page, "feeding")
    page.click(".feed-details [value='breast:left']")
    assert "Breast, left" in page.inner_text(".entries")

    page.fill("#note-text", "First bath")
    tap(page, "note")
    assert "First bath" in page.inner_text(".entries")
    assert page.js_errors == []


def test_buttons_are_big_enough_to_hit_in_the_dark(page, live_server):
    sign_up_with_baby(page, live_server)
    for action in ("sleep-start", "crying-start", "feeding"):
        box = page.locator(f"[data-action={action}]").bounding_box()
        assert box["height"] >= 60 and box["width"] >= 120, action
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


def test_quick_exit_leaves_and_back_does_not_return(page, live_server):
    page.goto(live_server + "/help")
    page.goto(live_server + "/")
    page.click("[data-quick-exit]")
    page.wait_for_url("about:blank")
    page.go_back()
    page.wait_for_timeout(300)
    assert page.url == "about:blank"


def test_add_past_entry_with_shortcuts(page, live_server):
    sign_up_with_baby(page, live_server)
    page.click("text=Add a past entry")
    page.select_option("#kind", "crying")
    assert page.is_visible("#intensity")
    assert page.is_hidden("#place")
    page.locator("[data-shortcuts-for=start] [data-minutes-ago='30']").click()
    page.locator("[data-shortcuts-for=end] [data-minutes-ago='15']").click()
    page.select_option("#intensity", "inconsolable")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Inconsolable")
    assert "15 min" in page.inner_text(".entries")


def test_rhythm_charts_draw_in_the_browser(page, live_server):
    sign_up_with_baby(page, live_server)
    tap(page, "sleep-start")
    tap(page, "sleep-end")
    page.click("text=Rhythm")
    figures = page.inner_text(".figures")
    assert "Entries from" in figures or "Nothing was logged" in figures
    for holder in ("fig-rhythm", "fig-totals", "fig-hourly"):
        page.locator(f"[data-figure={holder}]").scroll_into_view_if_needed()
        page.wait_for_selector(f"[data-figure={holder}] .main-svg", timeout=15000)
    assert page.evaluate("typeof window.Plotly") == "object"
    assert page.js_errors == []


def test_the_24_hour_chart_is_drawn_from_its_spans_as_the_tests_read_them(page, live_server):
    """The page script turns the chart's wall-clock spans into bars and hover texts exactly
    as tests/chart_spans.py does, which the server-side tests rely on."""
    import json
    import re

    from tests.chart_spans import with_spans

    sign_up_with_baby(page, live_server)
    baby = re.search(r"/diary/(\d+)/", page.url).group(1)
    entries = [
        ("sleep", "2026-10-23T23:00:00+03:00", "2026-10-24T01:30:00+03:00"),
        ("sleep", "2026-10-24T22:30:00+03:00", "2026-10-25T00:40:00+03:00"),
        ("sleep", "2026-10-25T01:00:00+03:00", "2026-10-25T06:00:00+02:00"),
        ("crying", "2026-10-25T18:00:00+02:00", "2026-10-25T18:45:00+02:00"),
        ("feeding", "2026-10-26T10:05:00+02:00", None),
    ]
    for number, (kind, start, end) in enumerate(entries):
        status = page.evaluate(
            """async ([url, body]) => {
                const me = await (await fetch("/api/v1/me")).json();
                const response = await fetch(url, {method: "PUT", body: JSON.stringify(body),
                    headers: {"Content-Type": "application/json", "X-CSRFToken": me.csrf_token}});
                return response.status;
            }""",
            [
                f"/api/v1/babies/{baby}/entries/00000000-0000-4000-8000-00000000000{number}",
                {"kind": kind, "start": start, "end": end},
            ],
        )
        assert status == 201
    page.goto(f"{live_server}/diary/{baby}/rhythm?from=2026-10-24&to=2026-10-26")
    sent = json.loads(page.text_content("#fig-rhythm"))
    holder = "[data-figure=fig-rhythm]"
    page.locator(holder).scroll_into_view_if_needed()
    page.wait_for_selector(f"{holder} .main-svg", timeout=15000)
    drawn = page.evaluate(
        """(selector) => document.querySelector(selector).data.map((trace) => ({
            meta: trace.meta, base: trace.base || null, x: trace.x, y: trace.y, text: trace.customdata}))""",
        holder,
    )
    expected = with_spans(sent)["data"]
    # The daytime and the nights with nothing in them are hatched too, as sent.
    assert [trace["meta"] for trace in drawn] == ["sleep", "crying", "feeding", "gap"]
    for got, want in zip(drawn, expected, strict=True):
        assert got["text"] == want["customdata"] and got["y"] == want["y"]
        assert [round(value, 3) for value in got["x"]] == want["x"]
        assert got["base"] is None or [round(value, 3) for value in got["base"]] == want["base"]
    assert len(expected[0]["y"]) == 4 and expected[2]["customdata"] == ["Feeding 10:05\u202fAM"]
    assert sorted(zip(expected[3]["y"], expected[3]["base"], expected[3]["x"], strict=True)) == [
        (0, 7, 12),  # 24.10.: nothing in the daytime
        (1, 19, 5),  # the night of 25.-26.10. ...
        (2, 0, 7),  # ... in both rows
        (2, 19, 5),  # and the night after 26.10.
    ]
    assert page.js_errors == []


def test_the_clock_change_choice_shows_only_for_the_night_the_clocks_go_back(page, live_server):
    sign_up_with_baby(page, live_server)
    page.click("text=Add a past entry")
    choice = page.locator("details.clock-change")
    expect(choice).to_be_hidden()
    page.fill("#start_date", "2026-10-25")  # Finland's clocks go back at 4.00 that night
    expect(choice).to_be_visible()
    page.fill("#start_date", "2026-10-24")
    expect(choice).to_be_hidden()
    page.fill("#end_date", "2027-10-31")
    expect(choice).to_be_visible()
