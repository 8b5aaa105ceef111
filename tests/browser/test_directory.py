"""Baby blues near you in a real browser on a phone (390 px): an anonymous visitor finds
the service of "Tammerfors" and asks to be contacted in Swedish; the coordinator of that
organisation sees and closes the request; a worker of another organisation cannot see
it. Every page passes axe-core with no violations."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest

from tests.directory.conftest import fill_page
from tests.share.conftest import WORKER_PASSWORD, add_staff

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def organisations(live_server):
    app = live_server.app
    add_staff(app, "kaisa", "coordinator", "Kaisa Koordinaattori", "bb-tampere")
    fill_page(app, "bb-tampere")
    add_staff(app, "olli", "coordinator", "Olli Oulusta", "bb-oulu")
    fill_page(
        app,
        "bb-oulu",
        name={"fi": "Baby blues Oulu (testi)", "sv": None},
        municipalities=[{"fi": "Oulu", "sv": "Uleåborg"}],
    )
    add_staff(app, "onni", "worker", "Onni Oulusta", "bb-oulu")
    return live_server


def phone(browser, lang: str, scheme: str = "dark"):
    context = browser.new_context(
        viewport=PHONE,
        locale={"fi": "fi-FI", "sv": "sv-FI"}[lang],
        color_scheme=scheme,
        bypass_csp=True,  # lets the test inject axe-core; the app's own pages run under its CSP
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    return context, page


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in result["violations"]
    ]


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", WORKER_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/login" not in page.url, page.inner_text("main")
    if "/account/second-factor" in page.url:  # the first time: staff enrol a second factor
        secret = page.inner_text("[data-totp-secret]").replace(" ", "")
        page.fill("#otp", pyotp.TOTP(secret).now())
        with page.expect_navigation():
            page.click("main form button.primary[type=submit]")
        with page.expect_navigation():
            page.click("main a.button.primary")  # "I have saved them (the backup codes), continue"


def test_tammerfors_in_swedish_from_request_to_closing(browser, organisations):
    base = organisations
    checked: dict[str, list[str]] = {}

    # An anonymous parent, in Swedish, on a phone.
    context, page = phone(browser, "sv")
    page.goto(base + "/")
    page.click("text=Hitta Baby blues nära dig")
    assert page.inner_text("h1") == "Baby blues nära dig"
    checked["services"] = axe_violations(page)
    page.fill("#municipality", "Tammerfors")
    page.click("form[role=search] button")
    results = page.inner_text("main")
    assert "Baby blues Tammerfors (test)" in results and "Oulu" not in results
    assert page.locator("a.service-phone[href='tel:+358401234567']").is_visible()
    checked["search"] = axe_violations(page)
    page.click("text=Be om att bli kontaktad")
    assert "Vi svarar inom två vardagar." in page.inner_text("main")
    assert page.locator("a[href='tel:112']").count() >= 1
    checked["contact form"] = axe_violations(page)
    page.click("text=Skicka förfrågan")  # nothing filled in: every field says what is wrong
    assert "Välj minst ett alternativ." in page.inner_text("main")
    assert "Det här är obligatoriskt." in page.inner_text("main")
    checked["contact form with errors"] = axe_violations(page)
    page.check("input[name=topics][value=sleep]")
    page.check("input[name=topics][value=coping]")
    page.fill("#name", "Lotta")
    page.fill("#phone", "044 987 6543")
    page.fill("#times", "kvällar efter sex")
    page.check("input[name=language][value=sv]")
    page.fill("#message", "Babyn vaknar varje timme.")
    page.click("text=Skicka förfrågan")
    assert "Tack, din förfrågan har skickats" in page.inner_text("h1")
    checked["sent"] = axe_violations(page)
    page.goto(base + "/services?municipality=Kuopio")
    assert "rådgivningen" in page.inner_text("main")
    assert page.locator("main a[href='tel:0925250112']").count() == 1
    checked["no service"] = axe_violations(page)
    assert page.js_errors == []
    context.close()

    # The coordinator of the Tampere organisation, in Swedish.
    context, page = phone(browser, "sv")
    sign_in(page, base, "kaisa")
    assert "1 familj väntar på att bli kontaktad" in page.inner_text("main")
    checked["worker home"] = axe_violations(page)
    page.click("text=Öppna kontaktförfrågningarna")
    request = page.locator(".request").first
    assert "Lotta" in request.inner_text() and "Babyn vaknar varje timme." in request.inner_text()
    assert request.locator("a[href='tel:+358449876543']").count() == 1
    checked["requests"] = axe_violations(page)
    request.locator("input[value=contacted]").check()
    request.locator("textarea").fill("Ringde, hembesök på torsdag.")
    request.locator("button[type=submit]").click()
    assert "Ingen familj väntar på att bli kontaktad." in page.inner_text("main")
    assert "Ringde, hembesök på torsdag." in page.inner_text("main")
    page.goto(base + "/organisation/page")
    page.fill("#groups_sv", "Familjecafé på fredagar.")
    page.click("button[value=preview]")
    assert "Familjecafé på fredagar." in page.inner_text(".preview")
    checked["page preview"] = axe_violations(page)
    page.fill("#phone", "12")
    page.click("button[value=save]")
    assert "Ge ett telefonnummer" in page.inner_text("main")
    checked["page with errors"] = axe_violations(page)
    page.goto(base + "/admin/")
    checked["workers"] = axe_violations(page)
    context.close()

    # A worker of another organisation, in Finnish.
    context, page = phone(browser, "fi")
    sign_in(page, base, "onni")
    assert "Yksikään perhe ei odota yhteydenottoa." in page.inner_text("main")
    page.goto(base + "/organisation/requests")
    assert "Lotta" not in page.inner_text("main")
    listed = page.request.get(base + "/api/v1/organisation/contact-requests").json()
    assert listed == {"contact_requests": []}
    checked["other organisation's requests"] = axe_violations(page)
    context.close()

    assert {name: found for name, found in checked.items() if found} == {}


def test_the_public_pages_pass_axe_in_the_light_theme_and_in_finnish(browser, organisations):
    context, page = phone(browser, "fi", scheme="light")
    found = {}
    for path in (
        "/services",
        "/services?municipality=tampere",
        "/services/bb-tampere",
        "/services/bb-tampere/contact",
    ):
        page.goto(organisations + path)
        found[path] = axe_violations(page)
    assert "Baby blues lähelläsi" in page.content()
    context.close()
    assert {path: v for path, v in found.items() if v} == {}


def test_the_services_page_opens_offline_once_seen(browser, organisations):
    context, page = phone(browser, "fi")
    page.goto(organisations + "/services?municipality=Tampere")
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=10000)
    page.reload()  # read under the service worker: kept
    page.wait_for_function(
        "caches.open('companion-reading').then((c) => c.match(location.href)).then(Boolean)", timeout=10000
    )
    page.goto(organisations + "/services/bb-tampere")
    page.wait_for_function(
        "caches.open('companion-reading').then((c) => c.match('/services/bb-tampere')).then(Boolean)",
        timeout=10000,
    )
    context.set_offline(True)
    page.goto(organisations + "/services?municipality=Tampere")
    assert "Baby blues Tampere (testi)" in page.inner_text("main")
    page.goto(organisations + "/services/bb-tampere")
    assert page.locator("a[href='tel:+358401234567']").count() == 1
    context.close()


@pytest.mark.parametrize(
    "lang, left, full",
    [
        ("fi", "Merkkejä jäljellä: 40.", "Kenttä on täynnä: siihen mahtuu enintään 1 000 merkkiä."),
        ("sv", "40 tecken kvar.", "Rutan är full: den rymmer högst 1 000 tecken."),
    ],
)
def test_the_message_box_says_what_is_left_and_when_it_is_full(browser, organisations, lang, left, full):
    context, page = phone(browser, lang)
    page.goto(organisations + f"/services/bb-tampere/contact?lang={lang}")
    box = page.locator("textarea[name=message]")
    count = page.locator("#message-count")
    assert count.is_hidden()  # nothing to count far from the limit
    box.fill("x" * 960)
    assert " ".join(count.inner_text().split()) == left
    # A paste longer than the box is cut where the box ends, and the page says so, also to
    # a screen reader (a polite live region).
    box.fill("")
    box.focus()
    page.keyboard.insert_text("y" * 1200)
    assert len(box.input_value()) == 1000
    assert " ".join(count.inner_text().split()) == full
    told = page.locator("#message-count + [aria-live=polite]")
    assert " ".join(told.inner_text().split()) == full
    assert axe_violations(page) == []
    assert page.js_errors == []
    context.close()
