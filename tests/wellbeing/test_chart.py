"""Coping beside the baby's nights: the chart's figures, and the same figures as text."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, time, timedelta

import pytest

from tests.wellbeing.conftest import HELSINKI, day, local_today, put_checkin, visible


def sleep(family, back: int, start: time, end: time, next_day: bool = False):
    first = local_today() - timedelta(days=back)
    begin = datetime.combine(first, start, tzinfo=HELSINKI)
    finish = datetime.combine(first + timedelta(days=1 if next_day else 0), end, tzinfo=HELSINKI)
    response = family.api.put(
        family.entry_url(str(uuid.uuid4())),
        {"kind": "sleep", "start": begin.isoformat(), "end": finish.isoformat()},
    )
    assert response.status_code == 201, response.get_json()


@pytest.fixture
def born(make_family):
    """A family whose baby is eight weeks old, with two nights in the diary."""
    family = make_family("born-parent", baby="Eeli", birth_date=day(56))
    sleep(family, 3, time(20, 0), time(23, 0))
    sleep(family, 3, time(23, 30), time(4, 0), next_day=True)
    sleep(family, 2, time(21, 0), time(2, 0), next_day=True)
    return family


def figure_of(response) -> dict:
    html = response.get_data(as_text=True)
    found = re.search(r'<script type="application/json" id="fig-coping">(.*?)</script>', html, re.S)
    assert found, "the figure is embedded as JSON"
    return json.loads(found.group(1))


def table_rows(response) -> dict[str, list[str]]:
    html = response.get_data(as_text=True)
    body = html[html.index('class="figures-table coping-table"') :]
    body = body[: body.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = cells[1:]
    return rows


def test_coping_beside_the_babys_night_before(born):
    put_checkin(born.api, day(3), 2)
    put_checkin(born.api, day(2), 4)
    response = born.api.get("/wellbeing/chart")
    assert response.status_code == 200
    text = visible(response)
    assert "beside Eeli's night before each day" in text
    rows = table_rows(response)
    assert rows["Day"] == [
        "How you were coping",
        "Baby's longest sleep, the night before",
        "Night wakings, the night before",
    ]
    days = list(rows.values())[1:]
    assert len(days) == 14
    # The night of day 3 (20-23, 23:30-04:00) is the night before day 2.
    assert days[-3] == ["Quite well", "4 hr 30 min", "1"]
    assert days[-2] == ["not logged", "5 hr", "0"]
    # Nothing written the evening before day 3: a gap, said kindly, not a zero.
    assert days[-4] == ["Hard", "not logged"]
    # Nothing in last night (the sleep before it ended at 02:00 the night before): not logged,
    # never "0 min" and no wakings made up.
    assert days[-1] == ["not logged", "not logged"]
    assert "simply gaps. That is fine." in text


def test_the_figure_has_words_on_the_coping_axis_and_gaps_as_none(born):
    put_checkin(born.api, day(2), 2)
    figure = figure_of(born.api.get("/wellbeing/chart"))
    assert figure["layout"]["yaxis"]["ticktext"] == ["Very hard", "Hard", "So-so", "Quite well", "Well"]
    assert figure["layout"]["yaxis"]["tickvals"] == [1, 2, 3, 4, 5]
    coping, longest, wakings = figure["data"]
    assert coping["y"][-3] == 2 and coping["y"][-1] is None
    assert coping["customdata"][-3] == "Hard"
    assert longest["y"][-3] == 4.5 and longest["y"][-4] is None and longest["y"][-1] is None
    assert wakings["y"][-3] == 1 and wakings["y"][-2] == 0 and wakings["y"][-1] is None
    assert len(coping["x"]) == 14
    assert "<script" not in json.dumps(figure)


def test_the_chart_is_loaded_lazily_like_the_rhythm_page(born):
    html = born.api.get("/wellbeing/chart").get_data(as_text=True)
    assert "js/rhythm.js" in html and "data-plotly=" in html
    assert 'data-figure="fig-coping"' in html
    # plotly.js is never a plain script tag: rhythm.js fetches it when the chart comes near.
    assert not re.search(r'<script src="[^"]*plotly-basic', html)


def test_a_baby_not_born_yet_shows_only_coping(family):
    put_checkin(family.api, day(0), 3)
    response = family.api.get("/wellbeing/chart")
    assert response.status_code == 200
    figure = figure_of(response)
    assert len(figure["data"]) == 1
    assert "Baby's longest sleep" not in response.get_data(as_text=True).replace("&#39;", "'")
    assert table_rows(response)["Day"] == ["How you were coping"]
    assert "once Aino is born" in visible(response)


def test_a_parent_without_a_baby_sees_only_coping(app):
    from tests.conftest import PASSWORD, Api

    api = Api(app.test_client())
    api.post("/api/v1/signup", {"username": "nobaby", "password": PASSWORD})
    put_checkin(api, day(1), 5)
    response = api.get("/wellbeing/chart")
    assert response.status_code == 200
    assert len(figure_of(response)["data"]) == 1
    assert list(table_rows(response).values())[-2] == ["Well"]


def test_the_baby_can_be_chosen_and_only_the_familys(born, make_family):
    made = born.api.post("/api/v1/babies", {"name": "Toinen", "birth_date": day(10)})
    second = made.get_json()["baby"]["id"]
    response = born.api.get(f"/wellbeing/chart?baby={second}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "beside Toinen's night before each day" in visible(response)
    assert f'<input type="hidden" name="baby" value="{second}">' in html
    stranger = make_family("stranger")
    assert born.api.get(f"/wellbeing/chart?baby={stranger.baby_id}").status_code == 404
    assert born.api.get("/wellbeing/chart?baby=nope").status_code == 404


def test_a_range_can_be_chosen_and_a_bad_one_is_explained(born):
    response = born.api.get(f"/wellbeing/chart?from={day(6)}&to={day(0)}")
    assert len(table_rows(response)) == 8
    bad = born.api.get(f"/wellbeing/chart?from={day(0)}&to={day(5)}")
    assert bad.status_code == 422
    assert "The start date must be before the end date." in visible(bad)
    assert len(table_rows(bad)) == 15  # the last 14 days instead
    assert born.api.get("/wellbeing/chart?from=soon").status_code == 422


def test_the_partner_sees_only_their_own_coping_on_the_chart(app, born):
    from tests.wellbeing.conftest import join_family

    put_checkin(born.api, day(3), 1)
    partner = join_family(app, born)
    response = partner.get("/wellbeing/chart")
    assert response.status_code == 200
    assert all(value is None for value in figure_of(response)["data"][0]["y"])
    assert "Very hard" not in [cells[0] for cells in table_rows(response).values()]
