"""The rhythm plan's rules, its outline on the chart and the diary compared with it (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from companion.rhythm import plan_rules as rules
from companion.rhythm.plan_rules import (
    Plan,
    PlanError,
    analyse,
    in_effect,
    parse_clock,
    parse_plan,
    plan_trace,
    summarise,
)

HEL = ZoneInfo("Europe/Helsinki")
AUTUMN = date(2025, 10, 26)  # 04:00 summer time -> 03:00 winter time: 25 hours
SPRING = date(2026, 3, 29)  # 03:00 winter time -> 04:00 summer time: 23 hours


def local(day: date | str, clock: str, tz: ZoneInfo = HEL) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=tz)


def plan(wake="07:00", bedtime="19:30", naps=(("09:30", "10:30"), ("13:00", "14:30"))) -> Plan:
    return parse_plan({"wake": wake, "bedtime": bedtime, "naps": [list(n) for n in naps]})


def errors(data: dict) -> dict[str, str]:
    with pytest.raises(PlanError) as caught:
        parse_plan(data)
    return caught.value.fields


# -- the rules of a plan ---------------------------------------------------------------------


def test_a_plan_keeps_its_naps_in_the_order_of_the_day():
    parsed = parse_plan(
        {"wake": "07:00", "bedtime": "19:30", "naps": [["13:00", "14:30"], ["09:30", "10:30"]]}
    )
    assert parsed.as_strings() == {
        "wake": "07:00",
        "naps": [["09:30", "10:30"], ["13:00", "14:30"]],
        "bedtime": "19:30",
    }


def test_naps_may_be_left_out_or_empty():
    assert parse_plan({"wake": "06:30", "bedtime": "20:00"}).naps == ()
    assert parse_plan({"wake": "06:30", "bedtime": "20:00", "naps": None}).naps == ()
    assert parse_plan({"wake": "06:30", "bedtime": "20:00", "naps": []}).naps == ()


@pytest.mark.parametrize(
    "text",
    ["25:00", "24:00", "7:5", "7:05", "07:60", "0700", "07.00", "07:00:00", " 07:00", "٠٧:٠٠", "", "noon"],
)
def test_only_hh_mm_on_the_24_hour_clock_is_a_time(text):
    assert parse_clock(text) is None
    assert errors({"wake": text, "bedtime": "19:30"})["wake"] == ("required" if text == "" else "time")


@pytest.mark.parametrize("value", [None, 700, 7.0, ["07:00"], {"h": 7}, True])
def test_a_time_that_is_not_text_is_refused(value):
    assert parse_clock(value) is None
    expected = "required" if value is None else "time"
    assert errors({"wake": "07:00", "bedtime": value})["bedtime"] == expected


def test_the_ends_of_the_clock_are_times():
    assert parse_clock("00:00") == time(0, 0)
    assert parse_clock("23:59") == time(23, 59)
    assert parse_plan({"wake": "00:00", "bedtime": "23:59"}).bedtime == time(23, 59)


def test_wake_up_and_bedtime_are_required():
    assert errors({}) == {"wake": "required", "bedtime": "required"}
    assert errors({"bedtime": "19:30"}) == {"wake": "required"}


@pytest.mark.parametrize("bedtime", ["06:00", "07:00", "00:30"])
def test_bedtime_is_later_than_wake_up_on_the_same_day(bedtime):
    assert errors({"wake": "07:00", "bedtime": bedtime}) == {"bedtime": "bedtime_order"}


@pytest.mark.parametrize("naps", ["09:00-10:00", {"from": "09:00"}, 3, "[]"])
def test_naps_must_be_a_list(naps):
    assert errors({"wake": "07:00", "bedtime": "19:30", "naps": naps}) == {"naps": "naps_list"}


def test_at_most_eight_naps():
    naps = [[f"{h:02d}:00", f"{h:02d}:30"] for h in range(8, 17)]
    assert len(naps) == 9
    assert errors({"wake": "07:00", "bedtime": "19:30", "naps": naps}) == {"naps": "too_many"}
    assert len(parse_plan({"wake": "07:00", "bedtime": "19:30", "naps": naps[:8]}).naps) == 8


@pytest.mark.parametrize(
    "nap, code",
    [
        (["09:00"], "nap_shape"),
        (["09:00", "10:00", "11:00"], "nap_shape"),
        ("09:00", "nap_shape"),
        (None, "nap_shape"),
        ({"from": "09:00", "to": "10:00"}, "nap_shape"),
        (["9:00", "10:00"], "time"),
        (["09:00", "25:00"], "time"),
        (["09:00", None], "time"),
        (["10:00", "09:00"], "nap_order"),
        (["10:00", "10:00"], "nap_order"),
        (["06:00", "08:00"], "nap_outside"),
        (["19:00", "20:00"], "nap_outside"),
    ],
)
def test_each_nap_is_checked(nap, code):
    assert errors({"wake": "07:00", "bedtime": "19:30", "naps": [["12:00", "13:00"], nap]}) == {
        "naps.1": code
    }


def test_overlapping_naps_are_refused_and_touching_ones_are_fine():
    # Named by their place in the input, whatever order they came in.
    overlap = {"wake": "07:00", "bedtime": "19:30", "naps": [["10:30", "11:30"], ["09:30", "11:00"]]}
    assert errors(overlap) == {"naps.0": "nap_overlap"}
    inside = {"wake": "07:00", "bedtime": "19:30", "naps": [["09:00", "12:00"], ["10:00", "11:00"]]}
    assert errors(inside) == {"naps.1": "nap_overlap"}
    touching = parse_plan(
        {"wake": "07:00", "bedtime": "19:30", "naps": [["09:00", "10:00"], ["10:00", "11:00"]]}
    )
    assert len(touching.naps) == 2


def test_every_problem_is_reported_at_once():
    found = errors({"wake": "7:00", "bedtime": "25:00", "naps": [["10:00", "09:00"], [1, 2]]})
    assert found == {"wake": "time", "bedtime": "time", "naps.0": "nap_order", "naps.1": "time"}


clocks = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@st.composite
def plans(draw) -> Plan:
    """Any valid plan: wake before bedtime, up to eight naps in order between them."""
    wake = draw(st.integers(0, 22 * 60))
    bed = draw(st.integers(wake + 1, 23 * 60 + 59))
    marks = sorted(draw(st.lists(st.integers(wake, bed), max_size=16, unique=True)))
    pairs = [(marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2)][: rules.MAX_NAPS]

    def clock(minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    naps = [[clock(a), clock(b)] for a, b in pairs]
    return parse_plan({"wake": clock(wake), "bedtime": clock(bed), "naps": draw(st.permutations(naps))})


@given(clocks)
def test_any_clock_time_reads_back(value):
    assert parse_clock(rules.clock_text(value)) == value


@given(st.text(max_size=6))
def test_parse_clock_never_crashes_and_accepts_only_hh_mm(text):
    parsed = parse_clock(text)
    if parsed is not None:
        assert rules.clock_text(parsed) == text


@given(plans())
def test_a_valid_plan_survives_its_own_api_shape(value):
    assert parse_plan(value.as_strings()) == value


@given(plans())
def test_planned_sleep_is_the_night_plus_the_naps(value):
    periods = value.sleep_periods()
    assert all(0 <= a < b <= 24 * 60 for a, b in periods)
    assert all(periods[i][1] <= periods[i + 1][0] for i in range(len(periods) - 1))
    awake = value.bedtime.hour * 60 + value.bedtime.minute - (value.wake.hour * 60 + value.wake.minute)
    naps = sum((b.hour * 60 + b.minute) - (a.hour * 60 + a.minute) for a, b in value.naps)
    assert sum(b - a for a, b in periods) == 24 * 60 - awake + naps


@given(
    st.dictionaries(
        st.sampled_from(["wake", "bedtime", "naps", "from"]),
        st.none() | st.text(max_size=6) | st.lists(st.lists(st.text(max_size=5), max_size=3), max_size=10),
    )
)
def test_any_input_gives_a_plan_or_named_errors(data):
    try:
        parse_plan(data)
    except PlanError as error:
        assert error.fields
        assert set(error.fields) <= {"wake", "bedtime", "naps"} | {f"naps.{i}" for i in range(10)}


# -- which plan is in effect -------------------------------------------------------------------


def test_a_plan_is_in_effect_from_its_date_until_the_next_one():
    old, new = plan(bedtime="19:00"), plan(bedtime="20:00")
    days = in_effect([date(2026, 1, 5), date(2026, 1, 8)], [old, new], date(2026, 1, 3), 8)
    assert days == [None, None, old, old, old, new, new, new]


def test_the_plan_in_effect_before_the_period_carries_into_it():
    old, new = plan(bedtime="19:00"), plan(bedtime="20:00")
    assert in_effect([date(2025, 1, 1), date(2026, 1, 2)], [old, new], date(2026, 1, 1), 2) == [old, new]
    assert in_effect([], [], date(2026, 1, 1), 2) == [None, None]


# -- the outline on the 24-hour chart ----------------------------------------------------------


def bars(trace: dict) -> dict[int, list[tuple[float, float]]]:
    rows: dict[int, list[tuple[float, float]]] = {}
    for base, length, row in zip(trace["base"], trace["x"], trace["y"], strict=True):
        rows.setdefault(row, []).append((base, round(base + length, 3)))
    return rows


def test_no_plan_no_trace():
    assert plan_trace([None, None, None], 3, 0, "Plan") is None
    assert plan_trace([], 0, 0, "Plan") is None


def test_one_trace_outlines_the_planned_sleep_of_every_row_with_a_plan():
    trace = plan_trace([plan(), None, plan()], 3, 0, "Plan")
    assert trace["type"] == "bar" and trace["name"] == "Plan" and trace["meta"] == "plan"
    assert trace["marker"]["color"] == "rgba(0,0,0,0)" and trace["marker"]["line"]["width"] > 0
    assert trace["hoverinfo"] == "skip" and "customdata" not in trace
    expected = [(0.0, 7.0), (9.5, 10.5), (13.0, 14.5), (19.5, 24.0)]
    assert bars(trace) == {0: expected, 2: expected}


def test_rows_from_18_join_the_evening_and_the_next_morning_into_one_night():
    # A row of 2026-01-10 runs 18:00 -> 18:00: bedtime 19:30 on the 10th, wake 07:00 on the 11th.
    trace = plan_trace([plan(), plan(), None], 2, 18, "Plan")
    assert bars(trace)[0] == [(1.5, 13.0), (15.5, 16.5), (19.0, 20.5)]
    # The last row's morning belongs to a day without a plan: only the evening is outlined.
    assert bars(trace)[1] == [(1.5, 6.0)]


def test_the_next_days_plan_fills_the_rows_early_hours():
    trace = plan_trace([None, plan(wake="06:00")], 1, 6, "Plan")
    assert bars(trace) == {0: [(18.0, 24.0)]}  # the first day's row ends with the next morning


@given(plans(), st.sampled_from([0, 6, 18]), st.integers(1, 5))
def test_each_row_outlines_a_days_worth_of_planned_sleep(value, start, rows):
    trace = plan_trace([value] * (rows + 1), rows, start, "Plan")
    planned = sum(b - a for a, b in value.sleep_periods()) / 60
    for row_bars in bars(trace).values():
        assert all(0 <= a < b <= 24.001 for a, b in row_bars)  # rounded to 3 decimals
        assert all(row_bars[i][1] <= row_bars[i + 1][0] + 0.002 for i in range(len(row_bars) - 1))
        assert sum(b - a for a, b in row_bars) == pytest.approx(planned, abs=0.01)
    assert set(trace["y"]) == set(range(rows))


@pytest.mark.parametrize("first", [AUTUMN - timedelta(days=1), SPRING - timedelta(days=1)])
def test_the_outline_keeps_its_wall_clock_hours_across_a_clock_change(first):
    # The chart draws every bar at its wall-clock hour, so bedtime 19:30 is at 19.5 on each row.
    trace = plan_trace([plan()] * 4, 3, 0, "Plan")
    assert [row[-1] for row in bars(trace).values()] == [(19.5, 24.0)] * 3


def test_the_outline_stays_cheap_for_a_year():
    trace = plan_trace([plan()] * 401, 400, 18, "Plan")
    assert len(trace["x"]) == 3 * 400  # per row: two naps and one night (evening and morning joined)


# -- the diary compared with the plan ---------------------------------------------------------


def night(day: date, bedtime: str, wake: str, tz: ZoneInfo = HEL) -> tuple[datetime, datetime]:
    return local(day, bedtime, tz), local(day + timedelta(days=1), wake, tz)


def test_a_day_that_went_as_planned():
    day = date(2026, 1, 10)
    sleeps = [
        night(day - timedelta(days=1), "19:30", "07:00"),
        (local(day, "09:35"), local(day, "10:30")),
        (local(day, "13:00"), local(day, "14:20")),
        night(day, "19:40", "06:50"),
    ]
    (result,) = analyse([plan()], day, sleeps, HEL, local(day + timedelta(days=1), "12:00"))
    assert (result.wake_diff, result.bedtime_diff, result.naps, result.planned_naps) == (0, 10, 2, 2)
    assert result.wake == local(day, "07:00").astimezone(UTC)
    assert result.bedtime == local(day, "19:40").astimezone(UTC)


def test_back_to_sleep_after_an_early_waking_is_still_the_night():
    day = date(2026, 1, 10)
    sleeps = [
        (local("2026-01-09", "19:30"), local(day, "05:10")),
        (local(day, "05:40"), local(day, "07:25")),
    ]
    (result,) = analyse([plan()], day, sleeps, HEL, local(day, "12:00"))
    assert result.wake_diff == 25


def test_an_up_for_the_day_waking_long_before_the_plan_counts_when_inside_the_window():
    day = date(2026, 1, 10)
    sleeps = [(local("2026-01-09", "19:30"), local(day, "05:00")), (local(day, "08:00"), local(day, "09:00"))]
    (result,) = analyse([plan()], day, sleeps, HEL, local(day, "12:00"))
    assert result.wake_diff == -120  # the morning nap at 08:00 is not the wake-up


def test_an_evening_catnap_is_not_bedtime():
    day = date(2026, 1, 10)
    sleeps = [
        (local(day, "17:50"), local(day, "18:15")),  # catnap: short, and awake long after it
        (local(day, "19:10"), local(day, "23:00")),
    ]
    (result,) = analyse([plan()], day, sleeps, HEL, local(day + timedelta(days=1), "08:00"))
    assert result.bedtime_diff == -20


def test_a_short_first_sleep_followed_by_more_sleep_is_bedtime():
    day = date(2026, 1, 10)
    sleeps = [
        (local(day, "19:20"), local(day, "19:50")),
        (local(day, "20:10"), local(day, "23:30")),
    ]
    (result,) = analyse([plan()], day, sleeps, HEL, local(day + timedelta(days=1), "08:00"))
    assert result.bedtime_diff == -10


def test_what_the_diary_cannot_tell_is_left_out_not_counted_as_a_miss():
    day = date(2026, 1, 10)
    results = analyse([plan(), plan(), None, plan()], day, [], HEL, local("2026-01-20", "12:00"))
    assert [r.date for r in results] == [day, day + timedelta(days=1), day + timedelta(days=3)]
    assert all(r.wake is None and r.bedtime is None and r.naps is None for r in results)
    summary = summarise(results)
    assert (summary.planned_days, summary.wake_days, summary.bedtime_days, summary.nap_days) == (3, 0, 0, 0)
    assert summary.naps_taken is None and summary.wake_mean_diff is None


def test_a_sleep_still_going_on_and_an_evening_not_over_are_not_judged():
    day = date(2026, 1, 10)
    now = local(day, "20:00")
    (result,) = analyse([plan()], day, [(local(day, "19:30"), None)], HEL, now)
    assert result.bedtime is None  # the evening window is still open
    (morning,) = analyse([plan()], day, [(local("2026-01-09", "19:30"), None)], HEL, local(day, "07:30"))
    assert morning.wake is None  # still asleep (or the timer was forgotten)


def test_sleeps_split_in_two_entries_are_one_sleep():
    day = date(2026, 1, 10)
    sleeps = [(local("2026-01-09", "19:30"), local(day, "02:00")), (local(day, "02:00"), local(day, "07:10"))]
    (result,) = analyse([plan()], day, sleeps, HEL, local(day, "12:00"))
    assert result.wake_diff == 10


def test_minute_stamps_and_datetimes_give_the_same_answer():
    day = date(2026, 1, 10)
    pairs = [night(day - timedelta(days=1), "19:30", "07:05"), night(day, "19:45", "07:00")]
    stamps = [(int(a.timestamp() // 60), int(b.timestamp() // 60)) for a, b in pairs]
    now = local("2026-01-12", "00:00")
    assert analyse([plan()], day, pairs, HEL, now) == analyse([plan()], day, stamps, HEL, now)


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="naive"):
        analyse([plan()], date(2026, 1, 10), [(datetime(2026, 1, 10, 9), None)], HEL, datetime.now(UTC))


def test_the_period_in_plain_figures():
    first = date(2026, 1, 5)
    sleeps = []
    for offset, (bed, wake) in enumerate(
        [("19:30", "07:00"), ("20:30", "06:00"), ("19:50", "07:20"), ("19:30", "07:40"), ("21:00", "07:00")]
    ):
        day = first + timedelta(days=offset)
        sleeps.append(night(day, bed, wake))
        sleeps.append((local(day + timedelta(days=1), "10:00"), local(day + timedelta(days=1), "11:00")))
    results = analyse([plan()] * 6, first, sleeps, HEL, local("2026-01-12", "12:00"))
    summary = summarise(results)
    assert summary.planned_days == 6
    assert (summary.bedtime_close, summary.bedtime_days) == (3, 6 - 1)  # 19:30, 19:50, 19:30 of 5
    assert (summary.wake_close, summary.wake_days) == (3, 5)  # 06:00 and 07:40 are further away
    assert summary.nap_days == 4 and summary.naps_taken == 1 and summary.naps_planned == 2
    assert summary.bedtime_mean_diff == 34  # (0 + 60 + 20 + 0 + 90) / 5


# -- clock changes ------------------------------------------------------------------------------


@pytest.mark.parametrize("change", [AUTUMN, SPRING])
def test_bedtime_and_wake_up_are_wall_clock_times_on_both_sides_of_a_change(change):
    first = change - timedelta(days=2)
    sleeps = [night(first + timedelta(days=i), "19:30", "07:00") for i in range(-1, 5)]
    results = analyse([plan()] * 5, first, sleeps, HEL, local(change + timedelta(days=4), "12:00"))
    assert [r.bedtime_diff for r in results] == [0, 0, 0, 0, 0]
    assert [r.wake_diff for r in results] == [0, 0, 0, 0, 0]
    assert [r.bedtime.astimezone(HEL).strftime("%H:%M") for r in results] == ["19:30"] * 5


@pytest.mark.parametrize("change", [AUTUMN, SPRING])
def test_a_night_across_the_change_counts_the_minutes_that_really_passed(change):
    # Wake-up at 07:00 on the day of the change, after bedtime at 19:30 the evening before:
    # the night lasted 12 h 30 min in autumn and 10 h 30 min in spring, both exactly on plan.
    sleeps = [night(change - timedelta(days=1), "19:30", "07:00")]
    (result,) = analyse([plan()], change, sleeps, HEL, local(change, "12:00"))
    assert result.wake_diff == 0
    start, end = sleeps[0]
    hours = (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 3600
    assert hours == (12.5 if change == AUTUMN else 10.5)


def test_a_plan_time_in_the_spring_gap_does_not_crash_and_means_the_end_of_the_gap():
    gap = plan(wake="03:30", bedtime="19:30", naps=(("03:45", "04:30"),))
    sleeps = [(local("2026-03-28", "19:30"), local(SPRING, "04:00"))]  # 04:00 is 01:00 UTC
    (result,) = analyse([gap], SPRING, sleeps, HEL, local(SPRING, "23:59"))
    assert result.wake_diff == 0
    assert plan_trace([gap], 1, 0, "Plan")["base"][0] == 0.0  # still drawn at its wall-clock place


def test_the_autumn_repeat_hour_is_the_first_of_the_two():
    repeat = plan(wake="03:30", bedtime="19:30", naps=())
    first_0330 = datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 03:30 summer time
    (result,) = analyse(
        [repeat], AUTUMN, [(local("2025-10-25", "20:00"), first_0330)], HEL, local(AUTUMN, "23:59")
    )
    assert result.wake_diff == 0


timestamps = st.datetimes(
    min_value=datetime(2025, 10, 20), max_value=datetime(2025, 11, 2), timezones=st.just(UTC)
) | st.datetimes(min_value=datetime(2026, 3, 24), max_value=datetime(2026, 4, 3), timezones=st.just(UTC))


@st.composite
def diaries(draw) -> list[tuple[datetime, datetime | None]]:
    out = []
    for start in draw(st.lists(timestamps, max_size=12)):
        minutes = draw(st.integers(1, 14 * 60))
        out.append((start, None if draw(st.booleans()) and not out else start + timedelta(minutes=minutes)))
    return out


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.none() | plans(), min_size=1, max_size=8),
    diaries(),
    st.sampled_from([date(2025, 10, 23), date(2026, 3, 26)]),
    st.sampled_from([HEL, ZoneInfo("Europe/London"), ZoneInfo("UTC")]),
    timestamps,
)
def test_any_diary_against_any_plan_gives_bounded_figures(day_plans, sleeps, first, tz, now):
    assume(any(day_plans))
    results = analyse(day_plans, first, sleeps, tz, now)
    assert len(results) == sum(1 for p in day_plans if p)
    for result in results:
        if result.wake_diff is not None:
            assert abs(result.wake_diff) <= rules.WINDOW_MINUTES
            assert result.wake <= now
        if result.bedtime_diff is not None:
            assert -rules.BEDTIME_EARLY_MINUTES <= result.bedtime_diff <= rules.WINDOW_MINUTES
        if result.naps is not None:
            assert result.naps >= 0 and result.wake is not None and result.bedtime is not None
    summary = summarise(results)
    assert 0 <= summary.wake_close <= summary.wake_days <= summary.planned_days
    assert 0 <= summary.bedtime_close <= summary.bedtime_days <= summary.planned_days
