"""Which articles to suggest to a family, and why: every rule in one place (pure).

Input is plain values (the baby's age in days, corrected for a baby born early; the
due date; the rhythm figures of the last 7 local days), output an ordered list of
(article_id, reason_key). The page layer turns the reason key into gentle words.

The rules, in order of priority:

1. Long crying: more than CRYING_MINUTES (180) of crying on at least CRYING_DAYS (3) of
   the days given (the last 7). Exactly 180 minutes is not "more than three hours"
   (the classic colic description); exactly 3 days is enough. Days that were not
   logged never count: a gap is "not logged", not "no crying".
2. A young baby: under YOUNG_DAYS (about 4 months) of corrected age, a baby born
   before the due date (negative corrected age) included.
3. An expecting family: a due date and no birth date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from companion.rhythm.analysis import DayFigures

CRYING_MINUTES = 180
CRYING_DAYS = 3
WINDOW_DAYS = 7
#: Four months; the same limit as the 0-3m content age band.
YOUNG_DAYS = 122
LIMIT = 3

LONG_CRYING = "long_crying"
YOUNG_BABY = "young_baby"
EXPECTING = "expecting"
REASONS = (LONG_CRYING, YOUNG_BABY, EXPECTING)

RULE_ARTICLES = {
    LONG_CRYING: ("crying-baby", "colic"),
    YOUNG_BABY: ("safe-sleep", "newborn-sleep"),
    EXPECTING: ("pregnancy-feelings", "preparing-for-baby"),
}


def long_crying_days(days: Iterable[DayFigures]) -> int:
    """Logged days with more than CRYING_MINUTES of crying."""
    return sum(1 for day in days if day.logged and day.crying_minutes > CRYING_MINUTES)


def pick(candidates: Iterable[tuple[str, str]], limit: int = LIMIT) -> list[tuple[str, str]]:
    """The first `limit` candidates, each article once (its first, most important reason)."""
    chosen: list[tuple[str, str]] = []
    seen: set[str] = set()
    for article_id, reason in candidates:
        if article_id in seen:
            continue
        seen.add(article_id)
        chosen.append((article_id, reason))
        if len(chosen) == limit:
            break
    return chosen


def suggest(
    age_days: int | None,
    due_date: date | None,
    days: Sequence[DayFigures],
    limit: int = LIMIT,
) -> list[tuple[str, str]]:
    """(article_id, reason_key) pairs, most important first, no article twice, at most `limit`.

    `age_days` is the corrected age in days when the baby was born early, else the age,
    and None before birth; `days` are the rhythm figures of the last WINDOW_DAYS days.
    """
    reasons: list[str] = []
    if long_crying_days(days[-WINDOW_DAYS:]) >= CRYING_DAYS:
        reasons.append(LONG_CRYING)
    if age_days is not None and age_days < YOUNG_DAYS:
        reasons.append(YOUNG_BABY)
    if age_days is None and due_date is not None:
        reasons.append(EXPECTING)
    return pick(((article, reason) for reason in reasons for article in RULE_ARTICLES[reason]), limit)
