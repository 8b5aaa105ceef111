"""The day rhythm agreed with the Baby blues worker, and how the diary compares: pure logic.

No Flask and no database: the service validates with `parse_plan` and turns its error
codes into localised messages; the pages draw `plan_trace` behind the 24-hour chart and
word `summarise`'s figures kindly.

Rules of a plan (decided here, described in the OpenAPI document):

* Times are "HH:MM" on the 24-hour clock, 00:00-23:59, two digits each ("7:05" and
  "25:00" are refused, not guessed).
* Bedtime is later than wake-up on the same clock day: a plan never puts bedtime after
  midnight. Night sleep is then "before wake-up" and "after bedtime" of each local day.
* Naps are [from, to] with from < to, within wake-up..bedtime, not overlapping each other
  (touching is allowed), at most `MAX_NAPS`; they are kept in the order of the day.

The comparison with the diary (`analyse`) works in UTC minute stamps, as the rhythm
analysis does. A plan's wall-clock times are turned into instants per local day with the
family's zone, so a bedtime of 19:30 is 19:30 local on both sides of a clock change; a
time in the spring gap (which does not exist that day) moves forward to the first instant
that does, and a time in the autumn repeat is the first of the two.

* Wake-up of a day: the end of the last sleep that started before the planned wake-up,
  if it ended within `WINDOW_MINUTES` of it (a baby back asleep at 06:50 after an early
  waking woke up when that sleep ended).
* Bedtime of a day: the start of the first "night" sleep that starts from two hours
  before the planned bedtime (never before the last planned nap ends) to three hours
  after it; a night sleep lasts at least an hour or is followed by another sleep within
  half an hour, so an evening catnap is not taken for bedtime.
* Naps taken: the sleeps that start between the day's wake-up and bedtime, counted only
  when both were found (otherwise a gap in the diary would look like a day without naps).

Days without a plan, and figures the diary cannot tell (nothing logged that morning or
evening, a sleep still going on, an evening not over yet) are left out, never counted as
a miss.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from companion.diary.rules import MAX_MINUTES, SLEEP
from companion.rhythm.clock import wall_instant

MAX_NAPS = 8
#: How close to the plan counts as "within the plan" in the sentences.
CLOSE_MINUTES = 30
#: How far from the planned wake-up or bedtime the diary is searched for the real one.
WINDOW_MINUTES = 180
BEDTIME_EARLY_MINUTES = 120
NIGHT_SLEEP_MINUTES = 60
BACK_TO_SLEEP_MINUTES = 30
#: Longest sleep (the diary's rules): an ongoing one counts up to now, never beyond.
MAX_SLEEP_MINUTES = MAX_MINUTES[SLEEP]

_CLOCK = re.compile(r"[0-9]{2}:[0-9]{2}")
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY = 24 * 60


class PlanError(ValueError):
    """A plan that breaks the rules: ``fields`` maps each field to an error code.

    Codes: ``required``, ``time`` (not "HH:MM" 00:00-23:59), ``bedtime_order``,
    ``naps_list``, ``too_many``, ``nap_shape`` (not a pair), ``nap_order``,
    ``nap_outside``, ``nap_overlap``. Nap fields are ``naps.<index>`` in the input's order.
    """

    def __init__(self, fields: dict[str, str]):
        super().__init__(", ".join(f"{name}: {code}" for name, code in fields.items()))
        self.fields = fields


@dataclass(frozen=True, slots=True)
class Plan:
    wake: time
    bedtime: time
    naps: tuple[tuple[time, time], ...] = ()

    def as_strings(self) -> dict[str, Any]:
        """The plan in the API's shape (without `from`)."""
        return {
            "wake": clock_text(self.wake),
            "naps": [[clock_text(start), clock_text(end)] for start, end in self.naps],
            "bedtime": clock_text(self.bedtime),
        }

    def sleep_periods(self) -> tuple[tuple[int, int], ...]:
        """Planned sleep of the local day as wall-clock minutes after midnight, in order:
        the night until wake-up, the naps, and the night from bedtime on."""
        periods = [(0, _minutes(self.wake))] if _minutes(self.wake) > 0 else []
        periods += [(_minutes(start), _minutes(end)) for start, end in self.naps]
        periods.append((_minutes(self.bedtime), _DAY))
        return tuple(periods)


def _minutes(clock: time) -> int:
    return clock.hour * 60 + clock.minute


def clock_text(clock: time) -> str:
    return f"{clock.hour:02d}:{clock.minute:02d}"


def parse_clock(value: object) -> time | None:
    """ "HH:MM" on the 24-hour clock, or None for anything else."""
    if not isinstance(value, str) or not _CLOCK.fullmatch(value):
        return None
    hour, minute = int(value[:2]), int(value[3:])
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_plan(data: Mapping[str, object]) -> Plan:
    """A valid plan from the API's shape (``wake``, ``naps``, ``bedtime``); every broken
    rule is reported at once in a `PlanError`."""
    fields: dict[str, str] = {}
    clocks: dict[str, time | None] = {}
    for name in ("wake", "bedtime"):
        raw = data.get(name)
        clocks[name] = parse_clock(raw)
        if raw is None or raw == "":
            fields[name] = "required"
        elif clocks[name] is None:
            fields[name] = "time"
    wake, bedtime = clocks["wake"], clocks["bedtime"]
    if wake is not None and bedtime is not None and bedtime <= wake:
        fields["bedtime"] = "bedtime_order"
    raw_naps = data.get("naps")
    naps: list[tuple[int, time, time]] = []  # (input index, from, to)
    if raw_naps is None:
        raw_naps = []
    if not isinstance(raw_naps, list):
        fields["naps"] = "naps_list"
        raw_naps = []
    elif len(raw_naps) > MAX_NAPS:
        fields["naps"] = "too_many"
        raw_naps = []
    for index, item in enumerate(raw_naps):
        key = f"naps.{index}"
        if not isinstance(item, list | tuple) or len(item) != 2:
            fields[key] = "nap_shape"
            continue
        start, end = parse_clock(item[0]), parse_clock(item[1])
        if start is None or end is None:
            fields[key] = "time"
        elif end <= start:
            fields[key] = "nap_order"
        elif wake is not None and bedtime is not None and (start < wake or end > bedtime):
            fields[key] = "nap_outside"
        else:
            naps.append((index, start, end))
    naps.sort(key=lambda nap: (nap[1], nap[2]))
    for previous, current in zip(naps, naps[1:], strict=False):
        if current[1] < previous[2]:
            fields.setdefault(f"naps.{current[0]}", "nap_overlap")
    if fields:
        raise PlanError(fields)
    assert wake is not None and bedtime is not None
    return Plan(wake, bedtime, tuple((start, end) for _index, start, end in naps))


def in_effect(valid_from: Sequence[date], plans: Sequence[Plan], first: date, days: int) -> list[Plan | None]:
    """The plan in effect on each of ``days`` days from ``first``: the one with the latest
    ``valid_from`` on or before that day (``valid_from`` sorted ascending, plans alike)."""
    out: list[Plan | None] = []
    index = bisect_left(valid_from, first + timedelta(days=1)) - 1  # last one <= first
    for offset in range(days):
        day = first + timedelta(days=offset)
        while index + 1 < len(valid_from) and valid_from[index + 1] <= day:
            index += 1
        out.append(plans[index] if index >= 0 else None)
    return out


# -- the overlay on the 24-hour chart -------------------------------------------------------


def plan_trace(
    plans: Sequence[Plan | None], rows: int, chart_day_start: int, name: str, colour: str = "#8a8f98"
) -> dict[str, Any] | None:
    """One Plotly bar trace outlining the planned sleep on each of ``rows`` chart rows.

    ``plans`` holds the plan of each row's date and, when rows start after midnight, one
    more for the day after the last row (its early hours end that row). The chart places
    bars at their wall-clock hours, so a plan's times need no zone arithmetic here: 19:30
    is at 19.5 on every row, clock-change days included. None when no row has a plan, so
    the chart is then exactly what it was without plans.
    """
    cut = (chart_day_start % 24) * 60
    plans = list(plans[: rows + 1]) + [None] * (rows + 1 - len(plans))
    if not any(plans[: rows + 1 if cut else rows]):
        return None

    def row_bars(today: Plan | None, tomorrow: Plan | None) -> tuple[list[float], list[float]]:
        """(bases, lengths) in hours of a row showing `today` from the row's start to
        midnight and, when rows start after midnight, `tomorrow` up to the row's end."""
        pieces = [(max(a, cut) - cut, b - cut) for a, b in today.sleep_periods() if b > cut] if today else []
        if cut and tomorrow:
            shift = _DAY - cut
            following = [(a + shift, min(b, cut) + shift) for a, b in tomorrow.sleep_periods() if a < cut]
            if pieces and following and pieces[-1][1] == following[0][0]:
                pieces[-1] = (pieces[-1][0], following[0][1])  # one night, not two bars
                following = following[1:]
            pieces += following
        return [round(a / 60, 3) for a, _b in pieces], [round((b - a) / 60, 3) for a, b in pieces]

    # A plan lasts for many days: each pair of plans is worked out once, and a row only
    # copies its bars (a year is about 1,800 bars).
    known: dict[tuple[int, int], tuple[list[float], list[float]]] = {}
    base: list[float] = []
    length: list[float] = []
    row_of: list[int] = []
    for row in range(rows):
        today, tomorrow = plans[row], plans[row + 1] if cut else None
        key = (id(today), id(tomorrow))
        bars = known.get(key)
        if bars is None:
            bars = known[key] = row_bars(today, tomorrow)
        base += bars[0]
        length += bars[1]
        row_of += [row] * len(bars[0])
    return {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "base": base,
        "x": length,
        "y": row_of,
        "width": 0.9,
        "marker": {"color": "rgba(0,0,0,0)", "line": {"color": colour, "width": 1.5}},
        "hoverinfo": "skip",
        "meta": "plan",
    }


# -- the diary compared with the plan -------------------------------------------------------


@dataclass(slots=True)
class DayAdherence:
    """One local day with a plan: what the diary shows next to it.

    ``*_diff`` is actual minus planned in minutes (positive: later than planned); None
    when the diary cannot tell.
    """

    date: date
    planned_naps: int
    wake_minute: int | None = None  # minute stamps (UTC), as the rhythm analysis counts
    wake_diff: int | None = None
    bedtime_minute: int | None = None
    bedtime_diff: int | None = None
    naps: int | None = None

    @property
    def wake(self) -> datetime | None:
        return _moment(self.wake_minute)

    @property
    def bedtime(self) -> datetime | None:
        return _moment(self.bedtime_minute)


@dataclass(frozen=True, slots=True)
class Summary:
    """Figures over a period, counting only the days the diary can tell about."""

    planned_days: int
    wake_days: int
    wake_close: int
    wake_mean_diff: int | None
    bedtime_days: int
    bedtime_close: int
    bedtime_mean_diff: int | None
    nap_days: int
    naps_taken: float | None  # average a day over nap_days
    naps_planned: float | None


def _stamp(moment: date | datetime | int) -> int:
    if isinstance(moment, int):
        return moment
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            msg = f"naive datetime {moment!r}: the plan comparison needs aware times"
            raise ValueError(msg)
        return int(moment.timestamp() // 60)
    raise TypeError(moment)


def _offset(day: date, tz: ZoneInfo) -> int:
    """The zone's UTC offset at the day's local midnight, in minutes."""
    delta = datetime.combine(day, time(0), tzinfo=tz).utcoffset()
    return int(delta.total_seconds() // 60) if delta else 0


def _sleeps(sleeps: Iterable[tuple[Any, Any]], now: int) -> tuple[list[int], list[int], list[bool]]:
    """Starts, ends and "still going on" of the sleeps, merged where they overlap or touch."""
    items = []
    add = items.append
    for start_at, end_at in sleeps:
        # Minute stamps straight from the database need no conversion (a year: thousands).
        start = start_at if type(start_at) is int else _stamp(start_at)
        if end_at is None:
            end = start + MAX_SLEEP_MINUTES
            add((start, end if end < now else now, True))
        else:
            add((start, end_at if type(end_at) is int else _stamp(end_at), False))
    items.sort()
    starts: list[int] = []
    ends: list[int] = []
    open_: list[bool] = []
    for start, end, running in items:
        if end <= start:
            continue
        if starts and start <= ends[-1]:
            if end >= ends[-1]:
                ends[-1], open_[-1] = end, running
            continue
        starts.append(start)
        ends.append(end)
        open_.append(running)
    return starts, ends, open_


def analyse(
    plans: Sequence[Plan | None],
    first: date,
    sleeps: Iterable[tuple[Any, Any]],
    tz: ZoneInfo,
    now: datetime,
) -> list[DayAdherence]:
    """The diary next to the plan for each day from ``first`` that has a plan.

    ``plans`` holds the plan in effect on each day (None: no plan); ``sleeps`` are
    (start, end) pairs as aware datetimes or UTC minute stamps, end None while going on.
    """
    now_minute = _stamp(now)
    starts, ends, running = _sleeps(sleeps, now_minute)
    out: list[DayAdherence] = []
    # Per plan: wake-up, bedtime and the end of the last nap, as times and as minutes.
    clocks: dict[int, tuple[tuple[time, time, time], int, int, int]] = {}
    next_offset = _offset(first, tz)
    ordinal = first.toordinal() - _EPOCH_ORDINAL
    for offset, plan in enumerate(plans):
        day = first + timedelta(days=offset)
        this_offset, next_offset = next_offset, _offset(day + timedelta(days=1), tz)
        if plan is None:
            continue
        known = clocks.get(id(plan))
        if known is None:
            times = (plan.wake, plan.bedtime, plan.naps[-1][1] if plan.naps else plan.wake)
            known = clocks[id(plan)] = (times, *(_minutes(clock) for clock in times))  # type: ignore[assignment]
        times, wake_min, bed_min, floor_min = known
        if this_offset == next_offset:
            # No clock change that day: wall-clock minutes are plain arithmetic.
            midnight = (ordinal + offset) * _DAY - this_offset
            wake_at, bed_at, floor = midnight + wake_min, midnight + bed_min, midnight + floor_min
        else:
            wake_at, bed_at, floor = (_stamp(wall_instant(day, clock, tz)) for clock in times)
        wake = bedtime = naps = None
        if now_minute >= wake_at:
            index = bisect_left(starts, wake_at) - 1  # the last sleep that started before
            if (
                index >= 0
                and not running[index]
                and wake_at - WINDOW_MINUTES <= ends[index] <= wake_at + WINDOW_MINUTES
                and ends[index] <= now_minute
            ):
                wake = ends[index]
        if now_minute >= bed_at + WINDOW_MINUTES:
            low = max(bed_at - BEDTIME_EARLY_MINUTES, floor)
            index = bisect_left(starts, low)
            while index < len(starts) and starts[index] <= bed_at + WINDOW_MINUTES:
                long_enough = ends[index] - starts[index] >= NIGHT_SLEEP_MINUTES or running[index]
                followed = (
                    index + 1 < len(starts) and starts[index + 1] - ends[index] <= BACK_TO_SLEEP_MINUTES
                )
                if long_enough or followed:
                    bedtime = starts[index]
                    break
                index += 1
        if wake is not None and bedtime is not None:
            naps = bisect_left(starts, bedtime) - bisect_left(starts, wake)
        out.append(
            DayAdherence(
                date=day,
                planned_naps=len(plan.naps),
                wake_minute=wake,
                wake_diff=None if wake is None else wake - wake_at,
                bedtime_minute=bedtime,
                bedtime_diff=None if bedtime is None else bedtime - bed_at,
                naps=naps,
            )
        )
    return out


def _moment(stamp: int | None) -> datetime | None:
    return None if stamp is None else datetime.fromtimestamp(stamp * 60, UTC)


def _mean(values: list[int]) -> int | None:
    if not values:
        return None
    return int(round(sum(values) / len(values)))


def summarise(days: Sequence[DayAdherence], close: int = CLOSE_MINUTES) -> Summary:
    wakes = [d.wake_diff for d in days if d.wake_diff is not None]
    beds = [d.bedtime_diff for d in days if d.bedtime_diff is not None]
    nap_days = [d for d in days if d.naps is not None]
    return Summary(
        planned_days=len(days),
        wake_days=len(wakes),
        wake_close=sum(1 for diff in wakes if abs(diff) <= close),
        wake_mean_diff=_mean(wakes),
        bedtime_days=len(beds),
        bedtime_close=sum(1 for diff in beds if abs(diff) <= close),
        bedtime_mean_diff=_mean(beds),
        nap_days=len(nap_days),
        naps_taken=sum(d.naps or 0 for d in nap_days) / len(nap_days) if nap_days else None,
        naps_planned=sum(d.planned_naps for d in nap_days) / len(nap_days) if nap_days else None,
    )
