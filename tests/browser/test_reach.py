"""Every page within reach, in a real browser: axe-core finds no violation (light and dark,
Finnish and Swedish), every link and button is a 44 × 44 px target, and at 200 % zoom
(195 CSS px wide) the header wraps instead of making the page scroll sideways.

axe-core comes from npm (package.json's devDependencies, installed by ``make build``)
and is injected by Playwright. Links inside the running text of a guide are left out of
the target check: they are words in a sentence (WCAG 2.5.8's inline exception)."""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, call, staff_login  # noqa: F401  (CHROMIUM: skips without it)
from tests.directory.conftest import REQUEST, fill_page

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "long enough password"
STAFF_PASSWORD = "worker password 1"
_names = itertools.count(1)

TARGETS = """() => [...document.querySelectorAll("a[href], button, summary, input[type=submit]")]
  .filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden"
      && !e.closest(".guide-body p, .guide-body li, .guide-body td, .skip-link, .js-plotly-plot");
  })
  .map((e) => [e.outerHTML.slice(0, 90), e.getBoundingClientRect()])
  .filter(([, r]) => r.width < 43.5 || r.height < 43.5)
  .map(([html, r]) => `${html} ${Math.round(r.width)}×${Math.round(r.height)}`)"""

WIDE = """(width) => [...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > width + 0.5 && !e.closest(".table-scroll"))
  .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 8)"""

AXE_RUN = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
  .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`)"""


def signed_up_parent(context, base: str) -> dict:
    """A parent with a born baby (a week of diary, a plan, a check-in, a worker's grant) and
    a baby on the way."""
    name = f"reach-parent-{next(_names)}"
    assert (
        call(context, base, "POST", "/api/v1/signup", {"username": name, "password": PASSWORD}).status == 201
    )
    baby = call(context, base, "POST", "/api/v1/babies", {"name": "Aino", "birth_date": "2026-09-01"})
    baby_id = baby.json()["baby"]["id"]
    due = (datetime.now(UTC).date() + timedelta(days=80)).isoformat()
    waiting = call(context, base, "POST", "/api/v1/babies", {"name": "Vauva", "due_date": due}).json()[
        "baby"
    ]["id"]
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    entry = None
    for back in range(8):
        start = now - timedelta(days=back, hours=3)
        for kind, at, minutes in (("sleep", start, 90), ("crying", start - timedelta(hours=2), 20)):
            entry = str(uuid.uuid4())
            body = {
                "kind": kind,
                "start": at.isoformat(),
                "end": (at + timedelta(minutes=minutes)).isoformat(),
            }
            assert call(context, base, "PUT", f"/api/v1/babies/{baby_id}/entries/{entry}", body).status == 201
    plan = {"wake": "07:00", "naps": [["10:00", "11:00"]], "bedtime": "19:30"}
    assert call(context, base, "PUT", f"/api/v1/babies/{baby_id}/plan", plan).status in (200, 201)
    today = datetime.now(UTC).date().isoformat()
    checkin = {"coping": 3, "own_sleep_hours": 5, "note": "Väsyttää"}
    assert call(context, base, "PUT", f"/api/v1/checkins/{today}", checkin).status in (200, 201)
    return {"name": name, "baby": baby_id, "waiting": waiting, "entry": entry, "day": today}


def staff(base, role: str, org: str | None = None) -> str:
    from companion.accounts.services import create_organisation, create_staff_user

    name = f"reach-{role}-{next(_names)}"
    with base.app.app_context():
        if role in ("worker", "coordinator") and org is None:
            org = name
            create_organisation(org, "Baby blues Tampere", "Tampere")
        create_staff_user(name, role, STAFF_PASSWORD, org, "Maija")
    return name


@pytest.fixture(scope="module")
def people(browser, live_server):
    """Phones: an anonymous visitor's, and a parent's, a worker's, a coordinator's and an
    administrator's, signed in."""
    contexts = []

    def phone():
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="fi-FI", bypass_csp=True, color_scheme="light"
        )
        contexts.append(context)
        return context

    parent = phone()
    family = signed_up_parent(parent, live_server)
    worker = phone()
    worker_name = staff(live_server, "worker")
    staff_login(worker, live_server, worker_name, STAFF_PASSWORD)
    code = call(
        parent,
        live_server,
        "POST",
        f"/api/v1/babies/{family['baby']}/share-codes",
        {"scope": "diary+wellbeing"},
    )
    grant = call(worker, live_server, "POST", "/api/v1/share/redeem", {"code": code.json()["code"]}).json()[
        "grant"
    ]
    admin = phone()
    admin_name = staff(live_server, "admin")
    staff_login(admin, live_server, admin_name, STAFF_PASSWORD)
    # The worker's organisation has a public page, its coordinator, and a parent's contact request.
    coordinator = phone()
    org = worker_name
    coordinator_name = staff(live_server, "coordinator", org)
    fill_page(live_server.app, org)
    staff_login(coordinator, live_server, coordinator_name, STAFF_PASSWORD)
    anonymous = phone()
    assert call(anonymous, live_server, "POST", f"/api/v1/services/{org}/contact-requests", REQUEST).ok
    anonymous.clear_cookies()
    baby, waiting = family["baby"], family["waiting"]
    pages = {
        "anonymous": (
            anonymous,
            [
                "/services",
                "/services?municipality=Tampere",
                f"/services/{org}",
                f"/services/{org}/contact",
                f"/services/{org}/contact/sent",
                "/",
                "/signup",
                "/login",
                "/recover",
                "/privacy",
                "/help",
                "/guides/",
                "/guides/search?q=uni",
                "/guides/crying-baby",
                "/offline",
            ],
        ),
        "parent": (
            parent,
            [
                f"/diary/{baby}/",
                f"/diary/{baby}/entries",
                f"/diary/{baby}/rhythm",
                f"/diary/{baby}/rhythm?from=2026-01-01",
                f"/diary/{baby}/plan",
                f"/diary/{baby}/entries/new",
                f"/diary/{baby}/entries/{family['entry']}/edit",
                f"/diary/{baby}/edit",
                f"/diary/{waiting}/",
                "/diary/babies/new",
                "/diary/settings",
                "/share/",
                "/wellbeing/",
                "/wellbeing/chart",
                f"/wellbeing/{family['day']}",
                "/account",
                "/account/recovery-codes",
                "/account/delete",
            ],
        ),
        "worker": (
            worker,
            [
                "/worker/",
                f"/worker/diaries/{grant['id']}",
                f"/worker/diaries/{grant['id']}/print",
                "/organisation/requests",
            ],
        ),
        "coordinator": (coordinator, ["/organisation/page", "/organisation/requests", "/admin/", "/worker/"]),
        "admin": (admin, ["/admin/"]),
    }
    yield pages
    for context in contexts:
        context.close()


def visit(context, base: str, path: str):
    page = context.new_page()
    response = page.goto(base + path)
    assert response.status < 400 or path.startswith("/diary/babies"), (path, response.status)
    return page


@pytest.mark.parametrize("who", ["anonymous", "parent", "worker", "coordinator", "admin"])
def test_every_page_has_no_axe_violation_in_either_theme_or_language(people, live_server, who):
    context, paths = people[who]
    found = {}
    for path in paths:
        for lang, scheme in (("fi", "light"), ("sv", "dark")):
            context.clear_cookies() if who == "anonymous" else None
            page = visit(context, live_server, path + ("&" if "?" in path else "?") + f"lang={lang}")
            page.emulate_media(color_scheme=scheme)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(AXE_RUN)
            if violations:
                found[f"{path} {lang} {scheme}"] = violations
            page.close()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("who", ["anonymous", "parent", "worker", "coordinator", "admin"])
def test_every_link_and_button_is_a_44_px_target(people, live_server, who):
    context, paths = people[who]
    small = {}
    for path in paths:
        page = visit(context, live_server, path)
        page.click(".menu > summary")  # the menu's rows too
        got = page.evaluate(TARGETS)
        if got:
            small[path] = got
        page.close()
    assert small == {}, json.dumps(small, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("who", ["anonymous", "parent", "worker", "coordinator", "admin"])
def test_at_200_percent_zoom_the_header_wraps_and_nothing_scrolls_sideways(people, live_server, who):
    context, paths = people[who]
    for path in paths:
        page = visit(context, live_server, path)
        page.set_viewport_size({"width": 195, "height": 422})  # 390 × 844 at 200 %
        page.wait_for_timeout(100)
        exit_link = page.locator("[data-quick-exit]")
        box = exit_link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 195, (path, box)
        assert exit_link.evaluate("(e) => e.scrollWidth <= e.clientWidth"), path  # not cut ("Po…")
        assert page.evaluate("document.documentElement.scrollWidth") <= 195, (path, page.evaluate(WIDE, 195))
        page.click(".menu > summary")
        assert page.evaluate("document.documentElement.scrollWidth") <= 195, (path, page.evaluate(WIDE, 195))
        page.close()


TEL_GAPS = """() => [...document.querySelectorAll("a[href^=tel]")]
 .filter((a) => a.getClientRects().length).map((a) => {
  const range = document.createRange();
  const glyphs = (node, from, to) => {
    range.setStart(node, from);
    range.setEnd(node, to);
    return range.getBoundingClientRect();
  };
  const digits = glyphs(a.firstChild, 0, a.firstChild.length);
  const box = a.getBoundingClientRect();
  let before = null, after = null;
  const prev = a.previousSibling, next = a.nextSibling;
  if (prev && prev.nodeType === 3) {
    const words = prev.textContent.replace(/\\s+$/, "");
    const last = words.length ? glyphs(prev, words.length - 1, words.length) : null;
    if (last && Math.abs(last.bottom - digits.bottom) < 4) before = digits.left - last.right;
  }
  if (next && next.nodeType === 3 && /^\\S/.test(next.textContent)) {
    const first = glyphs(next, 0, 1);
    if (Math.abs(first.bottom - digits.bottom) < 4) after = first.left - digits.right;
  }
  return { link: a.textContent, before, after, width: box.width, height: box.height };
})"""


@pytest.mark.parametrize("where", ["/help", "/contact"])
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_help_numbers_sit_in_their_sentences_and_stay_44_px_targets(people, live_server, lang, where):
    """ "soita 112." reads as written: one space before the number, none before the full
    stop (the 44 px target reaches over them rather than pushing the words apart), in
    the footer, on the help page and in the help numbers' list (asking to be contacted)."""
    context, paths = people["anonymous"]
    context.clear_cookies()
    path = next(path for path in paths if path.endswith(where))
    page = visit(context, live_server, f"{path}?lang={lang}")
    footer = page.inner_text(".site-footer")
    said = {
        "fi": "Hätätilanteessa soita 112.",
        "sv": "I nödsituationer ring 112.",
        "en": "In an emergency call 112.",
    }
    assert said[lang] in " ".join(footer.split())
    numbers = page.evaluate(TEL_GAPS)
    assert len(numbers) >= 4, numbers  # the footer's two, and the page's own
    space = page.evaluate(
        "() => { const c = document.createElement('canvas').getContext('2d');"
        " c.font = getComputedStyle(document.querySelector('.site-footer')).font;"
        " return c.measureText(' ').width; }"
    )
    for number in numbers:
        assert number["width"] >= 43.5 and number["height"] >= 43.5, number
        if number["before"] is not None:
            assert 0 <= number["before"] <= 1.6 * space, (number, space)
        if number["after"] is not None:
            assert -1 <= number["after"] <= 2, number
    assert any(n["after"] is not None for n in numbers) and any(n["before"] is not None for n in numbers)
    page.close()


FOOTER_ROWS = """() => [...document.querySelectorAll('.site-footer p')].map((p) => ({
  text: p.innerText, height: p.getBoundingClientRect().height,
}))"""


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_footer_reads_one_sentence_a_line_on_a_phone(people, live_server, lang):
    """The help numbers' 44 px targets make a line 48 px high: a sentence wrapped around
    them came apart; each sentence, and the links, now has a line of its own."""
    context, _paths = people["anonymous"]
    context.clear_cookies()
    page = visit(context, live_server, f"/help?lang={lang}")
    rows = page.evaluate(FOOTER_ROWS)
    assert [row["text"].split()[-1] for row in rows[:2]] == ["112.", "116117."], rows
    for row in rows:
        assert row["height"] <= 50, row  # one line box, not a sentence broken over two
    page.close()


COVERED = """() => {
  const high = innerHeight;
  const seen = (el) => {
    if (!el) return 0;
    const r = el.getBoundingClientRect();
    return Math.max(0, Math.min(r.bottom, high) - Math.max(r.top, 0));
  };
  const exit = document.querySelector("[data-quick-exit]");
  const box = exit.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return {
    header: seen(document.querySelector(".site-header")),
    dock: seen(document.querySelector("[data-dock]")),
    exit: [box.left, box.top, box.right, box.bottom],
    reached: exit.contains(hit),
  };
}"""


BROKEN_WORDS = """() => [...document.querySelectorAll(".entry .what")]
 .filter((e) => e.getClientRects().length).map((e) => {
  const longest = e.textContent.split(/\\s+/).reduce((a, b) => (b.length > a.length ? b : a), "");
  const probe = document.createElement("span");
  probe.style.whiteSpace = "nowrap";
  probe.textContent = longest;
  e.appendChild(probe);
  const need = probe.getBoundingClientRect().width;
  probe.remove();
  return { text: e.textContent.trim(), need, have: e.clientWidth };
}).filter((r) => r.need > r.have + 0.5)"""


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_at_200_percent_zoom_the_entries_keep_their_words_whole(people, live_server, lang):
    """195 px: what each entry was ("Syöttö", "Matning") has room for its longest word, so
    no word is broken letter by letter beside the times and the edit links."""
    context, paths = people["parent"]
    today = next(p for p in paths if p.endswith("/"))
    page = visit(context, live_server, f"{today}?lang={lang}")
    page.set_viewport_size({"width": 195, "height": 422})
    page.click("[data-action=feeding-left]")
    page.wait_for_selector(".entry-feeding")
    page.wait_for_timeout(100)
    assert page.locator(".entry .what").count() > 0
    assert page.evaluate(BROKEN_WORDS) == []
    page.close()


def test_at_200_percent_zoom_the_page_keeps_most_of_the_screen_and_the_quick_exit_stays(
    people, live_server, browser
):
    """195 × 422 (a 390 × 844 phone at 200 %): the header and the dock together leave at
    least 60 % of the screen to the page, at the top and scrolled, after the tap that opens
    the largest dock (a bottle, with its amounts); the quick exit stays whole and tappable."""
    context, paths = people["parent"]
    today, rhythm = next(p for p in paths if p.endswith("/")), next(p for p in paths if p.endswith("/rhythm"))
    width, height = 195, 422
    for path, tap in ((today, "feeding-bottle"), (today, "sleep-start"), (rhythm, None)):
        page = visit(context, live_server, path)
        page.set_viewport_size({"width": width, "height": height})
        if tap:
            page.click(
                f"[data-action={tap}]:visible, [data-action=sleep-end]:visible"
                if tap == "sleep-start"
                else f"[data-action={tap}]"
            )
            page.locator(".dock .undo-bar").wait_for()
        for scrolled in (0, 600, 1500):
            page.evaluate(f"window.scrollTo(0, {scrolled})")
            page.wait_for_timeout(100)
            got = page.evaluate(COVERED)
            where = (path, tap, scrolled, got)
            if scrolled:  # at the very top the header is part of the page, not over it
                assert got["header"] + got["dock"] <= 0.4 * height, where
            left, top, right, bottom = got["exit"]
            assert left >= 0 and top >= 0 and right <= width and bottom <= height, where
            assert got["reached"], where
        page.close()
    # Scrolled down a long page, the quick exit still leaves at one tap.
    page = visit(context, live_server, rhythm)
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate("window.scrollTo(0, 2000)")
    page.click("[data-quick-exit]")
    page.wait_for_url("about:blank")
    page.close()
