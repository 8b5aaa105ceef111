"""The diary's rules (DESIGN.md, "Diary rules"): the kinds of entry, how long each may
last, what their details may hold, and the limits of notes and babies. Pure: no Flask.

The one place of these values: the services check entries against them, the JSON shapes
(`schemas`) describe and parse them, the rhythm analysis counts with them, and the page
script gets them from the page (`for_page`), never from a copy of its own.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

SLEEP, CRYING, FEEDING, NOTE = "sleep", "crying", "feeding", "note"
KINDS = (SLEEP, CRYING, FEEDING, NOTE)
#: Kinds that last and may be going on (end null); a feeding without an end is a moment.
INTERVAL_KINDS = (SLEEP, CRYING)
#: The longest an entry of a kind may last; an ongoing one older than that was forgotten.
MAX_LENGTH = {SLEEP: timedelta(hours=24), CRYING: timedelta(hours=12), FEEDING: timedelta(hours=4)}
MAX_MINUTES = {kind: int(length.total_seconds() // 60) for kind, length in MAX_LENGTH.items()}
#: How far in the future (by the server's clock) an entry may start or end.
FUTURE_TOLERANCE = timedelta(minutes=5)
#: A phone clock off by more than this has its tap times corrected.
CLOCK_SKEW_TOLERANCE = timedelta(seconds=60)
#: Which kinds may not overlap an entry of the given kind, for one baby.
EXCLUSIVE = {SLEEP: (SLEEP, CRYING), CRYING: (CRYING, SLEEP)}
NOTE_MAX = 2000

# What an entry's details may hold, by kind; every detail is optional.
PLACES = ("own_bed", "parents_bed", "pram", "carrier", "car", "arms", "other")
INTENSITIES = ("fussing", "crying", "inconsolable")
SOOTHING = ("carrying", "rocking", "feeding", "pacifier", "white_noise", "bath", "walk", "other")
METHODS = ("breast", "bottle", "solid")
SIDES = ("left", "right", "both")
AMOUNT_ML = (1, 1000)
DETAILS = {
    SLEEP: ("place",),
    CRYING: ("intensity", "soothing"),
    FEEDING: ("method", "side", "amount_ml"),
    NOTE: (),
}

#: An entry may start this many days before the birth date (labour, or a birth date typed
#: a day off), never earlier; a baby expected (a due date) and not born yet has no diary.
BEFORE_BIRTH_DAYS = 2
EXPECTED, BEFORE_BIRTH = "expected", "before_birth"

BABY_NAME_MAX = 60
BABIES_MAX = 8
#: The quick log's one-tap actions (the page hooks' ``data-action``): ``feeding`` logs a
#: feed the way the last one went (its method and side), the others as they say.
QUICK_ACTIONS = (
    "sleep-start",
    "sleep-end",
    "crying-start",
    "crying-end",
    "feeding",
    "feeding-left",
    "feeding-right",
    "feeding-bottle",
    "note",
)
#: The details each one-tap feed logs.
FEED_ACTIONS = {
    "feeding-left": {"method": "breast", "side": "left"},
    "feeding-right": {"method": "breast", "side": "right"},
    "feeding-bottle": {"method": "bottle"},
}
#: The bottle amounts offered after a bottle feed, in millilitres (any other may be typed).
BOTTLE_AMOUNTS = (60, 90, 120, 150)
#: Moving a running timer's start back, in minutes (or to a time of day).
START_SHIFTS = (5, 15)


def too_early(start_day: date, birth_date: date | None, due_date: date | None) -> str | None:
    """Why an entry starting on this local day has no place in the baby's diary: the baby
    is only expected (``EXPECTED``), or the day is more than ``BEFORE_BIRTH_DAYS`` before
    the birth date (``BEFORE_BIRTH``); None when it has. A baby with neither date (a parent
    who gives none) keeps a diary of any day."""
    if birth_date is None:
        return EXPECTED if due_date is not None else None
    return BEFORE_BIRTH if (birth_date - start_day).days > BEFORE_BIRTH_DAYS else None


def for_page() -> dict[str, Any]:
    """The rules the page script applies offline, as the page gives them to it."""
    return {
        "kinds": list(KINDS),
        "interval_kinds": list(INTERVAL_KINDS),
        "max_minutes": {kind: MAX_MINUTES[kind] for kind in INTERVAL_KINDS},
        "note_max": NOTE_MAX,
        "actions": list(QUICK_ACTIONS),
        "feeds": FEED_ACTIONS,
        "amount_ml": list(AMOUNT_ML),
    }
