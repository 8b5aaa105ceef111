"""Local wall-clock time <-> UTC in a family's zone, with the clock-change rules.

Pure (no Flask): a local time in the spring gap does not exist and is refused; a local
time in the autumn repeat is ambiguous, and ``fold`` picks the first (0) or second (1).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from companion.diary.rhythm import local_day_bounds

__all__ = ["NonexistentTime", "is_ambiguous", "local_date", "local_day_bounds", "local_to_utc"]


class NonexistentTime(ValueError):
    """The local time falls in the spring-forward gap."""


def is_ambiguous(day: date, clock: time, tz: ZoneInfo) -> bool:
    naive = datetime.combine(day, clock)
    return naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset()


def local_to_utc(day: date, clock: time, tz: ZoneInfo, fold: int = 0) -> datetime:
    naive = datetime.combine(day, clock.replace(tzinfo=None))
    aware = naive.replace(tzinfo=tz, fold=fold)
    utc = aware.astimezone(UTC)
    # A time in the gap does not survive the round trip.
    if utc.astimezone(tz).replace(tzinfo=None) != naive:
        raise NonexistentTime(naive.isoformat())
    return utc


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def transitions_on(day: date, tz: ZoneInfo) -> int:
    """Length of the local day in hours (23, 24 or 25)."""
    start, end = local_day_bounds(day, tz)
    return round((end - start).total_seconds() / 3600)
