"""Offline at night, in a real browser: taps kept on the phone, sent exactly once.

One browser context (one "phone") serves the whole module, as a real phone would: its
service worker and IndexedDB outlive each parent who signs in on it. Each test signs a
new parent in through the API, which also ends the previous parent's session without the
sign-out hook, so every test also checks that earlier parents' outboxes stay unsent.
"""

from __future__ import annotations

import itertools
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, FLAGS

pytestmark = pytest.mark.browser
_names = itertools.count(1)
PASSWORD = "long enough password"
ENTRY_PUTS = "**/api/v1/babies/*/entries/*"

READ_STORE = """() => new Promise((resolve) => {
  const open = indexedDB.open("companion");
  open.onupgradeneeded = () => open.transaction.abort();  // never create it here
  open.onerror = () => resolve({outbox: [], state: []});
  open.onsuccess = () => {
    const db = open.result, out = {};
    const tx = db.transaction(["outbox", "state"]);
    tx.objectStore("outbox").getAll().onsuccess = (e) => { out.outbox = e.target.result; };
    tx.objectStore("state").getAll().onsuccess = (e) => { out.state = e.target.result; };
    tx.oncomplete = () => { db.close(); resolve(out); };
  };
})"""


class Parent:
    def __init__(self, phone, base: str, username: str, user_id: int, baby_id: int):
        self.phone, self.base, self.username = phone, base, username
        self.user_id, self.baby_id = user_id, baby_id

    @property
    def today(self) -> str:
        return f"{self.base}/diary/{self.baby_id}/"

    def entries(self) -> list[dict]:
        response = self.phone.request.get(f"{self.base}/api/v1/babies/{self.baby_id}/entries")
        assert response.ok, response.text()
        return sorted(response.json()["entries"], key=lambda e: e["start"])

    def entries_as(self, username: str) -> list[dict]:
        """The entries as seen from another device of the parent (this phone signed out)."""
        other = self.phone.browser.new_context()
        try:
            token = other.request.get(self.base + "/api/v1/me").json()["csrf_token"]
            login = other.request.post(
                self.base + "/api/v1/login",
                data=json.dumps({"username": username, "password": PASSWORD}),
                headers={"X-CSRFToken": token, "Content-Type": "application/json"},
            )
            assert login.ok, login.text()
            response = other.request.get(f"{self.base}/api/v1/babies/{self.baby_id}/entries")
            return sorted(response.json()["entries"], key=lambda e: e["start"])
        finally:
            other.close()


def tap(tab, action: str) -> None:
    """A quick-log tap as a person makes it: a second tap within 600 ms at the same spot is
    the same tap, so taps come a moment apart."""
    tab.click(f"[data-action={action}]")
    tab.wait_for_timeout(650)


def api(phone, base: str, method: str, path: str, body: dict | None = None, headers: dict | None = None):
    """The API as the other parent's phone would call it (the context's cookies, no page)."""
    token = phone.request.get(base + "/api/v1/me").json()["csrf_token"]
    return phone.request.fetch(
        base + path,
        method=method,
        data=json.dumps(body) if body is not None else None,
        headers={"X-CSRFToken": token, "Content-Type": "application/json", **(headers or {})},
    )


def sign_in_new_parent(phone, base: str) -> Parent:
    username = f"offline-parent-{next(_names)}"
    user = api(phone, base, "POST", "/api/v1/signup", {"username": username, "password": PASSWORD}).json()[
        "user"
    ]
    baby = api(phone, base, "POST", "/api/v1/babies", {"name": "Aino"}).json()["baby"]
    return Parent(phone, base, username, user["id"], baby["id"])


def wait_until(tab, script: str, timeout: float = 10) -> None:
    """Poll a JavaScript condition (evaluated from outside, so the page's CSP allows it)."""
    deadline = time.monotonic() + timeout
    while not tab.evaluate(script):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        tab.wait_for_timeout(25)


def open_today(tab, parent: Parent) -> None:
    """Open the today page and wait until it also works offline."""
    tab.goto(parent.today)
    tab.wait_for_selector("#today-data[data-ready]", state="attached")
    wait_until(tab, "navigator.serviceWorker.controller !== null")
    wait_until(tab, "caches.open('companion-pages').then((c) => c.match(location.pathname)).then(Boolean)")


def pending(tab):
    return expect(tab.locator("[data-sync-pending]"))


def store(tab) -> dict:
    return tab.evaluate(READ_STORE)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-GB", color_scheme="dark")
    yield context
    context.close()


@pytest.fixture
def tab(phone):
    page = phone.new_page()
    yield page
    page.close()
    phone.set_offline(False)


def test_offline_taps_show_at_once_survive_a_reload_and_reach_the_server_once(phone, tab, live_server):
    parent = sign_in_new_parent(phone, live_server)
    open_today(tab, parent)
    phone.set_offline(True)
    tap(tab, "sleep-start")
    tap(tab, "crying-start")  # crying during the sleep ends the sleep first
    assert tab.is_visible("[data-action=sleep-start]") and tab.is_hidden("[data-action=sleep-end]")
    assert tab.is_visible("[data-action=crying-end]") and tab.is_hidden("[data-action=crying-start]")
    assert "Crying" in tab.inner_text(".now-cards")
    assert tab.locator(".entries li").count() == 2
    assert tab.get_attribute("[data-sync-pending]", "data-sync-pending") == "2"
    status = tab.locator(".sync-status")
    assert "2 entries waiting to be sent" in status.inner_text() and "offline" in status.get_attribute(
        "class"
    )

    tab.reload()  # from the service worker's cache, drawn from the state kept on the phone
    tab.wait_for_selector("#today-data[data-ready]", state="attached")
    pending(tab).to_have_attribute("data-sync-pending", "2")
    assert tab.is_visible("[data-action=crying-end]")
    assert tab.locator(".entries li").count() == 2
    assert tab.locator(".flashes").count() == 0  # the kept copy's one-time messages are gone

    phone.set_offline(False)
    pending(tab).to_have_attribute("data-sync-pending", "0")
    expect(tab.locator(".sync-status")).to_be_hidden()
    sleep, crying = parent.entries()
    assert (sleep["kind"], crying["kind"]) == ("sleep", "crying")
    assert sleep["end"] is not None and sleep["end"] <= crying["start"] and crying["end"] is None
    assert sleep["version"] == 1 and crying["version"] == 1  # start and end went as one request


def test_replaying_the_same_outbox_twice_stores_once(phone, tab, live_server):
    parent = sign_in_new_parent(phone, live_server)
    open_today(tab, parent)
    phone.set_offline(True)
    tap(tab, "sleep-start")
    tap(tab, "sleep-end")
    tap(tab, "feeding")
    tab.click(".feed-details [value='bottle:']")  # the chip, in the dock
    pending(tab).to_have_attribute("data-sync-pending", "2")
    deadline = time.monotonic() + 5
    while True:  # the chip's choice is written into the feeding's waiting request
        sent = [op for op in store(tab)["outbox"] if op["owner"] == parent.user_id]
        if any(op["body"]["details"] == {"method": "bottle"} for op in sent):
            break
        assert time.monotonic() < deadline
        tab.wait_for_timeout(25)
    assert len(sent) == 2  # start and end of the sleep, the feeding and its details: one request each
    phone.set_offline(False)
    pending(tab).to_have_attribute("data-sync-pending", "0")
    first = parent.entries()

    # The same requests again, as if their answers had been lost.
    tab.evaluate(
        """(ops) => new Promise((resolve) => {
          const open = indexedDB.open("companion");
          open.onsuccess = () => {
            const tx = open.result.transaction("outbox", "readwrite");
            for (const op of ops) tx.objectStore("outbox").put(op);
            tx.oncomplete = () => { open.result.close(); resolve(); };
          };
        })""",
        sent,
    )
    tab.evaluate("window.dispatchEvent(new Event('online'))")
    deadline = time.monotonic() + 10
    while [op for op in store(tab)["outbox"] if op["owner"] == parent.user_id]:
        assert time.monotonic() < deadline
        tab.wait_for_timeout(25)
    assert parent.entries() == first
    assert [e["version"] for e in first] == [1, 1]
    assert {e["kind"] for e in first} == {"sleep", "feeding"}
    assert [e["details"] for e in first if e["kind"] == "feeding"] == [{"method": "bottle"}]


def test_an_answer_lost_on_the_way_back_is_sent_again_and_stored_once(phone, tab, live_server):
    parent = sign_in_new_parent(phone, live_server)
    open_today(tab, parent)
    lost = []

    def deliver_then_drop(route):
        if not lost:
            lost.append(route.fetch().status)  # the server stores it; the phone never hears
            route.abort("connectionreset")
        else:
            route.continue_()

    tab.route(ENTRY_PUTS, deliver_then_drop)
    tap(tab, "sleep-start")
    pending(tab).to_have_attribute("data-sync-pending", "0")  # resent after a backoff
    assert lost == [201]
    (sleep,) = parent.entries()
    assert sleep["version"] == 1 and sleep["end"] is None


def test_a_conflict_is_shown_with_fix_and_discard(phone, tab, live_server):
    parent = sign_in_new_parent(phone, live_server)
    open_today(tab, parent)
    phone.set_offline(True)
    tap(tab, "sleep-start")
    # Meanwhile the other parent logged a sleep that started earlier and still goes on.
    theirs = "0b7a53f4-54a8-4c2e-9a41-5d4f3e2a1b0c"
    other = api(
        phone,
        live_server,
        "PUT",
        f"/api/v1/babies/{parent.baby_id}/entries/{theirs}",
        {"kind": "sleep", "start": iso(datetime.now(UTC) - timedelta(minutes=20))},
    )
    assert other.status == 201
    phone.set_offline(False)
    problems = tab.locator("[data-sync-problems]")
    expect(problems).to_be_visible()
    assert "overlaps a sleep" in problems.inner_text()
    fix = problems.locator("[data-fix]")
    assert fix.get_attribute("href") == f"/diary/{parent.baby_id}/entries/{theirs}/edit"
    assert tab.get_attribute("[data-sync-pending]", "data-sync-pending") == "1"  # not dropped
    problems.locator("[data-discard]").click()
    expect(problems).to_be_hidden()
    pending(tab).to_have_attribute("data-sync-pending", "0")
    assert [e["id"] for e in parent.entries()] == [theirs]
    expect(tab.locator(".entries li")).to_have_count(1)  # the other parent's sleep, learned


def test_a_change_made_meanwhile_by_the_other_parent_is_shown_412(phone, tab, live_server):
    parent = sign_in_new_parent(phone, live_server)
    sleep_id = "3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
    start = iso(datetime.now(UTC) - timedelta(hours=1))
    url = f"/api/v1/babies/{parent.baby_id}/entries/{sleep_id}"
    assert api(phone, live_server, "PUT", url, {"kind": "sleep", "start": start}).status == 201
    open_today(tab, parent)
    phone.set_offline(True)
    ended = iso(datetime.now(UTC) - timedelta(minutes=10))
    changed = api(phone, live_server, "PUT", url, {"kind": "sleep", "start": start, "end": ended})
    assert changed.status == 200  # the other parent says it ended ten minutes ago
    tap(tab, "sleep-end")
    phone.set_offline(False)
    problems = tab.locator("[data-sync-problems]")
    expect(problems).to_be_visible()
    assert "changed this entry meanwhile" in problems.inner_text()
    assert (
        problems.locator("[data-fix]").get_attribute("href")
        == f"/diary/{parent.baby_id}/entries/{sleep_id}/edit"
    )
    problems.locator("[data-discard]").click()
    expect(problems).to_be_hidden()
    (kept,) = parent.entries()
    assert kept["end"] == ended and kept["version"] == 2


def feeding_tapped_offline(phone, tab, live_server) -> Parent:
    """A new parent taps a feeding while the phone is offline: one entry waits."""
    parent = sign_in_new_parent(phone, live_server)
    open_today(tab, parent)
    phone.set_offline(True)
    tab.click("[data-action=feeding]")
    pending(tab).to_have_attribute("data-sync-pending", "1")
    return parent


def test_a_tap_refused_as_before_the_birth_is_shown_not_sent_with_the_reason(phone, tab, live_server):
    parent = feeding_tapped_offline(phone, tab, live_server)
    # Meanwhile the other parent put the baby's details right: not born yet, due in a month.
    token = phone.request.get(live_server + "/api/v1/me").json()["csrf_token"]
    due = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    edited = phone.request.post(
        f"{live_server}/diary/{parent.baby_id}/edit",
        form={"csrf_token": token, "name": "Aino", "birth_date": "", "due_date": due},
        max_redirects=0,
    )
    assert edited.status == 302, edited.text()
    phone.set_offline(False)
    problems = tab.locator("[data-sync-problems]")
    expect(problems).to_be_visible()
    assert "The diary begins when the baby is born. Save the birth date first." in problems.inner_text()
    assert "Feeding" in problems.locator("[data-what]").inner_text()
    pending(tab).to_have_attribute("data-sync-pending", "1")  # kept, not sent, not dropped
    (waiting,) = [op for op in store(tab)["outbox"] if op["owner"] == parent.user_id]
    assert waiting["status"] == "failed" and waiting["error"]["status"] == 422
    assert parent.entries() == []
    problems.locator("[data-discard]").click()
    expect(problems).to_be_hidden()
    pending(tab).to_have_attribute("data-sync-pending", "0")


def test_undo_right_after_a_tap_works_offline(phone, tab, live_server):
    parent = sign_in_new_parent(phone, live_server)
    open_today(tab, parent)
    tap(tab, "sleep-start")
    pending(tab).to_have_attribute("data-sync-pending", "0")  # sent while online
    phone.set_offline(True)
    tap(tab, "sleep-end")
    tab.click("[data-undo-button]")  # never sent: simply taken out of the outbox
    assert tab.is_visible("[data-action=sleep-end]")
    pending(tab).to_have_attribute("data-sync-pending", "0")
    tap(tab, "feeding")
    tab.click("[data-undo-button]")
    pending(tab).to_have_attribute("data-sync-pending", "0")
    tap(tab, "crying-start")  # ends the sent sleep, starts a crying
    pending(tab).to_have_attribute("data-sync-pending", "2")
    phone.set_offline(False)
    pending(tab).to_have_attribute("data-sync-pending", "0")
    assert [e["kind"] for e in parent.entries()] == ["sleep", "crying"]
    tab.click("[data-undo-button]")  # already sent: undone by a DELETE and a reopening PUT
    pending(tab).to_have_attribute("data-sync-pending", "0")
    (sleep,) = parent.entries()
    assert sleep["end"] is None and sleep["version"] == 3


def test_sign_out_offers_to_send_or_discard_then_leaves_nothing_of_the_diary(phone, tab, live_server):
    parent = sign_in_new_parent(phone, live_server)
    open_today(tab, parent)
    tab.route(ENTRY_PUTS, lambda route: route.abort())  # the network lets nothing through
    tap(tab, "sleep-start")
    pending(tab).to_have_attribute("data-sync-pending", "1")
    tab.click(".menu > summary")
    tab.click("text=Sign out")
    dialog = tab.locator("dialog.unsent-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("1 entry has not been sent yet.")
    dialog.locator("[data-unsent-cancel]").click()
    expect(dialog).to_have_count(0)
    assert tab.url == parent.today  # stayed: the entry still waits
    assert [op for op in store(tab)["outbox"] if op["owner"] == parent.user_id]

    tab.click(".menu > summary")  # the dialog closed the menu
    tab.click("text=Sign out")
    dialog.locator("[data-unsent-send]").click()  # cannot get through: it says so and asks again
    expect(tab.locator("dialog.unsent-dialog [data-unsent-offline]")).to_be_visible()
    assert tab.url == parent.today
    tab.unroute(ENTRY_PUTS)  # the network is back: "send them" sends, then signs out
    tab.locator("dialog.unsent-dialog [data-unsent-send]").click()
    tab.wait_for_url(live_server + "/")
    assert [e["kind"] for e in parent.entries_as(parent.username)] == ["sleep"]
    kept = store(tab)
    assert kept["outbox"] == [] and kept["state"] == []
    assert tab.evaluate("caches.has('companion-pages')") is False
    assert tab.evaluate("fetch('/api/v1/me').then((r) => r.json())")["user"] is None


def test_sign_out_can_discard_what_was_not_sent(phone, tab, live_server):
    parent = feeding_tapped_offline(phone, tab, live_server)
    # The server cannot be reached from the moment the phone is online again: the tap
    # can never be sent before the parent signs out.
    tab.route(ENTRY_PUTS, lambda route: route.abort())
    phone.set_offline(False)
    tab.click(".menu > summary")
    tab.click("text=Sign out")
    tab.locator("dialog.unsent-dialog [data-unsent-discard]").click()
    tab.wait_for_url(live_server + "/")
    assert store(tab)["outbox"] == []
    assert parent.entries_as(parent.username) == []  # discarded on purpose, never sent


def test_another_parent_on_the_same_phone_never_sends_the_first_ones_outbox(phone, tab, live_server):
    first = sign_in_new_parent(phone, live_server)
    open_today(tab, first)
    phone.set_offline(True)
    tap(tab, "sleep-start")
    pending(tab).to_have_attribute("data-sync-pending", "1")
    wait_until(tab, f"({READ_STORE})().then((s) => s.outbox.some((op) => op.owner === {first.user_id}))")
    tab.close()  # the first parent's session ends without the sign-out hook...

    second = sign_in_new_parent(phone, live_server)  # ...and someone else signs in here
    phone.set_offline(False)
    other_tab = phone.new_page()
    sent = []
    other_tab.on("request", lambda r: sent.append(r.url) if "/entries/" in r.url else None)
    open_today(other_tab, second)
    other_tab.click("[data-action=feeding]")
    pending(other_tab).to_have_attribute("data-sync-pending", "0")
    assert sent and all(f"/babies/{second.baby_id}/" in url for url in sent)
    assert [e["kind"] for e in second.entries()] == ["feeding"]
    waiting = [op for op in store(other_tab)["outbox"] if op["owner"] == first.user_id]
    assert [op["body"]["kind"] for op in waiting] == ["sleep"]  # kept for its owner, not lost

    # The first parent signs in again on this phone: their tap goes through at last.
    api(phone, live_server, "POST", "/api/v1/login", {"username": first.username, "password": PASSWORD})
    open_today(other_tab, first)
    pending(other_tab).to_have_attribute("data-sync-pending", "0")
    assert [e["kind"] for e in first.entries()] == ["sleep"]
    other_tab.close()


def test_a_guide_read_once_opens_offline_and_other_pages_say_offline(phone, tab, live_server):
    tab.goto(live_server + "/help")
    wait_until(tab, "navigator.serviceWorker.controller !== null")
    tab.reload()  # read under the service worker: kept
    wait_until(tab, "caches.open('companion-reading').then((c) => c.match('/help')).then(Boolean)")
    phone.set_offline(True)
    tab.goto(live_server + "/help")
    assert "Help, day and night" in tab.inner_text("h1")
    tab.goto(live_server + "/diary/settings")
    assert "You are offline" in tab.inner_text("h1")
    assert tab.locator("a[href='tel:112']").count() >= 1


def test_install_criteria_are_met(browser, live_server, tmp_path):
    """A normal (not incognito) profile, as Chrome's install check wants one."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=FLAGS,
        viewport={"width": 360, "height": 780},
    )
    try:
        tab = context.new_page()
        tab.goto(live_server + "/")
        wait_until(tab, "navigator.serviceWorker.controller !== null")
        cdp = context.new_cdp_session(tab)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [] and manifest["url"].startswith(live_server + "/manifest.webmanifest")
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()
