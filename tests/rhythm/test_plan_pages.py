"""The rhythm plan as a parent sees it: the plan page, and the plan on the rhythm page."""

from __future__ import annotations

import html as markup
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import form_token, post_form, text_of
from tests.rhythm.test_rhythm_page import figure

HEL = ZoneInfo("Europe/Helsinki")
PLAN = {"wake": "07:00", "naps": [["09:30", "10:30"], ["13:00", "14:30"]], "bedtime": "19:30"}


def page(family) -> str:
    return f"/diary/{family.baby_id}/plan"


def today() -> date:
    return datetime.now(HEL).date()


def form(**values) -> dict:
    data = {"valid_from": today().isoformat(), "wake": "07:00", "bedtime": "19:30"}
    data |= {"nap1-start": "09:30", "nap1-end": "10:30", "nap2-start": "13:00", "nap2-end": "14:30"}
    return {**data, **values}


def saved(family) -> dict:
    return family.api.get(f"/api/v1/babies/{family.baby_id}/plan").get_json()


def put(family, kind, start, end=None):
    body = {"kind": kind, "start": start.isoformat(), "end": end.isoformat() if end else None}
    response = family.api.put(family.entry_url(str(uuid.uuid4())), body)
    assert response.status_code == 201, response.get_json()


def local(day, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=HEL)


def error_beside(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-err">(.*?)</p>', html, re.S)
    return markup.unescape(match.group(1)) if match else ""


# -- the plan page --------------------------------------------------------------------------


def test_the_plan_page_offers_a_labelled_form_starting_today(family):
    response = family.api.client.get(page(family))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'name="valid_from" type="date" value="{today().isoformat()}"' in html
    assert 'type="time"' in html and 'name="wake"' in html and 'name="bedtime"' in html
    for row in range(1, 6):
        assert f'<label for="nap{row}-start">' in html and f'name="nap{row}-end"' in html
    assert 'name="csrf_token"' in html
    assert "No plan yet." in text_of(response)


def test_a_parent_saves_the_plan_with_the_form(family):
    response = post_form(family.api.client, page(family), form())
    assert response.status_code == 302 and response.headers["Location"].endswith(page(family))
    shown = family.api.client.get(page(family))
    text = text_of(shown)
    assert "The plan was saved." in text
    assert "in use today" in text and "9:30 AM–10:30 AM, 1:00 PM–2:30 PM" in text  # the reader's clock
    body = saved(family)
    assert {k: body["plan"][k] for k in ("wake", "naps", "bedtime")} == PLAN
    # The form shows the plan in use, ready to change.
    html = shown.get_data(as_text=True)
    assert 'name="nap2-start" type="time" value="13:00"' in html


def test_empty_nap_rows_are_left_out_and_rows_may_come_in_any_order(family):
    data = form(**{"nap1-start": "", "nap1-end": "", "nap4-start": "09:00", "nap4-end": "09:45"})
    assert post_form(family.api.client, page(family), data).status_code == 302
    assert saved(family)["plan"]["naps"] == [["09:00", "09:45"], ["13:00", "14:30"]]


def test_a_later_plan_leaves_the_earlier_days_alone(family):
    earlier = (today() - timedelta(days=7)).isoformat()
    post_form(family.api.client, page(family), form(valid_from=earlier))
    post_form(family.api.client, page(family), form(bedtime="20:15"))
    body = saved(family)
    assert [p["bedtime"] for p in body["plans"]] == ["20:15", "19:30"]
    text = text_of(family.api.client.get(page(family)))
    assert "in use today" in text and text.count("Change this plan") == 2
    old = family.api.client.get(page(family), query_string={"from": earlier}).get_data(as_text=True)
    assert f'value="{earlier}"' in old and 'name="bedtime" type="time" value="19:30"' in old


@pytest.mark.parametrize(
    "values, field_id, words",
    [
        ({"wake": ""}, "wake", "This is required."),
        ({"bedtime": "06:00"}, "bedtime", "Bedtime must be later than wake-up"),
        ({"nap2-start": "10:00"}, "nap2-start", "overlaps another nap"),
        ({"nap2-start": "05:00", "nap2-end": "06:00"}, "nap2-start", "between wake-up and bedtime"),
        ({"nap2-start": "14:30", "nap2-end": "13:00"}, "nap2-start", "must end after it starts"),
        ({"nap3-start": "16:00"}, "nap3-start", "Use a time like 07:30"),
        ({"valid_from": "2020-01-01"}, "valid_from", "within a year"),
    ],
)
def test_bad_plans_are_explained_beside_the_field_and_change_nothing(family, values, field_id, words):
    response = post_form(family.api.client, page(family), form(**values))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert words in error_beside(html, field_id)
    assert "Please check the plan." in text_of(response)
    assert saved(family)["plans"] == []


@pytest.mark.parametrize("value", ["25:00", "7:5", "seven"])
def test_a_time_that_is_not_a_time_is_refused(family, value):
    response = post_form(family.api.client, page(family), form(wake=value))
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "wake")
    assert saved(family)["plans"] == []


def test_the_form_needs_its_csrf_token(family):
    response = family.api.client.post(page(family), data=form())
    assert response.status_code == 400
    assert "expired" in text_of(response)
    assert saved(family)["plans"] == []


def test_the_plan_page_is_for_the_familys_parents(app, family, make_family):
    other = make_family("other-parent")
    assert other.api.client.get(page(family)).status_code == 404
    token = form_token(other.api.client)
    assert other.api.client.post(page(family), data={**form(), "csrf_token": token}).status_code == 404
    anonymous = app.test_client()
    response = anonymous.get(page(family))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert saved(family)["plans"] == []


# -- the rhythm page -------------------------------------------------------------------------


def test_without_a_plan_the_rhythm_page_offers_one_and_the_chart_is_as_before(family):
    response = family.api.client.get(f"/diary/{family.baby_id}/rhythm")
    html = response.get_data(as_text=True)
    assert "Add a rhythm plan" in text_of(response)
    assert f'href="{page(family)}"' in html
    chart = figure(html, "fig-rhythm")
    assert [t["meta"] for t in chart["data"]] == ["sleep", "crying", "feeding", "gap"]


def test_the_rhythm_page_shows_the_plan_and_outlines_it_behind_the_diary(family):
    family.api.put(f"/api/v1/babies/{family.baby_id}/plan", PLAN)
    response = family.api.client.get(f"/diary/{family.baby_id}/rhythm")
    text = text_of(response)
    assert "The rhythm plan" in text and "Wake-up 7:00 AM" in text and "Bedtime 7:30 PM" in text
    assert "Nap times 9:30 AM–10:30 AM, 1:00 PM–2:30 PM" in text and "Change the plan" in text
    chart = figure(response.get_data(as_text=True), "fig-rhythm")
    assert [t["meta"] for t in chart["data"]] == ["plan", "sleep", "crying", "feeding", "gap"]  # behind
    outline = chart["data"][0]
    assert outline["name"] == "Plan" and outline["type"] == "bar"
    assert outline["marker"]["color"] == "rgba(0,0,0,0)"
    # Only today's row (the last of 14) has the plan, which starts today.
    assert set(outline["y"]) == {13}
    assert sorted(zip(outline["base"], outline["x"], strict=True)) == [
        (0.0, 7.0),
        (9.5, 1.0),
        (13.0, 1.5),
        (19.5, 4.5),
    ]


def test_the_rhythm_page_compares_the_logged_days_kindly(family):
    family.api.put(
        f"/api/v1/babies/{family.baby_id}/plan", {**PLAN, "from": (today() - timedelta(days=5)).isoformat()}
    )
    bedtimes = ["19:30", "19:45", "21:00"]  # the last one more than 30 minutes late
    for offset, bedtime in zip((4, 3, 2), bedtimes, strict=True):
        day = today() - timedelta(days=offset)
        put(family, "sleep", local(day, bedtime), local(day + timedelta(days=1), "07:00"))
    text = text_of(family.api.client.get(f"/diary/{family.baby_id}/rhythm"))
    assert "Bedtime within 30 minutes of the plan on 2 of 3 days with a logged bedtime." in text
    assert "Wake-up within 30 minutes of the plan on 3 of 3 days with a logged wake-up." in text
    assert "Bedtime has been about 35 min later than planned, on average." in text  # (0 + 15 + 90) / 3


@pytest.fixture
def planned_near(monkeypatch):
    """Save plans as if it were the given day (a plan may start at most a year away)."""

    def at(family, day: date, body: dict):
        from companion.rhythm import services as plans

        monkeypatch.setattr(plans, "utcnow", lambda: datetime.combine(day, datetime.min.time(), tzinfo=UTC))
        response = family.api.put(f"/api/v1/babies/{family.baby_id}/plan", {**body, "from": day.isoformat()})
        monkeypatch.undo()
        assert response.status_code == 201, response.get_json()

    return at


@pytest.mark.parametrize("change", [date(2025, 10, 26), date(2026, 3, 29)])
def test_overlay_and_figures_across_a_clock_change(family, planned_near, change):
    planned_near(family, change - timedelta(days=5), PLAN)
    first, last = change - timedelta(days=1), change + timedelta(days=1)
    for offset in range(-2, 2):
        day = change + timedelta(days=offset)
        put(family, "sleep", local(day, "19:30"), local(day + timedelta(days=1), "07:00"))
    response = family.api.client.get(
        f"/diary/{family.baby_id}/rhythm", query_string={"from": first.isoformat(), "to": last.isoformat()}
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "Bedtime within 30 minutes of the plan on 3 of 3 days with a logged bedtime." in text
    assert "Wake-up within 30 minutes of the plan on 3 of 3 days with a logged wake-up." in text
    assert "later than planned" not in text and "earlier than planned" not in text
    chart = figure(response.get_data(as_text=True), "fig-rhythm")
    outline, sleep = chart["data"][0], chart["data"][1]
    evenings = sorted(
        (y, b) for y, b, x in zip(outline["y"], outline["base"], outline["x"], strict=True) if b > 17
    )
    assert evenings == [(0, 19.5), (1, 19.5), (2, 19.5)]  # 19:30 local on both sides of the change
    # ...exactly where the logged bedtimes are drawn.
    logged = sorted((y, b) for y, b in zip(sleep["y"], sleep["base"], strict=True) if b > 17)
    assert logged == evenings


def test_a_plan_changed_mid_period_is_drawn_with_each_days_own_plan(family):
    api = family.api
    api.put(
        f"/api/v1/babies/{family.baby_id}/plan", {**PLAN, "from": (today() - timedelta(days=3)).isoformat()}
    )
    api.put(
        f"/api/v1/babies/{family.baby_id}/plan",
        {**PLAN, "bedtime": "20:30", "from": (today() - timedelta(days=1)).isoformat()},
    )
    html = api.client.get(f"/diary/{family.baby_id}/rhythm").get_data(as_text=True)
    outline = figure(html, "fig-rhythm")["data"][0]
    evenings = sorted((y, b) for y, b in zip(outline["y"], outline["base"], strict=True) if b > 17)
    assert evenings == [(10, 19.5), (11, 19.5), (12, 20.5), (13, 20.5)]
