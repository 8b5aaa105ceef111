"""The diary's words as a Finnish or Swedish reader meets them: lists of details go on in
lower case, a crying's intensity is said as such, and the waiting line is a sentence."""

from __future__ import annotations

import html
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import post_form, text_of

WORDS = {
    "fi": {"feed": "Rinta, vasen, 90 ml", "cry": "Kova itku, kantaminen, syöttö", "hard": "Lohduton itku"},
    "sv": {"feed": "Bröst, vänster, 90 ml", "cry": "Kraftig gråt, bära, matning", "hard": "Otröstlig gråt"},
}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_entry_details_go_on_in_lower_case_and_say_how_hard_the_crying_was(family, lang):
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    bodies = [
        {
            "kind": "feeding",
            "start": start.isoformat(),
            "details": {"method": "breast", "side": "left", "amount_ml": 90},
        },
        {
            "kind": "crying",
            "start": (start + timedelta(minutes=30)).isoformat(),
            "end": (start + timedelta(minutes=40)).isoformat(),
            "details": {"intensity": "crying", "soothing": ["carrying", "feeding"]},
        },
        {
            "kind": "crying",
            "start": (start + timedelta(minutes=50)).isoformat(),
            "end": (start + timedelta(minutes=55)).isoformat(),
            "details": {"intensity": "inconsolable"},
        },
    ]
    for body in bodies:
        assert family.api.put(family.entry_url(str(uuid.uuid4())), body).status_code == 201
    page = html.unescape(text_of(family.api.client.get(f"/diary/{family.baby_id}/?lang={lang}")))
    words = WORDS[lang]
    assert words["feed"] in page and words["cry"] in page and words["hard"] in page, page
    raw = family.api.client.get(f"/diary/{family.baby_id}/?lang={lang}").get_data(as_text=True)
    # The page script writes the same words (js/today.js): its labels come from the same table.
    labels = json.loads(html.unescape(raw.split("data-labels='", 1)[1].split("'", 1)[0]))
    assert labels["intensity"]["inconsolable"] == words["hard"]


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [
        ("fi", "Yksi merkintä odottaa lähettämistä.", "%(n)s merkintää odottaa lähettämistä."),
        ("sv", "En anteckning väntar på att skickas.", "%(n)s anteckningar väntar på att skickas."),
    ],
)
def test_the_waiting_line_ends_with_a_full_stop(family, lang, one, many):
    raw = family.api.client.get(f"/diary/{family.baby_id}/?lang={lang}").get_data(as_text=True)
    assert f'data-msg-waiting-one="{one}"' in raw and f'data-msg-waiting="{many}"' in raw


@pytest.mark.parametrize(
    ("lang", "line", "hours"),
    [
        (
            "fi",
            "Ruotsiksi: 09 2525 0112 (rajatuin ajoin)",
            "Ruotsinkielisen linjan ajantasaiset päivystysajat ovat osoitteessa mieli.fi.",
        ),
        (
            "sv",
            "På svenska: 09 2525 0112 (begränsade tider)",
            "De aktuella tiderna för den svenskspråkiga linjen finns på mieli.fi.",
        ),
    ],
)
def test_the_swedish_crisis_line_is_a_sentence_of_its_own(client, lang, line, hours):
    page = html.unescape(text_of(client.get(f"/help?lang={lang}")))
    assert f"{line} {hours}" in page, page


@pytest.mark.parametrize(
    ("lang", "said"),
    [("fi", "Ajat ovat paikallista aikaa (Tukholma)."), ("sv", "Tiderna är lokal tid i Stockholm.")],
)
def test_the_forms_name_the_time_zone_only_when_it_is_not_finlands(family, lang, said):
    forms = (f"/diary/{family.baby_id}/entries/new?lang={lang}", f"/diary/{family.baby_id}/plan?lang={lang}")
    for path in forms:
        page = html.unescape(text_of(family.api.client.get(path)))
        assert "Europe/Helsinki" not in page and "Helsin" not in page, path
    settings = {
        "timezone": "Europe/Stockholm",
        "chart_day_start": "0",
        "night_start": "19:00",
        "night_end": "07:00",
    }
    assert post_form(family.api.client, "/diary/settings", settings).status_code == 302
    for path in forms:
        page = html.unescape(text_of(family.api.client.get(path)))
        assert said in page and "Europe/Stockholm" not in page, (path, page)
