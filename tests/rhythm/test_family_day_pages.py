"""The rhythm pages by the family's day, as a parent and a worker read them: the JSON API
keeps its calendar days and adds the family's; a night or day nobody logged is "not
logged", never zero; the week comparison is the last 7 whole days against the 7 before
whatever period is shown; the night figures name their night; and a "whole diary" choice
sits beside 7, 14 and 28 days."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.conftest import text_of
from tests.rhythm.test_rhythm_page import put
from tests.share.conftest import grant_for, make_worker, worker  # noqa: F401  (fixtures)

HEL = ZoneInfo("Europe/Helsinki")


def today() -> datetime:
    """The family's day that is going on (it starts at 07:00)."""
    now = datetime.now(HEL)
    return (now - timedelta(hours=7)).date()


def at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), HEL)


def diary(family, days: int = 21, skip_night: int = 5, sleepy: int = 8) -> None:
    """A night of 9 h and a nap of 1 h each day, one night left out, and the last week's
    nights an hour longer: (``skip_night``: days back to the night nobody logged)."""
    for back in range(1, days + 1):
        day = today() - timedelta(days=back)
        put(family, "sleep", at(day, 12), at(day, 13))
        if back == skip_night:
            continue
        night = 10 if back < sleepy else 9
        put(family, "sleep", at(day, 21), at(day, 21) + timedelta(hours=night))


def period(family, first, last, lang="en") -> str:
    path = f"/diary/{family.baby_id}/rhythm?from={first.isoformat()}&to={last.isoformat()}&lang={lang}"
    return family.api.client.get(path)


def week_lines(response) -> list[str]:
    html = response.get_data(as_text=True)
    part = html.split("The last 7 whole days compared with the 7 days before", 1)[1]
    part = part.split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", line).strip() for line in re.findall(r"<li>(.*?)</li>", part, re.S)]


def test_the_api_keeps_its_calendar_days_and_adds_the_familys(family):
    diary(family)
    first, last = today() - timedelta(days=7), today() - timedelta(days=2)
    body = family.api.get(
        f"/api/v1/babies/{family.baby_id}/rhythm?from={first.isoformat()}&to={last.isoformat()}"
    ).get_json()
    # The contract's calendar days, as before: midnight to midnight, numbers.
    assert [d["date"] for d in body["days"]] == [(first + timedelta(days=i)).isoformat() for i in range(6)]
    assert all(isinstance(d["sleep_minutes"], int) for d in body["days"])
    # Beside them, the family's days from 07:00: the night nobody logged is null, not 0.
    family_day = body["family_day"]
    assert family_day["starts_at"] == "07:00"
    by_date = {d["date"]: d for d in family_day["days"]}
    gap = by_date[(today() - timedelta(days=5)).isoformat()]
    assert gap["night_logged"] is False and gap["night_sleep_minutes"] is None
    assert gap["sleep_minutes"] is None  # the nap alone is not the day's sleep
    assert gap["day_sleep_minutes"] == 60 and gap["logged"] is True
    night = by_date[(today() - timedelta(days=4)).isoformat()]
    assert night["night_sleep_minutes"] == 600 and night["sleep_minutes"] == 660
    assert family_day["summary"]["nights_logged"] == 5 and family_day["summary"]["days_logged"] == 6


def test_a_night_nobody_logged_is_not_logged_in_the_table_sentences_and_averages(family):
    diary(family)
    first, last = today() - timedelta(days=7), today() - timedelta(days=2)
    page = period(family, first, last)
    text = text_of(page)
    # Every day has entries, one night has none: said together, and the night named as in the table.
    gap = today() - timedelta(days=5)
    after = gap + timedelta(days=1)
    night = f"{gap.day}.{'' if gap.month == after.month else f'{gap.month}.'}–{after.day}.{after.month}."
    said = "Entries from 6 days, but not from every night and daytime."
    assert f"{said} Nights without entries: 1 ({night})." in text
    assert "Entries from every day" not in text and "Daytimes without entries" not in text
    assert "Night figures are averaged over the nights with entries" in text
    # The averages take each night over the nights logged: the gap does not pull them down.
    assert "Sleep: about 11 hr a day (night 10 hr, daytime 1 hr)." in text
    # The night left out: its row says so; the day's sleep is "–", never the nap alone.
    label = rf"<tr><th scope=\"row\">\w+ {gap.day}\.{gap.month}\.</th>(.*?)</tr>"
    row = re.search(label, page.get_data(as_text=True))
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells[0] == "–" and cells[1] == "1 hr" and cells[4] == "not logged" and cells[5] == "not logged"
    # Its night is named ("14.–15.11."): the one that begins in that day.
    assert cells[3] == night


def test_the_week_comparison_is_the_same_whatever_period_is_shown(family):
    diary(family, days=21, skip_night=20)
    lines = None
    for first, last in (
        (today() - timedelta(days=6), today()),
        (today() - timedelta(days=27), today()),
        (today() - timedelta(days=60), today() - timedelta(days=50)),  # long ago
    ):
        got = week_lines(period(family, first, last))
        assert got, (first, last)
        assert lines is None or got == lines, (first, last, got, lines)
        lines = got
    assert "Nights have been about 1 hr longer than the week before." in lines
    api = family.api.get(f"/api/v1/babies/{family.baby_id}/rhythm").get_json()
    old = family.api.get(f"/api/v1/babies/{family.baby_id}/rhythm?from=2026-01-01&to=2026-01-05").get_json()
    assert api["family_day"]["week_comparison"] == old["family_day"]["week_comparison"]
    assert api["family_day"]["week_comparison"]["night_sleep_minutes"] == 60


def presets(response) -> dict[str, tuple[str, bool]]:
    html = response.get_data(as_text=True)
    nav = re.search(r'<nav class="range".*?</nav>', html, re.S).group(0)
    return {
        label.strip(): (href.replace("&amp;", "&"), "aria-current" in attrs)
        for href, attrs, label in re.findall(r'<a class="chip" href="([^"]+)"([^>]*)>([^<]+)</a>', nav)
    }


def test_the_whole_diary_beside_7_14_and_28_days_for_the_parent_and_the_worker(family, worker):  # noqa: F811
    start = today() - timedelta(days=100)
    put(family, "sleep", at(start, 12), at(start, 13))
    put(family, "sleep", at(today() - timedelta(days=1), 12), at(today() - timedelta(days=1), 13))
    grant = grant_for(family, worker)
    for client, path in (
        (family.api.client, f"/diary/{family.baby_id}/rhythm"),
        (worker.api.client, f"/worker/diaries/{grant}"),
    ):
        chips = presets(client.get(path))
        assert list(chips) == ["7 days", "14 days", "28 days", "Whole diary"], chips
        href, current = chips["Whole diary"]
        assert f"from={start.isoformat()}" in href and not current
        whole = client.get(href)
        assert whole.status_code == 200
        assert presets(whole)["Whole diary"][1] is True  # marked as the one shown
        assert len(re.findall(r"<tr[^>]*><th scope=\"row\">", whole.get_data(as_text=True))) >= 100


def test_the_whole_diary_is_at_most_400_days(family):
    long_ago = datetime.now(HEL).date() - timedelta(days=600)
    put(family, "sleep", at(long_ago, 12), at(long_ago, 13))
    href, _current = presets(family.api.client.get(f"/diary/{family.baby_id}/rhythm"))["Whole diary"]
    first = re.search(r"from=([\d-]+)", href).group(1)
    last = re.search(r"to=([\d-]+)", href).group(1)
    assert (datetime.fromisoformat(last) - datetime.fromisoformat(first)).days == 399
    assert family.api.client.get(href).status_code == 200


def test_the_count_of_days_with_entries_reads_plainly_in_finnish_and_swedish(family):
    diary(family, days=10)
    everyday = (today() - timedelta(days=7), today() - timedelta(days=2))
    with_gaps = (today() - timedelta(days=13), today() - timedelta(days=2))  # 3 days without entries
    every_fi = text_of(period(family, *everyday, lang="fi"))
    assert "Merkintöjä 6 päivältä, mutta ei joka yöltä tai päiväajalta. Yöt ilman merkintöjä: 1 (" in every_fi
    assert "joka päivältä" not in every_fi
    every_sv = text_of(period(family, *everyday, lang="sv"))
    assert (
        "Anteckningar från 6 dagar, men inte från varje natt eller dagtid. Nätter utan anteckningar: 1 ("
        in every_sv
    )
    # Every day and every night with entries: said so, and nothing more.
    whole = (today() - timedelta(days=4), today() - timedelta(days=2))
    assert "Merkintöjä joka päivältä ja joka yöltä." in text_of(period(family, *whole, lang="fi"))
    assert "Anteckningar från varje dag och varje natt." in text_of(period(family, *whole, lang="sv"))
    assert "Yöt ilman" not in text_of(period(family, *whole, lang="fi"))
    fi, sv = (text_of(period(family, *with_gaps, lang=lang)) for lang in ("fi", "sv"))
    assert "Merkintöjä 9 päivältä (jaksossa 12 päivää)." in fi
    assert "Anteckningar från 9 dagar av 12." in sv
    # The three days without entries and the one night: four nights, named as in the table.
    assert "Yöt ilman merkintöjä: 4 (" in fi and "Päiväajat ilman merkintöjä: 3 (" in fi
    assert "Nätter utan anteckningar: 4 (" in sv
    # More than five are counted, not named.
    many = text_of(period(family, today() - timedelta(days=17), today() - timedelta(days=2), lang="fi"))
    assert "Yöt ilman merkintöjä: 8." in many and "Päiväajat ilman merkintöjä: 7." in many
    for words in ("puuttuu", "unohtui", "unohdit"):  # no guilt
        assert words not in fi.lower()
    assert "päivänä" not in fi.split("Merkintöjä", 1)[1][:40]
