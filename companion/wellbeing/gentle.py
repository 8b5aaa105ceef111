"""The gentle-response rules: what the app offers after a parent's check-in.

Pure (no Flask, no database), and the only place these rules live. The pages, the card
on the home page and anything else that wants to respond to a check-in ask `respond`.

The rules, exactly:

- **Help numbers at once** when the latest check-in is the lowest answer (coping 1) and
  it is from today or yesterday. An old lowest answer is not a signal about today.
- **Support offered** (the coping reading, the help page, and a suggestion to talk with
  the Baby blues worker or the neuvola) after several low days in a row: counting back
  from the latest check-in, at least 3 logged days with coping 2 or less, with no better
  day between them, all within the last 7 days (today and the six days before), and the
  latest check-in itself within those 7 days.
- **A day without a check-in does not break the run.** A tired parent skips the check-in
  on the hardest days, and skipping is not feeling better; the 7-day window keeps an old
  run from counting. A logged day with coping 3 or more ends the run, so one better day
  resets it.
- Check-ins dated after today are ignored (they cannot be saved; this keeps the rules
  total).

No streaks, no scores: the result says only what to offer, never how many days.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

LOWEST = 1
#: A day with coping at or below this is a low day.
LOW = 2
#: Low days in a row (gaps allowed) before support is offered.
LOW_RUN = 3
#: The days the support rule looks at: today and the six before.
WINDOW_DAYS = 7
#: The lowest answer brings the help numbers only if it is this recent (0 today, 1 yesterday).
HELP_WITHIN_DAYS = 1


@dataclass(frozen=True, slots=True)
class Response:
    """What to offer after the check-ins; both False means a plain, warm thank-you."""

    show_help_numbers: bool = False
    offer_support: bool = False

    @property
    def any(self) -> bool:
        return self.show_help_numbers or self.offer_support


def respond(checkins: Mapping[date, int], today: date) -> Response:
    """The response to a parent's recent check-ins (local date -> coping 1..5)."""
    past = sorted((day for day in checkins if day <= today), reverse=True)
    if not past:
        return Response()
    latest = past[0]
    help_numbers = checkins[latest] == LOWEST and (today - latest).days <= HELP_WITHIN_DAYS
    window_start = today - timedelta(days=WINDOW_DAYS - 1)
    run = 0
    for day in past:
        if day < window_start or checkins[day] > LOW:
            break
        run += 1
    return Response(show_help_numbers=help_numbers, offer_support=run >= LOW_RUN)
