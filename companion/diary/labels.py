"""Localised names for the diary's fixed values (lazy: built at import time), and an
entry's times as the day lists write them."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from companion.i18n import format_clock, kept_per_language
from companion.rhythm.clock import local_day_bounds

KIND_LABELS = {
    "sleep": _l("Sleep"),
    "crying": _l("Crying"),
    "feeding": _l("Feeding"),
    "note": _l("Note"),
}
PLACE_LABELS = {
    "own_bed": _l("Own bed"),
    "parents_bed": _l("Parents' bed"),
    "pram": _l("Pram"),
    "carrier": _l("Carrier or sling"),
    "car": _l("Car"),
    "arms": _l("In arms"),
    "other": _l("Somewhere else"),
}
INTENSITY_LABELS = {
    "fussing": _l("Fussing"),
    "crying": _l("Crying"),
    "inconsolable": _l("Inconsolable"),
}
# How hard, as said in an entry's line (after the kind "Crying": not "Crying" again).
INTENSITY_PHRASES = {
    "fussing": _l("Fussing"),
    "crying": _l("Hard crying"),
    "inconsolable": _l("Inconsolable crying"),
}
SOOTHING_LABELS = {
    "carrying": _l("Carrying"),
    "rocking": _l("Rocking"),
    "feeding": _l("Feeding"),
    "pacifier": _l("Pacifier"),
    "white_noise": _l("White noise"),
    "bath": _l("Bath"),
    "walk": _l("Walk"),
    "other": _l("Something else"),
}
METHOD_LABELS = {"breast": _l("Breast"), "bottle": _l("Bottle"), "solid": _l("Solid food")}
SIDE_LABELS = {"left": _l("Left"), "right": _l("Right"), "both": _l("Both")}


def words(table: dict) -> dict[str, str]:
    """One of the tables above in the request's language, as plain strings."""
    return kept_per_language(("labels", id(table)), lambda: {key: str(word) for key, word in table.items()})


def describe_details(kind: str, details: dict) -> str:
    """A short human line for an entry's details, e.g. 'Pram' or 'Bottle, 120 ml'; after the
    first word, the list goes on in lower case ("Breast, left, 120 ml")."""
    parts: list[str] = []
    if kind == "sleep" and details.get("place"):
        parts.append(words(PLACE_LABELS)[details["place"]])
    if kind == "crying":
        if details.get("intensity"):
            parts.append(words(INTENSITY_PHRASES)[details["intensity"]])
        parts.extend(words(SOOTHING_LABELS)[s] for s in details.get("soothing", []))
    if kind == "feeding":
        if details.get("method"):
            parts.append(words(METHOD_LABELS)[details["method"]])
        if details.get("side"):
            parts.append(words(SIDE_LABELS)[details["side"]])
        if details.get("amount_ml"):
            parts.append(f"{details['amount_ml']} ml")
    return ", ".join(part if i == 0 else part[:1].lower() + part[1:] for i, part in enumerate(parts))


def page_labels() -> dict[str, dict[str, str]]:
    """The same words for the today page's script (js/today.js), which writes the line too."""
    groups = {
        "kind": KIND_LABELS,
        "place": PLACE_LABELS,
        "intensity": INTENSITY_PHRASES,
        "soothing": SOOTHING_LABELS,
        "method": METHOD_LABELS,
        "side": SIDE_LABELS,
    }
    return kept_per_language("page_labels", lambda: {group: words(table) for group, table in groups.items()})


def entry_when(
    start: datetime, end: datetime | None, tz: ZoneInfo, day: date | None = None, today: date | None = None
) -> str:
    """An entry's times in the list of the ``day``: "22.10–5.40". A night that began the
    evening before reads "(started yesterday 22.10)–5.40" ("the day before" in a list of
    another day than ``today``), and on its evening's day "22.10–(continues)": a parent
    sees that the two lines are one sleep, and a screen reader says the same words."""
    begin, until = format_clock(start, tz), format_clock(end, tz) if end else ""
    if day is not None:
        first, last = local_day_bounds(day, tz)
        if start < first:
            if day == today:
                begin = _("(started yesterday %(time)s)", time=begin)
            else:
                begin = _("(started the day before %(time)s)", time=begin)
        if end is not None and end > last:
            until = _("(continues)")
    return f"{begin}–{until}" if until else begin
