"""A shared phone, in a real browser: what one person leaves on it is never shown to the
next one, and nothing anyone logged is lost without them saying so.

Each test is a fresh phone (its own browser context): service worker, caches and
IndexedDB start empty.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_offline import (
    PASSWORD,
    READ_STORE,
    api,
    iso,
    open_today,
    pending,
    sign_in_new_parent,
    store,
    wait_until,
)

pytestmark = pytest.mark.browser
NOTE = "Private words only this parent wrote"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", color_scheme="dark")
    yield context
    context.close()


@pytest.fixture
def tab(phone):
    page = phone.new_page()
    yield page
    phone.set_offline(False)


def with_a_note(phone, base, parent) -> None:
    """An entry with a note, made on the parent's other device (through the API)."""
    response = api(
        phone,
        base,
        "PUT",
        f"/api/v1/babies/{parent.baby_id}/entries/5d1c4b1e-1111-4111-8111-{parent.baby_id:012d}",
        {"kind": "note", "start": iso(datetime.now(UTC) - timedelta(minutes=30)), "note": NOTE},
    )
    assert response.ok, response.text()


def kept_private_pages(tab) -> list[str]:
    return tab.evaluate(
        """async () => (await caches.has('companion-pages'))
            ? (await (await caches.open('companion-pages')).keys()).map((r) => new URL(r.url).pathname)
            : []"""
    )


def offline_shows_no_diary(phone, tab, base, parent) -> None:
    # Signing out cleared the site, service worker included: the next page registers a
    # new one, which keeps the shell again (and nothing private).
    wait_until(tab, "navigator.serviceWorker.controller !== null")
    phone.set_offline(True)
    for path in ("/diary/", f"/diary/{parent.baby_id}/", f"/diary/{parent.baby_id}/entries"):
        tab.goto(base + path)
        html = tab.content()
        assert NOTE not in html and "Aino" not in html, path
        assert "You are offline" in tab.inner_text("h1"), path
    phone.set_offline(False)


def test_sign_out_everywhere_from_the_account_page_leaves_no_diary_offline(phone, tab, live_server):
    parent = sign_in_new_parent(phone, live_server)
    with_a_note(phone, live_server, parent)
    open_today(tab, parent)
    tab.goto(f"{live_server}/diary/{parent.baby_id}/entries")  # the history is kept too
    history = f"/diary/{parent.baby_id}/entries"
    wait_until(tab, f"caches.match('{history}', {{cacheName: 'companion-pages'}}).then(Boolean)")
    assert NOTE in tab.content()
    tab.goto(live_server + "/account")
    tab.on("dialog", lambda dialog: dialog.accept())  # "Sign out on every device?"
    tab.click("button:has-text('Sign out everywhere')")
    tab.wait_for_url(live_server + "/")
    assert kept_private_pages(tab) == []
    assert store(tab) == {"outbox": [], "state": []}
    offline_shows_no_diary(phone, tab, live_server, parent)


def test_a_cookie_deleted_behind_the_apps_back_drops_the_kept_pages(phone, tab, live_server):
    parent = sign_in_new_parent(phone, live_server)
    with_a_note(phone, live_server, parent)
    open_today(tab, parent)
    assert f"/diary/{parent.baby_id}/" in kept_private_pages(tab)
    phone.clear_cookies()  # the server now sees no cookie at all
    tab.goto(live_server + "/help")
    assert tab.get_attribute("body", "data-user") == ""
    wait_until(tab, "caches.has('companion-pages').then((has) => !has)")
    offline_shows_no_diary(phone, tab, live_server, parent)


def test_a_page_that_came_past_the_service_worker_still_drops_the_kept_pages(phone, tab, live_server):
    parent = sign_in_new_parent(phone, live_server)
    with_a_note(phone, live_server, parent)
    open_today(tab, parent)
    assert f"/diary/{parent.baby_id}/" in kept_private_pages(tab)
    phone.clear_cookies()
    # A page that comes past the service worker (as after a hard reload): the worker never
    # sees the answer, only the page knows that nobody is signed in now.
    cdp = phone.new_cdp_session(tab)
    cdp.send("Network.enable")
    cdp.send("Network.setBypassServiceWorker", {"bypass": True})
    tab.goto(live_server + "/help")
    assert tab.get_attribute("body", "data-user") == ""
    wait_until(tab, "caches.has('companion-pages').then((has) => !has)")
    cdp.send("Network.setBypassServiceWorker", {"bypass": False})
    tab.goto(live_server + "/help")  # a page the worker answers again
    offline_shows_no_diary(phone, tab, live_server, parent)


def test_a_session_ended_elsewhere_drops_the_pages_but_keeps_unsent_entries(phone, tab, live_server, browser):
    parent = sign_in_new_parent(phone, live_server)
    open_today(tab, parent)
    phone.set_offline(True)
    tab.fill("form.note-form [name=note]", NOTE)
    tab.click("form.note-form button[type=submit]")
    pending(tab).to_have_attribute("data-sync-pending", "1")
    # The parent signs out everywhere from another device while this phone is offline.
    laptop = browser.new_context()
    api(laptop, live_server, "POST", "/api/v1/login", {"username": parent.username, "password": PASSWORD})
    sessions = laptop.request.get(live_server + "/api/v1/me/sessions").json()["sessions"]
    phone_session = next(row for row in sessions if not row["current"])
    assert api(laptop, live_server, "DELETE", f"/api/v1/me/sessions/{phone_session['id']}").status == 204
    laptop.close()
    phone.set_offline(False)
    # The first request with the ended session (the page's own or its script's) is
    # answered as signed out with Clear-Site-Data: "cache" (tested in test_sessions.py).
    tab.goto(live_server + "/")
    wait_until(tab, "caches.has('companion-pages').then((has) => !has)")
    note = tab.locator("[data-unsent-elsewhere]")
    expect(note).to_be_visible()
    expect(note).to_contain_text("1 entry from this phone has not been sent")
    assert NOTE not in tab.content()  # how many, never what
    assert [op["body"]["note"] for op in store(tab)["outbox"]] == [NOTE]  # kept for its owner
    # Its owner signs in again on this phone: the entry goes through at last.
    tab.goto(live_server + "/login")
    tab.fill("[name=username]", parent.username)
    tab.fill("[name=password]", PASSWORD)
    tab.click("button[type=submit]:has-text('Sign in')")
    tab.wait_for_url(f"**/diary/{parent.baby_id}/")
    pending(tab).to_have_attribute("data-sync-pending", "0")
    wait_until(tab, f"({READ_STORE})().then((s) => s.outbox.length === 0)")
    assert [e["note"] for e in parent.entries()] == [NOTE]


def test_a_second_user_never_sees_the_first_users_pages_or_outbox(phone, tab, live_server, browser):
    first = sign_in_new_parent(phone, live_server)
    with_a_note(phone, live_server, first)
    open_today(tab, first)
    phone.set_offline(True)
    tab.click("[data-action=sleep-start]")
    pending(tab).to_have_attribute("data-sync-pending", "1")
    tab.close()  # the first parent walks away; their session ends (it expires)
    phone.clear_cookies()
    # Back online only now: with the session still there, the page would send the tap.
    phone.set_offline(False)
    elsewhere = browser.new_context()
    second = sign_in_new_parent(elsewhere, live_server)  # an account made on another device
    elsewhere.close()

    other_tab = phone.new_page()
    sent: list[str] = []
    other_tab.on("request", lambda r: sent.append(r.url) if "/entries/" in r.url else None)
    other_tab.goto(live_server + "/login")
    note = other_tab.locator("[data-unsent-elsewhere]")
    expect(note).to_contain_text("1 entry from this phone has not been sent")
    assert NOTE not in other_tab.content()
    other_tab.fill("[name=username]", second.username)
    other_tab.fill("[name=password]", PASSWORD)
    other_tab.click("button[type=submit]:has-text('Sign in')")
    other_tab.wait_for_url(f"**/diary/{second.baby_id}/")
    open_today(other_tab, second)
    html = other_tab.content()
    assert NOTE not in html and f"/diary/{first.baby_id}/" not in html
    kept = kept_private_pages(other_tab)
    assert kept and set(kept) <= {"/diary/", f"/diary/{second.baby_id}/"}
    other_tab.click("[data-action=feeding]")
    pending(other_tab).to_have_attribute("data-sync-pending", "0")  # counts only their own
    assert sent and all(f"/babies/{second.baby_id}/" in url for url in sent)
    assert {item["owner"] for item in store(other_tab)["state"]} == {second.user_id}
    assert [op["owner"] for op in store(other_tab)["outbox"]] == [first.user_id]  # kept, unsent
    # Offline, the phone shows the second parent's diary only.
    phone.set_offline(True)
    other_tab.goto(live_server + f"/diary/{first.baby_id}/")
    assert NOTE not in other_tab.content() and "You are offline" in other_tab.inner_text("h1")
    phone.set_offline(False)
    other_tab.close()


def test_discarding_someone_elses_unsent_entries_from_the_sign_in_page(phone, tab, live_server):
    parent = sign_in_new_parent(phone, live_server)
    open_today(tab, parent)
    phone.set_offline(True)
    tab.click("[data-action=sleep-start]")
    tab.click("[data-action=feeding]")
    pending(tab).to_have_attribute("data-sync-pending", "2")
    phone.clear_cookies()  # signed out before the phone is back online: nothing is sent
    phone.set_offline(False)
    tab.goto(live_server + "/login")
    note = tab.locator("[data-unsent-elsewhere]")
    expect(note).to_contain_text("2 entries from this phone have not been sent")
    tab.once("dialog", lambda dialog: dialog.accept())
    note.locator("[data-discard-unsent]").click()
    expect(note).to_be_hidden()
    deadline = time.monotonic() + 5
    while store(tab)["outbox"]:
        assert time.monotonic() < deadline
        tab.wait_for_timeout(50)


def test_guides_are_kept_without_anything_personal(phone, tab, live_server):
    parent = sign_in_new_parent(phone, live_server)
    open_today(tab, parent)
    tab.goto(live_server + "/guides/")
    tab.reload()  # under the service worker: kept from a fetch without cookies
    wait_until(tab, "caches.match('/guides/', {cacheName: 'companion-reading'}).then(Boolean)")
    kept = tab.evaluate("caches.match('/guides/', {cacheName: 'companion-reading'}).then((r) => r.text())")
    assert 'data-user=""' in kept and "csrf" not in kept.lower() and parent.username not in kept
    offline = tab.evaluate("caches.match('/offline').then((r) => r.text())")
    assert 'data-user=""' in offline and "csrf" not in offline.lower()
    phone.set_offline(True)
    tab.goto(live_server + "/guides/")
    assert tab.locator("h1").count() == 1 and "You are offline" not in tab.inner_text("h1")
    phone.set_offline(False)
