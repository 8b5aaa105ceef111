"""Guidance articles: read, check and render the Markdown files in content/<lang>/<id>.md.

Every file is checked when the app starts, so a typo in a front matter stops the
deployment with the file's name instead of breaking one page at night. Articles are
rendered once per process (the library is cached by folder and file times, so a
changed file is picked up on the next app start, and tests that point CONTENT_DIR at
their own folder get their own library).

No Flask request is needed here: ``load_library(folder)`` works on plain paths.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

#: The languages articles are written in; English readers get the Finnish ones.
LANGUAGES = ("fi", "sv")
FALLBACK_LANGUAGE = "fi"
TOPICS = ("pregnancy", "sleep", "crying", "coping", "help", "using-the-app")
AGES = ("pregnancy", "0-3m", "4-12m", "1-3y", "all")
REQUIRED_KEYS = ("title", "summary", "topic", "ages", "reviewed", "sources")
SOURCE_KEYS = ("organisation", "title", "year")
#: A source needs these; `year` only when the publication has one (a web page has none).
REQUIRED_SOURCE_KEYS = ("organisation", "title")
#: Paths under /guides/ that are pages, not articles.
RESERVED_IDS = frozenset({"search"})
ARTICLE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TITLE = 120
MAX_SUMMARY = 300


class ContentError(ValueError):
    """A content file that cannot be published; the message names the file."""


@dataclass(frozen=True, slots=True)
class Source:
    organisation: str
    title: str
    #: The year of a dated publication; None for a web page whose year cannot be known.
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    lang: str
    title: str
    summary: str
    topic: str
    ages: tuple[str, ...]
    reviewed: date
    sources: tuple[Source, ...]
    #: The body as HTML: made by markdown-it with raw HTML disabled, safe to show.
    html: str
    #: The body as plain text (headings, paragraphs and list items one per line), for search.
    text: str

    @property
    def first_age(self) -> int:
        return min(AGES.index(age) for age in self.ages)


@dataclass
class Library:
    """Every article of every language, keyed by (lang, id)."""

    folder: Path
    articles: dict[tuple[str, str], Article] = field(default_factory=dict)
    #: Data derived from the articles once per process (the search index), by key.
    derived: dict[object, object] = field(default_factory=dict, repr=False, compare=False)

    def get(self, lang: str, article_id: str) -> Article | None:
        return self.articles.get((lang, article_id))

    def ids(self, lang: str) -> set[str]:
        return {key for language, key in self.articles if language == lang}

    def in_language(self, lang: str) -> list[Article]:
        """The articles of one language, youngest age first, then by title."""
        found = [article for (language, _), article in self.articles.items() if language == lang]
        return sorted(found, key=lambda a: (a.first_age, a.title.casefold()))

    def languages_of(self, article_id: str) -> list[str]:
        return [lang for lang in LANGUAGES if (lang, article_id) in self.articles]

    def best(self, reader_lang: str, article_id: str) -> Article | None:
        """The article in the reader's language, else in Finnish, else in any language."""
        order = [reader_lang, FALLBACK_LANGUAGE, *LANGUAGES]
        for lang in dict.fromkeys(order):
            article = self.get(lang, article_id)
            if article is not None:
                return article
        return None


def reading_language(locale: str) -> str:
    """The language whose articles a reader gets: their own, or Finnish for English."""
    return locale if locale in LANGUAGES else FALLBACK_LANGUAGE


# -- Markdown ------------------------------------------------------------------------------


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.add_render_rule("link_open", _render_link_open)
    return md


def _render_link_open(self, tokens: list[Token], idx: int, options, env) -> str:
    """External links open no window handle and send no referrer."""
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    external = href.startswith("//") or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I)
    if external and not href.lower().startswith(("mailto:", "tel:")):
        token.attrSet("rel", "noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


_MD = _markdown()
#: Used only to find raw HTML in a body (the renderer above never lets it through).
_MD_WITH_HTML = MarkdownIt("commonmark", {"html": True})


def render_markdown(body: str) -> str:
    return _MD.render(body)


def plain_text(body: str) -> str:
    """The words a reader sees, one block per line, without link targets or markup."""
    lines: list[str] = []
    for token in _MD.parse(body):
        if token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            line = "".join(parts).strip()
            if line:
                lines.append(line)
        elif token.type in ("code_block", "fence") and token.content.strip():
            lines.append(token.content.strip())
    return "\n".join(lines)


def raw_html_in(body: str) -> list[str]:
    """Raw HTML a CommonMark reader with HTML enabled would pass through (none is allowed)."""
    found = []
    for token in _MD_WITH_HTML.parse(body):
        if token.type == "html_block":
            found.append(token.content.strip())
        for child in token.children or []:
            if child.type == "html_inline":
                found.append(child.content)
    return found


def internal_links(body: str) -> list[str]:
    """Every link target in the body that points inside this site (starts with one /)."""
    found = []
    for token in _MD.parse(body):
        for child in token.children or []:
            href = str(child.attrGet("href") or "") if child.type == "link_open" else ""
            if href.startswith("/") and not href.startswith("//"):
                found.append(href)
    return found


# -- front matter --------------------------------------------------------------------------


def _text(meta: dict[str, Any], key: str, limit: int, problems: list[str]) -> str:
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"'{key}' must be a non-empty text")
        return ""
    if len(value) > limit:
        problems.append(f"'{key}' is longer than {limit} characters")
    return value.strip()


def _ages(value: object, problems: list[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        problems.append(f"'ages' must be a non-empty list of {', '.join(AGES)}")
        return ()
    bad = [str(v) for v in value if v not in AGES]
    if bad:
        problems.append(f"'ages' has {', '.join(bad)}; allowed: {', '.join(AGES)}")
        return ()
    return tuple(dict.fromkeys(value))


def _reviewed(value: object, problems: list[str]) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(f"'reviewed' must be a date like 2026-01-31, not {value!r}")
    return date.min


def _sources(value: object, problems: list[str]) -> tuple[Source, ...]:
    if not isinstance(value, list) or not value:
        problems.append("'sources' must be a non-empty list of {organisation, title, year}")
        return ()
    sources = []
    for number, item in enumerate(value, start=1):
        where = f"source {number}"
        if not isinstance(item, dict):
            problems.append(f"{where} must have organisation and title (and year, when it has one)")
            continue
        missing = [key for key in REQUIRED_SOURCE_KEYS if key not in item]
        extra = sorted(set(map(str, item)) - set(SOURCE_KEYS))
        if missing:
            problems.append(f"{where} lacks {', '.join(missing)}")
            continue
        if extra:
            problems.append(f"{where} has unknown keys: {', '.join(extra)}")
        organisation, title, year = item["organisation"], item["title"], item.get("year")
        if not isinstance(organisation, str) or not organisation.strip():
            problems.append(f"{where}: 'organisation' must be a non-empty text")
        if not isinstance(title, str) or not title.strip():
            problems.append(f"{where}: 'title' must be a non-empty text")
        if "year" in item and (
            isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100
        ):
            problems.append(f"{where}: 'year' must be a year like 2024, or left out, not {year!r}")
            continue
        sources.append(Source(str(organisation).strip(), str(title).strip(), year))
    return tuple(sources)


def parse_article(path: Path, lang: str) -> Article:
    """Read, check and render one file; ContentError names the file and every problem."""
    article_id = path.stem
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError, ValueError) as error:
        raise ContentError(f"{path}: the front matter cannot be read: {error}") from error
    meta, body = post.metadata, post.content
    problems: list[str] = []
    if not ARTICLE_ID.match(article_id) or article_id in RESERVED_IDS:
        problems.append(
            f"the file name '{path.name}' is not a usable article id "
            "(lower-case letters, digits and single hyphens; not 'search')"
        )
    missing = [key for key in REQUIRED_KEYS if key not in meta]
    if missing:
        problems.append(f"missing {', '.join(repr(k) for k in missing)} in the front matter")
    unknown = sorted(set(map(str, meta)) - set(REQUIRED_KEYS))
    if unknown:
        problems.append(f"unknown front matter keys: {', '.join(unknown)}")
    title = _text(meta, "title", MAX_TITLE, problems) if "title" in meta else ""
    summary = _text(meta, "summary", MAX_SUMMARY, problems) if "summary" in meta else ""
    topic = meta.get("topic")
    if "topic" in meta and topic not in TOPICS:
        problems.append(f"'topic' is {topic!r}; allowed: {', '.join(TOPICS)}")
    ages = _ages(meta.get("ages"), problems) if "ages" in meta else ()
    reviewed = _reviewed(meta.get("reviewed"), problems) if "reviewed" in meta else date.min
    sources = _sources(meta.get("sources"), problems) if "sources" in meta else ()
    if not body.strip():
        problems.append("the article has no text")
    if problems:
        raise ContentError(f"{path}: " + "; ".join(problems))
    return Article(
        id=article_id,
        lang=lang,
        title=title,
        summary=summary,
        topic=str(topic),
        ages=ages,
        reviewed=reviewed,
        sources=sources,
        html=render_markdown(body),
        text=plain_text(body),
    )


def article_files(folder: Path) -> list[tuple[str, Path]]:
    return [(lang, path) for lang in LANGUAGES for path in sorted((folder / lang).glob("*.md"))]


def load_library(folder: Path | str) -> Library:
    """Read every article under folder/fi and folder/sv; the first bad file stops it."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ContentError(f"{folder}: the guidance content folder does not exist")
    library = Library(folder)
    for lang, path in article_files(folder):
        article = parse_article(path, lang)
        library.articles[(lang, article.id)] = article
    return library


_cache: dict[Path, tuple[tuple, Library]] = {}
_cache_lock = threading.Lock()


def _signature(folder: Path) -> tuple:
    return tuple(
        (str(path), path.stat().st_mtime_ns, path.stat().st_size) for _, path in article_files(folder)
    )


def cached_library(folder: Path | str) -> Library:
    """load_library once per process and folder; again only when a file changed."""
    folder = Path(folder).resolve()
    signature = _signature(folder) if folder.is_dir() else ()
    with _cache_lock:
        hit = _cache.get(folder)
        if hit is not None and hit[0] == signature:
            return hit[1]
    library = load_library(folder)
    with _cache_lock:
        _cache[folder] = (signature, library)
    return library


def default_content_dir() -> Path:
    """The repository's content/ folder, beside the companion package."""
    return Path(__file__).resolve().parents[2] / "content"
