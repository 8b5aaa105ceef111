"""A baby's age, and the corrected age of a baby born early (pure)."""

from __future__ import annotations

from datetime import date

PRETERM_DAYS = 14  # born at least two weeks before the due date


def age_in_days(birth: date | None, due: date | None, today: date) -> tuple[int | None, int | None]:
    """(age, corrected age) in days; corrected only for a baby born two or more weeks early."""
    if birth is None:
        return None, None
    age = (today - birth).days
    corrected = None
    if due is not None and (due - birth).days >= PRETERM_DAYS:
        corrected = (today - due).days
    return age, corrected


def weeks_to_due(due: date | None, today: date) -> int | None:
    if due is None:
        return None
    return max(0, (due - today).days // 7)


def age_band(days: int | None) -> str | None:
    """The content age bands: 0-3m, 4-12m, 1-3y."""
    if days is None:
        return None
    if days < 0:
        return "pregnancy"
    if days < 122:
        return "0-3m"
    if days < 366:
        return "4-12m"
    return "1-3y"
