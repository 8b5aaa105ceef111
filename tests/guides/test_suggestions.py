"""The suggestion rules as pure functions: every rule, its boundaries, order and limits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from companion.guides.suggestions import (
    CRYING_MINUTES,
    EXPECTING,
    LONG_CRYING,
    YOUNG_BABY,
    long_crying_days,
    pick,
    suggest,
)
from companion.rhythm.analysis import DayFigures

TODAY = date(2026, 3, 10)


def day(offset: int, crying: int = 0, logged: bool = True) -> DayFigures:
    return DayFigures(
        date=TODAY - timedelta(days=offset),
        hours=24,
        logged=logged,
        sleep_minutes=600 if logged else 0,
        night_sleep_minutes=480,
        day_sleep_minutes=120 if logged else 0,
        naps=2 if logged else 0,
        longest_sleep_minutes=240 if logged else 0,
        night_wakings=2,
        crying_minutes=crying,
        crying_episodes=3 if crying else 0,
        feedings=8 if logged else 0,
    )


def week(*crying: int) -> list[DayFigures]:
    """Seven days, oldest first; the given crying minutes fill the latest days."""
    minutes = [0] * (7 - len(crying)) + list(crying)
    return [day(6 - i, minutes[i]) for i in range(7)]


OLDER = 200  # days: past every age rule


def test_nothing_to_suggest_for_an_older_baby_with_an_ordinary_week():
    assert suggest(OLDER, None, week(60, 90, 120)) == []


def test_long_crying_on_three_days_suggests_the_crying_articles():
    assert suggest(OLDER, None, week(181, 181, 181)) == [("crying-baby", LONG_CRYING), ("colic", LONG_CRYING)]


def test_exactly_180_minutes_is_not_long_crying():
    assert suggest(OLDER, None, week(CRYING_MINUTES, CRYING_MINUTES, CRYING_MINUTES, 400)) == []
    assert suggest(OLDER, None, week(CRYING_MINUTES + 1, CRYING_MINUTES + 1, CRYING_MINUTES + 1)) != []


def test_exactly_three_days_is_enough_and_two_are_not():
    assert suggest(OLDER, None, week(300, 300)) == []
    assert [r for _, r in suggest(OLDER, None, week(300, 0, 300, 0, 300))] == [LONG_CRYING, LONG_CRYING]


def test_the_days_need_not_be_in_a_row_and_only_the_last_seven_count():
    eight = [day(7, 500), *week(0, 500, 0, 500, 0)]
    assert long_crying_days(eight) == 3
    assert suggest(OLDER, None, eight) == []  # the oldest of the eight is outside the week
    assert suggest(OLDER, None, eight[1:] + [day(0, 500)]) != []


def test_days_not_logged_never_count_as_crying():
    days = [day(i, 0, logged=False) for i in range(7)]
    assert suggest(OLDER, None, days) == []
    assert long_crying_days([day(0, 500, logged=False)] * 3) == 0


@pytest.mark.parametrize(("age", "young"), [(0, True), (30, True), (121, True), (122, False), (400, False)])
def test_a_baby_under_four_months_gets_the_sleep_articles(age, young):
    expected = [("safe-sleep", YOUNG_BABY), ("newborn-sleep", YOUNG_BABY)] if young else []
    assert suggest(age, None, week()) == expected


def test_a_baby_born_early_counts_by_corrected_age_even_before_the_due_date():
    assert suggest(-20, TODAY + timedelta(days=20), week()) == [
        ("safe-sleep", YOUNG_BABY),
        ("newborn-sleep", YOUNG_BABY),
    ]


def test_an_expecting_family_gets_the_pregnancy_articles():
    due = TODAY + timedelta(days=60)
    assert suggest(None, due, []) == [("pregnancy-feelings", EXPECTING), ("preparing-for-baby", EXPECTING)]


def test_no_dates_and_no_diary_suggest_nothing():
    assert suggest(None, None, []) == []


def test_at_most_three_and_crying_comes_first():
    got = suggest(40, None, week(200, 200, 200))
    assert got == [("crying-baby", LONG_CRYING), ("colic", LONG_CRYING), ("safe-sleep", YOUNG_BABY)]


def test_the_limit_can_be_lowered_or_raised():
    assert len(suggest(40, None, week(200, 200, 200), limit=1)) == 1
    assert len(suggest(40, None, week(200, 200, 200), limit=10)) == 4


def test_pick_keeps_each_article_once_with_its_first_reason():
    candidates = [("a", "one"), ("b", "one"), ("a", "two"), ("c", "two"), ("d", "two")]
    assert pick(candidates) == [("a", "one"), ("b", "one"), ("c", "two")]
    assert pick(candidates, limit=10) == [("a", "one"), ("b", "one"), ("c", "two"), ("d", "two")]
    assert pick([]) == []


def test_the_result_never_repeats_an_article():
    for age in (None, 0, 100, 500):
        for crying in ((), (500, 500, 500)):
            got = suggest(age, TODAY, week(*crying))
            ids = [article for article, _ in got]
            assert len(ids) == len(set(ids)) and len(ids) <= 3
