"""The today and rhythm pages as a phone loads and shows them: only the stylesheets and
the one script that must run before the first paint hold it up, the clock reads the same
everywhere, overnight entries say they go on, the 24-hour chart's hours never pile up at
200 % zoom, the dark theme's chart colours mean what the light theme's mean, and a
message in the dock goes by itself."""

from __future__ import annotations

import pytest

from tests.browser.conftest import call, watched
from tests.browser.test_charts import draw_all, parent_with_two_weeks

pytestmark = pytest.mark.browser


def priorities(context, url: str) -> dict[str, str]:
    """The priority Chromium gave each request the page made while loading, by path."""
    page = watched(context)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    seen: dict[str, str] = {}
    cdp.on(
        "Network.requestWillBeSent",
        lambda event: seen.setdefault(event["request"]["url"].split("?")[0], event["request"]["initialPriority"]),
    )
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
