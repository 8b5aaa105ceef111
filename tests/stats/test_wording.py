"""How the statistics write their figures for people: the minus sign of a negative change,
and minutes as hours and minutes; a spreadsheet gets plain numbers."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from tests.conftest import text_of
from tests.stats.test_statistics import build_world, report_year

MINUS = "\u2212"
#: The change table's rows in each language: night wakings (about 3 a night at first, one
#: later), the longest sleep (3 hours, then 6) and crying (an hour a day, then half).
ROWS = {
    "fi": (
        r"Yöheräämiset 6 [23],\d 1,0 {m}[12],\d",
        r"Pisin uni 6 3 t 6 t 3 t",
        r"Itku vuorokaudessa 6 1 t 30 min {m}30 min",
    ),
    "sv": (
        r"Nattliga uppvaknanden 6 [23],\d 1,0 {m}[12],\d",
        r"Längsta sömn 6 3 tim 6 tim 3 tim",
        r"Gråt per dygn 6 1 tim 30 min {m}30 min",
    ),
    "en": (
        r"Night wakings 6 [23]\.\d 1\.0 {m}[12]\.\d",
        r"Longest sleep 6 3 hr 6 hr 3 hr",
        r"Crying a day 6 1 hr 30 min {m}30 min",
    ),
}


def get(api, path: str, lang: str):
    response = api.client.get(
        f"{path}?organisation=tampere&year={report_year()}", headers={"Accept-Language": lang}
    )
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_change_reads_with_a_minus_sign_and_in_hours_and_minutes(app, federation, lang):
    build_world(app, 6)
    page = get(federation, "/stats/", lang)
    text = text_of(page)
    for row in ROWS[lang]:
        assert re.search(row.format(m=MINUS), text), (row, text[text.find("Median change") :][:300])
    assert not re.search(r"\d-\d|\s-\d", text.split("</h1>")[-1])  # no hyphen for a minus
    assert "180,0" not in text and "180.0" not in text  # the minutes are not left as minutes
    # The chart's own text says the same.
    html = page.get_data(as_text=True)
    figure = json.loads(
        re.search(r'<script type="application/json" id="fig-change">(.*?)</script>', html, re.S)[1]
    )
    texts = [text for trace in figure["data"] for text in trace["text"]]
    hour = {"fi": "t", "sv": "tim", "en": "hr"}[lang]
    assert texts[2:4] == [f"3 {hour}", f"6 {hour}"]
    assert texts[4:6] == [f"1 {hour}", "30 min"]
    # The file for the annual report too.
    report_file = get(federation, "/stats/report.html", lang)
    report = text_of(report_file)
    for row in ROWS[lang]:
        assert re.search(row.format(m=MINUS), report)
    # Read aloud, the file's charts and tables are its main content (one landmark).
    assert report_file.get_data(as_text=True).count("<main>") == 1


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_csv_keeps_plain_numbers_for_a_spreadsheet(app, federation, lang):
    build_world(app, 6)
    body = get(federation, "/stats/report.csv", lang).get_data(as_text=True)
    assert MINUS not in body
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(body)) if row}
    sleep = rows["Pisin uni, min" if lang == "fi" else "Longest sleep, min"]
    crying = rows["Itku, min/vrk" if lang == "fi" else "Crying, min a day"]
    comma = "," if lang == "fi" else "."
    assert sleep == ["6", f"180{comma}0", f"360{comma}0", f"180{comma}0"]
    assert crying == ["6", f"60{comma}0", f"30{comma}0", f"-30{comma}0"]


def test_minutes_are_rounded_to_whole_minutes_in_the_readers_language(app):
    from companion.stats.charts import shown, shown_minutes

    for lang, expected in (("fi", "5 t 50 min"), ("sv", "5 tim 50 min"), ("en", "5 hr 50 min")):
        with app.test_request_context(headers={"Accept-Language": lang}):
            assert shown_minutes(350.4) == expected
            assert shown_minutes(-350.6) == MINUS + expected.replace("50 min", "51 min")
            assert shown_minutes(0.2) == "0 min"
            assert shown_minutes("<5") == shown("<5") and shown_minutes(None) == "–"
            assert shown(-1.25).startswith(MINUS)


def test_a_hidden_figure_is_told_on_the_chart_never_drawn_as_a_zero(app):
    from companion.stats import charts, reports

    with app.test_request_context(headers={"Accept-Language": "en"}):
        body = reports.report_body(None, report_year(), "quarter")
        for row, new in zip(body["rows"], ("<5", None, 0, 9), strict=True):
            row["new_grants_count"] = new
            row["first_share_age"]["pregnancy_count"] = new
        body["feedback"]["feedback_count"] = None
        made = {chart.id: chart for chart in charts.report_charts(body)}
    new_bars = made["shared"].figure["data"][0]
    assert new_bars["y"] == [0, 0, 0, 9]
    assert new_bars["text"] == ["fewer than 5", "–", "0", "9"]
    assert new_bars["textposition"] == ["outside", "outside", "outside", "auto"]
    # In a stack the words would pile up on one another: there the table tells them.
    pregnancy = made["age"].figure["data"][0]
    assert pregnancy["y"][:2] == [None, None] and pregnancy["text"][:2] == ["", ""]
    # A hidden number of answers leaves no dash in the middle of a sentence.
    assert made["helped"].note == "The families' own answers for the year."
    assert made["recommend"].note
