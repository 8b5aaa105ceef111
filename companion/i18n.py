"""Locale selection and formatting helpers (dates, times, durations) for fi, sv, en."""

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.dates import get_period_names, get_time_format, get_timezone_location
from babel.numbers import format_decimal
from babel.units import format_unit
from flask import current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations, gettext
from flask_login import current_user

LANG_COOKIE = "lang"


def supported() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def explicit_choice() -> str | None:
    """A language the user chose in this request with ``?lang=``, if any."""
    lang = request.args.get("lang")
    return lang if lang in supported() else None


def chosen_locale() -> str | None:
    """A language the user chose (now or earlier on this device); None when never chosen."""
    cookie = request.cookies.get(LANG_COOKIE)
    return explicit_choice() or (cookie if cookie in supported() else None)


def select_locale() -> str:
    """An explicit choice wins, then the remembered one, then Accept-Language, then fi."""
    if not request:
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    choice = explicit_choice()
    if choice:
        return choice
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in supported():
        return cookie
    if current_user and current_user.is_authenticated and current_user.locale in supported():
        return current_user.locale
    best = request.accept_languages.best_match(supported())
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_choice(response):
    """After a request that chose a language: remember it in a cookie (accounts keeps it
    in a signed-in user's account as well)."""
    lang = explicit_choice()
    if lang:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def _request_language() -> tuple:
    """(locale code, catalog) of this request, worked out once: a page asks a hundred
    times, and Flask-Babel's own lookups walk several context variables each time."""
    found = g.get("_companion_language")
    if found is None:
        code = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
        found = g._companion_language = (code, get_translations())
    return found


def locale_code() -> str:
    """The request's locale as a string."""
    if has_request_context():
        return _request_language()[0]
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def format_count(n: int) -> str:
    """A whole number as the reader writes it (1 000 in Finnish and Swedish, 1,000)."""
    return format_decimal(n, locale=locale_code())


def translations():
    """The request's catalog."""
    if has_request_context():
        return _request_language()[1]
    return get_translations()


def kept_per_language(key, make):
    """What ``make()`` gives in the request's language, worked out once per language and
    kept with its catalog: a table of lazy words costs several context lookups for each
    word each time it is read, and the today page reads fifty."""
    kept = translations().__dict__.setdefault("_companion_kept", {})
    found = kept.get(key)
    if found is None:
        found = kept[key] = make()
    return found


#: Dates as people write them in Finland, in Finnish and in Finland-Swedish: 31.1.2026, or
#: 31.1. where the year is clear. Babel's plain "sv" would give 2026-01-31 (short) or
#: "31 jan. 2026" (medium), the Swedish of Sweden; people never see ISO dates here.
NUMERIC_DATE = "d.M.y"
DAY_MONTH = "d.M."
_PATTERNS = {
    "weekday": "EEEE d.M.",
    "short-weekday": "EEE d.M.",
    "day-month": DAY_MONTH,
    "date": NUMERIC_DATE,
    "short-weekday-year": "EEE d.M.y",
}
_NUMERIC_LOCALES = ("fi", "sv")
_LOCAL_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: The date that error messages show as an example of what to type.
EXAMPLE_DATE = date(2026, 1, 31)


def format_day(value: date, fmt: str = "medium") -> str:
    """A date for people: "short" and "medium" are 31.1.2026 in Finnish and Swedish,
    "weekday" and "short-weekday" add the day's name to 31.1.; any other value is a
    Babel pattern or format name."""
    return _day(value, fmt, locale_code())


@lru_cache(maxsize=8192)
def _day(value: date, fmt: str, loc: str) -> str:
    pattern = _PATTERNS.get(fmt, fmt)
    if fmt in ("short", "medium") and loc.split("_")[0] in _NUMERIC_LOCALES:
        pattern = NUMERIC_DATE
    return _babel_date(value, pattern, locale=loc)


def date_example() -> str:
    """How to type a date, for error messages: 31.1.2026 (a form every date field accepts)."""
    return _babel_date(EXAMPLE_DATE, NUMERIC_DATE, locale=locale_code())


def date_hint() -> str:
    """The message for a date that cannot be read: "Use a date like 31.1.2026." """
    return gettext("Use a date like %(example)s.", example=date_example())


def parse_local_date(text: object) -> date | None:
    """A typed date, as people write it (31.1.2026) or as a date input sends it
    (2026-01-31); None when it is neither or no such day exists."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    try:
        if match := _LOCAL_DATE.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


def format_clock(value: datetime, tz: ZoneInfo) -> str:
    """A wall-clock time in the family's zone: 13.05 in Finnish and Finland-Swedish."""
    local = value.astimezone(tz)
    return clock_formatter(locale_code())(local.hour, local.minute)


def zone_city(tz: ZoneInfo) -> str:
    """The city a time zone is named after, in the reader's language ("Tukholma")."""
    return get_timezone_location(tz.key, locale=locale_code(), return_city=True)


def format_moment(value: datetime | None, tz: ZoneInfo, year: bool = False) -> str:
    """A day and a wall-clock time in a zone, "ma 3.11. 13.05" ("" for nothing); with
    ``year``, "ma 3.11.2027 13.05" (an end date that may lie in another year)."""
    if value is None:
        return ""
    day = format_day(value.astimezone(tz).date(), "short-weekday-year" if year else "short-weekday")
    return f"{day} {format_clock(value, tz)}"


def format_duration(minutes: int | float | timedelta | None) -> str:
    """'1 h 12 min' in the reader's language, using Babel's unit names."""
    if minutes is None:
        return ""
    if isinstance(minutes, timedelta):
        minutes = minutes.total_seconds() / 60
    return _duration(int(round(minutes)), locale_code())


def _duration(total: int, loc: str) -> str:
    hours, mins = divmod(total, 60)
    hour_texts, minute_texts = _unit_texts(loc)
    parts = []
    if hours:
        parts.append(
            hour_texts[hours]
            if 0 < hours < len(hour_texts)
            else format_unit(hours, "duration-hour", length="short", locale=loc)
        )
    if mins or not hours:
        parts.append(minute_texts[mins])
    return " ".join(parts)


@lru_cache(maxsize=8)
def _unit_texts(loc: str) -> tuple[list[str], list[str]]:
    """Babel's "3 h" and "12 min" for 0-48 hours and 0-59 minutes: a year's table has
    durations of about a thousand different lengths, each put together from these."""
    hours = [format_unit(n, "duration-hour", length="short", locale=loc) for n in range(49)]
    minutes = [format_unit(n, "duration-minute", length="short", locale=loc) for n in range(60)]
    return hours, minutes


#: The clock as people write it in Finland: 13.05 in Finnish and in Finland-Swedish (Babel's
#: plain "sv" is Sweden's 13:05); English keeps its own (1:05 PM).
_CLOCK_LOCALES = {"sv": "sv_FI"}
_CLOCK_TOKENS = re.compile(r"HH|H|hh|h|mm|a|'[^']*'|.")


@lru_cache(maxsize=8)
def clock_pattern(loc: str) -> tuple[str, str, str]:
    """The short time pattern people read in the locale ("H.mm", "h:mm a"), and its AM
    and PM: one clock for the pages, the page scripts (they get it from the page) and the
    charts' hover texts and axes."""
    loc = _CLOCK_LOCALES.get(loc, loc)
    periods = get_period_names(locale=loc)
    return get_time_format("short", locale=loc).pattern, periods.get("am", "AM"), periods.get("pm", "PM")


def _token_clock(tokens: list[str], am: str, pm: str):
    def fmt(hour: int, minute: int) -> str:
        out = []
        for token in tokens:
            if token == "HH":
                out.append(f"{hour:02d}")
            elif token == "H":
                out.append(str(hour))
            elif token in ("h", "hh"):
                twelve = hour % 12 or 12
                out.append(f"{twelve:02d}" if token == "hh" else str(twelve))
            elif token == "mm":
                out.append(f"{minute:02d}")
            elif token == "a":
                out.append(am if hour < 12 else pm)
            else:
                out.append(token.strip("'"))
        return "".join(out)

    return fmt


def _plain(tokens: list[str]) -> bool:
    """Whether a pattern uses only what `_token_clock` knows (H, HH, h, mm, a, literals)."""
    return all(t in ("HH", "H", "hh", "h", "mm", "a") or not t.isalpha() for t in tokens)


@lru_cache(maxsize=8)
def clock_formatter(loc: str):
    """A fast (hour, minute) -> '13.05' function for the locale's clock (`clock_pattern`).

    Babel's formatter is exact but slow for the thousands of hover texts of a year's
    chart; the short patterns of our locales only use H, HH, h, mm and a (the page scripts
    write their times from the same pattern: static/js/app.js, clockFormat).
    """
    pattern, am, pm = clock_pattern(loc)
    tokens = _CLOCK_TOKENS.findall(pattern)
    if not _plain(tokens):
        clock_locale = _CLOCK_LOCALES.get(loc, loc)
        return lambda hour, minute: _babel_time(time(hour, minute), "short", locale=clock_locale)
    fmt = _token_clock(tokens, am, pm)
    table = [fmt(hour, minute) for hour in range(24) for minute in range(60)]
    return lambda hour, minute: table[hour * 60 + minute]


@lru_cache(maxsize=8)
def hour_formatter(loc: str):
    """An hour on its own in the locale's clock, for the charts' hour axes: "18" ("18.00"
    without its minutes), "6 PM"."""
    pattern, am, pm = clock_pattern(loc)
    tokens = _CLOCK_TOKENS.findall(pattern)
    if "mm" in tokens and _plain(tokens):
        at = tokens.index("mm")
        cut = at - 1 if at > 0 and not tokens[at - 1].isalpha() else at
        fmt = _token_clock(tokens[:cut] + tokens[at + 1 :], am, pm)
        return lambda hour: fmt(hour, 0).strip()
    return lambda hour: clock_formatter(loc)(hour, 0)


def format_hour_clock(hour: int) -> str:
    """A whole hour as a time in the reader's clock: "18.00"."""
    return clock_formatter(locale_code())(hour % 24, 0)


def format_age(days: int | None) -> str:
    """Weeks for the first months, then months, as parents and the neuvola say it."""
    if days is None:
        return ""
    loc = locale_code()
    if days < 0:
        return ""
    if days < 14:
        return format_unit(days, "duration-day", length="long", locale=loc)
    if days < 16 * 7:
        return format_unit(days // 7, "duration-week", length="long", locale=loc)
    months = int(days / 30.44)
    if months < 24:
        return format_unit(months, "duration-month", length="long", locale=loc)
    return format_unit(months // 12, "duration-year", length="long", locale=loc)
