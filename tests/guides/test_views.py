"""The guidance pages as a reader sees them, signed in or not, in Finnish, Swedish and English."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from flask import render_template

from companion.guides.content import cached_library, default_content_dir
from companion.guides.reading import Suggestion
from tests.conftest import text_of

HELP_NUMBERS = ("112", "116117", "09 2525 0111", "09 2525 0112")


def html_of(response) -> str:
    return response.get_data(as_text=True)


def main_of(response) -> str:
    html = html_of(response)
    return html[html.index("<main") : html.index("</main>")]


# -- the index ---------------------------------------------------------------------------


def test_index_lists_every_article_by_topic_without_signing_in(client):
    page = client.get("/guides/", headers={"Accept-Language": "fi"})
    assert page.status_code == 200
    html = main_of(page)
    for topic in ("pregnancy", "sleep", "crying", "coping", "help", "using-the-app"):
        assert f'id="h-topic-{topic}"' in html
    assert len(re.findall(r'href="/guides/[a-z0-9-]+"', html)) == 15
    assert "Itkuinen vauva" in html and "Koliikki" in html


def test_index_topic_names_are_in_the_readers_language(client):
    text = text_of(client.get("/guides/"))
    assert "Sleep" in text and "Crying" in text and "Using the app" in text


def test_index_in_swedish_lists_the_swedish_articles(client):
    html = main_of(client.get("/guides/?lang=sv"))
    assert "När babyn gråter mycket" in html and "Itkuinen vauva" not in html


def test_english_readers_get_the_finnish_articles_marked_as_finnish(client):
    html = main_of(client.get("/guides/"))
    assert '<li lang="fi">' in html and "Itkuinen vauva" in html


def test_index_has_a_labelled_search_form(client):
    html = main_of(client.get("/guides/"))
    assert '<label for="guide-q">' in html and 'id="guide-q"' in html and 'name="q"' in html
    assert 'action="/guides/search"' in html and 'method="get"' in html


def test_index_shows_articles_for_the_babys_corrected_age(make_family):
    today = date.today()
    # Born 150 days ago, eight weeks early: corrected age about three months.
    fam = make_family(
        "early-parent",
        baby="Eino",
        birth_date=(today - timedelta(days=150)).isoformat(),
        due_date=(today - timedelta(days=94)).isoformat(),
    )
    page = fam.api.client.get("/guides/", headers={"Accept-Language": "fi"})
    html = main_of(page)
    section = html[html.index('id="h-age-0-3m"') : html.index('id="h-topic-pregnancy"')]
    assert "Eino" in section
    assert 'href="/guides/newborn-sleep"' in section and 'href="/guides/crying-baby"' in section
    assert 'href="/guides/sleep-4-12-months"' not in section


def test_index_shows_pregnancy_articles_to_an_expecting_family(make_family):
    fam = make_family("expecting", baby="Vauva", due_date=(date.today() + timedelta(days=60)).isoformat())
    html = main_of(fam.api.client.get("/guides/"))
    section = html[html.index('id="h-age-pregnancy"') : html.index('id="h-topic-pregnancy"')]
    assert "While you are expecting" in section
    assert 'href="/guides/pregnancy-feelings"' in section and 'href="/guides/safe-sleep"' not in section


def test_index_without_baby_dates_has_no_age_section(family):
    html = main_of(family.api.client.get("/guides/"))
    assert 'id="h-age-' not in html


# -- one article -------------------------------------------------------------------------


def test_article_in_finnish_links_to_its_swedish_twin(client):
    page = client.get("/guides/safe-sleep", headers={"Accept-Language": "fi"})
    html = main_of(page)
    assert page.status_code == 200
    assert '<article class="guide" lang="fi">' in html
    assert "Vauvan turvallinen uni" in html
    assert 'href="/guides/safe-sleep?lang=sv" hreflang="sv"' in html
    assert "This article is in Finnish" not in html


def test_article_in_swedish_links_to_its_finnish_twin(client):
    html = main_of(client.get("/guides/safe-sleep", headers={"Accept-Language": "sv"}))
    assert '<article class="guide" lang="sv">' in html and "Tryggt sovande för babyn" in html
    assert 'href="/guides/safe-sleep?lang=fi" hreflang="fi"' in html


def test_following_the_language_link_shows_the_other_language(client):
    html = main_of(client.get("/guides/safe-sleep?lang=sv", headers={"Accept-Language": "fi"}))
    assert "Tryggt sovande för babyn" in html


def test_an_english_reader_gets_the_finnish_article_with_a_note(client):
    page = client.get("/guides/crying-baby")
    html = main_of(page)
    assert page.status_code == 200
    assert "This article is in Finnish; it is also available in Swedish." in text_of(page)
    assert '<article class="guide" lang="fi">' in html and "Itkuinen vauva" in html
    assert 'href="/guides/crying-baby?lang=sv"' in html


def test_article_shows_reviewed_date_and_sources(client):
    article = cached_library(default_content_dir()).get("fi", "colic")
    fi = text_of(client.get("/guides/colic", headers={"Accept-Language": "fi"}))
    assert format_date(article.reviewed, "medium", locale="fi") in fi
    for source in article.sources:
        assert source.title in fi and (source.year is None or f"({source.year})" in fi)
    en = text_of(client.get("/guides/colic"))
    assert f"Reviewed {format_date(article.reviewed, 'medium', locale='en')}" in en and "Sources" in en


def test_article_body_is_rendered_markdown_with_working_links(client):
    html = main_of(client.get("/guides/crying-baby", headers={"Accept-Language": "fi"}))
    assert "<h2>" in html and "<ul>" in html
    assert '<a href="/guides/never-shake">' in html and '<a href="/help">' in html


@pytest.mark.parametrize(
    "path",
    [
        "/guides/no-such-article",
        "/guides/Safe-Sleep",
        "/guides/..%2Fsecret",
        "/guides/..%2F..%2Fpyproject.toml",
        "/guides/%2e%2e%2fsecret",
        "/guides/..%5Csecret",
        "/guides/../secret",
        "/guides/safe-sleep.md",
        "/guides/fi%2Fsafe-sleep",
        "/guides/safe-sleep%00",
        "/guides/search/extra",
    ],
)
def test_unknown_and_path_traversal_ids_are_not_found(client, path):
    page = client.get(path)
    assert page.status_code == 404
    assert "[project]" not in html_of(page)


# -- search ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["itku", "itkee", "itkuinen"])
def test_search_in_finnish_finds_the_crying_articles(client, query):
    html = main_of(client.get(f"/guides/search?q={query}", headers={"Accept-Language": "fi"}))
    links = re.findall(r'class="guide-link" href="/guides/([a-z0-9-]+)"', html)
    assert links[0] == "crying-baby" and "colic" in links[:3]


@pytest.mark.parametrize("query", ["gråt", "gråter"])
def test_search_in_swedish_finds_the_crying_articles(client, query):
    html = main_of(client.get("/guides/search", query_string={"q": query}, headers={"Accept-Language": "sv"}))
    links = re.findall(r'class="guide-link" href="/guides/([a-z0-9-]+)"', html)
    assert set(links[:2]) == {"crying-baby", "colic"}


def test_search_ranks_the_title_hit_first(client):
    html = main_of(client.get("/guides/search?q=koliikki", headers={"Accept-Language": "fi"}))
    links = re.findall(r'class="guide-link" href="/guides/([a-z0-9-]+)"', html)
    assert links[0] == "colic" and "crying-baby" in links[1:]


def test_english_readers_search_the_finnish_articles(client):
    page = client.get("/guides/search?q=itkee")
    assert 'class="guide-link" href="/guides/crying-baby"' in html_of(page)
    assert "written in Finnish and Swedish" in text_of(page)


def test_search_marks_the_matched_words(client):
    html = main_of(client.get("/guides/search?q=itkee", headers={"Accept-Language": "fi"}))
    marked = re.findall(r"<mark>([^<]*)</mark>", html)
    assert "itkee" in marked and all(word.casefold().startswith("itk") for word in marked)


def test_search_echoes_the_query_escaped(client):
    attack = '<script>alert("x")</script>'
    page = client.get("/guides/search", query_string={"q": attack})
    html = html_of(page)
    assert page.status_code == 200
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "Nothing found for" in text_of(page)


def test_search_with_results_echoes_the_query_escaped(client):
    page = client.get("/guides/search", query_string={"q": "itku <b>x</b>"})
    html = html_of(page)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert 'href="/guides/crying-baby"' in html


def test_empty_search_is_a_friendly_page(client):
    for url in ("/guides/search", "/guides/search?q=", "/guides/search?q=%20%20"):
        page = client.get(url)
        assert page.status_code == 200
        assert "Type a word or two" in text_of(page)
        assert 'class="guide-link"' not in html_of(page)


def test_nothing_found_says_so_kindly(client):
    page = client.get("/guides/search?q=zzzzqqq")
    assert page.status_code == 200
    assert "Nothing found for “zzzzqqq”." in text_of(page)
    assert 'href="/guides/"' in main_of(page)


def test_a_very_long_query_is_cut_to_200_characters(client):
    page = client.get("/guides/search", query_string={"q": "itku " + "a" * 5000})
    assert page.status_code == 200
    value = re.search(r'id="guide-q"[^>]*value="([^"]*)"', html_of(page), re.S)
    assert value and len(value.group(1)) <= 200
    assert 'href="/guides/crying-baby"' in html_of(page)


# -- help, header, suggestions card -------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_help_has_the_numbers_in_finnish_and_swedish(client, lang):
    page = client.get(f"/help?lang={lang}")
    assert f'<html lang="{lang}">' in html_of(page)
    text = text_of(page)
    for number in HELP_NUMBERS:
        assert number in text, number


@pytest.mark.parametrize(
    ("lang", "title"),
    [("fi", "Älä koskaan ravista vauvaa"), ("sv", "Skaka aldrig en baby"), ("en", "Apua heti")],
)
def test_help_links_to_further_reading(client, lang, title):
    html = main_of(client.get(f"/help?lang={lang}"))
    for article_id in ("help-now", "never-shake", "baby-blues-or-depression"):
        assert f'href="/guides/{article_id}"' in html
    assert title in html


def test_every_page_header_links_to_the_guides(client, family):
    for page in (client.get("/"), client.get("/help"), family.api.client.get(f"/diary/{family.baby_id}/")):
        header = html_of(page).split("<main", 1)[0]
        assert 'href="/guides/"' in header


@pytest.mark.parametrize("path", ["/guides/", "/guides/safe-sleep", "/guides/search?q=uni"])
def test_guide_pages_have_no_inline_scripts_and_send_the_security_headers(client, path):
    page = client.get(path)
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html_of(page)) == []


def test_suggestions_card_renders_nothing_without_suggestions(app):
    with app.test_request_context("/"):
        assert render_template("guides/_suggestions.html", suggestions=[]).strip() == ""


def test_suggestions_card_lists_the_articles_with_their_reason(app):
    items = [
        Suggestion(
            "crying-baby", "long_crying", "Itkuinen vauva", "Summary <1>", "/guides/crying-baby", "fi", "Why"
        ),
        Suggestion("colic", "long_crying", "Koliikki", "Summary 2", "/guides/colic", "fi", "Why"),
        Suggestion(
            "safe-sleep", "young_baby", "Vauvan uni", "Summary 3", "/guides/safe-sleep", "fi", "Young"
        ),
    ]
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        html = render_template("guides/_suggestions.html", suggestions=items)
    assert "Reading for you" in html
    assert html.count("<p>Why</p>") == 1 and html.count("<p>Young</p>") == 1
    assert html.index("Koliikki") < html.index("Young") < html.index("Vauvan uni")
    assert 'href="/guides/colic"' in html and "Summary &lt;1&gt;" in html
    assert '<li lang="fi">' in html
