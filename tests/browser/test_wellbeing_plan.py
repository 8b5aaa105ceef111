"""Before birth, the parent's own check-in and the rhythm plan, in a real browser."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser
_names = itertools.count(1)


def sign_up(page, live_server, **baby) -> None:
    page.goto(live_server + "/signup")
    page.fill("#username", f"wellbeing-parent-{next(_names)}")
    page.fill("#password", "long enough password")
    page.click("main button[type=submit]")
    page.click("text=I have saved them, continue")
    page.fill("#name", baby.get("name", "Aino"))
    if "due_date" in baby:
        page.fill("#due_date", baby["due_date"])
    page.click("main button[type=submit]")


def test_expecting_parent_checks_in_with_one_tap_and_the_diary_opens_at_the_birth(page, live_server):
    due = datetime.now(ZoneInfo("Europe/Helsinki")).date() + timedelta(days=30)  # the family's today
    sign_up(page, live_server, name="Bump", due_date=due.isoformat())
    assert "Due in 4 weeks and 2 days" in page.inner_text("main")
    assert page.locator("[data-action=sleep-start]").count() == 0

    # The lowest answer, one tap: the help numbers are there at once.
    page.click(".checkin-card button[value='1']")
    help_box = page.locator(".wellbeing-help")
    help_box.wait_for()
    assert help_box.locator("a[href='tel:0925250111']").is_visible()
    assert (
        page.locator(".wellbeing-response a[href='tel:112'], .wellbeing-help a[href='tel:112']").count() >= 1
    )

    page.click(".brand")  # home again
    page.wait_for_selector(".birth-form")
    assert page.input_value("#birth_date") == ""  # never filled in for the parent
    page.fill("#birth_date", datetime.now(ZoneInfo("Europe/Helsinki")).date().isoformat())
    page.click("text=The baby is born: save the birth date")
    # A month before the due date: asked once more, and saved on yes.
    page.click("text=Yes, save")
    page.wait_for_selector("[data-action=sleep-start]")
    assert page.js_errors == []


def test_the_plan_is_drawn_behind_the_logged_days(page, live_server):
    sign_up(page, live_server, name="Aino")
    page.wait_for_selector("[data-action=sleep-start]")
    page.click("[data-action=sleep-start]")
    page.click("[data-action=sleep-end]")
    page.click("text=Rhythm")
    page.click("text=Add a rhythm plan")
    page.fill("#wake", "06:45")
    page.fill("#nap1-start", "09:30")
    page.fill("#nap1-end", "10:30")
    page.fill("#nap2-start", "10:00")  # overlaps the first nap
    page.fill("#nap2-end", "11:00")
    page.fill("#bedtime", "19:30")
    page.click("text=Save the plan")
    assert "overlap" in page.inner_text("main").lower()

    page.fill("#nap2-start", "13:00")
    page.fill("#nap2-end", "14:30")
    page.click("text=Save the plan")
    assert "The plan was saved." in page.inner_text("main")
    page.click("text=Back to the rhythm")
    page.locator("[data-figure=fig-rhythm]").scroll_into_view_if_needed()
    page.wait_for_selector("[data-figure=fig-rhythm] .main-svg", timeout=15000)
    legend = page.locator("[data-figure=fig-rhythm] .legend").text_content()
    assert "Plan" in legend
    assert "19:30" in page.inner_text(".figures") or "7:30" in page.inner_text(".figures")
    # The refused form came back as 422 (Chromium reports the status); nothing else failed.
    assert [e for e in page.js_errors if "422" not in e] == []
