"""A baby's age, and the corrected age of a baby born early (pure)."""

from __future__ import annotations

from dataclasses import dataclass
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


#: A pregnancy is counted from the first day of the last period: 40+0 on the due date.
FULL_TERM_DAYS = 280


@dataclass(frozen=True, slots=True)
class Pregnancy:
    """Where a pregnancy is on a given day, counted the way the maternity clinic does."""

    #: Days until the due date: 0 on the due date, negative once it has passed.
    days_to_due: int

    @property
    def days_pregnant(self) -> int:
        return FULL_TERM_DAYS - self.days_to_due

    @property
    def week(self) -> tuple[int, int] | None:
        """Completed weeks and days (32, 6) as in "32+6"; None before week 0 could begin."""
        if self.days_pregnant < 0:
            return None
        weeks, days = divmod(self.days_pregnant, 7)
        return weeks, days

    @property
    def to_go(self) -> tuple[int, int]:
        """Whole weeks and days left until the due date; (0, 0) on and after it."""
        weeks, days = divmod(max(self.days_to_due, 0), 7)
        return weeks, days

    @property
    def days_past_due(self) -> int:
        return max(-self.days_to_due, 0)


def is_expecting(birth: date | None, due: date | None) -> bool:
    """A family waiting for the baby: a due date and no birth date yet."""
    return birth is None and due is not None


def pregnancy(due: date | None, today: date) -> Pregnancy | None:
    if due is None:
        return None
    return Pregnancy((due - today).days)


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
