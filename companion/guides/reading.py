"""Reading as the pages show it: articles with their links, and suggestions with the
words for why they are suggested.

The guides' own pages use it, the wellbeing pages ask it for their support reading, and
a baby's pages get their suggestions through the diary's signals, which `register`
connects to the receivers here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from companion.guides import services
from companion.guides import suggestions as rules
from companion.guides.content import Article
from companion.i18n import locale_code


def article_url(article_id: str) -> str:
    return url_for("guides.article", article_id=article_id)


@dataclass(frozen=True, slots=True)
class Reading:
    article_id: str
    title: str
    url: str
    lang: str


def readings(article_ids: tuple[str, ...], locale: str) -> list[Reading]:
    """The articles in the reader's language (Finnish for English readers), missing ones left out."""
    found = []
    for article_id in article_ids:
        page = services.find_article(article_id, locale)
        if page is not None:
            article = page.article
            found.append(Reading(article_id, article.title, article_url(article_id), article.lang))
    return found


@dataclass(frozen=True, slots=True)
class Suggestion:
    article_id: str
    reason_key: str
    title: str
    summary: str
    url: str
    lang: str
    #: Why this is suggested, in gentle words in the reader's language.
    reason: str


def reason_text(reason_key: str) -> str:
    if reason_key == rules.LONG_CRYING:
        return _(
            "Crying has been long on several days this week. These may help, and the neuvola "
            "or your Baby blues worker can help you look at it together."
        )
    if reason_key == rules.YOUNG_BABY:
        return _("For the first months: how babies sleep, and how to make sleep safe.")
    if reason_key == rules.EXPECTING:
        return _("While you wait for the baby: feelings, and getting everyday life ready.")
    return ""


def suggestions_for_baby(baby, today: date, locale: str | None = None) -> list[Suggestion]:
    """Reading suggested for this baby today (the family's local date), at most three.

    The caller has already checked that the reader may see this baby's diary.
    """
    return [
        Suggestion(
            article.id,
            reason,
            article.title,
            article.summary,
            article_url(article.id),
            article.lang,
            reason_text(reason),
        )
        for article, reason in services.suggested_articles(baby, today, locale or locale_code())
    ]


# -- the diary's signals (connected in `guides.register`) ----------------------------------------


def baby_reading(_sender: Any, *, baby, today: date) -> list[Suggestion]:
    return suggestions_for_baby(baby, today)


def pregnancy_reading(_sender: Any, *, locale: str) -> list[Article]:
    return services.pregnancy_articles(locale)
