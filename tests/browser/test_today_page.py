"""The today page under a tired thumb, in a real browser at 390 × 844: nothing above the
quick-log buttons moves, a second tap at the same spot within 600 ms does nothing, the
page says what the baby is doing, feeds take one tap, twins are logged together, and
screen readers hear what changed."""

from __future__ import annotations

import itertools
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import call, watched
from tests.browser.test_offline import READ_STORE

pytestmark = pytest.mark.browser
HEL = ZoneInfo("Europe/Helsinki")
_names = itertools.count(1)
PASSWORD = "long enough password"
# Where the quick-log buttons sit: a button and its counterpart share a place.
PLACES = {
    "sleep-start": "sleep",
    "sleep-end": "sleep",
    "crying-start": "crying",
    "crying-end": "crying",
    "feeding": "feeding",
    "feeding-left": "left",
    "feeding-right": "right",
    "feeding-bottle": "bottle",
}
WHERE = """() => Object.fromEntries([...document.querySelectorAll("#quick-log [data-action]")]
  .filter((b) => !b.hidden).map((b) => { const r = b.getBoundingClientRect();
    return [b.dataset.action, [r.x, r.y, r.width, r.height].map(Math.round)]; }))"""


class Parent:
    def __init__(self, context, base: str, babies: list[int], user_id: int):
        self.context, self.base, self.babies, self.user_id = context, base, babies, user_id

    def entries(self, baby: int | None = None) -> list[dict]:
        got = call(self.context, self.base, "GET", f"/api/v1/babies/{baby or self.babies[0]}/entries")
        return sorted(got.json()["entries"], key=lambda e: e["start"])

    def put(self, body: dict, baby: int | None = None) -> None:
        url = f"/api/v1/babies/{baby or self.babies[0]}/entries/{uuid.uuid4()}"
        assert call(self.context, self.base, "PUT", url, body).status == 201


def parent(context, base: str, babies: tuple[str, ...] = ("Aino",)) -> Parent:
    name = f"thumb-parent-{next(_names)}"
    user = call(context, base, "POST", "/api/v1/signup", {"username": name, "password": PASSWORD}).json()
    ids = []
    for baby in babies:
        made = call(context, base, "POST", "/api/v1/babies", {"name": baby, "birth_date": "2026-10-01"})
        ids.append(made.json()["baby"]["id"])
    return Parent(context, base, ids, user["user"]["id"])


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", color_scheme="dark")
    yield context
    context.close()


def open_today(context, who: Parent, baby: int | None = None):
    page = watched(context, ignore="INTERNET_DISCONNECTED")
    page.goto(f"{who.base}/diary/{baby or who.babies[0]}/")
    page.wait_for_selector("#today-data[data-ready]", state="attached")
    return page


def tap(page, action: str) -> None:
    page.click(f"[data-action={action}]")
    page.wait_for_timeout(650)


def places(page) -> dict[str, list[int]]:
    return {PLACES[action]: box for action, box in page.evaluate(WHERE).items()}


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def fed_an_hour_ago(context, base: str, details: dict) -> Parent:
    """A parent whose baby was fed an hour ago, as ``details`` say."""
    who = parent(context, base)
    who.put({"kind": "feeding", "start": iso(datetime.now(UTC) - timedelta(hours=1)), "details": details})
    return who


# -- nothing moves under the thumb --------------------------------------------------------------


def test_nothing_above_the_buttons_moves_after_any_tap_or_after_loading(phone, live_server):
    who = parent(phone, live_server)
    page = open_today(phone, who)
    first = places(page)
    assert set(first) == {"sleep", "crying", "feeding", "left", "right", "bottle"}
    page.wait_for_timeout(1500)  # started, caught up, drawn again
    assert places(page) == first
    for action in (
        "sleep-start",
        "crying-start",
        "crying-end",
        "sleep-start",
        "sleep-end",
        "feeding",
        "feeding-left",
        "feeding-right",
        "feeding-bottle",
    ):
        tap(page, action)
        assert places(page) == first, action
        assert page.locator(".dock .undo-bar").is_visible(), action
    page.click(".dock [data-amounts] [value='90']")  # a bottle's amount
    assert places(page) == first
    page.click(".dock [data-undo-button]")
    assert places(page) == first
    page.fill("#note-text", "Vaccination")
    tap(page, "note")
    assert places(page) == first
    phone.set_offline(True)
    tap(page, "sleep-start")
    expect(page.locator("[data-sync-pending]")).to_be_visible()
    assert places(page) == first
    phone.set_offline(False)
    expect(page.locator("[data-sync-pending]")).to_have_text("All sent.")
    assert places(page) == first
    # The dock never covers a button.
    dock = page.locator(".dock").bounding_box()
    assert all(box[1] + box[3] <= dock["y"] for box in places(page).values()), (dock, places(page))
    # And a reload of the page draws it where it was.
    page.reload()
    page.wait_for_selector("#today-data[data-ready]", state="attached")
    assert places(page) == first
    assert page.js_errors == []


def test_a_second_tap_at_the_same_spot_within_600_ms_does_nothing(phone, live_server):
    who = parent(phone, live_server)
    page = open_today(phone, who)
    box = page.locator("[data-action=sleep-start]").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.mouse.click(x, y)  # "Woke up" is under the thumb now: the same tap, not a waking
    page.wait_for_timeout(700)
    assert page.is_visible("[data-action=sleep-end]")
    page.mouse.click(x, y)  # later: a tap of its own
    page.wait_for_timeout(300)
    assert page.is_visible("[data-action=sleep-start]")
    expect(page.locator("[data-sync-pending]")).to_have_attribute("data-sync-pending", "0")
    (sleep,) = who.entries()
    assert sleep["end"] is not None


# -- what the baby is doing --------------------------------------------------------------------


def test_awake_since_and_the_last_feed_when_nothing_runs(phone, live_server):
    who = parent(phone, live_server)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    who.put(
        {"kind": "sleep", "start": iso(now - timedelta(hours=3)), "end": iso(now - timedelta(minutes=95))}
    )
    who.put(
        {
            "kind": "feeding",
            "start": iso(now - timedelta(minutes=50)),
            "details": {"method": "breast", "side": "left"},
        }
    )
    page = open_today(phone, who)
    card = page.inner_text(".now-card")
    woke = (now - timedelta(minutes=95)).astimezone().strftime("%H:%M").lstrip("0")
    # "Awake since 13:05", or "Awake since Sun 6.12. 23:50" just after midnight.
    assert re.search(r"Awake since\s+(\w+ \d+\.\d+\. )?\d", card), card
    assert "Last feed" in card and "(Left)" in card, card
    assert woke.split(":")[1] in card
    # The page script draws the card in the server's words, whatever the day ("Sun 6.12. 23:50").
    served = phone.request.get(
        f"{live_server}/diary/{who.babies[0]}/", headers={"Accept-Language": "en-GB"}
    ).text()
    served = re.search(r'<article class="now-card".*?</article>', served, re.S).group(0)
    assert " ".join(card.split()) == " ".join(re.sub(r"<[^>]+>", " ", served).split())
    left = page.locator("[data-action=feeding-left]")
    assert "last" in left.get_attribute("class") and "last time" in left.inner_text()
    assert "as last time: Left" in page.inner_text("[data-action=feeding]")
    tap(page, "feeding")  # one tap: a feed the way the last one went
    feeds = [e for e in who.entries() if e["kind"] == "feeding"]
    assert len(feeds) == 2 and feeds[-1]["details"] == {"method": "breast", "side": "left"}
    tap(page, "feeding-right")
    assert who.entries()[-1]["details"] == {"method": "breast", "side": "right"}
    right = page.locator("[data-action=feeding-right]")
    expect(right).to_contain_text("last time")
    expect(left).not_to_contain_text("last time")
    expect(page.locator(".now-card")).to_contain_text("(Right)")
    assert page.js_errors == []


def test_bottle_amounts_in_one_tap_or_typed(phone, live_server):
    who = parent(phone, live_server)
    page = open_today(phone, who)
    tap(page, "feeding-bottle")
    amounts = page.locator(".dock [data-amounts]")
    expect(amounts).to_be_visible()
    # A bottle's amount is what is asked: the other ways of feeding are not in the way.
    assert page.locator(".dock [data-feeding-chips] form:not([data-amounts])").is_hidden()
    assert [b.inner_text() for b in amounts.locator("button[name=amount_ml]").all()] == [
        "60 ml",
        "90 ml",
        "120 ml",
        "150 ml",
    ]
    amounts.locator("[value='120']").click()
    expect(page.locator("[data-sync-pending]")).to_have_attribute("data-sync-pending", "0")
    assert who.entries()[-1]["details"] == {"method": "bottle", "amount_ml": 120}
    page.fill(".dock [data-amount-input]", "135")
    page.click(".dock [data-amount-save]")
    page.wait_for_timeout(300)
    assert who.entries()[-1]["details"] == {"method": "bottle", "amount_ml": 135}
    page.fill(".dock [data-amount-input]", "5000")
    page.click(".dock [data-amount-save]")
    assert "1–1000" in page.inner_text(".dock [data-messages]")
    assert who.entries()[-1]["details"]["amount_ml"] == 135  # a wrong amount changes nothing
    assert "(Bottle 135\u00a0ml)" in page.inner_text(".now-card")  # the amount and its unit kept together


def test_a_running_timers_start_moves_back_in_one_or_two_taps(phone, live_server):
    who = parent(phone, live_server)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    nap = {"kind": "sleep", "start": iso(now - timedelta(hours=4)), "end": iso(now - timedelta(hours=2))}
    who.put(nap)
    page = open_today(phone, who)
    tap(page, "sleep-start")
    sleep = who.entries()[-1]
    started = datetime.fromisoformat(sleep["start"].replace("Z", "+00:00"))
    page.click(".now-card [name=shift][value='15']")  # one tap: "fell asleep 15 minutes ago"
    page.wait_for_timeout(400)
    moved = who.entries()[-1]
    assert datetime.fromisoformat(moved["start"].replace("Z", "+00:00")) == started - timedelta(minutes=15)
    assert "The start is now" in page.inner_text(".dock [data-messages]")
    # To a time: the field, then the time (saved as the picker closes).
    target = (started - timedelta(minutes=40)).astimezone(HEL)
    page.fill(".now-card input[type=time]", target.strftime("%H:%M"))
    page.wait_for_timeout(1400)
    moved = who.entries()[-1]
    got = datetime.fromisoformat(moved["start"].replace("Z", "+00:00")).astimezone(HEL)
    assert got.strftime("%H:%M") == target.strftime("%H:%M") and got < datetime.now(UTC)
    # Into the nap before it: refused, said so, nothing changed.
    page.fill(".now-card input[type=time]", (now - timedelta(hours=3)).astimezone(HEL).strftime("%H:%M"))
    page.wait_for_timeout(1400)
    assert who.entries()[-1]["start"] == moved["start"]
    assert "cannot be moved there" in page.inner_text(".dock [data-messages]")
    assert len(places(page)) == 6  # the buttons all there, where they were
    assert page.js_errors == []


# -- twins ---------------------------------------------------------------------------------


def test_twins_are_logged_together_offline_and_the_choice_stays(phone, live_server):
    who = parent(phone, live_server, ("Aino", "Eino"))
    page = open_today(phone, who)
    boxes = page.locator("input[name=babies]")
    assert boxes.count() == 2
    boxes.nth(1).check()  # both
    page.reload()
    page.wait_for_selector("#today-data[data-ready]", state="attached")
    assert boxes.nth(0).is_checked() and boxes.nth(1).is_checked()  # the choice stayed
    phone.set_offline(True)
    tap(page, "sleep-start")
    cards = page.locator(".now-card")
    assert cards.count() == 2
    for card in cards.all():
        assert "Asleep" in card.inner_text(), card.inner_text()
    expect(page.locator("[data-sync-pending]")).to_have_attribute("data-sync-pending", "2")
    tap(page, "feeding-left")
    expect(page.locator("[data-sync-pending]")).to_have_attribute("data-sync-pending", "4")
    phone.set_offline(False)
    expect(page.locator("[data-sync-pending]")).to_have_attribute("data-sync-pending", "0")
    for baby in who.babies:
        kinds = [(e["kind"], e["end"]) for e in who.entries(baby)]
        assert kinds == [("sleep", None), ("feeding", None)], kinds
    # Only one ticked: only that one.
    boxes.nth(1).uncheck()
    tap(page, "sleep-end")
    assert who.entries(who.babies[0])[0]["end"] is not None
    assert who.entries(who.babies[1])[0]["end"] is None
    assert page.js_errors == []


# -- messages, sending, screen readers --------------------------------------------------------------


def test_messages_clear_at_the_next_tap_and_say_when_crying_ended_a_sleep(phone, live_server):
    who = parent(phone, live_server)
    page = open_today(phone, who)
    tap(page, "sleep-start")
    tap(page, "crying-start")
    assert page.inner_text(".dock [data-undo-message]") == "Sleep ended, crying started."
    page.click(".dock [data-undo-button]")
    assert page.inner_text(".dock [data-messages]") == "Crying removed: sleep goes on."
    tap(page, "feeding")
    assert "removed" not in page.inner_text(".dock")
    assert page.inner_text(".dock [data-undo-message]") == "Feeding logged."
    assert page.locator(".dock .undo-bar").count() == 1
    assert page.locator(".dock [data-feeding-chips] form:not([data-amounts])").is_visible()


def test_all_sent_after_reconnecting_and_the_count_is_the_entries_waiting(phone, live_server):
    who = parent(phone, live_server)
    page = open_today(phone, who)
    phone.set_offline(True)
    for action in ("sleep-start", "sleep-end", "feeding", "crying-start"):
        tap(page, action)
    page.click(".dock [data-undo-button]")  # the crying taken back: never sent
    status = page.locator("[data-sync-pending]")
    expect(status).to_have_attribute("data-sync-pending", "2")
    kept = {op["entry"] for op in page.evaluate(READ_STORE)["outbox"] if op["owner"] == who.user_id}
    assert len(kept) == 2  # the sleep (start and end) and the feed
    assert "2 entries waiting to be sent" in status.inner_text()
    phone.set_offline(False)
    expect(status).to_have_text("All sent.")
    expect(status).to_be_hidden(timeout=8000)  # for a few seconds
    assert [e["kind"] for e in who.entries()] == ["sleep", "feeding"]


#: Every text the page's live regions take, as screen readers would hear them.
HEARD = """() => { window.heard = [];
  document.querySelectorAll("[role=status], [role=alert], [aria-live]").forEach((region) =>
    new MutationObserver(() => { const text = region.textContent.trim(); if (text) window.heard.push(text); })
      .observe(region, {childList: true, characterData: true, subtree: true})); }"""


def test_screen_readers_hear_changes_not_ticking_minutes_and_focus_stays_in_place(phone, live_server):
    who = parent(phone, live_server)
    page = open_today(phone, who)
    # The live regions are in the page from the start (one added later with its words in it
    # may go unheard), and the running timer's minutes are in none of them.
    regions = page.evaluate(
        "() => [...document.querySelectorAll('[aria-live]')].map((e) => e.dataset.announce !== undefined"
        " ? 'announce' : e.dataset.syncPending !== undefined ? 'sync' : e.className)"
    )
    assert sorted(regions) == ["announce", "sync"], regions
    page.evaluate(HEARD)
    page.focus("[data-action=sleep-start]")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.dataset.action") == "sleep-end"  # the counterpart
    live = page.evaluate("""() => [...document.querySelectorAll('[data-elapsed]')]
        .some((e) => e.closest('[aria-live], [role=status], [role=alert]'))""")
    assert live is False  # the minutes tick silently
    assert page.locator(".dock [data-undo-message]").inner_text() == "Sleep started."
    page.wait_for_timeout(700)  # not the same tap again
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.dataset.action") == "sleep-start"
    # Two feeds in a row are heard twice; a feed keeps the focus on its button.
    page.focus("[data-action=feeding-left]")
    page.keyboard.press("Enter")
    page.wait_for_timeout(700)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.dataset.action") == "feeding-left"
    # Undo by keyboard: the focus goes back to the quick log, not to the page.
    page.focus(".dock [data-undo-button]")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.dataset.action") == "feeding-left"
    # Offline: waiting, then sent.
    phone.set_offline(True)
    page.focus("[data-action=crying-start]")
    page.keyboard.press("Enter")
    expect(page.locator("[data-sync-pending]")).to_have_attribute("data-sync-pending", "1")
    phone.set_offline(False)
    expect(page.locator("[data-sync-pending]")).to_have_text("All sent.")
    heard = page.evaluate("window.heard")
    assert heard[:5] == [
        "Sleep started.",
        "Sleep ended.",
        "Feeding logged.",
        "Feeding logged.",
        "Feed removed.",
    ], heard
    offline = "You are offline. Taps are kept on this phone and sent later."
    waiting = offline + " One entry waiting to be sent."
    # Offline is heard first: alone, or with the count when the tap was quicker than the
    # browser's offline event.
    assert heard[5] in (offline, waiting), heard
    assert {"Crying started.", waiting} <= set(heard[5:]) and heard[-1] == "All sent.", heard
    assert page.js_errors == []


def test_a_running_timer_ticks_and_screen_readers_hear_nothing_of_it(phone, live_server):
    who = parent(phone, live_server)
    phone.clock.install()  # the page's own clock, to let minutes pass at once
    page = open_today(phone, who)
    page.evaluate(HEARD)
    tap(page, "crying-start")  # a timer drawn by the page script, not the server
    expect(page.locator("[data-sync-pending]")).to_have_attribute("data-sync-pending", "0")
    elapsed = page.inner_text(".now-card [data-elapsed]")
    page.clock.fast_forward(150_000)
    page.wait_for_timeout(300)
    assert page.inner_text(".now-card [data-elapsed]") != elapsed  # "0 min", then "2 min"
    assert page.evaluate("window.heard") == ["Crying started."]


#: Every layout shift the page has had (Cumulative Layout Shift), with or without a tap before it.
SHIFTS = """() => new Promise((resolve) => { const found = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => found.push([e.value, e.hadRecentInput])))
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(found), 300); })"""


FIRE = """() => { const event = new Event("beforeinstallprompt", {cancelable: true});
    event.prompt = () => { window.prompted = true; }; window.dispatchEvent(event); }"""


def test_the_install_hint_comes_once_the_diary_is_used_once_and_can_be_dismissed(phone, live_server):
    who = parent(phone, live_server)
    page = open_today(phone, who)
    hint = page.locator("[data-install-hint]")
    assert hint.is_hidden()  # only where the browser says it can install
    before = places(page)
    page.evaluate(FIRE)
    page.wait_for_timeout(200)
    assert hint.is_hidden()  # never on arrival: first the diary is used
    assert page.evaluate(SHIFTS) == []  # nothing shifted as the page loaded
    tap(page, "feeding")
    expect(hint).to_be_visible()  # with the tap's undo, in the dock
    assert places(page) == before  # not above the buttons
    assert page.evaluate(SHIFTS) == []  # the undo bar and the hint came together: nothing moved
    page.click("[data-install-later]")
    expect(hint).to_be_hidden()
    page.reload()
    page.wait_for_selector("#today-data[data-ready]", state="attached")
    page.evaluate(FIRE)
    page.wait_for_timeout(200)
    assert hint.is_hidden()  # once
    tap(page, "feeding")
    assert hint.is_hidden()


def test_the_install_hint_comes_on_arrival_after_an_earlier_use_and_can_install(phone, live_server):
    who = parent(phone, live_server)
    page = open_today(phone, who)
    tap(page, "sleep-start")  # used on this phone, before the browser offered to install
    page.reload()
    page.wait_for_selector("#today-data[data-ready]", state="attached")
    page.evaluate(FIRE)
    expect(page.locator("[data-install-hint]")).to_be_visible()
    page.click("[data-install]")
    assert page.evaluate("window.prompted") is True
    assert page.locator("[data-install-hint]").is_hidden()


def test_no_axe_violation_in_any_state_of_the_today_page(browser, live_server):
    from tests.browser.test_reach import AXE, AXE_RUN

    found = {}
    for scheme, lang in (("light", "fi-FI"), ("dark", "sv-FI")):
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale=lang, color_scheme=scheme, bypass_csp=True
        )
        who = parent(context, live_server, ("Aino", "Eino"))
        page = open_today(context, who)

        def check(page, state: str) -> None:
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(AXE_RUN)
            if violations:
                found[state] = violations

        check(page, f"{scheme} loaded")
        tap(page, "sleep-start")
        check(page, f"{scheme} a sleep running, undo in the dock")
        tap(page, "feeding-bottle")
        check(page, f"{scheme} a bottle's amounts in the dock")
        page.evaluate("""() => { const event = new Event("beforeinstallprompt", {cancelable: true});
            event.prompt = () => {}; window.dispatchEvent(event); }""")
        context.set_offline(True)
        tap(page, "sleep-end")
        check(page, f"{scheme} offline, entries waiting, the install hint")
        context.set_offline(False)
        page.wait_for_timeout(500)
        check(page, f"{scheme} all sent")
        context.close()
    assert found == {}, json.dumps(found, indent=1)


def test_undo_after_a_bottles_amount_says_that_it_removes_the_feed_and_does(phone, live_server):
    who = parent(phone, live_server)
    page = open_today(phone, who)
    tap(page, "feeding-bottle")
    bar = page.locator(".dock .undo-bar")
    assert bar.locator("[data-undo-button]").inner_text() == "Undo the feed"
    bar.get_by_role("button", name="90 ml").click()
    expect(bar.locator("[data-undo-message]")).to_have_text("Feed saved: bottle 90 ml.")
    assert page.inner_text("[data-announce]") == "Feed saved: bottle 90 ml."
    page.wait_for_function("() => document.querySelector('[data-sync-pending]').dataset.syncPending === '0'")
    assert [e["details"] for e in who.entries()] == [{"method": "bottle", "amount_ml": 90}]
    bar.locator("[data-undo-button]").click()
    page.wait_for_timeout(300)
    page.wait_for_function("() => document.querySelector('[data-sync-pending]').dataset.syncPending === '0'")
    assert who.entries() == []  # the feed is gone, as the button said
    # After a sleep, the button is plain "Undo".
    tap(page, "sleep-start")
    assert bar.locator("[data-undo-button]").inner_text() == "Undo"
    assert page.js_errors == []


UNDONE = {
    "fi-FI": {
        "sleep-start": "Uni poistettu.",
        "sleep-end": "Unen loppu poistettu: uni jatkuu.",
        "crying-start": "Itku poistettu.",
        "crying-end": "Itkun loppu poistettu: itku jatkuu.",
        "feeding-left": "Syöttö poistettu.",
        "feeding-bottle": "Syöttö poistettu.",
        "note": "Muistiinpano poistettu.",
    },
    "sv-FI": {
        "sleep-start": "Sömnen togs bort.",
        "sleep-end": "Sömnens slut togs bort: sömnen fortsätter.",
        "crying-start": "Gråten togs bort.",
        "crying-end": "Gråtens slut togs bort: gråten fortsätter.",
        "feeding-left": "Matningen togs bort.",
        "feeding-bottle": "Matningen togs bort.",
        "note": "Anteckningen togs bort.",
    },
}


@pytest.mark.parametrize("locale", sorted(UNDONE))
def test_undo_says_what_it_took_back_in_the_words_of_the_tap(browser, live_server, locale):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale)
    try:
        who = parent(context, live_server)
        page = open_today(context, who)
        for action, said in UNDONE[locale].items():
            if action.endswith("-end"):
                tap(page, action.replace("-end", "-start"))
            if action == "note":
                page.fill("#note-text", "Hikka")
            before = [(e["id"], e["end"]) for e in who.entries()]
            tap(page, action)
            page.click(".dock [data-undo-button]")
            assert page.inner_text(".dock [data-messages]") == said, action
            assert page.inner_text("[data-announce]") == said, action
            page.wait_for_timeout(300)  # kept on the phone, then sent
            expect(page.locator("[data-sync-pending]")).to_have_attribute("data-sync-pending", "0")
            assert [(e["id"], e["end"]) for e in who.entries()] == before, action  # as it says
            if action.endswith("-end"):  # the timer goes on: end it for the next round
                tap(page, action)
        assert page.js_errors == []
    finally:
        context.close()


# -- the undo bar goes away -----------------------------------------------------------------------


def test_the_undo_bar_closes_by_hand_or_two_minutes_after_the_tap_and_never_hides_the_help_numbers(
    phone, live_server
):
    who = parent(phone, live_server)
    phone.clock.install()
    page = open_today(phone, who)
    first = places(page)
    tap(page, "feeding-left")  # the tallest bar: with the feed's details
    bar = page.locator(".dock .undo-bar")
    expect(bar).to_be_visible()
    # The page can be scrolled until the help numbers are above the dock.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(200)
    footer = page.locator(".site-footer").bounding_box()
    dock = page.locator(".dock").bounding_box()
    assert footer["y"] + footer["height"] <= dock["y"] + 1, (footer, dock)
    assert page.locator(".site-footer").get_by_text("112").is_visible()
    page.evaluate("window.scrollTo(0, 0)")
    # A close button a thumb can hit, named for screen readers, reached by keyboard.
    close = bar.get_by_role("button", name="Close")
    box = close.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box
    page.focus("[data-undo-button]")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Close"
    page.keyboard.press("Enter")
    expect(bar).to_have_count(0)
    assert page.evaluate("document.activeElement.dataset.action") == "feeding-left"  # not the page
    assert places(page) == first
    assert [e["details"].get("side") for e in who.entries()] == ["left"]  # the tap stays
    # Left alone, it goes by itself two minutes after the tap, and not before.
    tap(page, "sleep-start")
    page.clock.fast_forward(110_000)
    expect(bar).to_be_visible()
    page.clock.fast_forward(11_000)
    expect(bar).to_have_count(0)
    assert places(page) == first
    assert page.js_errors == []


#: Words of the big buttons' labels that the browser broke inside (no hyphen drawn there).
SPLIT_WORDS = """() => { const split = [];
  document.querySelectorAll("#quick-log .log").forEach((button) => {
    if (button.hidden) return;
    const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[^\\s:]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1 && !getComputedStyle(button).hyphens.includes("auto")) split.push(match[0]);
        if (lines.size > 1 && getComputedStyle(button).overflowWrap === "anywhere") split.push(match[0]);
        const box = button.getBoundingClientRect();
        for (const r of range.getClientRects())
          if (r.right > box.right + 0.5 || r.left < box.left - 0.5) split.push(`${match[0]} (out)`);
      }
    }
  });
  return split; }"""


@pytest.mark.parametrize("locale", ["fi-FI", "sv-FI"])
def test_at_200_percent_zoom_the_big_buttons_never_break_a_word_anywhere(browser, live_server, locale):
    context = browser.new_context(viewport={"width": 195, "height": 422}, locale=locale, color_scheme="dark")
    try:
        who = fed_an_hour_ago(context, live_server, {"method": "breast", "side": "right"})
        page = open_today(context, who)
        assert page.evaluate("document.documentElement.lang") == locale[:2]
        assert page.evaluate(SPLIT_WORDS) == []
        columns = page.evaluate(
            "getComputedStyle(document.querySelector('.log-buttons')).gridTemplateColumns.split(' ').length"
        )
        assert columns == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 195
    finally:
        context.close()


#: Each feed button's second line ("last time", "as last time: left"): how many line boxes.
SECOND_LINES = """() => [...document.querySelectorAll(".feed-buttons [data-action] small")]
  .filter((small) => small.textContent.trim()).map((small) => {
    const range = document.createRange(); range.selectNodeContents(small);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    return [small.closest("[data-action]").dataset.action, small.textContent, lines.size]; })"""


@pytest.mark.parametrize("locale", ["sv-FI", "fi-FI", "en-GB"])
def test_at_390_px_a_feed_buttons_second_line_fits_on_one_line(browser, live_server, locale):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale)
    try:
        who = fed_an_hour_ago(context, live_server, {"method": "breast", "side": "left"})
        page = open_today(context, who)
        for tapped in (None, "feeding-bottle", "feeding-right"):
            if tapped:  # the marks move with the page script
                tap(page, tapped)
            lines = page.evaluate(SECOND_LINES)
            assert len(lines) == 2, lines  # "as last time: …" and the side or bottle used
            assert all(count == 1 for _action, _text, count in lines), lines
        assert page.js_errors == []
    finally:
        context.close()


def test_at_390_px_an_amount_stays_with_its_unit_in_the_last_feed_line(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-FI")
    try:
        who = fed_an_hour_ago(context, live_server, {"method": "bottle", "amount_ml": 120})
        page = open_today(context, who)
        together = """() => { const line = document.querySelector(".now-card .last-feed");
          const text = line.firstChild; const at = text.textContent.indexOf("120");
          const range = document.createRange(); range.setStart(text, at); range.setEnd(text, at + 6);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          return [text.textContent, tops.size]; }"""
        for _round in range(2):  # as the server drew it, then as the page script draws it
            line, lines = page.evaluate(together)
            assert " ".join(line.split()).endswith("(Flaska 120 ml)") and lines == 1, (line, lines)
            tap(page, "feeding-bottle")  # a bottle again: the page draws the line anew
            page.click(".dock [data-amounts] [value='120']")
            page.wait_for_timeout(300)
        assert page.js_errors == []
    finally:
        context.close()
