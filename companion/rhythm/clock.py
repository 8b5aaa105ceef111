"""Local days and periods in a family's zone, and wall-clock time <-> UTC: pure (no Flask).

A local day is [local midnight, next local midnight) converted to UTC: 23 or 25 hours
on clock-change days. A local time in the spring gap does not exist: `local_to_utc`
refuses it (a person typed it), while `wall_instant` moves it forward to the first
instant that exists (a night window or a midnight inside a gap still needs an edge).
A local time in the autumn repeat is ambiguous: `local_to_utc`'s ``fold`` picks the
first (0) or the second (1), and `wall_instant` takes the first.

A period is local dates inclusive: the last ``default_days`` days to today when not
given, at most `MAX_RANGE_DAYS`; `period` names every field that breaks the rules with
an error code, for the services to word.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "MAX_RANGE_DAYS",
    "NonexistentTime",
    "PeriodError",
    "local_date",
    "local_day_bounds",
    "local_to_utc",
    "period",
    "wall_instant",
    "week_ranges",
]

_MIDNIGHT = time(0, 0)

#: The longest period a page or the API shows at once, in days.
MAX_RANGE_DAYS = 400


class NonexistentTime(ValueError):
    """The local time falls in the spring-forward gap."""


def wall_instant(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a local date.

    Ambiguous (autumn) times take the first instant; nonexistent (spring gap) times move
    forward to the end of the gap, the first instant that exists.
    """
    local = datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=tz)
    first = local.timestamp()
    second = local.replace(fold=1).timestamp()
    if first <= second:
        # Normal (equal) or ambiguous (fold=0 is the earlier instant).
        return datetime.fromtimestamp(first, UTC)
    # In a gap, fold=0 reads the wall time with the offset before the change
    # (a later instant) and fold=1 with the offset after it (an earlier one);
    # the transition lies between. Find its second by bisection.
    before = datetime.fromtimestamp(second, tz).utcoffset()
    low, high = int(second), int(first) + 1
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == before:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[local midnight, next local midnight) of ``day`` as aware UTC datetimes.

    The span is 23 or 25 hours on clock-change days; callers clip to it with UTC
    arithmetic so a night across the change counts the time that really passed.
    """
    return wall_instant(day, _MIDNIGHT, tz), wall_instant(day + timedelta(days=1), _MIDNIGHT, tz)


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


def week_ranges(first: date, last: date) -> list[tuple[date, date]]:
    """Monday-to-Sunday weeks clipped to ``first``..``last``."""
    out = []
    day = first
    while day <= last:
        end = min(last, day + timedelta(days=6 - day.weekday()))
        out.append((day, end))
        day = end + timedelta(days=1)
    return out


class PeriodError(ValueError):
    """A period that breaks the rules: ``fields`` maps ``from`` or ``to`` to a code,
    ``order`` (ends before it starts) or ``too_long`` (more than `MAX_RANGE_DAYS`)."""

    def __init__(self, fields: dict[str, str]):
        super().__init__(", ".join(f"{name}: {code}" for name, code in fields.items()))
        self.fields = fields


def period(first: date | None, last: date | None, today: date, default_days: int = 14) -> tuple[date, date]:
    """Local dates inclusive: the last `default_days` days to today by default, at most
    MAX_RANGE_DAYS; a period that ends before it starts is refused."""
    last = last or today
    first = first or last - timedelta(days=default_days - 1)
    if first > last:
        raise PeriodError({"from": "order"})
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise PeriodError({"to": "too_long"})
    return first, last
