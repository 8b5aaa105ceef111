"""The help numbers come from one place (companion/helplines.py) on every page that shows
them, and every phone number in the articles is one of them."""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import pytest

from companion import helplines
from companion.helplines import Helpline
from tests.diary.test_pregnancy import expecting, home
from tests.guides.test_content import FILES

ROOT = Path(__file__).resolve().parents[2]
REAL = helplines.numbers()
#: Numbers nobody could dial, put in their place for the test.
FAKE = {
    "EMERGENCY": "999",
    "MEDICAL": "990 990",
    "CRISIS_FI": "09 1111 2222",
    "CRISIS_SV": "09 1111 3333",
    "VIOLENCE": "080 111 222",
}


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


@pytest.fixture
def fake_numbers(monkeypatch):
    for name, number in FAKE.items():
        monkeypatch.setattr(helplines, name, Helpline(number))


def dialled(html: str) -> set[str]:
    return {digits(href) for href in re.findall(r'href="tel:([^"]+)"', html)}


def outside_articles(html: str) -> str:
    """The page without an article's body and sources (articles are checked on their own below)."""
    html = re.sub(r'<article class="guide".*?</article>', "", html, flags=re.S)
    return re.sub(r'<section class="guide-meta".*?</section>', "", html, flags=re.S)


def assert_only_fake_numbers(html: str, expected: set[str]) -> None:
    html = outside_articles(html)
    assert dialled(html) == {digits(FAKE[name]) for name in expected}
    for name in expected:
        assert FAKE[name] in html, name
    for name, number in REAL.items():
        assert f"tel:{digits(number)}" not in html, name
        if len(digits(number)) > 3:  # "112" could be part of any other figure
            assert number not in html and digits(number) not in html, name


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_help_page_takes_every_number_from_one_place(client, fake_numbers, lang):
    html = client.get(f"/help?lang={lang}").get_data(as_text=True)
    assert_only_fake_numbers(html, set(FAKE))


@pytest.mark.parametrize("path", ["/", "/guides/", "/guides/safe-sleep", "/offline"])
def test_the_footer_and_the_offline_page_take_their_numbers_from_one_place(client, fake_numbers, path):
    html = client.get(path).get_data(as_text=True)
    assert_only_fake_numbers(html, {"EMERGENCY", "MEDICAL"})


def test_the_pregnancy_home_takes_its_numbers_from_one_place(make_family, fake_numbers):
    html = home(expecting(make_family)).get_data(as_text=True)
    assert_only_fake_numbers(html, {"EMERGENCY", "MEDICAL", "CRISIS_FI", "CRISIS_SV"})


def test_the_wellbeing_help_box_takes_its_numbers_from_one_place(family, fake_numbers):
    from tests.wellbeing.test_views import post_checkin

    post_checkin(family, coping=1)
    html = family.api.get("/wellbeing/").get_data(as_text=True)
    assert_only_fake_numbers(html, {"EMERGENCY", "MEDICAL", "CRISIS_FI", "CRISIS_SV"})


def test_no_template_or_module_writes_a_help_number_itself():
    written = []
    for path in [*ROOT.glob("companion/**/*.html"), *ROOT.glob("companion/**/*.py")]:
        if path.name == "helplines.py":
            continue
        text = path.read_text(encoding="utf-8")
        for name, number in REAL.items():
            if f"tel:{digits(number)}" in text or (len(digits(number)) > 3 and number in text):
                written.append(f"{path.relative_to(ROOT)}: {name}")
    assert written == []


def test_catalog_strings_carry_no_help_number():
    from babel.messages.pofile import read_po

    for lang in ("fi", "sv"):
        with open(ROOT / f"companion/translations/{lang}/LC_MESSAGES/messages.po", "rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            texts = [message.id, message.string] if isinstance(message.id, str) else []
            for text in texts:
                for number in REAL.values():
                    assert not re.search(rf"(?<!\d){re.escape(number)}(?!\d)", text or ""), (lang, text)


#: A Finnish phone number as the articles write it: 112, 116117, 09 2525 0111, 080 005 005.
PHONE = re.compile(r"(?<![\d.,])(?:0\d{1,2}(?: ?\d){5,8}|11\d(?: ?\d{3})?)(?![\d])")


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_phone_number_in_an_article_is_a_known_help_number(path):
    known = {digits(number) for number in REAL.values()}
    found = {digits(m) for m in PHONE.findall(frontmatter.load(path).content)}
    assert found <= known, found - known
