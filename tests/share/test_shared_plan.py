"""The rhythm plan as the Baby blues worker sees it: read-only, through a live grant."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Api, text_of
from tests.share.conftest import grant_for

HEL = ZoneInfo("Europe/Helsinki")
PLAN = {"wake": "07:00", "naps": [["09:30", "10:30"], ["13:00", "14:30"]], "bedtime": "19:30"}


def plan_url(family) -> str:
    return f"/api/v1/babies/{family.baby_id}/plan"


def today():
    return datetime.now(HEL).date()


def last_viewed(family):
    return family.api.get(f"/api/v1/babies/{family.baby_id}/grants").get_json()["grants"][0]["last_viewed_at"]


@pytest.mark.parametrize("scope", ["diary", "diary+wellbeing"])
def test_the_worker_reads_the_plan_in_the_parents_shape(family, worker, scope):
    family.api.put(plan_url(family), {**PLAN, "from": (today() - timedelta(days=3)).isoformat()})
    family.api.put(plan_url(family), {**PLAN, "bedtime": "20:00"})
    grant_id = grant_for(family, worker, scope=scope)
    for query in ("", f"?date={(today() - timedelta(days=1)).isoformat()}"):
        theirs = worker.api.get(f"/api/v1/shared/{grant_id}/plan{query}")
        assert theirs.status_code == 200
        assert theirs.get_json() == family.api.get(plan_url(family) + query).get_json()
    assert theirs.get_json()["plan"]["bedtime"] == "19:30"
    assert last_viewed(family) is not None  # the parent sees that the worker looked


def test_no_plan_yet_is_null(family, worker):
    grant_id = grant_for(family, worker)
    assert worker.api.get(f"/api/v1/shared/{grant_id}/plan").get_json() == {"plan": None, "plans": []}


def test_a_bad_date_is_refused_before_the_view_is_recorded(family, worker):
    grant_id = grant_for(family, worker)
    response = worker.api.get(f"/api/v1/shared/{grant_id}/plan?date=soon")
    assert response.status_code == 422 and "date" in response.get_json()["error"]["fields"]
    assert last_viewed(family) is None


def test_access_ends_when_the_parent_revokes(family, worker):
    family.api.put(plan_url(family), PLAN)
    grant_id = grant_for(family, worker)
    assert worker.api.get(f"/api/v1/shared/{grant_id}/plan").status_code == 200
    assert family.api.delete(f"/api/v1/grants/{grant_id}").status_code == 204
    response = worker.api.get(f"/api/v1/shared/{grant_id}/plan")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    page = worker.api.client.get(f"/worker/diaries/{grant_id}")
    assert page.status_code == 410 and "no longer shared with you" in page.get_data(as_text=True)


def test_only_the_worker_holding_the_grant_reads_it(app, family, make_worker, admin):
    mine, other = make_worker(), make_worker()
    grant_id = grant_for(family, mine)
    path = f"/api/v1/shared/{grant_id}/plan"
    assert other.api.get(path).status_code == 404
    assert other.api.get("/api/v1/shared/99999/plan").status_code == 404
    assert family.api.get(path).status_code == 403
    assert admin.api.get(path).status_code == 403
    assert Api(app.test_client()).get(path).status_code == 401


def test_the_worker_cannot_write_or_use_the_parents_plan(family, worker):
    family.api.put(plan_url(family), PLAN)
    grant_id = grant_for(family, worker)
    assert worker.api.put(plan_url(family), {**PLAN, "bedtime": "21:00"}).status_code == 403
    assert worker.api.get(plan_url(family)).status_code == 403
    assert worker.api.client.get(f"/diary/{family.baby_id}/plan").status_code == 403
    assert worker.api.put(f"/api/v1/shared/{grant_id}/plan", PLAN).status_code == 405
    assert family.api.get(plan_url(family)).get_json()["plan"]["bedtime"] == "19:30"


def _put_sleep(family, start: datetime, end: datetime) -> None:
    body = {"kind": "sleep", "start": start.isoformat(), "end": end.isoformat()}
    assert family.api.put(family.entry_url(str(uuid.uuid4())), body).status_code == 201


@pytest.mark.parametrize("path", ["/worker/diaries/{grant}", "/worker/diaries/{grant}/print"])
def test_the_worker_pages_show_the_plan_the_figures_and_the_outline(family, worker, path):
    family.api.put(plan_url(family), {**PLAN, "from": (today() - timedelta(days=4)).isoformat()})
    for offset in (3, 2):
        day = today() - timedelta(days=offset)
        start = datetime.combine(day, datetime.min.time(), tzinfo=HEL).replace(hour=19, minute=40)
        _put_sleep(family, start, start + timedelta(hours=11, minutes=20))
    grant_id = grant_for(family, worker)
    response = worker.api.client.get(path.format(grant=grant_id))
    assert response.status_code == 200
    text = text_of(response)
    assert "The rhythm plan" in text and "Bedtime 7:30 PM" in text
    assert "Bedtime within 30 minutes of the plan on 2 of 2 days with a logged bedtime." in text
    assert "Change the plan" not in text and "Add a rhythm plan" not in text  # read only
    html = response.get_data(as_text=True)
    chart = json.loads(re.search(r'id="fig-rhythm">(.*?)</script>', html, re.S).group(1))
    assert chart["data"][0]["meta"] == "plan" and chart["data"][0]["name"] == "Plan"


def test_without_a_plan_the_worker_page_says_nothing_about_one(family, worker):
    grant_id = grant_for(family, worker)
    response = worker.api.client.get(f"/worker/diaries/{grant_id}")
    assert "rhythm plan" not in text_of(response)
    chart = json.loads(
        re.search(r'id="fig-rhythm">(.*?)</script>', response.get_data(as_text=True), re.S).group(1)
    )
    assert [t["meta"] for t in chart["data"]] == ["sleep", "crying", "feeding", "gap"]
