"""Sharing in a real browser: the parent sees what the worker will see as the code form is
filled in; the family's audit learns that a summary was printed, from the print button
or from the printed page itself."""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import call, staff_login, watched
from tests.browser.test_charts import PASSWORD, WORKER_PASSWORD

pytestmark = pytest.mark.browser
_names = itertools.count(1)


def parent(context, base: str) -> int:
    name = f"share-parent-{next(_names)}"
    assert call(context, base, "POST", "/api/v1/signup", {"username": name, "password": PASSWORD}).ok
    return call(context, base, "POST", "/api/v1/babies", {"name": "Aino"}).json()["baby"]["id"]


def worker(browser, base: str):
    from companion.accounts.services import create_organisation, create_staff_user

    name = f"share-worker-{next(_names)}"
    with base.app.app_context():
        create_organisation(name, "Baby blues Test", "Tampere")
        create_staff_user(name, "worker", WORKER_PASSWORD, name, "Maija")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    staff_login(context, base, name, WORKER_PASSWORD)
    return context


def send(page) -> None:
    """The code form sent; back when the page that answers has run its scripts."""
    page.click(".share-make button[type=submit]")
    page.wait_for_load_state()


def test_what_the_worker_will_see_follows_the_form(page, live_server):
    baby = parent(page.context, live_server)
    page.goto(f"{live_server}/share/")
    preview = page.locator("[data-share-preview]")
    assert preview.locator("[data-preview-scope=diary]").is_visible()
    assert not preview.locator("[data-preview-scope='diary+wellbeing']").is_visible()
    page.check(f"#baby{baby}-scope-1")  # the diary and my own check-ins
    assert preview.locator("[data-preview-scope='diary+wellbeing']").is_visible()
    assert not preview.locator("[data-preview-scope=diary]").is_visible()
    page.fill(f"#baby{baby}-grant_days", "30")
    until = datetime.now(ZoneInfo("Europe/Helsinki")).date() + timedelta(days=30)
    assert preview.locator("[data-preview-until]").inner_text() == f"{until.day}.{until.month}.{until.year}"
    assert preview.locator("[data-preview-days]").inner_text() == "30"
    page.fill(f"#baby{baby}-label", "  Lakeside   family ")
    assert preview.locator("[data-preview-label]").inner_text() == "Lakeside family"
    assert page.js_errors == []


def test_the_name_in_the_preview_is_the_name_in_the_form(page, live_server):
    """The name field starts with the baby's name, as the preview says; emptied, the
    preview no longer shows a name the code would not get."""
    baby = parent(page.context, live_server)
    page.goto(f"{live_server}/share/")
    name = page.locator(f"#baby{baby}-label")
    shown = page.locator("[data-share-preview] [data-preview-label]")
    assert name.input_value() == "Aino" and shown.inner_text() == "Aino"
    name.fill("")
    assert shown.inner_text() == "(give a name above)"
    page.check(f"#baby{baby}-statistics-1")  # no
    send(page)
    # Sent with the name left empty: the page comes back saying so, and still agrees.
    assert name.get_attribute("aria-invalid") == "true"
    assert shown.inner_text() == "(give a name above)"
    assert page.evaluate("document.activeElement.id") == f"baby{baby}-label"


def test_every_invalid_control_of_the_code_form_is_marked_and_focus_goes_to_the_first(page, live_server):
    baby = parent(page.context, live_server)
    page.goto(f"{live_server}/share/?lang=fi")
    page.fill(f"#baby{baby}-label", "")
    send(page)  # no name, and no answer about statistics
    name = page.locator(f"#baby{baby}-label")
    group = page.locator(".share-statistics")
    assert name.get_attribute("aria-invalid") == "true"
    assert group.get_attribute("role") == "radiogroup"
    assert group.get_attribute("aria-invalid") == "true"
    error = page.locator(f"#{group.get_attribute('aria-describedby')}")
    assert error.inner_text() == "Valitse kyllä tai ei."
    assert f"baby{baby}-label-err" in name.get_attribute("aria-describedby").split()
    assert page.evaluate("document.activeElement.id") == f"baby{baby}-label"  # the first of the two
    # The name given: the statistics question is the one left, and focus goes to it.
    name.fill("Meidän perhe")
    send(page)
    assert page.locator(f"#baby{baby}-label").get_attribute("aria-invalid") == "false"
    assert page.locator(".share-statistics").get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == f"baby{baby}-statistics-0"
    page.goto(f"{live_server}/share/?lang=sv")
    page.fill(f"#baby{baby}-label", "Vår familj")
    send(page)
    error = page.locator(f"#{page.locator('.share-statistics').get_attribute('aria-describedby')}")
    assert error.inner_text() == "Välj ja eller nej."
    assert [error for error in page.js_errors if "status of 422" not in error] == []


def shared_printout(page, browser, live_server):
    """A parent's diary shared with a worker, and the worker's browser on its visit
    summary: (the worker's browser context, the summary page, the grant's id)."""
    baby = parent(page.context, live_server)
    code = call(page.context, live_server, "POST", f"/api/v1/babies/{baby}/share-codes", {"label": "A"})
    desk = worker(browser, live_server)
    grant = call(desk, live_server, "POST", "/api/v1/share/redeem", {"code": code.json()["code"]})
    grant_id = grant.json()["grant"]["id"]
    summary = desk.new_page()
    summary.goto(f"{live_server}/worker/diaries/{grant_id}/print")
    return desk, summary, grant_id


def test_a_folded_table_prints_without_the_page_script(page, browser, live_server):
    # A whole period of more than 14 days folds its tables; the page script opens them
    # before printing, but a print without it (or an emulated one) must not leave a
    # heading with nothing under it.
    desk, summary, _grant = shared_printout(page, browser, live_server)
    try:
        fold = "document.querySelectorAll('details.table-wrap').forEach((d) => d.removeAttribute('open'))"
        summary.evaluate(fold)
        summary.emulate_media(media="print")
        table = summary.locator("[aria-labelledby=totals-heading] .figures-table")
        assert table.evaluate("(e) => e.checkVisibility()")
    finally:
        desk.close()


def test_the_audit_says_printed_only_when_the_summary_is_printed(page, browser, live_server):
    desk, summary, _grant = shared_printout(page, browser, live_server)
    try:

        def audit() -> str:
            page.goto(f"{live_server}/share/")
            return page.inner_text(".audit")

        assert "opened a visit summary" in audit() and "printed" not in audit()
        # Printed from the browser's menu: only the print style asks for the image.
        with summary.expect_request(re.compile(r"/printed\.gif")):
            summary.emulate_media(media="print")
            summary.wait_for_timeout(300)
        assert audit().count("printed a visit summary") == 1
        summary.emulate_media(media="screen")
        # The print button reports too; within minutes of the first it is the same print.
        with summary.expect_response(re.compile(r"/printed$")) as answer:
            summary.click("[data-print]")
        assert answer.value.status == 204
        assert audit().count("printed a visit summary") == 1
    finally:
        desk.close()


@pytest.mark.parametrize(("lang", "name"), [("fi", "Meidän perhe"), ("sv", "Vår familj")])
def test_the_question_left_unanswered_is_in_view_with_its_radio_focused(browser, live_server, lang, name):
    """At 390 × 844 the form sent without the statistics answer comes back with the focus on
    the question's first choice, and the question itself (the legend) on the screen, below
    the sticky header."""
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale=f"{lang}-FI")
    try:
        page = watched(phone)
        baby = parent(phone, live_server)
        page.goto(f"{live_server}/share/?lang={lang}")
        page.fill(f"#baby{baby}-label", name)
        send(page)
        assert page.evaluate("document.activeElement.id") == f"baby{baby}-statistics-0"
        page.wait_for_timeout(300)
        legend = page.locator(".share-statistics legend").bounding_box()
        header = page.locator(".site-header").bounding_box()
        assert legend["y"] >= header["y"] + header["height"], (legend, header)  # not under the header
        assert legend["y"] + legend["height"] <= 844, legend
        radio = page.locator(f"#baby{baby}-statistics-0").bounding_box()
        assert radio["y"] + radio["height"] <= 844, radio  # and the focused choice with it
    finally:
        phone.close()
