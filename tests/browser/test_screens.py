"""The today and rhythm pages as a phone loads and shows them: only the stylesheets and
the one script that must run before the first paint hold it up, the clock reads the same
everywhere, overnight entries say they go on, the 24-hour chart's hours never pile up at
200 % zoom, the dark theme's chart colours mean what the light theme's mean, and a
message in the dock goes by itself."""

from __future__ import annotations

import pytest

from tests.browser.conftest import watched
from tests.browser.test_charts import parent_with_two_weeks

pytestmark = pytest.mark.browser


def priorities(context, url: str) -> dict[str, str]:
    """The priority Chromium gave each request the page made while loading, by path."""
    page = watched(context)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    seen: dict[str, str] = {}

    def sent(event) -> None:
        request = event["request"]
        seen.setdefault(request["url"].split("?")[0], request["initialPriority"])

    cdp.on("Network.requestWillBeSent", sent)
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    return {url.split("/", 3)[-1]: priority for url, priority in seen.items()}


@pytest.mark.parametrize("where", ["", "rhythm"])
def test_only_the_stylesheets_and_the_theme_script_hold_up_the_first_paint(browser, live_server, where):
    # What Lighthouse's simulated phone waits for before the first paint: requests of
    # render-blocking priority. The page's modules (quick log, sending) come right after.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fi-FI")
    try:
        baby = parent_with_two_weeks(context, live_server)
        got = priorities(context, f"{live_server}/diary/{baby}/{where}")
    finally:
        context.close()
    scripts = {path: p for path, p in got.items() if path.endswith(".js")}
    assert "static/js/sending.js" in scripts and "static/js/app.js" in scripts, got
    blocking = {path for path, p in scripts.items() if p in ("VeryHigh", "High")}
    assert blocking == {"static/js/theme.js"}, got
    assert not any("plotly" in path for path in got), got  # fetched when a chart nears the screen


def test_a_message_goes_by_itself_after_a_few_seconds_without_moving_anything(browser, live_server):
    from tests.browser.test_today_page import HEARD, WHERE, open_today, parent, tap

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", color_scheme="dark")
    try:
        who = parent(phone, live_server)
        page = open_today(phone, who)
        tap(page, "sleep-start")
        page.evaluate(HEARD)
        page.click(".dock [data-undo-button]")
        page.wait_for_timeout(300)
        where = page.evaluate(WHERE)
        assert page.inner_text(".dock [data-messages]") == "Sleep removed."
        page.wait_for_timeout(4000)
        assert page.inner_text(".dock [data-messages]") == "Sleep removed."  # there to be read
        page.wait_for_timeout(3000)
        assert page.inner_text(".dock [data-messages]") == ""  # gone by itself
        assert page.evaluate(WHERE) == where  # nothing moved
        assert page.evaluate("window.heard").count("Sleep removed.") == 1  # heard once
        assert page.inner_text("[data-announce]") == ""
        assert page.js_errors == []
    finally:
        phone.close()


def rhythm_chart_drawn(context, base: str, chart: str, drawn: str = ".main-svg"):
    """A parent's rhythm page on this phone, with two weeks of diary, ``chart`` drawn
    (``drawn``: what shows it is)."""
    baby = parent_with_two_weeks(context, base)
    page = watched(context)
    page.goto(f"{base}/diary/{baby}/rhythm")
    page.locator(f"[data-figure={chart}]").scroll_into_view_if_needed()
    page.wait_for_selector(f"[data-figure={chart}] {drawn}", timeout=15000)
    return page


HOURS = """() => [...document.querySelectorAll("[data-figure=fig-rhythm] .xtick text")]
  .map((t) => { const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.right]; })
  .sort((a, b) => a[1] - b[1])"""


@pytest.mark.parametrize("locale", ["fi-FI", "en-GB"])
def test_the_24_hour_charts_hours_never_pile_up_at_200_percent_zoom(browser, live_server, locale):
    # 200 % zoom on a 390 px phone: 195 CSS pixels wide.
    context = browser.new_context(viewport={"width": 195, "height": 422}, locale=locale)
    try:
        page = rhythm_chart_drawn(context, live_server, "fig-rhythm", ".xtick text")
        page.wait_for_timeout(500)
        for width in (195, 390, 195):
            page.set_viewport_size({"width": width, "height": 844})
            page.wait_for_timeout(900)  # plotly.js redraws a moment after a resize
            hours = [h for h in page.evaluate(HOURS) if h[2] > h[1]]  # the labels drawn
            # Finnish hours ("18") fit every 6 hours at 195 px; English ones ("6 PM") are
            # wider and keep to the day's ends there.
            assert len(hours) >= (3 if locale == "fi-FI" else 1), (width, hours)
            for (_a, _left, right), (_b, left, _right) in zip(hours, hours[1:], strict=False):
                assert right + 2 <= left, (width, hours)  # apart, never piled up
            if width == 390 and locale == "fi-FI":
                assert [h[0] for h in hours][:4] == ["0", "3", "6", "9"], hours  # every 3 h fits
        assert page.js_errors == []
    finally:
        context.close()


COLOURS = """() => {
  const holder = document.querySelector("[data-figure=fig-totals]");
  const of = (meta, fill) => holder._fullData.find((t) => t.meta === meta && (!fill || t.fill === "tonexty"));
  let node = holder, background = "";
  while (node && (!background || background === "rgba(0, 0, 0, 0)")) {
    background = getComputedStyle(node).backgroundColor; node = node.parentElement;
  }
  return { night: of("sleep").marker.color, day: of("sleep-light").marker.color,
           band: of("band", true).fillcolor, background };
}"""


def rgba(text: str) -> tuple[float, float, float, float]:
    text = text.strip()
    if text.startswith("#"):
        return (*(int(text[i : i + 2], 16) for i in (1, 3, 5)), 1.0)
    parts = [float(p) for p in text[text.index("(") + 1 : -1].split(",")]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def luminance(colour: tuple[float, ...]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(colour: str, background: str) -> float:
    """WCAG contrast of ``colour`` laid over ``background`` (its transparency composited)."""
    top, under = rgba(colour), rgba(background)
    mixed = tuple(top[3] * top[i] + (1 - top[3]) * under[i] for i in range(3))
    high, low = sorted((luminance(mixed), luminance(under)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_night_sleep_is_the_stronger_shade_and_the_typical_range_shows_in_both_themes(browser, live_server):
    applied = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="fi-FI", color_scheme=scheme
        )
        try:
            page = rhythm_chart_drawn(context, live_server, "fig-totals")
            applied[scheme] = page.evaluate(COLOURS)
            assert page.js_errors == []
        finally:
            context.close()
    for scheme, got in applied.items():
        night, day = contrast(got["night"], got["background"]), contrast(got["day"], got["background"])
        # As the legend says in both themes: night sleep the stronger shade, day sleep lighter
        # but still clear against the page, and the typical range a band one can see.
        assert night > day * 1.4 and day >= 2.0, (scheme, got, night, day)
        assert contrast(got["band"], got["background"]) >= 1.2, (scheme, got)
    assert applied["light"]["day"] != applied["dark"]["day"], applied  # each theme its own
