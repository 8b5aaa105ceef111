"""The rhythm page, its charts and the rhythm API, as a parent and a client see them."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.chart_spans import with_spans
from tests.conftest import post_form, text_of

HEL = ZoneInfo("Europe/Helsinki")


def put(family, kind, start, end=None, baby=None):
    body = {"kind": kind, "start": start.isoformat(), "end": end.isoformat() if end else None}
    response = family.api.put(family.entry_url(str(uuid.uuid4()), baby), body)
    assert response.status_code == 201, response.get_json()


def local(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=HEL)


def figure(html: str, name: str) -> dict:
    """A chart's figure as the page script draws it (the 24-hour chart's spans as bars)."""
    match = re.search(rf'<script type="application/json" id="{name}">(.*?)</script>', html, re.S)
    assert match, name
    return with_spans(json.loads(match.group(1)))


# -- API ------------------------------------------------------------------------------------


def test_rhythm_api_defaults_to_the_last_14_days(family):
    body = family.api.get(f"/api/v1/babies/{family.baby_id}/rhythm").get_json()
    assert len(body["days"]) == 14
    assert body["timezone"] == "Europe/Helsinki"
    assert all(day["logged"] is False for day in body["days"])
    assert set(body["days"][0]) >= {
        "date",
        "hours",
        "logged",
        "sleep_minutes",
        "night_sleep_minutes",
        "day_sleep_minutes",
        "naps",
        "longest_sleep_minutes",
        "night_wakings",
        "crying_minutes",
        "crying_episodes",
        "feedings",
    }


def test_rhythm_api_clock_change_days(family):
    put(family, "sleep", local("2025-10-26", "01:00"), local("2025-10-26", "07:00"))
    put(family, "sleep", local("2026-03-29", "01:00"), local("2026-03-29", "07:00"))
    autumn = family.api.get(
        f"/api/v1/babies/{family.baby_id}/rhythm?from=2025-10-26&to=2025-10-26"
    ).get_json()["days"][0]
    spring = family.api.get(
        f"/api/v1/babies/{family.baby_id}/rhythm?from=2026-03-29&to=2026-03-29"
    ).get_json()["days"][0]
    assert (autumn["hours"], autumn["sleep_minutes"]) == (25, 420)
    assert (spring["hours"], spring["sleep_minutes"]) == (23, 300)


def test_rhythm_api_figures_for_a_night(family):
    put(family, "sleep", local("2026-01-10", "19:30"), local("2026-01-10", "23:30"))
    put(family, "sleep", local("2026-01-11", "00:00"), local("2026-01-11", "04:00"))
    put(family, "sleep", local("2026-01-11", "04:30"), local("2026-01-11", "06:30"))
    put(family, "crying", local("2026-01-10", "18:00"), local("2026-01-10", "18:45"))
    put(family, "feeding", local("2026-01-10", "23:40"))
    days = family.api.get(f"/api/v1/babies/{family.baby_id}/rhythm?from=2026-01-10&to=2026-01-11").get_json()[
        "days"
    ]
    first = days[0]
    assert first["night_sleep_minutes"] == 600
    assert first["night_wakings"] == 2
    assert first["crying_minutes"] == 45 and first["crying_episodes"] == 1
    assert first["feedings"] == 1
    assert first["sleep_minutes"] == 240
    assert days[1]["sleep_minutes"] == 360


@pytest.mark.parametrize(
    "query, field",
    [
        ("from=2026-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2026-02-01&to=2026-01-01", "from"),
        ("from=2025-01-01&to=2026-02-05", "to"),
    ],
)
def test_rhythm_api_bad_ranges_are_422(family, query, field):
    response = family.api.get(f"/api/v1/babies/{family.baby_id}/rhythm?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_rhythm_api_allows_400_days(family):
    response = family.api.get(f"/api/v1/babies/{family.baby_id}/rhythm?from=2025-01-01&to=2026-02-04")
    assert response.status_code == 200
    assert len(response.get_json()["days"]) == 400


def test_rhythm_api_access(family, make_family, client):
    other = make_family("other")
    assert other.api.get(f"/api/v1/babies/{family.baby_id}/rhythm").status_code == 404
    assert client.get(f"/api/v1/babies/{family.baby_id}/rhythm").status_code == 401


# -- page -------------------------------------------------------------------------------------


def test_rhythm_page_shows_figures_first_then_charts_and_tables(family):
    today = datetime.now(HEL).date()
    # Three whole days, whatever the hour (before 07:00 the family's day of yesterday still runs).
    for offset in range(2, 5):
        day = (today - timedelta(days=offset)).isoformat()
        put(family, "sleep", local(day, "09:00"), local(day, "10:30"))
        put(family, "crying", local(day, "18:00"), local(day, "19:00"))
    page = family.api.client.get(f"/diary/{family.baby_id}/rhythm")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index("Entries from 3 of the") < html.index('id="fig-rhythm"')
    assert "Crying has been most common around 6:00 PM." in text_of(page)  # text_of: spaces as one
    assert "not logged" in text_of(page)
    chart = figure(html, "fig-rhythm")
    # One trace per kind, and the rows with nothing in them hatched as "not logged".
    assert [t["meta"] for t in chart["data"]] == ["sleep", "crying", "feeding", "gap"]
    sleep, gap = chart["data"][0], chart["data"][3]
    assert len(sleep["x"]) == 3 and all(width == 1.5 for width in sleep["x"])
    assert sorted(sleep["base"]) == [9.0, 9.0, 9.0]
    logged = {13 - offset for offset in range(2, 5)}
    whole = [row for row, width in zip(gap["y"], gap["x"], strict=True) if width == 24]
    assert sorted(whole) == [row for row in range(14) if row not in logged]
    assert gap["y"][:11] == whole and gap["name"] == "Not logged"
    # In the rows with entries, the nights with none are hatched too (never a baby awake):
    # the end of one night (0-7) and the start of the next (19-24).
    parts = zip(gap["y"][11:], gap["base"][11:], gap["x"][11:], strict=True)
    assert sorted(parts) == sorted((row, base, width) for row in logged for base, width in ((0, 7), (19, 5)))
    assert (
        gap["customdata"][11]
        == f"{chart['layout']['yaxis']['ticktext'][gap['y'][11]]} 12:00\u202fAM–7:00\u202fAM: not logged"
    )
    labels = chart["layout"]["yaxis"]["ticktext"]
    assert all("not logged" not in label for label in labels)  # short labels: the chart keeps its width
    assert gap["customdata"][0] == f"{labels[gap['y'][0]]}: not logged"
    # In the daily totals, each part of a day not logged is hatched in its own subplot
    # (on a hidden 0–1 axis laid over it), never drawn as a zero.
    totals = figure(html, "fig-totals")
    gaps = {t["yaxis"]: t for t in totals["data"] if t["meta"] == "gap"}
    assert set(gaps) == {"y4", "y5", "y6"}
    assert [totals["layout"][f"yaxis{n}"]["overlaying"] for n in (4, 5, 6)] == ["y", "y2", "y3"]
    crying = next(t for t in totals["data"] if t["meta"] == "crying")
    missing = [x for x, y in zip(crying["x"], crying["y"], strict=True) if y is None]
    assert gaps["y5"]["x"] == missing and len(missing) == 14 - 3
    assert [t["showlegend"] for t in gaps.values()] == [True, False, False]  # once in the legend
    assert "<table" in html and 'class="not-logged"' in html


def test_rhythm_chart_splits_a_sleep_at_the_row_start(family):
    put(family, "sleep", local("2026-01-10", "21:00"), local("2026-01-11", "03:00"))
    html = family.api.client.get(f"/diary/{family.baby_id}/rhythm?from=2026-01-10&to=2026-01-11").get_data(
        as_text=True
    )
    sleep = figure(html, "fig-rhythm")["data"][0]
    assert list(zip(sleep["y"], sleep["base"], sleep["x"], strict=True)) == [(0, 21.0, 3.0), (1, 0.0, 3.0)]
    post_form(
        family.api.client,
        "/diary/settings",
        {
            "timezone": "Europe/Helsinki",
            "chart_day_start": "18",
            "night_start": "19:00",
            "night_end": "07:00",
        },
    )
    html = family.api.client.get(f"/diary/{family.baby_id}/rhythm?from=2026-01-10&to=2026-01-11").get_data(
        as_text=True
    )
    shifted = figure(html, "fig-rhythm")
    sleep = shifted["data"][0]
    assert list(zip(sleep["y"], sleep["base"], sleep["x"], strict=True)) == [(0, 3.0, 6.0)]
    assert shifted["layout"]["xaxis"]["ticktext"][0] == "6\u202fPM"


@pytest.mark.parametrize(("lang", "hours"), [("fi", "25 t"), ("sv", "25 tim"), ("en", "25 hr")])
def test_clock_change_rows_are_labelled(family, lang, hours):
    page = family.api.client.get(f"/diary/{family.baby_id}/rhythm?from=2025-10-25&to=2025-10-26&lang={lang}")
    labels = figure(page.get_data(as_text=True), "fig-rhythm")["layout"]["yaxis"]["ticktext"]
    assert hours in labels[1] and hours not in labels[0]
    assert labels[1].startswith(("su 26.10.", "sön 26.10.", "Sun 26.10.")), labels[1]
    # The table's family day from 07:00 on the 25th holds the change: the same words.
    assert re.search(rf"(la|lör|Sat) 25\.10\. · {hours}\b", text_of(page))


def test_no_english_leaks_into_finnish_or_swedish_charts(family):
    day = (datetime.now(HEL).date() - timedelta(days=2)).isoformat()
    put(family, "sleep", local(day, "09:00"), local(day, "10:30"))
    put(family, "feeding", local(day, "11:00"))
    english = [
        "Sleep",
        "Crying",
        "Feeding",
        "not logged",
        "Night sleep",
        "Day sleep",
        "Night wakings",
        "Hour of the day",
        "Minutes",
        "Typical range",
    ]
    for lang in ("fi", "sv"):
        html = family.api.client.get(f"/diary/{family.baby_id}/rhythm?lang={lang}").get_data(as_text=True)
        for name in ("fig-rhythm", "fig-totals", "fig-hourly"):
            text = json.dumps(figure(html, name), ensure_ascii=False)
            leaked = [word for word in english if re.search(rf'"{word}|{word}"| {word}\b', text)]
            assert leaked == [], (lang, name, leaked)


def test_sleep_band_uses_the_corrected_age(make_family):
    today = date.today()
    early = make_family(
        "early",
        birth_date=(today - timedelta(days=150)).isoformat(),
        due_date=(today - timedelta(days=90)).isoformat(),
    )
    html = early.api.client.get(f"/diary/{early.baby_id}/rhythm").get_data(as_text=True)
    assert "14–17 h in 24 h" in text_of(early.api.client.get(f"/diary/{early.baby_id}/rhythm"))
    totals = figure(html, "fig-totals")
    assert [t.get("meta") for t in totals["data"][:2]] == ["band", "band"]
    assert totals["data"][1]["y"][-1] == 17


def test_no_band_without_a_birth_date(family):
    html = family.api.client.get(f"/diary/{family.baby_id}/rhythm").get_data(as_text=True)
    assert "band" not in [t.get("meta") for t in figure(html, "fig-totals")["data"]]


def test_bad_range_on_the_page_says_so_and_shows_the_default(family):
    page = family.api.client.get(f"/diary/{family.baby_id}/rhythm?from=2026-02-01&to=2026-01-01")
    assert page.status_code == 422
    assert "The start date must be before the end date." in text_of(page)
    assert 'id="fig-rhythm"' in page.get_data(as_text=True)


def test_plotly_only_on_chart_pages(family):
    today = family.api.client.get(f"/diary/{family.baby_id}/").get_data(as_text=True)
    rhythm = family.api.client.get(f"/diary/{family.baby_id}/rhythm?lang=fi").get_data(as_text=True)
    assert "plotly" not in today
    assert "vendor/plotly-basic.min.js?v=" in rhythm
    assert "vendor/plotly-locale-fi.js?v=" in rhythm


def test_rhythm_page_is_the_parents_own(family, make_family, client):
    other = make_family("other")
    assert other.api.client.get(f"/diary/{family.baby_id}/rhythm").status_code == 404
    assert client.get(f"/diary/{family.baby_id}/rhythm").status_code == 302


def test_a_part_of_today_not_over_yet_is_never_hatched(family):
    """Today's row, with a feed a moment ago: the night or daytime going on now is not a
    gap (nothing is "not logged" before it has happened); last night, if empty, is."""
    now = datetime.now(HEL)
    put(family, "feeding", now - timedelta(minutes=1))
    html = family.api.client.get(f"/diary/{family.baby_id}/rhythm").get_data(as_text=True)
    gap = next(t for t in figure(html, "fig-rhythm")["data"] if t["meta"] == "gap")
    today = 13
    hour = now.hour + now.minute / 60
    pieces = [(b, w) for y, b, w in zip(gap["y"], gap["base"], gap["x"], strict=True) if y == today]
    assert all(w < 24 for _b, w in pieces)  # the row is logged: at most its parts
    assert all(b + w <= hour + 1e-6 for b, w in pieces), (hour, pieces)  # only what is over
    if hour >= 7.05:  # last night is over, and nothing was logged in it
        assert (0, 7) in pieces


def test_ongoing_sleep_is_drawn_up_to_now(family):
    start = datetime.now(UTC) - timedelta(hours=2)
    put(family, "sleep", start)
    html = family.api.client.get(
        f"/diary/{family.baby_id}/rhythm?from={date.today() - timedelta(days=1)}"
    ).get_data(as_text=True)
    sleep = figure(html, "fig-rhythm")["data"][0]
    assert abs(sum(sleep["x"]) - 2.0) < 0.05
    assert all("–… · " in text for text in sleep["customdata"])  # still going on


def test_hover_texts_give_the_times_and_the_real_length_in_the_readers_language(family):
    put(family, "sleep", local("2026-10-23", "23:00"), local("2026-10-24", "01:30"))  # began before the chart
    put(family, "sleep", local("2026-10-24", "22:30"), local("2026-10-25", "00:40"))  # across midnight
    put(family, "sleep", local("2026-10-25", "01:00"), local("2026-10-25", "06:00"))  # the clocks go back
    put(family, "feeding", local("2026-10-26", "10:05"))
    path = f"/diary/{family.baby_id}/rhythm?from=2026-10-24&to=2026-10-26"

    def drawn(language: str) -> tuple[list, list]:
        html = family.api.client.get(path, headers={"Accept-Language": language}).get_data(as_text=True)
        sleep, _crying, feeding = figure(html, "fig-rhythm")["data"][:3]
        bars = sorted(zip(sleep["y"], sleep["base"], sleep["x"], sleep["customdata"], strict=True))
        return bars, list(zip(feeding["y"], feeding["x"], feeding["customdata"], strict=True))

    bars, feeds = drawn("fi")
    assert bars == [
        (0, 0.0, 1.5, "Uni 23.00–1.30 · 2 t 30 min"),
        (0, 22.5, 1.5, "Uni 22.30–0.40 · 2 t 10 min"),
        (1, 0.0, 0.667, "Uni 22.30–0.40 · 2 t 10 min"),
        (1, 1.0, 5.0, "Uni 1.00–6.00 · 6 t"),  # five hours on the clock, six slept
    ]
    assert feeds == [(2, 10.083, "Syöttö 10.05")]
    bars, feeds = drawn("sv")
    assert [text for *_place, text in bars][::3] == [
        "Sömn 23.00–1.30 · 2 tim 30 min",  # Finland-Swedish: the same clock as Finnish
        "Sömn 1.00–6.00 · 6 tim",
    ]
    assert feeds == [(2, 10.083, "Matning 10.05")]
    bars, _feeds = drawn("en")
    assert bars[-1][-1] == "Sleep 1:00\u202fAM–6:00\u202fAM · 6 hr"
