"""The diary's pure rules: which days an entry may start on, around the birth."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from companion.diary import rules

BORN = date(2026, 3, 10)


@pytest.mark.parametrize(
    "start_day, expected",
    [
        (BORN - timedelta(days=3), rules.BEFORE_BIRTH),
        (BORN - timedelta(days=400), rules.BEFORE_BIRTH),
        (BORN - timedelta(days=2), None),
        (BORN - timedelta(days=1), None),
        (BORN, None),
        (BORN + timedelta(days=200), None),
    ],
)
def test_an_entry_may_start_at_most_two_days_before_the_birth(start_day, expected):
    assert rules.too_early(start_day, BORN, due_date=BORN + timedelta(days=20)) == expected


def test_a_baby_only_expected_has_no_diary_yet():
    due = date(2026, 9, 1)
    assert rules.too_early(date(2026, 8, 1), None, due) == rules.EXPECTED
    assert rules.too_early(due + timedelta(days=10), None, due) == rules.EXPECTED


def test_a_baby_without_dates_keeps_a_diary_of_any_day():
    assert rules.too_early(date(2001, 1, 1), None, None) is None
