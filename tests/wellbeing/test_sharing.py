"""What a Baby blues worker sees of a parent's check-ins: only with the diary+wellbeing
scope, only the check-ins of the parent who made the code, and only while access lasts."""

from __future__ import annotations

import pytest

from tests.share.conftest import grant_for
from tests.wellbeing.conftest import day, join_family, put_checkin, visible


def shared(worker, grant_id: int, query: str = ""):
    return worker.api.get(f"/api/v1/shared/{grant_id}/checkins{query}")


@pytest.fixture
def two_parents(app, family):
    """A family where both parents checked in, each with their own words."""
    partner = join_family(app, family)
    put_checkin(family.api, day(2), 2, own_sleep_hours=4.5, note="maker's note")
    put_checkin(family.api, day(0), 4)
    put_checkin(partner, day(1), 1, note="partner's own note")
    return partner


def last_viewed(family) -> str | None:
    grants = family.api.get(f"/api/v1/babies/{family.baby_id}/grants").get_json()["grants"]
    return grants[0]["last_viewed_at"]


def test_without_the_wellbeing_scope_check_ins_are_404(family, two_parents, worker):
    grant = grant_for(family, worker, scope="diary")
    response = shared(worker, grant)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    # Not even a bad range tells more than "not found", and no view is recorded.
    assert shared(worker, grant, "?from=nope").status_code == 404
    assert last_viewed(family) is None


def test_with_the_scope_the_worker_sees_only_the_code_makers_check_ins(family, two_parents, worker):
    grant = grant_for(family, worker, scope="diary+wellbeing")
    response = shared(worker, grant)
    assert response.status_code == 200
    checkins = response.get_json()["checkins"]
    assert [(c["date"], c["coping"], c["note"]) for c in checkins] == [
        (day(2), 2, "maker's note"),
        (day(0), 4, None),
    ]
    assert checkins[0]["own_sleep_hours"] == 4.5
    assert "partner's own note" not in response.get_data(as_text=True)
    assert last_viewed(family) is not None


def test_a_code_made_by_the_other_parent_shares_that_parents_check_ins(family, two_parents, worker):
    code = two_parents.post(
        f"/api/v1/babies/{family.baby_id}/share-codes", {"scope": "diary+wellbeing", "label": "A"}
    ).get_json()["code"]
    grant = worker.api.post("/api/v1/share/redeem", {"code": code}).get_json()["grant"]["id"]
    checkins = shared(worker, grant).get_json()["checkins"]
    assert [(c["date"], c["note"]) for c in checkins] == [(day(1), "partner's own note")]


def test_the_range_works_like_the_rhythm(family, two_parents, worker):
    grant = grant_for(family, worker, scope="diary+wellbeing")
    only = shared(worker, grant, f"?from={day(2)}&to={day(1)}").get_json()["checkins"]
    assert [c["date"] for c in only] == [day(2)]
    bad = shared(worker, grant, f"?from={day(0)}&to={day(3)}")
    assert bad.status_code == 422
    assert "from" in bad.get_json()["error"]["fields"]
    assert shared(worker, grant, f"?from={day(500)}&to={day(0)}").status_code == 422


def test_access_ends_for_check_ins_too(family, two_parents, worker):
    grant = grant_for(family, worker, scope="diary+wellbeing")
    assert family.api.delete(f"/api/v1/grants/{grant}").status_code == 204
    assert shared(worker, grant).status_code == 404


def test_another_worker_and_parents_cannot_read_it(family, two_parents, worker, make_worker):
    grant = grant_for(family, worker, scope="diary+wellbeing")
    other = make_worker()
    assert shared(other, grant).status_code == 404
    assert family.api.get(f"/api/v1/shared/{grant}/checkins").status_code == 403
    anonymous = family.api.client.application.test_client()
    assert anonymous.get(f"/api/v1/shared/{grant}/checkins").status_code == 401


def test_a_parent_who_left_the_family_no_longer_shares_check_ins(family, two_parents, worker):
    code = two_parents.post(
        f"/api/v1/babies/{family.baby_id}/share-codes", {"scope": "diary+wellbeing", "label": "A"}
    ).get_json()["code"]
    grant = worker.api.post("/api/v1/share/redeem", {"code": code}).get_json()["grant"]["id"]
    token = two_parents.token()
    left = two_parents.client.post("/share/family/leave", data={"csrf_token": token})
    assert left.status_code in (200, 302)
    # Leaving ends the worker access that parent gave, as deleting the account does.
    assert shared(worker, grant).status_code == 404


# -- the worker's pages ---------------------------------------------------------------------------


def test_diary_scope_pages_say_nothing_about_check_ins(family, two_parents, worker):
    grant = grant_for(family, worker, scope="diary")
    for path in (f"/worker/diaries/{grant}", f"/worker/diaries/{grant}/print"):
        page = worker.api.get(path)
        assert page.status_code == 200
        text = visible(page)
        assert "maker's note" not in text
        assert "partner's own note" not in text
        assert "wellbeing" not in text.lower()
        assert "Very hard" not in text


def test_wellbeing_scope_pages_show_the_code_makers_check_ins_in_words(family, two_parents, worker):
    grant = grant_for(family, worker, scope="diary+wellbeing")
    for path in (f"/worker/diaries/{grant}", f"/worker/diaries/{grant}/print"):
        page = worker.api.get(path)
        assert page.status_code == 200
        text = visible(page)
        assert "The parent's own wellbeing" in text
        assert "maker's note" in text
        assert "Hard" in text and "Quite well" in text
        assert "4 hr 30 min" in text
        assert "partner's own note" not in text
        assert "Very hard" not in text  # the partner's answer


def test_wellbeing_scope_page_with_no_check_ins_says_so_kindly(family, worker):
    grant = grant_for(family, worker, scope="diary+wellbeing")
    text = visible(worker.api.get(f"/worker/diaries/{grant}"))
    assert "No check-ins in these days." in text


def test_shared_answers_match_the_openapi_description(family, two_parents, worker):
    from tests.test_openapi import _check

    spec = worker.api.get("/api/v1/openapi.json").get_json()
    path = "/api/v1/shared/{grant}/checkins"
    with_scope = grant_for(family, worker, scope="diary+wellbeing")
    _check(spec, path, "get", shared(worker, with_scope))
    _check(spec, path, "get", shared(worker, with_scope, "?to=x"))
    # A new code for the same worker replaces the grant: now without the wellbeing scope.
    without = grant_for(family, worker, scope="diary")
    _check(spec, path, "get", shared(worker, without))
    assert shared(worker, without).status_code == 404


def test_the_share_page_says_whose_check_ins_a_worker_sees(family, two_parents, worker):
    grant_for(family, worker, scope="diary+wellbeing")
    maker = visible(family.api.client.get("/share/"))
    assert "Sees: the diary and your wellbeing check-ins" in maker
    other = visible(two_parents.client.get("/share/"))
    assert "Sees: the diary and the other parent's wellbeing check-ins" in other


# -- the parent's own pages say who can read the check-ins ------------------------------------


@pytest.mark.parametrize("path", ["/wellbeing/chart", "/wellbeing/"])
def test_the_parents_pages_say_only_you_until_a_wellbeing_grant_is_active(family, worker, path):
    only_you = "Only you see your check-ins"
    assert only_you in visible(family.api.get(path))
    diary_only = grant_for(family, worker, scope="diary")
    assert only_you in visible(family.api.get(path))
    family.api.delete(f"/api/v1/grants/{diary_only}")
    grant = grant_for(family, worker, scope="diary+wellbeing")
    text = visible(family.api.get(path))
    assert "Only you see this" not in text and only_you not in text
    assert "Who sees your check-ins: you, and Maija Mäkinen (Baby blues Tampere)" in text
    family.api.delete(f"/api/v1/grants/{grant}")
    assert only_you in visible(family.api.get(path))


def test_the_other_parents_wellbeing_grant_does_not_show_on_my_pages(family, two_parents, worker):
    code = two_parents.post(
        f"/api/v1/babies/{family.baby_id}/share-codes", {"scope": "diary+wellbeing", "label": "A"}
    ).get_json()["code"]
    assert worker.api.post("/api/v1/share/redeem", {"code": code}).status_code == 201
    assert "Only you see your check-ins" in visible(family.api.get("/wellbeing/chart"))
    assert "Maija Mäkinen" in visible(two_parents.get("/wellbeing/chart"))


def test_the_coping_chart_names_the_worker_in_swedish_too(family, worker):
    grant_for(family, worker, scope="diary+wellbeing")
    text = visible(family.api.get("/wellbeing/chart?lang=sv"))
    assert "Maija Mäkinen (Baby blues Tampere)" in text and "Bara du ser" not in text
