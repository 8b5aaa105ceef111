"""The statistics' figures: months put together into quarters and a year, for each
organisation and the whole country, and made safe to show (pure: plain values in and out).

A month's figures (`Month`) are counts and lists of values, so that months, and the
figures kept of records already removed, simply add up. A report for a year is a
"cube": every organisation (and the whole country, ``ALL``) × every period (months,
quarters, the year) × every count, with the sums that tie them together; the small
numbers are hidden in the whole cube at once (`companion.stats.suppression`), so that
no two answers (a month and its quarter, one organisation and the country) can be set
against each other to work out a hidden count.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from companion.stats import suppression
from companion.stats.suppression import enough

#: The whole country in a report's organisations.
ALL = "*"

AGE_BANDS = ("pregnancy", "months_0_3", "months_4_6", "months_7_12", "over_12_months")
#: The feedback's "did the work help our family", answers 1-5.
HELPED = ("not_at_all", "a_little", "somewhat", "quite_a_lot", "a_lot")
WHAT_HELPED = ("sleep", "crying", "rhythm", "coping", "relationship", "other")
RECOMMEND = ("yes", "no", "not_sure")
#: The parent's own check-in answers 1-5.
COPING = ("very_hard", "hard", "so_so", "quite_well", "well")
#: Change over the work, from consented diaries.
MEASURES = ("night_wakings", "longest_sleep_minutes", "crying_minutes")
PERIODS = ("month", "quarter", "year")

#: Counts that add up over months and organisations, by their key in `Month.counts`
#: and their group and name in a report row.
ROW_COUNTS: tuple[tuple[str, str | None, str], ...] = (
    ("new", None, "new_grants_count"),
    ("opens", None, "opens_count"),
    ("contacts", None, "contact_requests_count"),
    ("feedback", None, "feedback_count"),
    *((f"age.{band}", "first_share_age", f"{band}_count") for band in AGE_BANDS),
    *((f"helped.{word}", "helped", f"{word}_count") for word in HELPED),
    *((f"what.{item}", "what_helped", f"{item}_count") for item in WHAT_HELPED),
    *((f"recommend.{item}", "recommend", f"{item}_count") for item in RECOMMEND),
)
ACTIVE = "active_grants_count"


def cube_name(group: str | None, name: str) -> str:
    """A row count's key in the cube: "<group>.<name>" for the counts of a group."""
    return f"{group}.{name}" if group else name


#: The cube keys of the row counts.
ROW_NAMES = tuple(cube_name(group, name) for _source, group, name in ROW_COUNTS)


@dataclass
class Month:
    """One organisation's figures of one month: counts, and lists of values (grant
    lengths in days, hours to close a contact request, changes over the work...)."""

    counts: dict[str, int] = field(default_factory=dict)
    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, key: str, amount: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + amount

    def value(self, key: str, value: float) -> None:
        self.values.setdefault(key, []).append(value)

    def merged(self, other: Month) -> Month:
        out = Month(dict(self.counts), {k: list(v) for k, v in self.values.items()})
        for key, amount in other.counts.items():
            out.add(key, amount)
        for key, items in other.values.items():
            out.values.setdefault(key, []).extend(items)
        return out

    def to_json(self) -> dict[str, Any]:
        return {"counts": self.counts, "values": self.values}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Month:
        data = data or {}
        return cls(dict(data.get("counts", {})), {k: list(v) for k, v in data.get("values", {}).items()})


def merge(months: Iterable[Month]) -> Month:
    out = Month()
    for month in months:
        out = out.merged(month)
    return out


# -- periods -------------------------------------------------------------------------------


def month_key(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def quarter_key(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def period_months(year: int) -> dict[str, list[int]]:
    """Every period of a year (months, quarters, the year) with its months (1-12)."""
    out: dict[str, list[int]] = {month_key(year, m): [m] for m in range(1, 13)}
    for q in range(1, 5):
        out[quarter_key(year, q)] = [3 * q - 2, 3 * q - 1, 3 * q]
    out[str(year)] = list(range(1, 13))
    return out


def periods_of(year: int, period: str) -> list[str]:
    if period == "month":
        return [month_key(year, m) for m in range(1, 13)]
    if period == "quarter":
        return [quarter_key(year, q) for q in range(1, 5)]
    return [str(year)]


def period_started(key: str, today: date) -> bool:
    """Whether a period has begun by `today` (later ones are left out of a report)."""
    year = int(key[:4])
    if len(key) == 4:
        first = date(year, 1, 1)
    elif "Q" in key:
        first = date(year, 3 * int(key[-1]) - 2, 1)
    else:
        first = date(year, int(key[5:]), 1)
    return first <= today


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 1) if enough(len(values)) else None


# -- the cube ------------------------------------------------------------------------------


@dataclass
class Cube:
    """Exact counts of a year (organisation, period, count key) with their sums, and the
    figures that are not counts (medians), already left out for small groups."""

    year: int
    organisations: list[str]
    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    equations: list[list[tuple[tuple[str, str, str], int]]] = field(default_factory=list)
    medians: dict[tuple[str, str, str], float | None] = field(default_factory=dict)


def build_cube(year: int, months: Mapping[str, Mapping[int, Month]]) -> Cube:
    """The cube of a year from each organisation's months (slug -> month 1-12 -> Month)."""
    orgs = sorted(months)
    cube = Cube(year, orgs)
    periods = period_months(year)
    everyone = {m: merge(months[org].get(m, Month()) for org in orgs) for m in range(1, 13)}
    for org in [*orgs, ALL]:
        own = everyone if org == ALL else {m: months[org].get(m, Month()) for m in range(1, 13)}
        for key, numbers in periods.items():
            merged = merge(own[m] for m in numbers)
            for source, group, name in ROW_COUNTS:
                cube.counts[(org, key, cube_name(group, name))] = merged.counts.get(source, 0)
            first = own[numbers[0]].counts.get("active_start", 0)
            cube.counts[(org, key, ACTIVE)] = first + merged.counts.get("new", 0)
            cube.medians[(org, key, "grant_days_median")] = _median(merged.values.get("grant_days", []))
            cube.medians[(org, key, "contact_close_hours_median")] = _median(
                merged.values.get("close_hours", [])
            )
        _change(cube, org, merge(own.values()))
    _equations(cube, periods)
    return cube


def _change(cube: Cube, org: str, whole: Month) -> None:
    """Change over the work and the check-in answers: for the year only."""
    key = str(cube.year)
    for measure in MEASURES:
        deltas = whole.values.get(f"change.{measure}.delta", [])
        cube.counts[(org, key, f"change.{measure}.families_count")] = len(deltas)
        for part in ("before", "after", "delta"):
            cube.medians[(org, key, f"change.{measure}.{part}")] = _median(
                whole.values.get(f"change.{measure}.{part}", [])
            )
    families = sum(whole.counts.get(f"checkin_first.{word}", 0) for word in COPING)
    cube.counts[(org, key, "checkins.families_count")] = families
    for window in ("first", "last"):
        for word in COPING:
            cube.counts[(org, key, f"checkins.{window}.{word}_count")] = whole.counts.get(
                f"checkin_{window}.{word}", 0
            )


def _equations(cube: Cube, periods: Mapping[str, list[int]]) -> None:
    year = cube.year
    months = [month_key(year, m) for m in range(1, 13)]
    quarters = [quarter_key(year, q) for q in range(1, 5)]
    eqs = cube.equations
    for org in [*cube.organisations, ALL]:
        for name in ROW_NAMES:
            # A quarter is its months; the year is its quarters.
            for q, quarter in enumerate(quarters):
                eqs.append(
                    [((org, quarter, name), 1), *(((org, m, name), -1) for m in months[3 * q : 3 * q + 3])]
                )
            eqs.append([((org, str(year), name), 1), *(((org, q, name), -1) for q in quarters)])
        # Grants active in a period: those active at its start and those made in it.
        for key, numbers in periods.items():
            if len(numbers) > 1:
                eqs.append(
                    [
                        ((org, key, ACTIVE), 1),
                        ((org, months[numbers[0] - 1], ACTIVE), -1),
                        *(((org, months[m - 1], "new_grants_count"), -1) for m in numbers[1:]),
                    ]
                )
        for key in periods:
            # Each answer to a question adds up to the answers given.
            for group in (HELPED, RECOMMEND):
                prefix = "helped" if group is HELPED else "recommend"
                eqs.append(
                    [
                        ((org, key, "feedback_count"), 1),
                        *(((org, key, f"{prefix}.{w}_count"), -1) for w in group),
                    ]
                )
        yearly = str(year)
        for window in ("first", "last"):
            eqs.append(
                [
                    ((org, yearly, "checkins.families_count"), 1),
                    *(((org, yearly, f"checkins.{window}.{w}_count"), -1) for w in COPING),
                ]
            )
    # The whole country is every organisation together.
    if cube.organisations:
        for org, key, name in list(cube.counts):
            if org == ALL:
                eqs.append([((ALL, key, name), 1), *(((o, key, name), -1) for o in cube.organisations)])


def published(cube: Cube) -> dict[tuple[str, str, str], int | str | None]:
    """Every count of the cube as it may be shown (see companion.stats.suppression)."""
    return suppression.suppress(cube.counts, cube.equations)


# -- one family's part (counted, never shown on its own) -----------------------------------


def age_band(birth: date | None, on: date) -> str:
    """The baby's age group on a day: pregnancy, or completed months 0-3, 4-6, 7-12, over 12."""
    if birth is None or birth > on:
        return "pregnancy"
    months = (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)
    if months <= 3:
        return "months_0_3"
    if months <= 6:
        return "months_4_6"
    if months <= 12:
        return "months_7_12"
    return "over_12_months"


#: Days of the sharing compared: the first week against weeks 5-8.
FIRST_WEEK = (0, 7)
LATER_WEEKS = (28, 56)
#: Logged days needed in each (the family logged enough for a fair comparison).
LEAST_LOGGED = (4, 14)


@dataclass(frozen=True)
class DayValues:
    """What the change over the work reads from one day of the diary."""

    logged: bool
    night_wakings: int
    longest_sleep_minutes: int
    crying_minutes: int


def change_over_work(days: Sequence[DayValues]) -> dict[str, tuple[float, float]] | None:
    """Each measure's mean over the logged days of the first week and of weeks 5-8 (days
    0-6 and 28-55 of the sharing), or None when either has too few logged days."""
    if len(days) < LATER_WEEKS[1]:
        return None
    parts = []
    for (low, high), least in zip((FIRST_WEEK, LATER_WEEKS), LEAST_LOGGED, strict=True):
        logged = [day for day in days[low:high] if day.logged]
        if len(logged) < least:
            return None
        parts.append(logged)
    out = {}
    for measure in MEASURES:
        before, after = (statistics.fmean(getattr(day, measure) for day in part) for part in parts)
        out[measure] = (round(before, 1), round(after, 1))
    return out


def usual_answer(answers: Sequence[int]) -> int | None:
    """The answer a parent gave most often in a window (the latest of equals), or None."""
    if not answers:
        return None
    counts: dict[int, int] = {}
    for answer in answers:
        counts[answer] = counts.get(answer, 0) + 1
    best = max(counts.values())
    return next(answer for answer in reversed(answers) if counts[answer] == best)
