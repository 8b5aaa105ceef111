"""The family's day, as the rhythm pages show it: from the day start to the next, one whole
night inside, sleep = night + daytime, and a part with nothing in it "not logged"."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import settings as hsettings

from companion.rhythm.analysis import (
    FamilyDay,
    Settings,
    compare_family_weeks,
    family_day_start,
    family_days,
    row_part_gaps,
    rows_logged,
    summarise_family,
)
from companion.rhythm.schemas import family_day_body
from tests.rhythm.test_analysis import (
    AUTUMN_CHANGE,
    HELSINKI,
    LATER,
    RANGE_DAYS,
    at,
    clipped_minutes,
    crying,
    diaries,
    effective,
    feeding,
    sleep,
)

DAY = date(2026, 1, 12)


def one(spans, day=DAY, s=Settings()):
    return family_days(spans, day, day, s, LATER)[0]


@pytest.mark.parametrize(
    "day_start, night, expected",
    [
        (0, (19, 7), 7),  # midnight is inside the night: the day starts when the night ends
        (6, (19, 7), 7),
        (18, (19, 7), 18),
        (0, (22, 6), 6),
        (6, (22, 6), 6),  # the night has ended at 06:00
        (0, (0, 6), 6),
        (18, (0, 6), 18),
    ],
)
def test_the_day_starts_at_the_setting_unless_a_night_is_going_on(day_start, night, expected):
    s = Settings(HELSINKI, time(night[0]), time(night[1]), time(day_start))
    assert family_day_start(s) == time(expected)


def test_a_day_is_its_daytime_and_the_night_that_follows_and_they_add_up():
    # 07:00 -> 07:00 with the usual settings: naps 10-11 and 14-15:30, night 19:30-02:00 and 02:40-06:30
    spans = [
        sleep(at(DAY, 5), at(DAY, 6, 30)),  # the night before: not this day's
        sleep(at(DAY, 10), at(DAY, 11)),
        sleep(at(DAY, 14), at(DAY, 15, 30)),
        sleep(at(DAY, 19, 30), at(DAY, 2, days=1)),
        sleep(at(DAY, 2, 40, days=1), at(DAY, 6, 30, days=1)),
        crying(at(DAY, 18), at(DAY, 18, 45)),
        feeding(at(DAY, 23)),
        feeding(at(DAY, 6, days=1)),
    ]
    day = one(spans)
    assert (day.start, day.end) == (at(DAY, 7).timestamp() // 60, at(DAY, 7, days=1).timestamp() // 60)
    assert (day.night_start, day.night_end) == (
        at(DAY, 19).timestamp() // 60,
        at(DAY, 7, days=1).timestamp() // 60,
    )
    assert day.day_sleep_minutes == 150
    assert day.night_sleep_minutes == 390 + 230
    assert day.sleep_minutes == day.day_sleep_minutes + day.night_sleep_minutes
    assert day.naps == 2 and day.night_wakings == 1
    assert day.crying_minutes == 45 and day.crying_episodes == 1 and day.feedings == 2
    assert day.longest_sleep_minutes == 390
    assert day.logged and day.day_logged and day.night_logged


def test_a_night_nobody_logged_is_not_logged_and_not_zero():
    day = one([sleep(at(DAY, 10), at(DAY, 11)), feeding(at(DAY, 13))])
    assert day.logged and day.day_logged and not day.night_logged
    body = family_day_body(day).model_dump(mode="json")
    assert body["night_sleep_minutes"] is None and body["night_wakings"] is None
    assert body["sleep_minutes"] is None  # not known without the night
    assert body["day_sleep_minutes"] == 60 and body["naps"] == 1


def test_a_logged_night_after_a_daytime_nobody_logged():
    day = one([sleep(at(DAY, 20), at(DAY, 5, days=1))])
    assert day.night_logged and not day.day_logged
    body = family_day_body(day).model_dump(mode="json")
    assert body["day_sleep_minutes"] is None and body["naps"] is None
    assert body["night_sleep_minutes"] == 540


def test_a_day_with_nothing_is_not_logged():
    day = one([sleep(at(DAY, 20), at(DAY, 5, days=1))], day=DAY + timedelta(days=2))
    assert not (day.logged or day.day_logged or day.night_logged)


def test_the_evening_start_keeps_the_night_inside_the_day():
    s = Settings(HELSINKI, time(19), time(7), time(18))
    day = one([sleep(at(DAY, 19), at(DAY, 6, days=1)), sleep(at(DAY, 9, days=1), at(DAY, 10, days=1))], s=s)
    assert day.start == at(DAY, 18).timestamp() // 60 and day.end == at(DAY, 18, days=1).timestamp() // 60
    assert (day.night_sleep_minutes, day.day_sleep_minutes, day.naps) == (660, 60, 1)


def test_a_clock_change_day_is_25_hours():
    day = one([sleep(at(AUTUMN_CHANGE, 1), at(AUTUMN_CHANGE, 5))], day=AUTUMN_CHANGE - timedelta(days=1))
    # 07:00 on 25.10. to 07:00 on 26.10. holds the extra hour, and the sleep across it
    assert day.hours == 25 and day.night_sleep_minutes == 300


def test_rows_logged_follows_the_chart_rows_not_the_family_days():
    spans = [feeding(at(DAY, 3))]  # before 07:00: in the row of DAY, in the family's day before it
    assert rows_logged(spans, DAY, DAY, Settings(), LATER) == [True]
    assert one(spans).logged is False


def pieces(gaps) -> list[list[tuple[int, int]]]:
    return [[(low, high) for low, high, _end in row] for row in gaps]


def test_a_night_with_nothing_in_it_is_a_gap_in_both_rows_it_crosses():
    """Naps on two days and nothing at night: the chart's rows (from 00:00) show the night
    between them as not logged, its end at the top of one row and its start at the bottom of
    the other; the daytimes with naps are not gaps."""
    spans = [sleep(at(DAY, 12), at(DAY, 13)), sleep(at(DAY, 12, days=1), at(DAY, 13, days=1))]
    gaps = row_part_gaps(spans, DAY, DAY + timedelta(days=1), Settings(), LATER)
    assert pieces(gaps) == [[(0, 420), (1140, 1440)], [(0, 420), (1140, 1440)]]
    # Each piece says when its night ends: the night of DAY ends at 07:00 the next morning.
    assert gaps[0][1][2] == at(DAY, 7, days=1).timestamp() // 60
    # A night with a sleep in it is no gap in either row.
    spans.append(sleep(at(DAY, 23), at(DAY, 2, days=1)))
    assert pieces(row_part_gaps(spans, DAY, DAY + timedelta(days=1), Settings(), LATER)) == [
        [(0, 420)],
        [(1140, 1440)],
    ]


@pytest.mark.parametrize(
    ("day_start", "night", "expected"),
    [
        (18, (19, 7), [(0, 60), (780, 1440)]),  # rows 18-18: this night is logged, the daytime before not
        (6, (22, 6), [(0, 960), (960, 1440)]),  # rows 6-6: daytime, then the night; nothing at all
        (0, (0, 6), [(360, 1440)]),  # a night inside one date; only its daytime is empty
    ],
)
def test_the_rows_are_cut_where_the_nights_begin_and_end_whatever_the_rows_start(day_start, night, expected):
    s = Settings(HELSINKI, time(night[0]), time(night[1]), time(day_start))
    spans = {
        18: [sleep(at(DAY, 20), at(DAY, 23))],
        6: [],
        0: [sleep(at(DAY, 1), at(DAY, 5))],
    }[day_start]
    assert pieces(row_part_gaps(spans, DAY, DAY, s, LATER)) == [expected]


def test_on_a_clock_change_day_the_pieces_are_still_cut_by_the_wall_clock():
    spans = [sleep(at(AUTUMN_CHANGE, 12), at(AUTUMN_CHANGE, 13))]
    gaps = row_part_gaps(spans, AUTUMN_CHANGE, AUTUMN_CHANGE, Settings(), LATER)
    assert pieces(gaps) == [[(0, 420), (1140, 1440)]]
    assert gaps[0][0][2] == at(AUTUMN_CHANGE, 7).timestamp() // 60


def test_without_a_night_window_nothing_is_cut():
    s = Settings(HELSINKI, time(7), time(7), time(0))
    assert row_part_gaps([], DAY, DAY + timedelta(days=2), s, LATER) == [[], [], []]


def make(day: date, *, night: int | None = None, daytime: int | None = None, crying: int = 0) -> FamilyDay:
    return FamilyDay(
        date=day,
        start=0,
        end=1440,
        night_start=720,
        night_end=1440,
        logged=night is not None or daytime is not None,
        day_logged=daytime is not None,
        night_logged=night is not None,
        sleep_minutes=(night or 0) + (daytime or 0),
        night_sleep_minutes=night or 0,
        day_sleep_minutes=daytime or 0,
        naps=2 if daytime else 0,
        longest_sleep_minutes=night or 0,
        night_wakings=2 if night else 0,
        crying_minutes=crying,
        crying_episodes=1 if crying else 0,
        feedings=0,
    )


def test_averages_count_each_part_over_the_days_it_was_logged():
    days = [make(DAY, night=600, daytime=120), make(DAY, night=540), make(DAY, daytime=180), make(DAY)]
    summary = summarise_family(days)
    assert (summary.days_logged, summary.nights_logged, summary.daytimes_logged) == (3, 2, 2)
    assert summary.averages["night_sleep_minutes"] == 570
    assert summary.averages["day_sleep_minutes"] == 150
    assert summary.averages["sleep_minutes"] == 720  # the night's and the daytime's, never a made-up zero


def test_week_comparison_takes_the_last_seven_days_against_the_seven_before():
    earlier = [make(DAY + timedelta(days=i), night=500, daytime=200) for i in range(7)]
    recent = [make(DAY + timedelta(days=7 + i), night=560, daytime=170) for i in range(7)]
    found = dict(compare_family_weeks(earlier + recent))
    assert found["night_sleep_minutes"] == 60 and found["day_sleep_minutes"] == -30
    # Nights not logged in the recent week: no night comparison, the rest stays.
    recent = [make(d.date, daytime=170) for d in recent]
    found = dict(compare_family_weeks(earlier + recent))
    assert "night_sleep_minutes" not in found and found["day_sleep_minutes"] == -30


def test_week_comparison_needs_fourteen_days():
    assert compare_family_weeks([make(DAY, night=500)] * 13) == []


@hsettings(deadline=None)
@given(diaries())
def test_family_days_add_up_and_match_the_clock(diary):
    first, spans, now = diary
    last = first + timedelta(days=RANGE_DAYS - 2)
    days = family_days(spans, first, last, Settings(), now)
    sleeps = effective(spans, "sleep", now)
    cryings = effective(spans, "crying", now)
    for day in days:
        low, high = at(day.date, 7), at(day.date, 7, days=1)
        assert day.sleep_minutes == clipped_minutes(sleeps, low, high)
        assert day.night_sleep_minutes == clipped_minutes(sleeps, at(day.date, 19), high)
        assert day.sleep_minutes == day.night_sleep_minutes + day.day_sleep_minutes
        assert day.crying_minutes == clipped_minutes(cryings, low, high)
        assert day.end - day.start == day.hours * 60
    # Neighbouring periods put together are the whole period.
    middle = first + timedelta(days=5)
    split = family_days(spans, first, middle, Settings(), now) + family_days(
        spans, middle + timedelta(days=1), last, Settings(), now
    )
    assert split == days
