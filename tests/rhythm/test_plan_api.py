"""The rhythm plan through the JSON API: saving, versions by date, refusals, export."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Api

HEL = ZoneInfo("Europe/Helsinki")
PLAN = {"wake": "07:00", "naps": [["09:30", "10:30"], ["13:00", "14:30"]], "bedtime": "19:30"}


def url(family, baby_id=None) -> str:
    return f"/api/v1/babies/{baby_id or family.baby_id}/plan"


def today() -> date:
    return datetime.now(HEL).date()


def test_a_parent_saves_the_plan_and_reads_it_back(family):
    response = family.api.put(url(family), PLAN)
    assert response.status_code == 201
    saved = response.get_json()["plan"]
    assert saved["from"] == today().isoformat()  # today in the family's zone by default
    assert {k: saved[k] for k in ("wake", "naps", "bedtime")} == PLAN
    assert saved["updated_at"].endswith("Z")
    body = family.api.get(url(family)).get_json()
    assert body == {"plan": saved, "plans": [saved]}


def test_the_same_date_again_changes_that_plan(family):
    assert family.api.put(url(family), PLAN).status_code == 201
    changed = family.api.put(url(family), {**PLAN, "bedtime": "20:00", "from": today().isoformat()})
    assert changed.status_code == 200
    assert changed.get_json()["plan"]["bedtime"] == "20:00"
    body = family.api.get(url(family)).get_json()
    assert len(body["plans"]) == 1 and body["plan"]["bedtime"] == "20:00"
    assert family.api.put(url(family), {**PLAN, "bedtime": "20:00"}).status_code == 200  # a replay


def test_naps_come_back_in_the_order_of_the_day(family):
    body = {**PLAN, "naps": [["13:00", "14:30"], ["09:30", "10:30"]]}
    assert family.api.put(url(family), body).get_json()["plan"]["naps"] == PLAN["naps"]


def test_a_plan_changed_from_a_date_on_keeps_the_earlier_days(family):
    earlier = (today() - timedelta(days=10)).isoformat()
    later = (today() - timedelta(days=3)).isoformat()
    assert family.api.put(url(family), {**PLAN, "from": earlier}).status_code == 201
    assert family.api.put(url(family), {**PLAN, "bedtime": "20:00", "from": later}).status_code == 201
    body = family.api.get(url(family)).get_json()
    assert [p["from"] for p in body["plans"]] == [later, earlier]  # newest first
    assert body["plan"]["bedtime"] == "20:00"
    on = family.api.get(url(family), query_string={"date": (today() - timedelta(days=5)).isoformat()})
    assert on.get_json()["plan"]["bedtime"] == "19:30"
    before = family.api.get(url(family), query_string={"date": (today() - timedelta(days=11)).isoformat()})
    assert before.get_json()["plan"] is None


def test_a_plan_may_start_in_the_future(family):
    later = (today() + timedelta(days=7)).isoformat()
    assert family.api.put(url(family), {**PLAN, "from": later}).status_code == 201
    body = family.api.get(url(family)).get_json()
    assert body["plan"] is None and body["plans"][0]["from"] == later


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"wake": "25:00"}, "wake", "Use a time like 07:30"),
        ({"wake": "7:5"}, "wake", "Use a time like 07:30"),
        ({"wake": None}, "wake", "This is required."),
        ({"bedtime": 1930}, "bedtime", "Use a time like 07:30"),
        ({"bedtime": "06:00"}, "bedtime", "Bedtime must be later than wake-up"),
        ({"bedtime": "00:30"}, "bedtime", "Bedtime must be later than wake-up"),
        ({"naps": [["09:30", "10:30"], ["10:00", "11:00"]]}, "naps.1", "overlaps another nap"),
        ({"naps": [["05:00", "06:00"]]}, "naps.0", "between wake-up and bedtime"),
        ({"naps": [["19:00", "20:00"]]}, "naps.0", "between wake-up and bedtime"),
        ({"naps": [["10:30", "09:30"]]}, "naps.0", "must end after it starts"),
        ({"naps": [["10:30", "10:30"]]}, "naps.0", "must end after it starts"),
        ({"naps": [["10:30"]]}, "naps.0", "pair of times"),
        ({"naps": "09:30-10:30"}, "naps", "list of [from, to] pairs"),
        ({"naps": {"from": "09:30"}}, "naps", "list of [from, to] pairs"),
        ({"naps": [["08:00", "08:30"]] * 9}, "naps", "at most 8 naps"),
        ({"from": "2026-02-30"}, "from", "Use a date like"),
        ({"from": 20260101}, "from", "Use a date like"),
        ({"from": "next week"}, "from", "Use a date like"),
        ({"from": "2020-01-01"}, "from", "within a year"),
        ({"from": "2099-01-01"}, "from", "within a year"),
    ],
)
def test_bad_plans_are_refused_clearly_and_change_nothing(family, change, field, words):
    response = family.api.put(url(family), {**PLAN, **change})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation" and error["message"] == "Please check the plan."
    assert words in error["fields"][field]
    assert family.api.get(url(family)).get_json() == {"plan": None, "plans": []}


def test_a_refused_change_keeps_the_plan_as_it_was(family):
    family.api.put(url(family), PLAN)
    assert family.api.put(url(family), {**PLAN, "bedtime": "05:00"}).status_code == 422
    assert family.api.get(url(family)).get_json()["plan"]["bedtime"] == "19:30"


def test_every_problem_is_named_at_once(family):
    response = family.api.put(url(family), {"wake": "7", "bedtime": "", "naps": [["1", "2"]], "from": "x"})
    assert set(response.get_json()["error"]["fields"]) == {"wake", "bedtime", "naps.0", "from"}


def test_the_errors_are_in_the_readers_language(family):
    response = family.api.put(url(family), {**PLAN, "wake": "25:00"}, headers={"Accept-Language": "fi"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["wake"]  # a message, whatever its words


def test_a_body_that_is_not_a_json_object_is_refused(family):
    token = family.api.token()
    for data in ("not json", "[1, 2]", '"07:00"'):
        response = family.api.client.put(
            url(family), data=data, content_type="application/json", headers={"X-CSRFToken": token}
        )
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "bad_json"
    assert family.api.get(url(family)).get_json()["plans"] == []


def test_a_put_without_the_csrf_token_is_refused(family):
    response = family.api.client.put(url(family), json=PLAN)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf"
    assert family.api.get(url(family)).get_json()["plans"] == []


def test_a_bad_date_query_is_refused(family):
    response = family.api.get(url(family), query_string={"date": "tomorrow"})
    assert response.status_code == 422 and "date" in response.get_json()["error"]["fields"]


def test_only_the_familys_parents_see_and_change_the_plan(app, family, make_family):
    family.api.put(url(family), PLAN)
    other = make_family("other-parent")
    assert other.api.get(url(family)).status_code == 404
    assert other.api.put(url(family), PLAN).status_code == 404
    assert other.api.get(url(other, 99999)).status_code == 404
    assert other.api.get("/api/v1/babies/x/plan").status_code == 404
    anonymous = Api(app.test_client())
    assert anonymous.get(url(family)).status_code == 401
    assert anonymous.put(url(family), PLAN).status_code == 401
    assert family.api.get(url(family)).get_json()["plan"]["bedtime"] == "19:30"


def test_both_parents_share_the_plan(app, family):
    code = family.api.post("/api/v1/family/invites", {}).get_json()["code"]
    partner = Api(app.test_client())
    partner.post("/api/v1/signup", {"username": "partner", "password": "correct horse battery"})
    assert partner.post("/api/v1/family/join", {"code": code}).status_code == 200
    assert partner.put(url(family), PLAN).status_code == 201
    assert family.api.get(url(family)).get_json()["plan"]["wake"] == "07:00"


def test_the_export_includes_the_plans(family):
    family.api.put(url(family), PLAN)
    data = family.api.get("/api/v1/export").get_json()
    (exported,) = data["rhythm_plans"]
    assert exported["baby_id"] == family.baby_id and exported["bedtime"] == "19:30"
    assert exported["naps"] == PLAN["naps"]


def test_deleting_the_account_deletes_the_plans(app, family):
    family.api.put(url(family), PLAN)
    assert family.api.delete("/api/v1/me", {"password": "correct horse battery"}).status_code == 204
    from sqlalchemy import func, select

    from companion.extensions import db
    from companion.rhythm.models import RhythmPlan

    with app.app_context():
        assert db.session.scalar(select(func.count(RhythmPlan.id))) == 0


def test_services_give_the_plan_in_effect_each_day(app, family):
    family.api.put(url(family), {**PLAN, "from": (today() - timedelta(days=2)).isoformat()})
    family.api.put(url(family), {**PLAN, "bedtime": "20:30", "from": today().isoformat()})
    from companion.diary.models import Baby
    from companion.extensions import db
    from companion.rhythm import services as plans

    with app.app_context():
        baby = db.session.get(Baby, family.baby_id)
        days = plans.plans_between(baby, today() - timedelta(days=3), today())
        assert days[0] is None
        assert [p.bedtime.strftime("%H:%M") for p in days[1:]] == ["19:30", "19:30", "20:30"]
        assert plans.plan_for(baby, today() - timedelta(days=1)).bedtime.hour == 19
        assert plans.plan_for(baby, today() - timedelta(days=30)) is None


def test_a_saved_plan_records_who_and_when(app, family):
    before = datetime.now(UTC).replace(microsecond=0)
    saved = family.api.put(url(family), PLAN).get_json()["plan"]
    assert datetime.fromisoformat(saved["updated_at"].replace("Z", "+00:00")) >= before


def test_real_plan_answers_match_the_openapi_description(client, family):
    from tests.test_openapi import _check

    spec = client.get("/api/v1/openapi.json").get_json()
    path = "/api/v1/babies/{baby}/plan"
    _check(spec, path, "get", family.api.get(url(family)))
    _check(spec, path, "put", family.api.put(url(family), PLAN))
    _check(spec, path, "put", family.api.put(url(family), PLAN))
    _check(spec, path, "get", family.api.get(url(family)))
    _check(spec, path, "put", family.api.put(url(family), {**PLAN, "wake": "25:00"}))
    _check(spec, path, "get", family.api.get(url(family), query_string={"date": "x"}))
