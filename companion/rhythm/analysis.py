"""Day-rhythm figures from a baby's diary: pure logic, no Flask, no database.

The rhythm page, the JSON rhythm endpoint, the worker's visit summary and the
benchmarks all need the same numbers, and they must agree to the minute. Keeping
the arithmetic here, on plain values, lets it be tested densely (property tests
included) and keeps it fast enough to show a whole year inside the page budget.

Conventions that every figure follows, and why:

* Every instant is floored to the whole UTC minute once, up front, and all
  arithmetic is then done on integer "minute stamps" (minutes since the Unix
  epoch). Durations therefore match the clock times a parent sees in the diary
  (10:00-10:45 is 45 minutes), day figures add up exactly to the range total,
  and comparisons are integer comparisons, which is what makes a year cheap.
* A local day is [local midnight, next local midnight) converted to UTC, so a
  clock-change day has 23 or 25 hours and a sleep across the change counts the
  minutes that really passed.
* Wall-clock times are converted with the family's zone: an ambiguous time (the
  autumn repeat) is the first of the two instants (fold=0); a time that does not
  exist (the spring gap) moves forward to the first instant that does.
* Sleeps that overlap or touch are merged into one sleep (the service forbids
  overlaps, but a diary must never crash the page; a sleep split in two entries
  at the same minute, say when the baby is moved to bed, is one sleep, not a
  waking). The same holds for crying.
* An interval shorter than a minute after flooring has no length and is left out
  of the figures; it still makes its day "logged", since something was recorded.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from operator import attrgetter, itemgetter
from typing import Annotated, Literal, NamedTuple
from zoneinfo import ZoneInfo

from annotated_types import Ge

from companion.diary.rules import CRYING, FEEDING, MAX_MINUTES, SLEEP
from companion.rhythm.clock import wall_instant

#: Longest a sleep or a crying may last (the diary's rules); an ongoing entry counts up
#: to now, but never beyond this, so a forgotten timer cannot fill days.
MAX_SLEEP_MINUTES = MAX_MINUTES[SLEEP]
MAX_CRYING_MINUTES = MAX_MINUTES[CRYING]

#: Both compared weeks need this many logged days, so that one logged evening is
#: never presented as "a week".
MIN_LOGGED_DAYS_PER_WEEK = 3
WEEK_DAYS = 7

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_MIDNIGHT = time(0, 0)
_MINUTES_PER_DAY = 24 * 60


class Span(NamedTuple):
    """One diary entry as the analysis needs it: kind and UTC times.

    ``end`` is None for an ongoing sleep or crying (counted up to ``now``) and for
    a point in time (a feeding without end, a note). A named tuple: a year's
    thousands of them are made from database rows several times faster than
    frozen dataclass instances.
    """

    kind: str
    start: datetime | int  # an aware datetime, or whole minutes since the epoch (UTC)
    end: datetime | int | None


@dataclass(frozen=True, slots=True)
class Settings:
    """The family's zone, night window and day start.

    The night runs from night_start to night_end, normally across midnight. The family's
    day (`family_days`) starts at day_start (the rhythm chart's rows start there too),
    unless that falls inside the night: a night is never split (`family_day_start`).
    """

    tz: ZoneInfo = ZoneInfo("Europe/Helsinki")
    night_start: time = time(19, 0)
    night_end: time = time(7, 0)
    day_start: time = time(0, 0)


#: Minutes or a number of times: never below zero (the JSON API's description says so).
Count = Annotated[int, Ge(0)]


@dataclass(slots=True)
class DayFigures:
    """The figures of one local date: the "Rhythm day" of the JSON API, which writes it
    as it is (`rhythm.schemas`).

    Calendar-day figures (``sleep_minutes``, ``crying_minutes``, the counts by
    start) cover local midnight to midnight; ``day_sleep_minutes``, ``naps`` and
    ``wake_windows`` cover the day window (night_end to night_start of that date);
    ``night_sleep_minutes`` and ``night_wakings`` the night that follows it.
    """

    date: date
    hours: Literal[23, 24, 25]
    logged: bool
    sleep_minutes: Count
    night_sleep_minutes: Count
    day_sleep_minutes: Count
    naps: Count
    longest_sleep_minutes: Count
    night_wakings: Count
    crying_minutes: Count
    crying_episodes: Count
    feedings: Count
    wake_windows: list[int] = field(default_factory=list)


#: Figures averaged by `summarise` (wake_windows is a list, not a daily amount).
AVERAGED_FIGURES = (
    "sleep_minutes",
    "night_sleep_minutes",
    "day_sleep_minutes",
    "naps",
    "longest_sleep_minutes",
    "night_wakings",
    "crying_minutes",
    "crying_episodes",
    "feedings",
)

#: Figures compared week against week by `compare_weeks`, in this order.
COMPARED_FIGURES = (
    "night_sleep_minutes",
    "day_sleep_minutes",
    "crying_minutes",
    "night_wakings",
    "longest_sleep_minutes",
)


@dataclass(slots=True)
class Summary:
    """Averages over the days that were logged.

    Days without entries are left out rather than counted as zero: a gap in a
    diary means "not logged", never "did not sleep". ``averages`` is empty when
    no day was logged, so nothing can show a made-up zero.
    """

    days_logged: int
    averages: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------
# Time zone arithmetic


def _minute_of(instant: datetime) -> int:
    """Floor an aware datetime to its minute stamp.

    Naive datetimes are refused because ``timestamp()`` would silently read them
    in the server's zone.
    """
    if instant.tzinfo is None:
        msg = f"naive datetime {instant!r}: the rhythm analysis needs aware UTC times"
        raise ValueError(msg)
    return int(instant.timestamp() // 60)


def _wall_minutes(wall: time) -> int:
    return wall.hour * 60 + wall.minute


@dataclass(slots=True)
class _DayGrid:
    """Every edge the analysis needs, as minute stamps, for the days first..last.

    With ``n`` days, ``mids`` holds n + 1 local midnights (``mids[i + 1]`` ends
    day i), and ``night_ends`` and ``night_starts`` hold the night_end and
    night_start wall times on each of the n + 1 dates first..last+1. The day
    window of day i is [night_ends[i], day_end(i)) and its night is
    [day_end(i), night_ends[i + 1]), where day_end(i) is ``night_starts[i + shift]``.
    ``irregular[i]`` is True where the UTC offset changes during day i.
    """

    first: date
    days: int
    mids: list[int]
    night_ends: list[int]
    night_starts: list[int]
    shift: int
    irregular: list[bool]
    odd: list[bool]  # irregular for each of the n + 1 dates of the edges

    def wall_edges(self, wall: time, tz: ZoneInfo) -> list[int]:
        """The minute stamps of a wall time on each of the n + 1 dates first..last+1."""
        minutes = _wall_minutes(wall)
        return [
            _minute_of(wall_instant(self.first + timedelta(days=i), wall, tz)) if odd else mid + minutes
            for i, (mid, odd) in enumerate(zip(self.mids, self.odd, strict=True))
        ]

    @classmethod
    def build(cls, first: date, last: date, settings: Settings) -> "_DayGrid":
        """Convert each edge with the zone once per date.

        Most days have one UTC offset throughout, so their night edges are plain
        additions to midnight; only the days around a clock change take the
        careful (slower) path. This keeps a year of edges under a millisecond.
        """
        tz = settings.tz
        days = (last - first).days + 1
        # Edges reach into the day after `last` (the night of `last` ends then),
        # and knowing whether that day is regular needs the midnight after it.
        count = days + 1
        dates = [first + timedelta(days=i) for i in range(count + 1)]
        mids: list[int] = []
        offsets: list[int] = []
        for current in dates:
            stamp = int(datetime.combine(current, _MIDNIGHT, tzinfo=tz).timestamp() // 60)
            mids.append(stamp)
            offsets.append((current.toordinal() - _EPOCH_ORDINAL) * _MINUTES_PER_DAY - stamp)
        irregular = [offsets[i] != offsets[i + 1] for i in range(count)]
        for i, odd in enumerate(irregular):
            if odd:
                # Midnight itself may be in a gap or a repeat: redo both ends.
                mids[i] = _minute_of(wall_instant(dates[i], _MIDNIGHT, tz))
                mids[i + 1] = _minute_of(wall_instant(dates[i + 1], _MIDNIGHT, tz))

        end_wall = _wall_minutes(settings.night_end)
        start_wall = _wall_minutes(settings.night_start)
        night_ends: list[int] = []
        night_starts: list[int] = []
        for i in range(count):
            if irregular[i]:
                night_ends.append(_minute_of(wall_instant(dates[i], settings.night_end, tz)))
                night_starts.append(_minute_of(wall_instant(dates[i], settings.night_start, tz)))
            else:
                night_ends.append(mids[i] + end_wall)
                night_starts.append(mids[i] + start_wall)

        # The day window of D opens at D's night_end and closes at the next
        # night_start; the night of D follows it until the next night_end. With
        # the usual 19:00-07:00 that is [D 07:00, D 19:00) and [D 19:00, D+1 07:00);
        # with a night inside one date (say 00:00-06:00) the day is
        # [D 06:00, D+1 00:00) and the night [D+1 00:00, D+1 06:00). Either way
        # day plus night tile the time from one morning to the next, and with
        # equal times the night is empty.
        return cls(
            first=first,
            days=days,
            mids=mids[:count],
            night_ends=night_ends,
            night_starts=night_starts,
            shift=0 if start_wall > end_wall else 1,
            irregular=irregular[:days],
            odd=irregular,
        )


# --------------------------------------------------------------------------
# Entries as merged, sorted integer intervals


@dataclass(slots=True)
class _Timeline:
    """Merged, sorted intervals of one kind, with prefix sums of their lengths.

    With prefix sums, the minutes covered inside any window are two bisections,
    so each day costs O(log n) whatever the size of the diary, and no day ever
    rescans the entries.
    """

    starts: list[int]
    ends: list[int]
    prefix: list[int]

    @classmethod
    def merge(cls, intervals: list[tuple[int, int]]) -> "_Timeline":
        # Sorting on the start alone is enough (merging keeps the later end) and
        # about twice as fast as comparing tuples.
        intervals.sort(key=itemgetter(0))
        starts: list[int] = []
        ends: list[int] = []
        prefix = [0]
        last_end: int | None = None
        for start, end in intervals:
            if last_end is not None and start <= last_end:
                if end > last_end:
                    prefix[-1] += end - last_end
                    ends[-1] = last_end = end
            else:
                starts.append(start)
                ends.append(end)
                prefix.append(prefix[-1] + end - start)
                last_end = end
        return cls(starts, ends, prefix)

    def profile(self, points: list[int]) -> tuple[list[int], list[int]]:
        """Count the intervals starting before each point, and the minutes covered before it.

        Computed once per edge of the grid; a day's figures are then differences
        of two neighbouring values, with no search per day.
        """
        starts, ends, prefix = self.starts, self.ends, self.prefix
        counts = [bisect_left(starts, point) for point in points]
        covered = [
            prefix[k - 1] + min(point, ends[k - 1]) - starts[k - 1] if k else 0
            for point, k in zip(points, counts, strict=True)
        ]
        return counts, covered


@dataclass(slots=True)
class _Prepared:
    sleep: _Timeline
    crying: _Timeline
    feedings: list[int]
    other: _Timeline


def _prepare(spans: Iterable[Span], now: datetime) -> _Prepared:
    """One pass over the entries: floor to minutes, settle ongoing ends, sort.

    ``other`` holds what is neither a sleep, a crying nor a feeding point (notes,
    feedings with an end, entries too short to measure, kinds added later), each
    covering at least its minute; it only answers "was anything logged that day".
    """
    now_minute = _minute_of(now)
    sleeps: list[tuple[int, int]] = []
    cryings: list[tuple[int, int]] = []
    feedings: list[int] = []
    other: list[tuple[int, int]] = []
    # Bound methods and plain comparisons: this loop sees every entry of the
    # period (thousands for a year), so it avoids per-entry calls it can.
    add_feeding, add_other = feedings.append, other.append
    # A sleep and a crying are the same kind of interval: each has its own list, and its
    # own longest time while it is still going on.
    intervals = {SLEEP: (MAX_SLEEP_MINUTES, sleeps.append), CRYING: (MAX_CRYING_MINUTES, cryings.append)}
    for span in spans:
        start_at = span.start
        end_at = span.end
        if type(start_at) is int:
            # Minute stamps straight from the database: nothing to convert.
            start = start_at
        else:
            if start_at.tzinfo is None or (end_at is not None and end_at.tzinfo is None):
                msg = f"naive datetime in {span!r}: the rhythm analysis needs aware UTC times"
                raise ValueError(msg)
            start = int(start_at.timestamp() // 60)
        kind = span.kind
        interval = intervals.get(kind)
        if interval is not None:
            longest, add = interval
            if end_at is None:
                end = start + longest
                if end > now_minute:
                    end = now_minute
            else:
                end = end_at if type(end_at) is int else int(end_at.timestamp() // 60)
            if end > start:
                add((start, end))
                continue
        else:
            if kind == FEEDING:
                add_feeding(start)
                if end_at is None:
                    continue
            end = (
                start
                if end_at is None
                else (end_at if type(end_at) is int else int(end_at.timestamp() // 60))
            )
        add_other((start, end if end > start else start + 1))
    feedings.sort()
    return _Prepared(
        sleep=_Timeline.merge(sleeps),
        crying=_Timeline.merge(cryings),
        feedings=feedings,
        other=_Timeline.merge(other),
    )


@dataclass(slots=True)
class _Profiles:
    sleep_counts: list[int]
    sleep_covered: list[int]
    cry_counts: list[int]
    cry_covered: list[int]
    feed_counts: list[int]


def _logged_days(prepared: _Prepared, mids: list[int]) -> tuple[list[bool], _Profiles]:
    """Which days have anything recorded, plus the midnight profiles it needed."""
    sleep_counts, sleep_covered = prepared.sleep.profile(mids)
    cry_counts, cry_covered = prepared.crying.profile(mids)
    feed_counts = [bisect_left(prepared.feedings, point) for point in mids]
    _, other_covered = prepared.other.profile(mids)
    logged = [
        sleep_covered[i + 1] > sleep_covered[i]
        or cry_covered[i + 1] > cry_covered[i]
        or feed_counts[i + 1] > feed_counts[i]
        or other_covered[i + 1] > other_covered[i]
        for i in range(len(mids) - 1)
    ]
    return logged, _Profiles(sleep_counts, sleep_covered, cry_counts, cry_covered, feed_counts)


# --------------------------------------------------------------------------
# Public analysis


def query_window(first: date, last: date, settings: Settings) -> tuple[datetime, datetime]:
    """Give the UTC range of entries `analyse` needs for ``first``..``last``.

    It covers the calendar days, the day window of ``first`` and the night that
    begins on ``last`` (which ends the next morning), and reaches 24 hours
    earlier so that a long sleep or ongoing entry started before the range is
    fetched even by a query that filters on start times.
    """
    last = max(last, first)
    # Only the two ends matter: two one-day grids instead of converting a year.
    head = _DayGrid.build(first, first, settings)
    tail = _DayGrid.build(last, last, settings)
    low = min(head.mids[0], head.night_ends[0]) - MAX_SLEEP_MINUTES
    # The family's day of `last` ends at the next day start (`family_days`).
    high = max(tail.mids[-1], tail.night_ends[-1], tail.wall_edges(settings.day_start, settings.tz)[-1])
    return _from_minute(low), _from_minute(high)


def query_windows(periods: list[tuple[date, date]], settings: Settings) -> list[tuple[int, int]]:
    """`query_window` of each of consecutive periods, as minute stamps: the zone is asked
    once for all of them (a year's 53 weeks)."""
    grid = _DayGrid.build(periods[0][0], periods[-1][1], settings)
    mids, night_ends = grid.mids, grid.night_ends
    day_starts = grid.wall_edges(settings.day_start, settings.tz)
    out = []
    for first, last in periods:
        head = (first - grid.first).days
        tail = (last - grid.first).days + 1
        low = min(mids[head], night_ends[head]) - MAX_SLEEP_MINUTES
        out.append((low, max(mids[tail], night_ends[tail], day_starts[tail])))
    return out


def _from_minute(stamp: int) -> datetime:
    return datetime.fromtimestamp(stamp * 60, UTC)


def analyse(
    spans: Iterable[Span],
    first: date,
    last: date,
    settings: Settings,
    now: datetime,
) -> list[DayFigures]:
    """Figures for each local date from ``first`` to ``last`` inclusive.

    A day with nothing recorded is returned with ``logged`` False and zero
    calendar and daytime figures (shown as "not logged", never as zero), but its
    night figures are still filled when the night that follows has entries.
    Results do not depend on the order of ``spans``.
    """
    if last < first:
        return []
    prepared = _prepare(spans, now)
    grid = _DayGrid.build(first, last, settings)
    logged_days, at_mid = _logged_days(prepared, grid.mids)

    sleep = prepared.sleep
    starts, ends = sleep.starts, sleep.ends
    lengths = [end - start for start, end in zip(starts, ends, strict=True)]
    # Profiles at the night_end and night_start edges: the day window of day i
    # is [ne[i], ns[i + shift]) and its night [ns[i + shift], ne[i + 1]).
    ne_counts, ne_covered = sleep.profile(grid.night_ends)
    ns_counts, ns_covered = sleep.profile(grid.night_starts)
    # Sleeps ended by each night_start: the first sleep that can be followed by
    # a night waking is the first one that ends after the night began.
    ns_ended = [bisect_right(ends, point) for point in grid.night_starts]

    sleep_counts, sleep_covered = at_mid.sleep_counts, at_mid.sleep_covered
    cry_counts, cry_covered = at_mid.cry_counts, at_mid.cry_covered
    feed_counts = at_mid.feed_counts
    shift = grid.shift
    mids = grid.mids
    first_date = grid.first
    out: list[DayFigures] = []
    for i in range(grid.days):
        j = i + shift
        # Night figures first: they are kept even on a day that was not logged.
        night_sleep = ne_covered[i + 1] - ns_covered[j]
        # Gaps k..k+1 inside the night: sleep k ends after the night began and
        # sleep k+1 starts before it ends (so both overlap the night).
        wakings = max(0, ne_counts[i + 1] - 1 - ns_ended[j])
        hours = round((mids[i + 1] - mids[i]) / 60)
        # DayFigures is built positionally (commented field by field): keywords
        # cost three times as much, and this runs once per day of a year.
        if not logged_days[i]:
            out.append(
                DayFigures(
                    first_date + timedelta(days=i),  # date
                    hours,  # hours
                    False,  # logged
                    0,  # sleep_minutes
                    night_sleep,  # night_sleep_minutes
                    0,  # day_sleep_minutes
                    0,  # naps
                    0,  # longest_sleep_minutes
                    wakings,  # night_wakings
                    0,  # crying_minutes
                    0,  # crying_episodes
                    0,  # feedings
                    [],  # wake_windows
                )
            )
            continue

        window_low, window_high = grid.night_ends[i], grid.night_starts[j]
        # Wake windows: gaps k..k+1 with sleep k ending at or after the window
        # opens and sleep k+1 starting at or before it closes.
        gap_first = bisect_left(ends, window_low)
        gap_stop = bisect_right(starts, window_high) - 1
        # The whole length of the longest sleep that starts this calendar day.
        longest = max(lengths[sleep_counts[i] : sleep_counts[i + 1]], default=0)
        out.append(
            DayFigures(
                first_date + timedelta(days=i),  # date
                hours,  # hours
                True,  # logged
                sleep_covered[i + 1] - sleep_covered[i],  # sleep_minutes
                night_sleep,  # night_sleep_minutes
                ns_covered[j] - ne_covered[i],  # day_sleep_minutes
                ns_counts[j] - ne_counts[i],  # naps
                longest,  # longest_sleep_minutes
                wakings,  # night_wakings
                cry_covered[i + 1] - cry_covered[i],  # crying_minutes
                cry_counts[i + 1] - cry_counts[i],  # crying_episodes
                feed_counts[i + 1] - feed_counts[i],  # feedings
                [starts[k + 1] - ends[k] for k in range(gap_first, gap_stop)],  # wake_windows
            )
        )
    return out


# --------------------------------------------------------------------------
# The family's day: what the pages show


def _inside_night(wall: time, settings: Settings) -> bool:
    at = _wall_minutes(wall)
    start, end = _wall_minutes(settings.night_start), _wall_minutes(settings.night_end)
    if start > end:  # across midnight, the usual case
        return at >= start or at < end
    return start <= at < end


def family_day_start(settings: Settings) -> time:
    """When the family's day starts: the day start setting, or the end of the night when the
    setting falls inside the night window (with the usual 19:00-07:00 and rows from 00:00, a
    day runs from 07:00 to 07:00: its daytime, then the night that follows)."""
    if _inside_night(settings.day_start, settings):
        return settings.night_end
    return settings.day_start


def family_date(moment: datetime, settings: Settings) -> date:
    """The family's day that ``moment`` falls in (its date)."""
    local = moment.astimezone(settings.tz)
    if local.time().replace(tzinfo=None) < family_day_start(settings):
        return local.date() - timedelta(days=1)
    return local.date()


@dataclass(slots=True)
class FamilyDay:
    """The figures of one family's day, as the pages show them.

    The day runs from `family_day_start` on ``date`` to the same time the next day (23 or
    25 hours across a clock change) and holds exactly one whole night (from
    ``night_start`` to ``night_end``, minute stamps in UTC); the rest is its daytime. So
    ``sleep_minutes`` is ``night_sleep_minutes`` plus ``day_sleep_minutes``, and every
    figure counts what lies in that day. A part with nothing recorded in it is not logged
    (``day_logged``, ``night_logged``): its figures are then unknown, not zero.
    """

    date: date
    start: int
    end: int
    night_start: int
    night_end: int
    logged: bool
    day_logged: bool
    night_logged: bool
    sleep_minutes: int
    night_sleep_minutes: int
    day_sleep_minutes: int
    naps: int
    longest_sleep_minutes: int
    night_wakings: int
    crying_minutes: int
    crying_episodes: int
    feedings: int

    @property
    def hours(self) -> int:
        return round((self.end - self.start) / 60)


def family_days(
    spans: Iterable[Span], first: date, last: date, settings: Settings, now: datetime
) -> list[FamilyDay]:
    """The family's days ``first``..``last`` (see `FamilyDay`); results do not depend on
    the order of ``spans``, and neighbouring periods put together give the same days."""
    if last < first:
        return []
    prepared = _prepare(spans, now)
    # Edges on the dates first..last+2: a day's night may end on the day after it.
    grid = _DayGrid.build(first, last + timedelta(days=1), settings)
    tz = settings.tz
    start_wall = family_day_start(settings)
    bounds = grid.wall_edges(start_wall, tz)
    begin, stop = _wall_minutes(start_wall), _wall_minutes(settings.night_start)
    night_later = stop < begin  # the night starts on the next date (a night inside one date)
    same_date_end = _wall_minutes(settings.night_end) > stop
    count = (last - first).days + 1
    night_starts, night_ends = [], []
    for i in range(count):
        ns_index = i + 1 if night_later else i
        ne_index = ns_index if same_date_end else ns_index + 1
        night_starts.append(grid.night_starts[ns_index])
        # An empty night window (equal times) makes an empty night.
        night_ends.append(max(grid.night_ends[ne_index], grid.night_starts[ns_index]))

    sleep, crying, other, feeds = prepared.sleep, prepared.crying, prepared.other, prepared.feedings
    points = bounds[: count + 1] + night_starts + night_ends
    s_counts, s_cov = sleep.profile(points)
    c_counts, c_cov = crying.profile(points)
    _, o_cov = other.profile(points)
    f_counts = [bisect_left(feeds, point) for point in points]
    s_ended = [bisect_right(sleep.ends, point) for point in night_starts]
    lengths = [end - start for start, end in zip(sleep.starts, sleep.ends, strict=True)]

    def seen(x: int, y: int) -> bool:
        return s_cov[y] > s_cov[x] or c_cov[y] > c_cov[x] or o_cov[y] > o_cov[x] or f_counts[y] > f_counts[x]

    out = []
    for i in range(count):
        a, b, n0, n1 = i, i + 1, count + 1 + i, 2 * count + 1 + i
        whole = s_cov[b] - s_cov[a]
        night = s_cov[n1] - s_cov[n0]
        any_at_all = seen(a, b)
        night_seen = seen(n0, n1)
        # The daytime is the day without its night: what lies in it is the difference.
        day_seen = (
            (s_cov[b] - s_cov[a]) - night > 0
            or (c_cov[b] - c_cov[a]) - (c_cov[n1] - c_cov[n0]) > 0
            or (o_cov[b] - o_cov[a]) - (o_cov[n1] - o_cov[n0]) > 0
            or (f_counts[b] - f_counts[a]) - (f_counts[n1] - f_counts[n0]) > 0
        )
        out.append(
            FamilyDay(
                date=first + timedelta(days=i),
                start=bounds[i],
                end=bounds[i + 1],
                night_start=night_starts[i],
                night_end=night_ends[i],
                logged=any_at_all,
                day_logged=day_seen,
                night_logged=night_seen,
                sleep_minutes=whole,
                night_sleep_minutes=night,
                day_sleep_minutes=whole - night,
                naps=(s_counts[b] - s_counts[a]) - (s_counts[n1] - s_counts[n0]),
                longest_sleep_minutes=max(lengths[s_counts[a] : s_counts[b]], default=0),
                night_wakings=max(0, s_counts[n1] - 1 - s_ended[i]),
                crying_minutes=c_cov[b] - c_cov[a],
                crying_episodes=c_counts[b] - c_counts[a],
                feedings=f_counts[b] - f_counts[a],
            )
        )
    return out


def rows_logged(
    spans: Iterable[Span], first: date, last: date, settings: Settings, now: datetime
) -> list[bool]:
    """Whether anything was recorded in each of the 24-hour chart's rows (from day_start
    on each date to the next)."""
    if last < first:
        return []
    grid = _DayGrid.build(first, last, settings)
    edges = grid.wall_edges(settings.day_start, settings.tz)
    return _logged_days(_prepare(spans, now), edges)[0]


def row_part_gaps(
    spans: Iterable[Span], first: date, last: date, settings: Settings, now: datetime
) -> list[list[tuple[int, int, int]]]:
    """The nights and daytimes with nothing recorded in them, as the 24-hour chart's rows
    cut them: for each row (from day_start on each date to the next), ``(from, to, end)``
    for each such piece, ``from`` and ``to`` in minutes from the row's start by the wall
    clock, ``end`` the minute stamp at which its night or daytime ends (a part not over
    yet is no gap: the caller compares it with the clock).

    A night is the night window, as in `family_days` ("not logged" in the table), and a
    daytime runs from a night's end to the next night's start. A row with nothing at all
    in it is whole in `rows_logged`; this tells the parts of the other rows."""
    if last < first:
        return []
    count = (last - first).days + 1
    begin = _wall_minutes(settings.day_start)
    night_start, night_end = _wall_minutes(settings.night_start), _wall_minutes(settings.night_end)
    if night_start == night_end:  # no night window: nothing to cut a row into
        return [[] for _ in range(count)]
    day = timedelta(days=1)
    grid = _DayGrid.build(first - day, last + day, settings)
    edges = sorted(grid.night_starts + grid.night_ends)
    logged, _profiles = _logged_days(_prepare(spans, now), edges)
    row_starts = grid.wall_edges(settings.day_start, settings.tz)[1:]
    # Where a row is cut, by the wall clock: each cut inside it is the next edge.
    cuts = sorted({0, (night_start - begin) % 1440, (night_end - begin) % 1440, 1440})
    out = []
    for row in range(count):
        part = bisect_right(edges, row_starts[row]) - 1
        gaps = []
        for low, high in zip(cuts, cuts[1:], strict=False):
            if 0 <= part < len(logged) and not logged[part]:
                gaps.append((low, high, edges[part + 1]))
            part += 1
        out.append(gaps)
    return out


@dataclass(slots=True)
class FamilySummary:
    """Averages over the family's days, each figure over the days whose part it belongs
    to was logged: night figures over logged nights, daytime figures over logged
    daytimes, the rest over logged days. A day's sleep is its night's plus its daytime's."""

    days_logged: int
    nights_logged: int
    daytimes_logged: int
    averages: dict[str, float] = field(default_factory=dict)


_NIGHT_FIGURES = ("night_sleep_minutes", "night_wakings")
_DAYTIME_FIGURES = ("day_sleep_minutes", "naps")
_DAY_FIGURES = ("longest_sleep_minutes", "crying_minutes", "crying_episodes", "feedings")


def _mean(days: list[FamilyDay], name: str) -> float:
    return sum(getattr(day, name) for day in days) / len(days)


def summarise_family(days: list[FamilyDay]) -> FamilySummary:
    logged = [d for d in days if d.logged]
    nights = [d for d in days if d.night_logged]
    daytimes = [d for d in days if d.day_logged]
    averages: dict[str, float] = {}
    for group, names in ((nights, _NIGHT_FIGURES), (daytimes, _DAYTIME_FIGURES), (logged, _DAY_FIGURES)):
        if group:
            averages.update({name: _mean(group, name) for name in names})
    if nights and daytimes:
        averages["sleep_minutes"] = averages["night_sleep_minutes"] + averages["day_sleep_minutes"]
    return FamilySummary(len(logged), len(nights), len(daytimes), averages)


def compare_family_weeks(days: list[FamilyDay]) -> list[tuple[str, int]]:
    """The last 7 of ``days`` (whole days, oldest first) against the 7 before them, as
    `compare_weeks`: each figure over the days its part was logged, and only when both
    weeks have at least `MIN_LOGGED_DAYS_PER_WEEK` of them."""
    if len(days) < 2 * WEEK_DAYS:
        return []
    earlier, recent = days[-2 * WEEK_DAYS : -WEEK_DAYS], days[-WEEK_DAYS:]
    part = {
        "night_sleep_minutes": "night_logged",
        "night_wakings": "night_logged",
        "day_sleep_minutes": "day_logged",
        "crying_minutes": "logged",
        "longest_sleep_minutes": "logged",
    }
    result: list[tuple[str, int]] = []
    for name in COMPARED_FIGURES:
        then = [d for d in earlier if getattr(d, part[name])]
        now_ = [d for d in recent if getattr(d, part[name])]
        if len(then) < MIN_LOGGED_DAYS_PER_WEEK or len(now_) < MIN_LOGGED_DAYS_PER_WEEK:
            continue
        result.append((name, _round_half_away(_mean(now_, name) - _mean(then, name))))
    return result


def summarise(days: list[DayFigures]) -> Summary:
    """Average each daily figure over the logged days only."""
    logged = [day for day in days if day.logged]
    if not logged:
        return Summary(days_logged=0, averages={})
    count = len(logged)
    return Summary(
        days_logged=count,
        averages={
            name: total / count
            for name, total in zip(
                AVERAGED_FIGURES,
                map(sum, zip(*map(attrgetter(*AVERAGED_FIGURES), logged), strict=True)),
                strict=True,
            )
        },
    )


def _round_half_away(value: float) -> int:
    """Round halves away from zero.

    So +2.5 and -2.5 read alike as 3 and -3 (Python's ``round`` rounds halves
    to even: 2, -2, but 4 for 3.5).
    """
    magnitude = int(abs(value) + 0.5)
    return magnitude if value >= 0 else -magnitude


def compare_weeks(days: list[DayFigures]) -> list[tuple[str, int]]:
    """Compare the last 7 dates with the 7 before them, over logged days only.

    Returns ``(figure, last week's average minus the week before's, rounded)``
    for each of `COMPARED_FIGURES`, or nothing when either week has fewer than
    `MIN_LOGGED_DAYS_PER_WEEK` logged days: a comparison built on one or two
    days would read as a trend that is not there. The words are chosen (and
    localised) by the caller.
    """
    if not days:
        return []
    newest = max(day.date for day in days)
    recent: list[DayFigures] = []
    earlier: list[DayFigures] = []
    for day in days:
        if not day.logged:
            continue
        age = (newest - day.date).days
        if age < WEEK_DAYS:
            recent.append(day)
        elif age < 2 * WEEK_DAYS:
            earlier.append(day)
    if len(recent) < MIN_LOGGED_DAYS_PER_WEEK or len(earlier) < MIN_LOGGED_DAYS_PER_WEEK:
        return []
    result: list[tuple[str, int]] = []
    for name in COMPARED_FIGURES:
        now_avg = sum(getattr(day, name) for day in recent) / len(recent)
        then_avg = sum(getattr(day, name) for day in earlier) / len(earlier)
        result.append((name, _round_half_away(now_avg - then_avg)))
    return result


def hourly_crying(
    spans: Iterable[Span],
    first: date,
    last: date,
    settings: Settings,
    now: datetime,
    *,
    days: list[DayFigures] | None = None,
) -> list[float]:
    """Average crying minutes in each local hour of the day (index 0 = 00:00-01:00).

    Divided by the number of logged days, so the chart shows a typical logged
    day and gaps in the diary do not dilute an evening peak. On a clock-change
    day the repeated hour counts in its hour twice, and the skipped hour is
    simply absent.

    ``days``, `analyse`'s result for the same period, is optional: a page that
    has it already passes it, and then only the cryings are read instead of
    every entry being prepared a second time (half the cost for a year).
    """
    if last < first:
        return [0.0] * 24
    spans = list(spans)
    if days is None:
        prepared = _prepare(spans, now)
        logged_days = sum(_logged_days(prepared, _DayGrid.build(first, last, settings).mids)[0])
    else:
        logged_days = sum(1 for day in days if day.logged and first <= day.date <= last)
    if not logged_days:
        return [0.0] * 24
    totals = crying_by_hour(spans, first, last, settings, now)
    return [total / logged_days for total in totals]


def crying_by_hour(
    spans: Iterable[Span], first: date, last: date, settings: Settings, now: datetime
) -> list[int]:
    """Crying minutes in each local hour of the day (index 0 = 00:00-01:00), summed over
    the days ``first``..``last``: the totals of neighbouring periods add up to theirs."""
    totals = [0] * 24
    if last < first:
        return totals
    grid = _DayGrid.build(first, last, settings)
    mids = grid.mids
    crying = _prepare([span for span in spans if span.kind == CRYING], now).crying
    range_low, range_high = mids[0], mids[-1]
    k = bisect_right(crying.ends, range_low)
    while k < len(crying.starts) and crying.starts[k] < range_high:
        start = max(crying.starts[k], range_low)
        end = min(crying.ends[k], range_high)
        k += 1
        # Split the crying at local midnights, then bucket each piece.
        day = bisect_right(mids, start) - 1
        while start < end:
            piece_end = min(end, mids[day + 1])
            if grid.irregular[day]:
                _bucket_by_zone(totals, start, piece_end, settings.tz)
            else:
                _bucket_by_offset(totals, start - mids[day], piece_end - mids[day])
            start = piece_end
            day += 1
    return totals


def _bucket_by_offset(totals: list[int], low: int, high: int) -> None:
    """Add minutes-of-day [low, high) to hour buckets on a day with one offset."""
    while low < high:
        hour = low // 60
        stop = min(high, (hour + 1) * 60)
        totals[hour] += stop - low
        low = stop


def _bucket_by_zone(totals: list[int], low: int, high: int, tz: ZoneInfo) -> None:
    """Add minute stamps [low, high) to hour buckets by the local clock.

    Used on a day whose offset changes: the next boundary is the next wall-clock
    hour, which keeps a repeated hour in its own bucket and skips a missing one.
    """
    while low < high:
        local = datetime.fromtimestamp(low * 60, tz)
        following = local.replace(minute=0, second=0, microsecond=0, fold=0, tzinfo=None)
        following += timedelta(hours=1)
        boundary = _minute_of(wall_instant(following.date(), following.time(), tz))
        stop = min(high, max(boundary, low + 1))
        totals[local.hour] += stop - low
        low = stop
