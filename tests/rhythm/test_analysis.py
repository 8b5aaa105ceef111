"""The rhythm analysis: known figures, clock changes, and properties over random diaries.

The analysis is pure, so these tests build entries directly (no app, no database).
Times are written as Helsinki wall-clock times, the way a parent reads them, and the
expected figures are worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from companion.rhythm.analysis import (
    AVERAGED_FIGURES,
    COMPARED_FIGURES,
    DayFigures,
    Settings,
    Span,
    analyse,
    compare_weeks,
    hourly_crying,
    query_window,
    summarise,
)
from companion.rhythm.clock import local_day_bounds

#: How the JSON API writes days (`rhythm.schemas.Rhythm`).
DAYS = TypeAdapter(list[DayFigures])

HELSINKI = ZoneInfo("Europe/Helsinki")
DEFAULT = Settings()
LATER = datetime(2030, 1, 1, tzinfo=UTC)  # "now" far after every entry: nothing ongoing
AUTUMN_CHANGE = date(2025, 10, 26)  # 04:00 EEST -> 03:00 EET: 25 hours
SPRING_CHANGE = date(2026, 3, 29)  # 03:00 EET -> 04:00 EEST: 23 hours


def at(day: date, hour: int, minute: int = 0, *, days: int = 0) -> datetime:
    """A Helsinki wall-clock time (the first one when ambiguous) as aware UTC."""
    wall = datetime.combine(day + timedelta(days=days), time(hour, minute), tzinfo=HELSINKI)
    return wall.astimezone(UTC)


def sleep(start: datetime, end: datetime | None) -> Span:
    return Span("sleep", start, end)


def crying(start: datetime, end: datetime | None) -> Span:
    return Span("crying", start, end)


def feeding(moment: datetime) -> Span:
    return Span("feeding", moment, None)


def note(moment: datetime) -> Span:
    return Span("note", moment, None)


def figures(spans: list[Span], day: date, now: datetime = LATER, s: Settings = DEFAULT):
    """The figures of one day."""
    (result,) = analyse(spans, day, day, s, now)
    assert result.date == day
    return result


def by_date(days: list[DayFigures]) -> dict[date, DayFigures]:
    return {day.date: day for day in days}


# --------------------------------------------------------------------------
# Clock changes


def test_autumn_clock_change_day_has_25_hours_and_a_7_hour_night():
    # 01:00 EEST is 22:00Z the day before; 07:00 EET is 05:00Z: seven real hours.
    spans = [sleep(at(AUTUMN_CHANGE, 1), at(AUTUMN_CHANGE, 7))]
    day = figures(spans, AUTUMN_CHANGE)
    assert day.hours == 25
    assert day.sleep_minutes == 420
    assert day.longest_sleep_minutes == 420
    # The sleep belongs to the night that began on the 25th.
    night_before = figures(spans, AUTUMN_CHANGE - timedelta(days=1))
    assert night_before.night_sleep_minutes == 420
    assert night_before.logged is False


def test_spring_clock_change_day_has_23_hours_and_a_5_hour_night():
    # 01:00 EET is 23:00Z the day before; 07:00 EEST is 04:00Z: five real hours.
    spans = [sleep(at(SPRING_CHANGE, 1), at(SPRING_CHANGE, 7))]
    day = figures(spans, SPRING_CHANGE)
    assert day.hours == 23
    assert day.sleep_minutes == 300
    assert figures(spans, SPRING_CHANGE - timedelta(days=1)).night_sleep_minutes == 300


def test_ordinary_days_have_24_hours():
    days = analyse([], date(2025, 10, 24), date(2025, 10, 28), DEFAULT, LATER)
    assert [d.hours for d in days] == [24, 24, 25, 24, 24]


def test_local_day_bounds_on_clock_change_days():
    assert local_day_bounds(AUTUMN_CHANGE, HELSINKI) == (
        datetime(2025, 10, 25, 21, 0, tzinfo=UTC),
        datetime(2025, 10, 26, 22, 0, tzinfo=UTC),
    )
    assert local_day_bounds(SPRING_CHANGE, HELSINKI) == (
        datetime(2026, 3, 28, 22, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 21, 0, tzinfo=UTC),
    )


def test_night_end_in_the_spring_gap_moves_forward_to_the_first_existing_instant():
    # Night 22:00-03:30; on 2026-03-29 03:30 does not exist, so the night ends at
    # 04:00 EEST = 01:00Z. The sleep 00:00 EET (22:00Z) - 06:00 EEST (03:00Z)
    # is 180 minutes of night and 120 minutes of the next day's window.
    s = Settings(night_start=time(22, 0), night_end=time(3, 30))
    spans = [sleep(at(SPRING_CHANGE, 0), at(SPRING_CHANGE, 6))]
    before, day = analyse(spans, SPRING_CHANGE - timedelta(days=1), SPRING_CHANGE, s, LATER)
    assert before.night_sleep_minutes == 180
    assert day.day_sleep_minutes == 120


def test_ambiguous_night_end_takes_the_first_instant():
    # Night 22:00-03:30; on 2025-10-26 03:30 happens twice, the first is 00:30Z.
    # Sleep 00:00 EEST (21:00Z) - 06:00 EET (04:00Z): 210 night + 210 day.
    s = Settings(night_start=time(22, 0), night_end=time(3, 30))
    spans = [sleep(at(AUTUMN_CHANGE, 0), at(AUTUMN_CHANGE, 6))]
    before, day = analyse(spans, AUTUMN_CHANGE - timedelta(days=1), AUTUMN_CHANGE, s, LATER)
    assert before.night_sleep_minutes == 210
    assert day.day_sleep_minutes == 210


# --------------------------------------------------------------------------
# Day figures


NOV3 = date(2025, 11, 3)


def test_sleep_across_midnight_is_split_between_the_calendar_days():
    spans = [sleep(at(NOV3, 21), at(NOV3, 6, days=1))]
    first, second = analyse(spans, NOV3, NOV3 + timedelta(days=1), DEFAULT, LATER)
    assert (first.sleep_minutes, second.sleep_minutes) == (180, 360)
    # Night figures follow the night that begins on the 3rd.
    assert first.night_sleep_minutes == 540
    assert second.night_sleep_minutes == 0
    assert (first.day_sleep_minutes, second.day_sleep_minutes) == (0, 0)


def test_longest_sleep_is_the_whole_length_of_a_sleep_starting_that_day():
    spans = [
        sleep(at(NOV3, 13), at(NOV3, 14)),
        sleep(at(NOV3, 22), at(NOV3, 5, days=1) + timedelta(minutes=30)),
        sleep(at(NOV3, 13, days=1), at(NOV3, 13, days=1) + timedelta(minutes=45)),
    ]
    first, second = analyse(spans, NOV3, NOV3 + timedelta(days=1), DEFAULT, LATER)
    assert first.longest_sleep_minutes == 450  # not the 120 minutes before midnight
    assert first.sleep_minutes == 60 + 120
    # The carried-over night sleep started the day before; the nap is the longest.
    assert second.longest_sleep_minutes == 45


def test_ongoing_sleep_counts_up_to_now():
    now = at(NOV3, 23, 30)
    day = figures([sleep(at(NOV3, 20), None)], NOV3, now)
    assert day.sleep_minutes == 210
    assert day.night_sleep_minutes == 210
    assert day.longest_sleep_minutes == 210


def test_forgotten_ongoing_entries_stop_at_their_maximum_length():
    # A sleep left running for days counts 24 h; a crying 12 h.
    spans = [sleep(at(NOV3, 20), None), crying(at(NOV3, 8, days=5), None)]
    days = by_date(analyse(spans, NOV3, NOV3 + timedelta(days=5), DEFAULT, LATER))
    assert days[NOV3].sleep_minutes == 240
    assert days[NOV3 + timedelta(days=1)].sleep_minutes == 20 * 60
    assert days[NOV3 + timedelta(days=2)].logged is False
    assert days[NOV3 + timedelta(days=5)].crying_minutes == 12 * 60


def test_ongoing_entry_starting_after_now_counts_no_minutes():
    day = figures([sleep(at(NOV3, 20), None)], NOV3, now=at(NOV3, 19))
    assert day.sleep_minutes == 0
    assert day.logged is True  # it was recorded all the same


def test_night_wakings_are_the_gaps_between_sleeps_inside_the_night():
    spans = [
        sleep(at(NOV3, 19, 30), at(NOV3, 23)),
        sleep(at(NOV3, 23, 40), at(NOV3, 2, 10, days=1)),
        sleep(at(NOV3, 2, 45, days=1), at(NOV3, 6, 30, days=1)),
        # Morning: the gap from 06:30 to 08:00 crosses 07:00, so it is no waking.
        sleep(at(NOV3, 8, days=1), at(NOV3, 9, days=1)),
    ]
    day = figures(spans, NOV3)
    assert day.night_wakings == 2
    assert day.night_sleep_minutes == 210 + 150 + 225


def test_a_single_night_sleep_has_no_wakings():
    day = figures([sleep(at(NOV3, 19, 30), at(NOV3, 6, 30, days=1))], NOV3)
    assert day.night_wakings == 0
    assert day.night_sleep_minutes == 660


def test_naps_day_sleep_and_wake_windows():
    spans = [
        sleep(at(NOV3, 1), at(NOV3, 6, 30)),  # last night: ends before 07:00
        sleep(at(NOV3, 9), at(NOV3, 10)),
        sleep(at(NOV3, 12, 30), at(NOV3, 14)),
        sleep(at(NOV3, 16), at(NOV3, 16, 45)),
        sleep(at(NOV3, 19, 30), at(NOV3, 23)),  # tonight: not a nap
        feeding(at(NOV3, 8)),
        feeding(at(NOV3, 11)),
        note(at(NOV3, 12)),
    ]
    day = figures(spans, NOV3)
    assert day.naps == 3
    assert day.day_sleep_minutes == 60 + 90 + 45
    # 10:00-12:30 and 14:00-16:00; the gaps crossing 07:00 and 19:00 are left out.
    assert day.wake_windows == [150, 120]
    assert day.feedings == 2
    assert day.sleep_minutes == 330 + 60 + 90 + 45 + 210


def test_crying_minutes_and_episodes():
    spans = [
        crying(at(NOV3, 17), at(NOV3, 17, 40)),
        crying(at(NOV3, 23, 30), at(NOV3, 0, 30, days=1)),
    ]
    first, second = analyse(spans, NOV3, NOV3 + timedelta(days=1), DEFAULT, LATER)
    assert (first.crying_minutes, first.crying_episodes) == (70, 2)
    assert (second.crying_minutes, second.crying_episodes) == (30, 0)


def test_day_without_entries_is_not_logged_but_keeps_its_night():
    nov10 = date(2025, 11, 10)
    spans = [
        sleep(at(nov10, 0, 30, days=1), at(nov10, 3, days=1)),
        sleep(at(nov10, 3, 30, days=1), at(nov10, 5, days=1)),
    ]
    day, after = analyse(spans, nov10, nov10 + timedelta(days=1), DEFAULT, LATER)
    assert day.logged is False
    assert (day.sleep_minutes, day.day_sleep_minutes, day.naps, day.crying_minutes) == (0, 0, 0, 0)
    assert day.night_sleep_minutes == 150 + 90
    assert day.night_wakings == 1
    assert after.logged is True


def test_a_point_entry_alone_makes_a_day_logged():
    days = analyse([note(at(NOV3, 12))], NOV3, NOV3 + timedelta(days=1), DEFAULT, LATER)
    assert [d.logged for d in days] == [True, False]


def test_overlapping_sleeps_are_merged_and_touching_ones_joined():
    spans = [
        sleep(at(NOV3, 20), at(NOV3, 23)),
        sleep(at(NOV3, 22), at(NOV3, 1, days=1)),  # overlaps: the service forbids it
        sleep(at(NOV3, 13), at(NOV3, 13, 30)),
        sleep(at(NOV3, 13, 30), at(NOV3, 14, 30)),  # moved to bed: the same nap
    ]
    day = figures(spans, NOV3)
    assert day.night_sleep_minutes == 300
    assert day.night_wakings == 0
    assert day.naps == 1
    assert day.day_sleep_minutes == 90
    assert day.longest_sleep_minutes == 300


def test_minutes_follow_the_clock_times_shown():
    # 10:00:50-10:45:10 reads as 10:00-10:45 in the diary: 45 minutes.
    start = at(NOV3, 10) + timedelta(seconds=50)
    day = figures([sleep(start, at(NOV3, 10, 45) + timedelta(seconds=10))], NOV3)
    assert day.sleep_minutes == 45


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        analyse([sleep(datetime(2025, 11, 3, 10), None)], NOV3, NOV3, DEFAULT, LATER)


def test_night_window_inside_one_date():
    # Night 00:00-06:00: the day window of D is [D 06:00, D+1 00:00) and its
    # night [D+1 00:00, D+1 06:00).
    s = Settings(night_start=time(0, 0), night_end=time(6, 0))
    spans = [
        sleep(at(NOV3, 21), at(NOV3, 23)),
        sleep(at(NOV3, 1, days=1), at(NOV3, 5, days=1)),
    ]
    day = figures(spans, NOV3, s=s)
    assert day.day_sleep_minutes == 120
    assert day.naps == 1
    assert day.night_sleep_minutes == 240


def test_a_day_has_the_api_shape():
    spans = [sleep(at(NOV3, 9), at(NOV3, 10))]
    shape = DAYS.dump_python([figures(spans, NOV3)], mode="json")[0]
    assert shape == {
        "date": "2025-11-03",
        "hours": 24,
        "logged": True,
        "sleep_minutes": 60,
        "night_sleep_minutes": 0,
        "day_sleep_minutes": 60,
        "naps": 1,
        "longest_sleep_minutes": 60,
        "night_wakings": 0,
        "crying_minutes": 0,
        "crying_episodes": 0,
        "feedings": 0,
        "wake_windows": [],
    }


def test_query_window_reaches_the_last_night_and_a_day_back():
    low, high = query_window(NOV3, date(2025, 11, 9), DEFAULT)
    # Local midnight of the 3rd (22:00Z on the 2nd) less 24 h, to 07:00 on the 10th.
    assert low == datetime(2025, 11, 1, 22, 0, tzinfo=UTC)
    assert high == datetime(2025, 11, 10, 5, 0, tzinfo=UTC)


def test_empty_range():
    assert analyse([], NOV3, NOV3 - timedelta(days=1), DEFAULT, LATER) == []


# --------------------------------------------------------------------------
# Hourly crying


def test_hourly_crying_shows_the_evening_peak_over_logged_days():
    spans = []
    for offset in range(3):
        spans.append(crying(at(NOV3, 18, days=offset), at(NOV3, 19, days=offset)))
    spans.append(crying(at(NOV3, 10), at(NOV3, 10, 20)))
    spans.append(crying(at(NOV3, 17, 30, days=3), at(NOV3, 18, 30, days=3)))
    # Logged days: the 3rd to the 6th (4); the 7th-9th have nothing and do not count.
    hours = hourly_crying(spans, NOV3, NOV3 + timedelta(days=6), DEFAULT, LATER)
    assert len(hours) == 24
    assert hours[18] == pytest.approx((3 * 60 + 30) / 4)
    assert hours[17] == pytest.approx(30 / 4)
    assert hours[10] == pytest.approx(20 / 4)
    assert max(range(24), key=hours.__getitem__) == 18
    assert sum(hours) == pytest.approx((3 * 60 + 20 + 60) / 4)


def test_hourly_crying_accepts_the_days_already_analysed():
    spans = [crying(at(NOV3, 18), at(NOV3, 19)), feeding(at(NOV3, 9, days=1))]
    last = NOV3 + timedelta(days=2)
    days = analyse(spans, NOV3, last, DEFAULT, LATER)
    assert hourly_crying(spans, NOV3, last, DEFAULT, LATER, days=days) == hourly_crying(
        spans, NOV3, last, DEFAULT, LATER
    )
    assert hourly_crying(spans, NOV3, last, DEFAULT, LATER)[18] == pytest.approx(30.0)


def test_hourly_crying_on_clock_change_days():
    # Autumn: 02:30 EEST - 04:30 EET is 3 real hours, two of them showing "03".
    autumn = [crying(at(AUTUMN_CHANGE, 2, 30), at(AUTUMN_CHANGE, 4, 30))]
    hours = hourly_crying(autumn, AUTUMN_CHANGE, AUTUMN_CHANGE, DEFAULT, LATER)
    assert (hours[2], hours[3], hours[4]) == (30.0, 120.0, 30.0)
    # Spring: 02:30 EET - 04:30 EEST is 1 real hour; "03" never shows.
    spring = [crying(at(SPRING_CHANGE, 2, 30), at(SPRING_CHANGE, 4, 30))]
    hours = hourly_crying(spring, SPRING_CHANGE, SPRING_CHANGE, DEFAULT, LATER)
    assert (hours[2], hours[3], hours[4]) == (30.0, 0.0, 30.0)


def test_hourly_crying_without_logged_days_is_all_zero():
    assert hourly_crying([], NOV3, NOV3, DEFAULT, LATER) == [0.0] * 24


# --------------------------------------------------------------------------
# Summary and week comparison


def day_with(day: date, *, logged: bool = True, **values: int) -> DayFigures:
    base = dict.fromkeys(AVERAGED_FIGURES, 0)
    base.update(values)
    return DayFigures(date=day, hours=24, logged=logged, wake_windows=[], **base)


def test_summarise_averages_logged_days_only():
    days = [
        day_with(NOV3, sleep_minutes=600, night_sleep_minutes=500, naps=2),
        day_with(NOV3 + timedelta(days=1), logged=False, night_sleep_minutes=270),
        day_with(NOV3 + timedelta(days=2), sleep_minutes=700, night_sleep_minutes=560, naps=3),
        day_with(NOV3 + timedelta(days=3), logged=False),
        day_with(NOV3 + timedelta(days=4), sleep_minutes=800, night_sleep_minutes=620, naps=3),
    ]
    summary = summarise(days)
    assert summary.days_logged == 3
    assert summary.averages["sleep_minutes"] == pytest.approx(700.0)
    assert summary.averages["night_sleep_minutes"] == pytest.approx(560.0)
    assert summary.averages["naps"] == pytest.approx(8 / 3)
    assert set(summary.averages) == set(AVERAGED_FIGURES)


def test_summarise_with_nothing_logged_invents_no_zeros():
    summary = summarise([day_with(NOV3, logged=False)])
    assert summary.days_logged == 0
    assert summary.averages == {}


def two_weeks(earlier_logged: int, recent_logged: int) -> list[DayFigures]:
    """14 days; the first `n` of each week logged with fixed figures."""
    days = []
    for offset in range(14):
        recent = offset >= 7
        logged = (offset - 7 if recent else offset) < (recent_logged if recent else earlier_logged)
        values = (
            {"night_sleep_minutes": 630, "crying_minutes": 40, "night_wakings": 1}
            if recent
            else {"night_sleep_minutes": 600, "crying_minutes": 65, "night_wakings": 3}
        )
        days.append(day_with(NOV3 + timedelta(days=offset), logged=logged, **values))
    return days


def test_compare_weeks_gives_signed_differences():
    result = dict(compare_weeks(two_weeks(3, 4)))
    assert list(result) == list(COMPARED_FIGURES)
    assert result["night_sleep_minutes"] == 30
    assert result["crying_minutes"] == -25
    assert result["night_wakings"] == -2
    assert result["day_sleep_minutes"] == 0


def test_compare_weeks_ignores_days_not_logged():
    days = two_weeks(3, 3)
    # A not-logged day with night figures must not pull the recent average down.
    days[-1] = day_with(days[-1].date, logged=False, night_sleep_minutes=0)
    days[-2] = day_with(days[-2].date, logged=False, night_sleep_minutes=0)
    assert dict(compare_weeks(days))["night_sleep_minutes"] == 30


@pytest.mark.parametrize(("earlier", "recent"), [(2, 7), (7, 2), (0, 0)])
def test_compare_weeks_needs_three_logged_days_in_each_week(earlier, recent):
    assert compare_weeks(two_weeks(earlier, recent)) == []


def test_compare_weeks_uses_the_newest_date_whatever_the_order():
    days = two_weeks(3, 3)
    assert compare_weeks(list(reversed(days))) == compare_weeks(days)


# --------------------------------------------------------------------------
# Properties over random diaries around both clock changes


FIRST_DAYS = [date(2025, 10, 20), date(2026, 3, 23), date(2025, 6, 2)]
RANGE_DAYS = 14


@st.composite
def diaries(draw):
    """Non-overlapping sleeps and cryings (touching allowed, some with seconds),
    feeding and note points, maybe one ongoing entry, over about three weeks."""
    first = draw(st.sampled_from(FIRST_DAYS))
    cursor = at(first, 0, days=-1) + timedelta(minutes=draw(st.integers(0, 24 * 60)))
    spans: list[Span] = []
    for _ in range(draw(st.integers(0, 50))):
        kind = draw(st.sampled_from(["sleep", "sleep", "crying"]))
        limit = 24 * 60 if kind == "sleep" else 12 * 60
        start = cursor + timedelta(
            minutes=draw(st.integers(0, 14 * 60)), seconds=draw(st.sampled_from([0, 0, 20, 59]))
        )
        end = start + timedelta(
            minutes=draw(st.integers(1, limit - 1)), seconds=draw(st.sampled_from([0, 0, 40]))
        )
        spans.append(Span(kind, start, end))
        cursor = end
    now = LATER
    if draw(st.booleans()):
        kind = draw(st.sampled_from(["sleep", "crying"]))
        start = cursor + timedelta(minutes=draw(st.integers(0, 600)))
        spans.append(Span(kind, start, None))
        now = start + timedelta(minutes=draw(st.integers(0, 40 * 60)))
    for minutes in draw(st.lists(st.integers(0, (RANGE_DAYS + 2) * 24 * 60), max_size=30)):
        moment = at(first, 0, days=-1) + timedelta(minutes=minutes)
        spans.append(Span(draw(st.sampled_from(["feeding", "note"])), moment, None))
    return first, spans, now


def floor_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def effective(spans: list[Span], kind: str, now: datetime) -> list[tuple[datetime, datetime]]:
    """The intervals of one kind as the diary shows them: whole minutes, ongoing up to now."""
    cap = timedelta(hours=24 if kind == "sleep" else 12)
    out = []
    for span in spans:
        if span.kind != kind:
            continue
        end = span.end if span.end is not None else min(now, span.start + cap)
        start, end = floor_minute(span.start), floor_minute(end)
        if end > start:
            out.append((start, end))
    return sorted(out)


def clipped_minutes(intervals: list[tuple[datetime, datetime]], low: datetime, high: datetime):
    total = timedelta()
    for start, end in intervals:
        if end > low and start < high:
            total += min(end, high) - max(start, low)
    return total // timedelta(minutes=1)


@settings(deadline=None)
@given(diaries())
def test_minutes_never_exceed_the_hours_of_the_day(diary):
    first, spans, now = diary
    for day in analyse(spans, first, first + timedelta(days=RANGE_DAYS), DEFAULT, now):
        assert day.hours in (23, 24, 25)
        assert day.hours == {AUTUMN_CHANGE: 25, SPRING_CHANGE: 23}.get(day.date, 24)
        assert 0 <= day.sleep_minutes + day.crying_minutes <= day.hours * 60
        window = (at(day.date, 19) - at(day.date, 7)) // timedelta(minutes=1)
        night = (at(day.date, 7, days=1) - at(day.date, 19)) // timedelta(minutes=1)
        assert 0 <= day.day_sleep_minutes <= window
        assert 0 <= day.night_sleep_minutes <= night
        assert sum(day.wake_windows) <= window
        if not day.logged:
            assert day.sleep_minutes == day.crying_minutes == day.feedings == 0


@settings(deadline=None)
@given(diaries())
def test_day_minutes_add_up_to_the_range_total(diary):
    first, spans, now = diary
    last = first + timedelta(days=RANGE_DAYS)
    days = analyse(spans, first, last, DEFAULT, now)
    low, high = local_day_bounds(first, HELSINKI)[0], local_day_bounds(last, HELSINKI)[1]
    sleeps, cryings = effective(spans, "sleep", now), effective(spans, "crying", now)
    assert sum(d.sleep_minutes for d in days) == clipped_minutes(sleeps, low, high)
    assert sum(d.crying_minutes for d in days) == clipped_minutes(cryings, low, high)
    # Day windows and nights tile 07:00 on the first day to 07:00 after the last.
    morning, next_morning = at(first, 7), at(last, 7, days=1)
    assert sum(d.day_sleep_minutes + d.night_sleep_minutes for d in days) == clipped_minutes(
        sleeps, morning, next_morning
    )


@settings(deadline=None)
@given(diaries(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_entry_order(diary, rng):
    first, spans, now = diary
    last = first + timedelta(days=RANGE_DAYS)
    shuffled = list(spans)
    rng.shuffle(shuffled)
    assert analyse(shuffled, first, last, DEFAULT, now) == analyse(spans, first, last, DEFAULT, now)
    assert hourly_crying(shuffled, first, last, DEFAULT, now) == hourly_crying(
        spans, first, last, DEFAULT, now
    )


def merged(intervals: list[tuple[datetime, datetime]]) -> list[list[datetime]]:
    """Join intervals that touch (the next starts the minute the last one ends)."""
    out: list[list[datetime]] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return out


def brute_force_counts(spans: list[Span], day: date, now: datetime) -> dict[str, object]:
    """The count figures straight from their definitions, one day at a time."""
    minute = timedelta(minutes=1)
    sleeps = merged(effective(spans, "sleep", now))
    cryings = merged(effective(spans, "crying", now))
    midnight, next_midnight = local_day_bounds(day, HELSINKI)
    opens, closes, night_end = at(day, 7), at(day, 19), at(day, 7, days=1)

    def today(moment: datetime) -> bool:
        return midnight <= moment < next_midnight

    def recorded(span: Span) -> tuple[datetime, datetime]:
        """What a span occupies: its minutes, or at least the minute it starts in."""
        start = floor_minute(span.start)
        if span.end is not None:
            end = floor_minute(span.end)
        elif span.kind in ("sleep", "crying"):
            cap = timedelta(hours=24 if span.kind == "sleep" else 12)
            end = floor_minute(min(now, span.start + cap))
        else:
            end = start
        return start, max(end, start + minute)

    def in_night(interval: list[datetime]) -> bool:
        return interval[0] < night_end and interval[1] > closes

    logged = any(start < next_midnight and end > midnight for start, end in map(recorded, spans))
    pairs = list(zip(sleeps, sleeps[1:], strict=False))
    return {
        "logged": logged,
        "naps": sum(1 for s in sleeps if opens <= s[0] < closes) if logged else 0,
        "night_wakings": sum(
            1 for a, b in pairs if in_night(a) and in_night(b) and closes <= a[1] and b[0] <= night_end
        ),
        "longest_sleep_minutes": max(((s[1] - s[0]) // minute for s in sleeps if today(s[0])), default=0),
        "crying_episodes": sum(1 for c in cryings if today(c[0])),
        "feedings": sum(1 for s in spans if s.kind == "feeding" and today(floor_minute(s.start))),
        "wake_windows": [(b[0] - a[1]) // minute for a, b in pairs if opens <= a[1] and b[0] <= closes]
        if logged
        else [],
    }


@settings(deadline=None)
@given(diaries())
def test_counts_match_their_definitions(diary):
    first, spans, now = diary
    last = first + timedelta(days=RANGE_DAYS)
    for day in analyse(spans, first, last, DEFAULT, now):
        expected = brute_force_counts(spans, day.date, now)
        actual = {key: getattr(day, key) for key in expected}
        assert actual == expected, day.date
