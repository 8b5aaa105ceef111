"""The night palette: in dark mode nothing on the today page is brighter than its text,
so a phone at 3 a.m. does not light up the room (no large light fills)."""

from __future__ import annotations

import pytest

from tests.browser.test_today import sign_up_with_baby

pytestmark = pytest.mark.browser

#: Relative luminance (WCAG) of every background the page paints, as the browser computed it.
BACKGROUNDS = """(selector) => {
  const lin = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const luminance = (colour) => {
    const [r, g, b, a] = colour.match(/[\\d.]+/g).map(Number);
    if (a === 0) return null;  // transparent: the page's own background shows
    return 0.2126 * lin(r / 255) + 0.7152 * lin(g / 255) + 0.0722 * lin(b / 255);
  };
  return [...document.querySelectorAll(selector)]
    .filter((e) => e.getBoundingClientRect().width > 0)
    .map((e) => [e.className || e.tagName, luminance(getComputedStyle(e).backgroundColor),
                 luminance(getComputedStyle(e).color)])
    .filter(([, bg]) => bg !== null);
}"""


def test_in_dark_mode_no_control_on_the_today_page_is_a_light_fill(page, live_server):
    sign_up_with_baby(page, live_server)
    page.click("[data-action=sleep-start]")  # the filled "Woke up" button shows
    page.wait_for_selector("[data-action=sleep-end]:visible")
    page.click("[data-action=crying-start]")
    page.wait_for_selector("[data-action=crying-end]:visible")
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    named = page.evaluate(BACKGROUNDS, "[data-action], .tabs a, [data-quick-exit]")
    assert {name.split()[0] for name, *_ in named} >= {"log", "quick-exit"}, named
    tab = page.evaluate(BACKGROUNDS, ".tabs a[aria-current=page]")
    assert len(tab) == 1 and tab[0][1] <= 0.25, tab  # the active tab: a dark fill too
    assert any("on" in name.split() for name, *_ in named), named  # the filled buttons were measured
    for name, background, _text in named:
        assert background <= 0.25, (name, background)
    # Nothing anywhere on the page: every painted background stays darker than the text.
    text = page.evaluate("(() => getComputedStyle(document.body).color)()")
    everything = page.evaluate(BACKGROUNDS, "body *")
    brightest = max(background for _name, background, _t in everything)
    assert brightest <= 0.25, [item for item in everything if item[1] > 0.25]
    assert text  # the body text is the light one
    assert page.js_errors == []


def test_the_light_theme_keeps_its_coloured_fills(page, live_server):
    page.emulate_media(color_scheme="light")
    sign_up_with_baby(page, live_server)
    page.click("[data-action=sleep-start]")
    page.wait_for_selector("[data-action=sleep-end]:visible")
    woke = page.evaluate(BACKGROUNDS, "[data-action=sleep-end]")
    assert woke and woke[0][2] > woke[0][1]  # light words on the blue fill
