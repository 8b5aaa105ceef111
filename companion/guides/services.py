"""Guidance use cases: which article a reader gets, the index, search and suggestions.

Plain values in, articles out: the links and the words for a suggestion's reason are the
pages' (`reading`).

Articles never touch the database; the diary is read through the diary's and the
rhythm's services for the suggestions and the "for your baby's age" list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from companion.accounts.models import User
from companion.diary import services as diary
from companion.diary.age import age_band, age_in_days
from companion.diary.models import Baby
from companion.guides import suggestions as rules
from companion.guides.content import TOPICS, Article, Library, reading_language
from companion.guides.search import MAX_QUERY, Result, search
from companion.i18n import format_age, format_day
from companion.rhythm import services as rhythm
from companion.rhythm.clock import local_date
from companion.types import utcnow

TOPIC_NAMES = {
    "pregnancy": _l("Pregnancy"),
    "sleep": _l("Sleep"),
    "crying": _l("Crying"),
    "coping": _l("Coping"),
    "help": _l("Help"),
    "using-the-app": _l("Using the app"),
}
#: Articles the help page points to, in this order.
HELP_ARTICLES = ("help-now", "never-shake", "baby-blues-or-depression")


def library() -> Library:
    return current_app.extensions["companion.guides"]


# -- one article ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticlePage:
    article: Article
    #: The reader asked for another language (English, or a missing translation).
    not_in_reader_language: bool
    #: Languages the same article is also available in, besides the one shown.
    other_languages: tuple[str, ...]


def find_article(article_id: str, locale: str) -> ArticlePage | None:
    """The article in the reader's language (English readers: Finnish), or None."""
    lib = library()
    article = lib.best(reading_language(locale), article_id)
    if article is None:
        return None
    others = tuple(lang for lang in lib.languages_of(article_id) if lang != article.lang)
    return ArticlePage(article, article.lang != locale, others)


def help_articles(locale: str) -> list[Article]:
    lib = library()
    found = (lib.best(reading_language(locale), article_id) for article_id in HELP_ARTICLES)
    return [article for article in found if article is not None]


def pregnancy_articles(locale: str) -> list[Article]:
    """Reading for the time before birth: the pregnancy topic and anything written for the
    pregnancy age, in the reader's language (an article missing there in Finnish)."""
    lib = library()
    lang = reading_language(locale)
    found = (lib.best(lang, article_id) for article_id in dict.fromkeys(key for _lang, key in lib.articles))
    # The front matter of the version the reader gets decides (the languages may differ).
    articles = [
        article
        for article in found
        if article is not None and (article.topic == "pregnancy" or "pregnancy" in article.ages)
    ]
    return sorted(articles, key=lambda a: (a.topic != "pregnancy", a.id))


# -- the index -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TopicGroup:
    topic: str
    name: str
    articles: list[Article]


@dataclass(frozen=True, slots=True)
class AgeGroup:
    band: str
    #: Who the list is for: "Aino, 7 weeks" (names and ages of the babies in this band).
    for_whom: list[str]
    articles: list[Article]


def by_topic(locale: str) -> list[TopicGroup]:
    articles = library().in_language(reading_language(locale))
    groups = []
    for topic in TOPICS:
        found = [article for article in articles if article.topic == topic]
        if found:
            groups.append(TopicGroup(topic, str(TOPIC_NAMES[topic]), found))
    return groups


def baby_band(baby: Baby, today: date) -> tuple[str | None, int | None]:
    """The content age band of a baby (corrected age for one born early) and the age used."""
    age, corrected = age_in_days(baby.birth_date, baby.due_date, today)
    if age is None:
        return ("pregnancy", None) if baby.due_date is not None else (None, None)
    days = corrected if corrected is not None else age
    # Born, but before the due date: a newborn, not a pregnancy.
    return (age_band(days) if days >= 0 else "0-3m"), days


def for_age(user: User, locale: str) -> list[AgeGroup]:
    """Articles for the ages of a signed-in parent's babies (nothing for anyone else)."""
    if not (user.is_authenticated and getattr(user, "is_parent", False) and user.family_id):
        return []
    articles = library().in_language(reading_language(locale))
    bands: dict[str, list[str]] = {}
    for baby in diary.babies_of(user):
        today = local_date(utcnow(), diary.family_zone(baby.family))
        band, days = baby_band(baby, today)
        if band is None:
            continue
        if band == "pregnancy":
            label = _("%(name)s, due %(date)s", name=baby.name, date=format_day(baby.due_date))
        else:
            label = _("%(name)s, %(age)s", name=baby.name, age=format_age(max(days or 0, 0)))
        bands.setdefault(band, []).append(label)
    return [
        AgeGroup(band, names, [article for article in articles if band in article.ages])
        for band, names in bands.items()
    ]


# -- search --------------------------------------------------------------------------------


def search_articles(query: str, locale: str) -> list[Result]:
    return search(library(), reading_language(locale), query[:MAX_QUERY])


# -- suggestions ---------------------------------------------------------------------------


def suggested_articles(baby: Baby, today: date, locale: str) -> list[tuple[Article, str]]:
    """Reading suggested for this baby today (the family's local date), at most three,
    with the key of the reason (`suggestions.REASONS`), in the reader's language.

    The caller has already checked that the reader may see this baby's diary.
    """
    age, corrected = age_in_days(baby.birth_date, baby.due_date, today)
    days = corrected if corrected is not None else age
    first = today - timedelta(days=rules.WINDOW_DAYS - 1)
    figures = rhythm.period_figures(baby, first, today).days
    lang = reading_language(locale)
    lib = library()
    found = (
        (lib.best(lang, article_id), reason)
        for article_id, reason in rules.suggest(days, baby.due_date, figures)
    )
    return [(article, reason) for article, reason in found if article is not None]
