"""Plain-language sentences about a period of the diary (localised, kind, no scores)."""

from __future__ import annotations

from babel.numbers import format_decimal
from flask_babel import gettext as _

from companion.diary.rhythm import DayFigures, compare_weeks, summarise
from companion.i18n import format_duration, locale_code

MINUTE_THRESHOLD = 10  # smaller week-to-week changes are "about the same"


def _number(value: float) -> str:
    return format_decimal(round(value, 1), format="#,##0.#", locale=locale_code())


def period_sentences(days: list[DayFigures]) -> list[str]:
    summary = summarise(days)
    total = len(days)
    if summary.days_logged == 0:
        return [_("Nothing was logged in these days. That is fine: the figures appear when you log.")]
    avg = summary.averages
    lines = [
        _(
            "Logged on %(n)d of %(total)d days. Days without entries are left out of the averages.",
            n=summary.days_logged,
            total=total,
        ),
        _(
            "Sleep: about %(total)s a day (night %(night)s, daytime %(day)s).",
            total=format_duration(avg["sleep_minutes"]),
            night=format_duration(avg["night_sleep_minutes"]),
            day=format_duration(avg["day_sleep_minutes"]),
        ),
        _("Longest sleep: %(d)s on average.", d=format_duration(avg["longest_sleep_minutes"])),
        _("Night wakings: about %(n)s a night.", n=_number(avg["night_wakings"])),
        _("Naps: about %(n)s a day.", n=_number(avg["naps"])),
        _(
            "Crying: about %(d)s a day, in %(n)s episodes.",
            d=format_duration(avg["crying_minutes"]),
            n=_number(avg["crying_episodes"]),
        ),
    ]
    return lines


def week_sentences(days: list[DayFigures]) -> list[str]:
    """This week against the one before, when both have enough logged days."""
    lines = []
    for key, diff in compare_weeks(days):
        size = abs(diff)
        if key == "night_wakings":
            if size >= 1:
                lines.append(
                    _("About %(n)d fewer night wakings than the week before.", n=size)
                    if diff < 0
                    else _("About %(n)d more night wakings than the week before.", n=size)
                )
            continue
        if size < MINUTE_THRESHOLD:
            if key == "night_sleep_minutes":
                lines.append(_("Nights have been about the same as the week before."))
            continue
        amount = format_duration(size)
        if key == "night_sleep_minutes":
            lines.append(
                _("Nights have been about %(d)s longer than the week before.", d=amount)
                if diff > 0
                else _("Nights have been about %(d)s shorter than the week before.", d=amount)
            )
        elif key == "day_sleep_minutes":
            lines.append(
                _("Daytime sleep has been about %(d)s more than the week before.", d=amount)
                if diff > 0
                else _("Daytime sleep has been about %(d)s less than the week before.", d=amount)
            )
        elif key == "crying_minutes":
            lines.append(
                _("About %(d)s more crying a day than the week before.", d=amount)
                if diff > 0
                else _("About %(d)s less crying a day than the week before.", d=amount)
            )
        elif key == "longest_sleep_minutes":
            lines.append(
                _("The longest sleep has been about %(d)s longer than the week before.", d=amount)
                if diff > 0
                else _("The longest sleep has been about %(d)s shorter than the week before.", d=amount)
            )
    return lines
