"""The gentle-response rules (companion.wellbeing.gentle), on their own: pure, dense."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from companion.wellbeing.gentle import Response, respond

TODAY = date(2026, 3, 15)


def days(*pairs: tuple[int, int]) -> dict[date, int]:
    """(days before today, coping) pairs as the rules' input."""
    return {TODAY - timedelta(days=back): coping for back, coping in pairs}


def test_nothing_logged_is_a_plain_thank_you():
    assert respond({}, TODAY) == Response(False, False)
    assert not respond({}, TODAY).any


@pytest.mark.parametrize("coping", [2, 3, 4, 5])
def test_a_single_answer_above_the_lowest_brings_nothing_extra(coping):
    assert respond(days((0, coping)), TODAY) == Response(False, False)


def test_the_lowest_answer_today_shows_the_help_numbers_at_once():
    result = respond(days((0, 1)), TODAY)
    assert result.show_help_numbers
    assert not result.offer_support
    assert result.any


def test_the_lowest_answer_yesterday_still_shows_the_help_numbers():
    assert respond(days((1, 1)), TODAY).show_help_numbers


def test_the_lowest_answer_two_days_ago_is_not_about_today():
    assert not respond(days((2, 1)), TODAY).show_help_numbers


def test_only_the_latest_check_in_counts_for_the_help_numbers():
    # Very hard yesterday, better today: today's answer is the one that counts.
    assert not respond(days((1, 1), (0, 4)), TODAY).show_help_numbers
    # Fine yesterday, very hard today.
    assert respond(days((1, 5), (0, 1)), TODAY).show_help_numbers


def test_two_low_days_are_not_enough_for_the_support_offer():
    assert not respond(days((1, 2), (0, 2)), TODAY).offer_support


def test_three_low_days_in_a_row_offer_support():
    result = respond(days((2, 2), (1, 2), (0, 2)), TODAY)
    assert result.offer_support
    assert not result.show_help_numbers


def test_three_low_days_ending_yesterday_offer_support_too():
    assert respond(days((3, 2), (2, 1), (1, 2)), TODAY).offer_support


def test_lowest_answers_count_as_low_days_and_bring_both():
    result = respond(days((2, 1), (1, 1), (0, 1)), TODAY)
    assert result == Response(show_help_numbers=True, offer_support=True)


def test_a_gap_day_does_not_break_the_run():
    # Low, (no check-in), low, low: skipping a day is not feeling better.
    assert respond(days((3, 2), (1, 2), (0, 2)), TODAY).offer_support
    assert respond(days((6, 1), (3, 2), (0, 2)), TODAY).offer_support


def test_a_better_day_in_between_resets_the_run():
    assert not respond(days((3, 2), (2, 2), (1, 3), (0, 2)), TODAY).offer_support
    assert not respond(days((4, 1), (3, 1), (2, 1), (1, 4), (0, 2)), TODAY).offer_support


def test_a_good_day_today_ends_the_offer():
    assert not respond(days((3, 2), (2, 2), (1, 2), (0, 5)), TODAY).offer_support


def test_a_so_so_day_is_not_a_low_day():
    assert not respond(days((2, 3), (1, 2), (0, 2)), TODAY).offer_support
    assert not respond(days((2, 2), (1, 3), (0, 2)), TODAY).offer_support


def test_the_run_must_lie_within_the_last_seven_days():
    # Today and six days back is the window: day 6 counts, day 7 does not.
    assert respond(days((6, 2), (5, 2), (0, 2)), TODAY).offer_support
    assert not respond(days((7, 2), (5, 2), (0, 2)), TODAY).offer_support


def test_an_old_run_is_not_offered_again_later():
    # Low days long ago, then no check-ins: the latest is outside the window.
    assert respond(days((12, 2), (11, 2), (10, 2)), TODAY) == Response(False, False)
    # The latest check-in six days ago still counts (window of seven days).
    assert respond(days((8, 2), (7, 2), (6, 2)), TODAY).offer_support is False
    assert respond(days((6, 2), (5, 2), (4, 2)), TODAY).offer_support


def test_more_low_days_than_needed_still_offer_support():
    assert respond({TODAY - timedelta(days=n): 2 for n in range(7)}, TODAY).offer_support


def test_check_ins_after_today_are_ignored():
    future = {TODAY + timedelta(days=1): 1, TODAY + timedelta(days=2): 1}
    assert respond(future, TODAY) == Response(False, False)
    assert respond({**future, TODAY: 4}, TODAY) == Response(False, False)


def test_the_order_of_the_input_does_not_matter():
    pairs = [(0, 2), (2, 2), (1, 2)]
    assert respond(days(*pairs), TODAY) == respond(days(*reversed(pairs)), TODAY)


def test_the_response_holds_no_count_or_score():
    """No streaks, no scores: the result only says what to offer."""
    result = respond({TODAY - timedelta(days=n): 1 for n in range(7)}, TODAY)
    assert set(Response.__dataclass_fields__) == {"show_help_numbers", "offer_support"}
    assert result == Response(True, True)
