"""Search in Finnish and Swedish, inflected forms included (pure, on the real articles)."""

from __future__ import annotations

import pytest

from companion.guides.content import cached_library, default_content_dir
from companion.guides.search import MAX_QUERY, SearchIndex, match_quality, query_terms, search


@pytest.fixture(scope="module")
def library():
    return cached_library(default_content_dir())


def found(library, lang: str, query: str) -> list[str]:
    return [result.article.id for result in search(library, lang, query)]


@pytest.mark.parametrize("query", ["itku", "itkee", "itkuinen", "itkua", "itkusta", "Itkuisen"])
def test_finnish_crying_words_find_the_crying_articles(library, query):
    got = found(library, "fi", query)
    assert got[0] == "crying-baby"
    assert {"crying-baby", "colic"} <= set(got[:3])


@pytest.mark.parametrize("query", ["gråt", "gråter", "gråten", "gråta", "GRÅTER"])
def test_swedish_crying_words_find_the_crying_articles(library, query):
    got = found(library, "sv", query)
    assert set(got[:2]) == {"crying-baby", "colic"}


@pytest.mark.parametrize(
    ("lang", "query", "article"),
    [
        ("fi", "koliikki", "colic"),
        ("fi", "koliikin", "colic"),
        ("sv", "kolik", "colic"),
        ("sv", "koliken", "colic"),
        ("fi", "masennus", "baby-blues-or-depression"),
        ("fi", "yöheräily", "night-waking"),
        ("fi", "ravistaminen", "never-shake"),
        ("sv", "skaka", "never-shake"),
        ("sv", "sömnen", "sleep-4-12-months"),
    ],
)
def test_a_title_hit_ranks_first(library, lang, query, article):
    results = search(library, lang, query)
    assert results[0].article.id == article
    assert results[0].title_terms == 1


def test_a_title_hit_ranks_above_articles_that_only_mention_the_word(library):
    results = search(library, "fi", "koliikki")
    ids = [r.article.id for r in results]
    assert ids[0] == "colic" and "crying-baby" in ids[1:]
    assert results[0].title_terms == 1 and all(r.title_terms == 0 for r in results[1:])


def test_more_matched_words_rank_first(library):
    results = search(library, "fi", "miksi vauva itkee iltaisin")
    assert results[0].article.id == "crying-baby"
    counts = [r.matched_terms for r in results]
    assert counts == sorted(counts, reverse=True)


def test_swedish_readers_search_swedish_articles(library):
    assert found(library, "sv", "itku") == []
    assert all(r.article.lang == "sv" for r in search(library, "sv", "baby"))


def test_a_body_match_gives_a_snippet_with_the_word_marked(library):
    result = next(r for r in search(library, "fi", "itkee") if r.article.id == "crying-baby")
    marked = [text.casefold() for text, hit in result.snippet if hit]
    assert marked and all(word.startswith("itk") for word in marked)
    assert "".join(text for text, _ in result.snippet).strip(" …") in result.article.text


@pytest.mark.parametrize("query", ["", "   ", "!!!", "<script>", "x"])
def test_empty_or_meaningless_queries_find_nothing(library, query):
    assert search(library, "fi", query) == []


def test_very_long_queries_are_cut_and_still_answer(library):
    results = search(library, "fi", "itku " * 2000)
    assert results and results[0].article.id == "crying-baby"
    assert len(query_terms("a" * 5000 + " itku", "fi")) <= 1  # only the first 200 characters count
    assert MAX_QUERY == 200


def test_common_words_alone_still_search_but_do_not_dilute_a_query(library):
    assert query_terms("ja itku", "fi") == query_terms("itku", "fi")
    assert query_terms("ja", "fi") == ["ja"]


@pytest.mark.parametrize(
    ("query_stem", "stem", "matches"),
    [
        ("itku", "itku", True),
        ("itk", "itku", True),  # "itkee": the query stem begins the article stem
        ("itkuin", "itku", True),  # "itkuinen": the article stem begins the query stem
        ("itku", "iltaitku", True),  # a part of a compound
        ("un", "unelma", False),  # too short to match anything but itself
        ("uni", "iltauni", False),  # too short to be a compound part
        ("gråt", "gråt", True),
        ("gråt", "grät", False),
    ],
)
def test_match_rules(query_stem, stem, matches):
    assert bool(match_quality(query_stem, stem)) is matches


def test_index_works_on_plain_articles(library):
    index = SearchIndex(library.in_language("sv"), "sv")
    assert index.search("gråter")[0].article.lang == "sv"
