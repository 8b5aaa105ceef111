"""A sleep over midnight is one sleep in both days' lists: the evening's day reads
"22.10–(continues)", the morning's "(started yesterday 22.10)–5.40" (or "the day before"
in a list of another day), in Finnish, Swedish and English alike."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import text_of

HEL = ZoneInfo("Europe/Helsinki")


def put_sleep(family, start: datetime, end: datetime | None) -> None:
    body = {"kind": "sleep", "start": start.isoformat(), "end": end.isoformat() if end else None}
    assert family.api.put(family.entry_url(str(uuid.uuid4())), body).status_code == 201


def section(html: str, day) -> str:
    """The text of one day's list on the history page."""
    found = re.search(
        rf'<section class="day-list" aria-labelledby="day-{day.isoformat()}">(.*?)</section>', html, re.S
    )
    return re.sub(r"[ \n]+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))


@pytest.mark.parametrize(
    ("lang", "evening", "morning"),
    [
        ("fi", "22.10–(jatkuu)", "(alkoi edellisenä päivänä 22.10)–5.40"),
        ("sv", "22.10–(fortsätter)", "(började dagen innan 22.10)–5.40"),
        ("en", "10:10\u202fPM–(continues)", "(started the day before 10:10\u202fPM)–5:40\u202fAM"),
    ],
)
def test_the_history_shows_a_night_once_as_going_on_and_once_as_begun_the_day_before(
    make_family, lang, evening, morning
):
    family = make_family(birth_date="2026-09-01")
    put_sleep(family, datetime(2026, 11, 2, 22, 10, tzinfo=HEL), datetime(2026, 11, 3, 5, 40, tzinfo=HEL))
    html = family.api.client.get(f"/diary/{family.baby_id}/entries?day=2026-11-04&lang={lang}").get_data(
        as_text=True
    )
    first, second = (section(html, datetime(2026, 11, d).date()) for d in (2, 3))
    assert f" {evening} " in first, first
    assert f" {morning} " in second, second
    # Nothing else of the two days says 22.10–5.40 as if it lay inside one of them.
    assert "22.10–5.40" not in first + second


def test_the_today_page_says_the_night_began_yesterday(make_family):
    family = make_family(birth_date="2026-09-01")
    midnight = datetime.now(HEL).replace(hour=0, minute=0, second=0, microsecond=0)
    start = midnight - timedelta(minutes=110)  # 22.10 yesterday
    end = min(midnight + timedelta(minutes=20), datetime.now(HEL))
    put_sleep(family, start, end)
    text = text_of(family.api.client.get(f"/diary/{family.baby_id}/?lang=fi"))
    until = f"{end.hour}.{end.minute:02d}"
    assert f"(alkoi eilen 22.10)–{until}" in text, text
    page = family.api.client.get(f"/diary/{family.baby_id}/?lang=sv").get_data(as_text=True)
    # The page script writes the same words when it draws the list again.
    assert 'data-msg-started-yesterday="(började i går %(time)s)"' in page
