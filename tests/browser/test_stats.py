"""Feedback and statistics in a real browser: a parent on a phone, in Finnish, is asked
once when a sharing ended, answers, and leaves the diary out of the statistics; the
coordinator reads the association's statistics on a phone in Swedish, the federation the
whole country on a desktop in Finnish. Every chart is drawn, with no script errors, and
every page passes axe-core with no violations."""

from __future__ import annotations

import pytest

from tests.browser.test_directory import axe_violations, phone, sign_in
from tests.share.conftest import WORKER_PASSWORD, add_staff
from tests.stats.test_statistics import build_world, report_year

pytestmark = pytest.mark.browser
ORG = "bb-turku"


@pytest.fixture(scope="module")
def world(live_server):
    """Six families whose sharing ended (enough for figures), the parent `liisa` whose
    sharing ended just now, a coordinator and the federation."""
    from companion.accounts import services as accounts
    from companion.diary import services as diary
    from companion.share import services as share

    app = live_server.app
    add_staff(app, "kerttu", "coordinator", "Kerttu Koordinaattori", ORG)
    add_staff(app, "liitto", "admin", "Liitto", None)
    build_world(app, 6, org=ORG)
    with app.app_context():
        user, _codes = accounts.sign_up("liisa", WORKER_PASSWORD)  # signs in as the staff do
        baby = diary.create_baby(user, "Pikku")
        _row, code = share.create_share_code(user, baby.id, label="Liisan perhe", statistics=True)
        grant = share.redeem_code(accounts.find_user(f"worker-{ORG}"), code)
        share.revoke_grant(user, grant.id)
    return live_server


def charts_drawn(page) -> tuple[int, int]:
    """(charts drawn by Plotly, charts on the page), once every one has been scrolled to."""
    figures = page.locator("figure[data-figure]")
    for figure in figures.all():
        figure.scroll_into_view_if_needed()
        figure.locator(".main-svg").first.wait_for(timeout=10000)  # drawn when seen
    return page.locator("figure[data-figure].js-plotly-plot").count(), figures.count()


def test_a_parent_answers_and_the_association_reads_the_figures(browser, world):
    base = world
    checked: dict[str, list[str]] = {}

    # The parent, on a phone, in Finnish.
    context, page = phone(browser, "fi")
    sign_in(page, base, "liisa")
    page.goto(base + "/share/")
    ask = page.locator(".feedback-ask")
    assert ask.count() == 1 and "Auttoiko työskentely perhettänne?" in ask.inner_text()
    checked["share page asking"] = axe_violations(page)
    ask.locator("a").click()
    assert page.locator("input[name=helped]:checked").count() == 0  # no answer chosen for them
    page.click("form.feedback-form button[type=submit]")
    assert "Valitse yksi viidestä vastauksesta." in page.inner_text("main")
    checked["feedback with errors"] = axe_violations(page)
    page.click("label[for=helped-3]")
    page.check("input[name=what_helped][value=crying]")
    page.check("input[name=recommend][value=yes]")
    page.fill("textarea[name=text]", "Iltaitkuun löytyi keinoja.")
    page.click("form.feedback-form button[type=submit]")
    assert "Kiitos! Vastauksesi tallennettiin ilman nimeäsi." in page.inner_text("main")
    assert page.locator(".feedback-ask").count() == 0  # asked once
    page.click("form.grant-statistics button")
    assert "Tämän päiväkirjan nimettömät luvut tilastoissa: ei." in page.inner_text("main")
    checked["share page answered"] = axe_violations(page)
    assert page.js_errors == []
    context.close()

    # The coordinator, on a phone, in Swedish.
    context, page = phone(browser, "sv")
    sign_in(page, base, "kerttu")
    page.goto(base + f"/stats/?year={report_year()}")
    assert "Baby blues-statistik" in page.inner_text("h1")
    assert page.locator("select[name=organisation]").count() == 0  # their own only
    drawn, shown = charts_drawn(page)
    assert drawn == shown >= 5
    assert "färre än 5" in page.inner_text("main")
    checked["statistics, coordinator"] = axe_violations(page)
    assert page.js_errors == []
    context.close()

    # The federation, on a desktop, in Finnish, light theme: the whole country.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fi-FI", color_scheme="light", bypass_csp=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, base, "liitto")
    page.goto(base + f"/stats/?year={report_year()}&period=quarter")
    assert "Kaikki yhdistykset" in page.inner_text("h1")
    drawn, shown = charts_drawn(page)
    assert drawn == shown >= 5
    checked["statistics, federation"] = axe_violations(page)
    assert errors == []
    context.close()

    assert {name: found for name, found in checked.items() if found} == {}
