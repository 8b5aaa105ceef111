"""One clock per language on every page that shows times: 18.00 in Finnish and in
Finland-Swedish (never 18:00 or 03.48), in the pages' text, the today page's script's
pattern, and the charts' hover texts and hour axes."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import text_of

HEL = ZoneInfo("Europe/Helsinki")
DAY = datetime(2026, 11, 3, tzinfo=HEL)
#: Another language's clock: a colon (18:00, 3:48), or a leading zero (03.48, 06).
COLON = re.compile(r"\b\d{1,2}:\d{2}\b")
LEADING_ZERO = re.compile(r"(?<![\d.])0\d[.:]\d{2}\b")


def put(family, kind: str, start: datetime, minutes: int | None = None) -> None:
    body = {
        "kind": kind,
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=minutes)).isoformat() if minutes else None,
    }
    response = family.api.put(family.entry_url(str(uuid.uuid4())), body)
    assert response.status_code == 201, response.get_json()


@pytest.fixture
def diary(make_family):
    family = make_family(birth_date="2026-09-01")
    for back in range(0, 6):
        day = DAY - timedelta(days=back)
        put(family, "sleep", day - timedelta(hours=1, minutes=50), 330)  # 22.10–3.40
        put(family, "crying", day + timedelta(hours=3, minutes=48), 20)
        put(family, "feeding", day + timedelta(hours=6, minutes=5))
        put(family, "sleep", day + timedelta(hours=9, minutes=30), 75)
        put(family, "crying", day + timedelta(hours=18), 45)
        put(family, "feeding", day + timedelta(hours=18))
    return family


def figures(html: str) -> dict[str, dict]:
    found = re.findall(r'<script type="application/json" id="(fig-\w+)">(.*?)</script>', html, flags=re.S)
    return {name: json.loads(body) for name, body in found}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_pages_write_every_time_as_18_00_with_a_full_stop(diary, lang):
    client = diary.api.client
    pages = {
        "history": client.get(f"/diary/{diary.baby_id}/entries?day={DAY.date().isoformat()}&lang={lang}"),
        "rhythm": client.get(
            f"/diary/{diary.baby_id}/rhythm?from=2026-10-29&to={DAY.date().isoformat()}&lang={lang}"
        ),
        "today": client.get(f"/diary/{diary.baby_id}/?lang={lang}"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = text_of(response)
        assert not COLON.findall(text), (name, COLON.findall(text))
        assert not LEADING_ZERO.findall(text), (name, LEADING_ZERO.findall(text))
    history = text_of(pages["history"])
    assert "3.48" in history and "18.00" in history and "6.05" in history
    rhythm_text = text_of(pages["rhythm"])
    assert "18.00" in rhythm_text  # the hour most crying falls in, "noin klo 18.00"
    # The today page's script writes its times from the page's pattern, not its own.
    today = pages["today"].get_data(as_text=True)
    assert 'data-clock="H.mm"' in today
    charts = figures(pages["rhythm"].get_data(as_text=True))
    assert charts["fig-rhythm"]["spans"]["clock"] == "H.mm"  # the 24-hour chart's hover texts
    axis = charts["fig-rhythm"]["layout"]["xaxis"]["ticktext"]
    assert axis[:4] == ["0", "3", "6", "9"], axis
    hourly = charts["fig-hourly"]["data"][0]
    assert hourly["x"][:3] == ["0", "1", "2"] and hourly["customdata"][18] == "18.00–19.00"
    for chart in charts.values():
        words = json.dumps(chart, ensure_ascii=False)
        assert not LEADING_ZERO.findall(words), LEADING_ZERO.findall(words)
        assert not [t for t in COLON.findall(words) if not re.search(r"\d{2}:\d{2}:\d{2}", t)], COLON.findall(
            words
        )


@pytest.mark.parametrize(
    ("lang", "hours", "decimal"), [("fi", "t", ",\u00a0"), ("sv", "tim", ",\u00a0"), ("en", "hours", ".,")]
)
def test_the_settings_hours_and_the_charts_numbers_are_written_as_the_reader_writes_them(
    diary, lang, hours, decimal
):
    client = diary.api.client
    settings = client.get(f"/diary/settings?lang={lang}")
    assert settings.status_code == 200
    starts = re.findall(r'<option[^>]*value="(\d+)"[^>]*>([^<]+)</option>', settings.get_data(as_text=True))
    shown = dict(starts)
    if lang == "en":
        assert shown["18"] == "6:00\u202fPM" or shown["18"].replace("\u202f", " ") == "6:00 PM", shown
    else:
        assert (shown["0"], shown["18"], shown["6"]) == ("0.00", "18.00", "6.00"), shown
    rhythm = client.get(
        f"/diary/{diary.baby_id}/rhythm?from=2026-10-29&to={DAY.date().isoformat()}&lang={lang}"
    )
    charts = figures(rhythm.get_data(as_text=True))
    for chart in charts.values():
        assert chart["layout"]["separators"] == decimal
    totals = charts["fig-totals"]["data"]
    sleep_hovers = [t["hovertemplate"] for t in totals if t.get("meta") in ("sleep", "sleep-light")]
    assert sleep_hovers and all(h.endswith(f" {hours}<extra></extra>") for h in sleep_hovers), sleep_hovers
