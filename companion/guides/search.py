"""Search the guidance articles in Finnish or Swedish, inflected forms included (pure).

Finnish and Swedish words change their endings ("itku", "itkee", "itkuinen"; "gråt",
"gråter", "gråten"), and both languages build long compounds ("iltaitku",
"spädbarnskolik"). Exact word matching would miss most of what a worried parent
types, so every word of the articles and of the query is reduced to its Snowball stem
(the Finnish or Swedish stemmer of the `snowballstemmer` package) and a query stem
matches an article word (its stem, or the word as written, see below) when they are

* equal ("gråter" and "gråten" are both "gråt"),
* the query stem begins the article stem, if it has at least 3 letters ("itkee" is
  "itk", which begins "itku" and "itkuin"),
* the article stem begins the query stem, if that has at least 4 letters ("itkuinen" is
  "itkuin", which "itku" begins), or
* the two differ only in their last letters, sharing at least 5 ("itkuisen" is
  "itkuis", "itkuinen" is "itkuin": the stemmer leaves such adjective forms apart), or
* the query stem is a part of a compound, if it has at least 4 letters ("itku" in
  "iltaitku"), which counts for less.

The Finnish stemmer sometimes cuts a word too far ("ravista", shake!, becomes "rav"
because "-sta" is also a case ending), so each article word is indexed both as its
stem and as written, and a query matches either.

Ranking: more matched query words first, then words found in the title, then a score
that weighs title over summary over body. Nothing here needs Flask.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import snowballstemmer

from companion.guides.content import Article, Library

MAX_QUERY = 200
MAX_TERMS = 10
MIN_PREFIX = 3
MIN_REVERSE_PREFIX = 4
MIN_COMPOUND_PART = 4
MIN_SHARED = 5
MAX_DIFFERENT_ENDING = 2
SNIPPET_CHARS = 140

EXACT, PREFIX, REVERSE_PREFIX, SHARED, COMPOUND = 1.0, 0.8, 0.7, 0.6, 0.5
FIELD_WEIGHTS = {"title": 10.0, "summary": 4.0, "body": 1.0}

_STEMMER_NAMES = {"fi": "finnish", "sv": "swedish"}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

#: Words too common to tell articles apart; dropped from queries (unless nothing else is left).
_FINNISH_STOP_WORDS = (
    "ja on ei se että tai kun jos mutta myös niin kuin ole olla oli ovat voi sen sitä "
    "hän minä sinä me te he mitä mikä miten miksi kuinka onko en et eikä mä sä mun sun "
    "tämä tää tuo joka jotka kanssa vai vielä"
)
_SWEDISH_STOP_WORDS = (
    "och i att det som en ett är på med för av till den inte om har men jag du vi ni de "
    "hur varför vad när kan så eller man sig min din vår er han hon dem dess var ska"
)
STOP_WORDS = {"fi": frozenset(_FINNISH_STOP_WORDS.split()), "sv": frozenset(_SWEDISH_STOP_WORDS.split())}


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


class Stemmer:
    """One language's Snowball stemmer with a memo.

    A snowball stemmer keeps its working state in the object, so calls are serialised:
    the index is shared by the threads that serve requests.
    """

    def __init__(self, lang: str):
        self.lang = lang
        self._stemmer = snowballstemmer.stemmer(_STEMMER_NAMES.get(lang, "finnish"))
        self._memo: dict[str, str] = {}
        self._lock = threading.Lock()

    def stem(self, word: str) -> str:
        found = self._memo.get(word)
        if found is None:
            with self._lock:
                found = self._stemmer.stemWord(word) or word
            if len(self._memo) < 50_000:
                self._memo[word] = found
        return found


def match_quality(query_stem: str, stem: str) -> float:
    """How well one article stem answers one query stem: 0 when it does not."""
    if stem == query_stem:
        return EXACT
    if len(query_stem) >= MIN_PREFIX and stem.startswith(query_stem):
        return PREFIX
    if len(stem) >= MIN_REVERSE_PREFIX and query_stem.startswith(stem):
        return REVERSE_PREFIX
    shared = _shared_prefix(query_stem, stem)
    if shared >= MIN_SHARED and shared >= max(len(query_stem), len(stem)) - MAX_DIFFERENT_ENDING:
        return SHARED
    if len(query_stem) >= MIN_COMPOUND_PART and query_stem in stem:
        return COMPOUND
    return 0.0


def _shared_prefix(one: str, other: str) -> int:
    count = 0
    for a, b in zip(one, other, strict=False):
        if a != b:
            break
        count += 1
    return count


def query_terms(query: str, lang: str, stemmer: Stemmer | None = None) -> list[str]:
    """The distinct stems of a query, common words left out, at most MAX_TERMS."""
    stemmer = stemmer or Stemmer(lang)
    tokens = [word for word in words(query[:MAX_QUERY]) if len(word) >= 2]
    kept = [word for word in tokens if word not in STOP_WORDS.get(lang, frozenset())] or tokens
    return list(dict.fromkeys(stemmer.stem(word) for word in kept))[:MAX_TERMS]


@dataclass(frozen=True, slots=True)
class Result:
    article: Article
    matched_terms: int
    title_terms: int
    score: float
    #: A piece of the body around the first match: (text, is_match) parts, to show escaped.
    snippet: tuple[tuple[str, bool], ...]


@dataclass(slots=True)
class _Entry:
    article: Article
    fields: dict[str, frozenset[str]]
    body_counts: Counter[str]


class SearchIndex:
    """The stems of one language's articles, made once per process."""

    def __init__(self, articles: Iterable[Article], lang: str):
        self.lang = lang
        self.stemmer = Stemmer(lang)
        self._entries: list[_Entry] = []
        for article in articles:
            body = words(article.text)
            fields = {
                "title": self._forms(words(article.title)),
                "summary": self._forms(words(article.summary)),
                "body": self._forms(body),
            }
            counts = Counter(body)
            counts.update(self.stemmer.stem(word) for word in body)
            self._entries.append(_Entry(article, fields, counts))
        vocabulary = frozenset().union(*(forms for e in self._entries for forms in e.fields.values()))
        self._sorted = sorted(vocabulary)

    def _forms(self, found: list[str]) -> frozenset[str]:
        """Each word as written and as its stem."""
        return frozenset(found) | {self.stemmer.stem(word) for word in found}

    def search(self, query: str, limit: int = 30) -> list[Result]:
        terms = query_terms(query, self.lang, self.stemmer)
        if not terms:
            return []
        # Which stems of all the articles answer each query stem, and how well: worked out
        # once per query over the vocabulary, then looked up per article.
        answers = [self._answers(term) for term in terms]
        matching = frozenset().union(*answers)
        results = []
        for entry in self._entries:
            matched = title_terms = 0
            score = 0.0
            for answer in answers:
                found = False
                for name, stems in entry.fields.items():
                    hit = stems & answer.keys()
                    if not hit:
                        continue
                    found = True
                    score += FIELD_WEIGHTS[name] * max(answer[stem] for stem in hit)
                    if name == "title":
                        title_terms += 1
                    elif name == "body":
                        score += min(sum(entry.body_counts[stem] for stem in hit), 10) * 0.05
                matched += found
            if matched:
                snippet = self._snippet(entry.article.text, matching)
                results.append(Result(entry.article, matched, title_terms, round(score, 3), snippet))
        results.sort(key=lambda r: (-r.matched_terms, -r.title_terms, -r.score, r.article.title.casefold()))
        return results[:limit]

    def _answers(self, term: str) -> dict[str, float]:
        """The index words that answer a query stem, with how well.

        Every rule but the compound one needs the first MIN_PREFIX letters in common,
        so only that slice of the sorted vocabulary is compared one by one.
        """
        vocabulary = self._sorted
        if len(term) < MIN_PREFIX:
            low = bisect_left(vocabulary, term)
            return {term: EXACT} if low < len(vocabulary) and vocabulary[low] == term else {}
        head = term[:MIN_PREFIX]
        low = bisect_left(vocabulary, head)
        high = bisect_left(vocabulary, head + "\U0010ffff", low)
        candidates = vocabulary[low:high]
        if len(term) >= MIN_COMPOUND_PART:
            candidates = candidates + [word for word in vocabulary if term in word]
        return {word: quality for word in candidates if (quality := match_quality(term, word))}

    def _is_match(self, word: str, matching: frozenset[str]) -> bool:
        word = normalise(word)
        return word in matching or self.stemmer.stem(word) in matching

    def _snippet(self, text: str, matching: frozenset[str]) -> tuple[tuple[str, bool], ...]:
        """The first body line with a match, cut to about SNIPPET_CHARS around it."""
        for line in text.splitlines():
            spans = [m.span() for m in _WORD.finditer(line) if self._is_match(m.group(), matching)]
            if not spans:
                continue
            first = spans[0][0]
            start = 0 if first < SNIPPET_CHARS // 3 else line.rfind(" ", 0, first - SNIPPET_CHARS // 3) + 1
            end = len(line) if len(line) - start <= SNIPPET_CHARS else line.find(" ", start + SNIPPET_CHARS)
            end = len(line) if end == -1 else end
            parts: list[tuple[str, bool]] = [("… ", False)] if start > 0 else []
            position = start
            for low, high in spans:
                if low < start or high > end:
                    continue
                parts.append((line[position:low], False))
                parts.append((line[low:high], True))
                position = high
            parts.append((line[position:end], False))
            if end < len(line):
                parts.append((" …", False))
            return tuple(part for part in parts if part[0])
        return ()


def index_for(library: Library, lang: str) -> SearchIndex:
    """The search index of one language, built on first use and kept with the library."""
    key = ("search", lang)
    index = library.derived.get(key)
    if not isinstance(index, SearchIndex):
        index = SearchIndex(library.in_language(lang), lang)
        library.derived[key] = index
    return index


def search(library: Library, lang: str, query: str, limit: int = 30) -> list[Result]:
    return index_for(library, lang).search(query, limit)
