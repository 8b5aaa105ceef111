"""The check-in API (DESIGN.md: PUT, GET /api/v1/checkins/{date}, GET /api/v1/checkins)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import PASSWORD, Api
from tests.share.conftest import add_staff, sign_in
from tests.wellbeing.conftest import day, local_today, put_checkin, saved

# -- happy paths -----------------------------------------------------------------------------------


def test_a_parent_checks_in_for_today(family):
    response = put_checkin(family.api, day(0), 2, own_sleep_hours=5.5, note="  Tired but ok.  ")
    assert response.status_code == 201
    checkin = response.get_json()["checkin"]
    assert checkin["date"] == day(0)
    assert checkin["coping"] == 2
    assert checkin["own_sleep_hours"] == 5.5
    assert checkin["note"] == "Tired but ok."
    assert checkin["updated_at"].endswith("Z")
    assert set(checkin) == {"date", "coping", "own_sleep_hours", "note", "updated_at"}
    got = family.api.get(f"/api/v1/checkins/{day(0)}")
    assert got.status_code == 200
    assert got.get_json()["checkin"] == checkin


def test_a_second_put_for_the_same_day_replaces_it(family):
    assert put_checkin(family.api, day(1), 2, note="hard").status_code == 201
    again = put_checkin(family.api, day(1), 4)
    assert again.status_code == 200
    body = again.get_json()["checkin"]
    assert (body["coping"], body["note"], body["own_sleep_hours"]) == (4, None, None)
    assert [c["coping"] for c in saved(family.api)] == [4]


def test_sending_the_same_check_in_again_changes_nothing(family):
    first = put_checkin(family.api, day(0), 3, own_sleep_hours=7).get_json()["checkin"]
    replay = put_checkin(family.api, day(0), 3, own_sleep_hours=7)
    assert replay.status_code == 200
    assert replay.get_json()["checkin"] == first


def test_only_coping_is_needed(family):
    body = put_checkin(family.api, day(0), 5).get_json()["checkin"]
    assert body["own_sleep_hours"] is None and body["note"] is None


@pytest.mark.parametrize(
    ("hours", "kept"),
    [(0, 0), (7, 7), (6.5, 6.5), (6.4, 6.5), (6.1, 6), (6.125, 6.25), (7.9, 8), (23.99, 24), (24, 24)],
)
def test_own_sleep_is_kept_to_the_nearest_quarter_hour(family, hours, kept):
    body = put_checkin(family.api, day(0), 3, own_sleep_hours=hours).get_json()["checkin"]
    assert body["own_sleep_hours"] == kept


def test_an_empty_note_is_no_note_and_a_long_one_fits(family):
    assert put_checkin(family.api, day(0), 3, note="   ").get_json()["checkin"]["note"] is None
    long = "x" * 1000
    assert put_checkin(family.api, day(1), 3, note=long).get_json()["checkin"]["note"] == long
    # Spaces around do not count against the limit.
    padded = put_checkin(family.api, day(2), 3, note=f"  {long}\n")
    assert padded.status_code == 201


def test_a_day_400_days_back_can_still_be_written(family):
    assert put_checkin(family.api, day(400), 3).status_code == 201


def test_the_list_is_the_last_14_days_oldest_first(family):
    for back in (0, 3, 13, 14, 30):
        assert put_checkin(family.api, day(back), 1 + back % 5).status_code == 201
    listed = saved(family.api)
    assert [c["date"] for c in listed] == [day(13), day(3), day(0)]


def test_the_list_takes_a_range(family):
    for back in (0, 3, 13, 14, 30):
        put_checkin(family.api, day(back), 3)
    assert [c["date"] for c in saved(family.api, day(30), day(14))] == [day(30), day(14)]
    assert [c["date"] for c in saved(family.api, day(399), day(0))] == [
        day(30),
        day(14),
        day(13),
        day(3),
        day(0),
    ]
    assert [c["date"] for c in saved(family.api, first=day(3))] == [day(3), day(0)]


def test_no_check_in_is_404(family):
    response = family.api.get(f"/api/v1/checkins/{day(2)}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


# -- every bad input -------------------------------------------------------------------------------


def _missing(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "coping"}


BAD_BODIES = [
    ({"coping": 0}, "coping"),
    ({"coping": 6}, "coping"),
    ({"coping": -1}, "coping"),
    ({"coping": "3"}, "coping"),
    ({"coping": True}, "coping"),
    ({"coping": False}, "coping"),
    ({"coping": 2.5}, "coping"),
    ({"coping": 3.0}, "coping"),
    ({"coping": None}, "coping"),
    ({"coping": [3]}, "coping"),
    ({}, "coping"),
    ({"coping": 3, "own_sleep_hours": -1}, "own_sleep_hours"),
    ({"coping": 3, "own_sleep_hours": 25}, "own_sleep_hours"),
    ({"coping": 3, "own_sleep_hours": 24.01}, "own_sleep_hours"),
    ({"coping": 3, "own_sleep_hours": "x"}, "own_sleep_hours"),
    ({"coping": 3, "own_sleep_hours": "7"}, "own_sleep_hours"),
    ({"coping": 3, "own_sleep_hours": True}, "own_sleep_hours"),
    ({"coping": 3, "note": "x" * 1001}, "note"),
    ({"coping": 3, "note": 5}, "note"),
    ({"coping": 3, "note": {"text": "hi"}}, "note"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
def test_bad_values_are_a_clear_422_and_change_nothing(family, body, field):
    assert put_checkin(family.api, day(0), 4, note="before").status_code == 201
    response = family.api.put(f"/api/v1/checkins/{day(0)}", body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation"
    assert error["message"]
    assert list(error["fields"]) == [field]
    assert error["fields"][field]
    assert [(c["coping"], c["note"]) for c in saved(family.api)] == [(4, "before")]


def test_a_bad_value_on_a_new_day_stores_nothing(family):
    assert family.api.put(f"/api/v1/checkins/{day(0)}", {"coping": 9}).status_code == 422
    assert family.api.get(f"/api/v1/checkins/{day(0)}").status_code == 404
    assert saved(family.api) == []


def test_not_a_number_is_refused(family):
    response = family.api.client.put(
        f"/api/v1/checkins/{day(0)}",
        data='{"coping": 3, "own_sleep_hours": NaN}',
        content_type="application/json",
        headers={"X-CSRFToken": family.api.token()},
    )
    assert response.status_code == 422
    assert "own_sleep_hours" in response.get_json()["error"]["fields"]


def test_every_mistake_is_named_at_once(family):
    response = family.api.put(
        f"/api/v1/checkins/{day(-1)}", {"coping": 7, "own_sleep_hours": 30, "note": "x" * 2000}
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"date", "coping", "own_sleep_hours", "note"}


@pytest.mark.parametrize("when", ["2026-02-30", "yesterday", "2026-1-5", "20260105x", "0"])
def test_a_date_that_is_not_a_date_is_refused(family, when):
    for response in (put_checkin(family.api, when, 3), family.api.get(f"/api/v1/checkins/{when}")):
        assert response.status_code == 422
        assert "31.1.2026" in response.get_json()["error"]["fields"]["date"]
    assert saved(family.api) == []


def test_a_date_in_the_future_is_refused(family):
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = put_checkin(family.api, tomorrow, 3)
    assert response.status_code == 422
    assert "future" in response.get_json()["error"]["fields"]["date"]
    assert saved(family.api, day(0), tomorrow) == []


def test_a_date_older_than_400_days_is_refused(family):
    response = put_checkin(family.api, day(401), 3)
    assert response.status_code == 422
    assert "400" in response.get_json()["error"]["fields"]["date"]


def test_the_body_must_be_a_json_object(family):
    for data in ("[1, 2]", "3", "not json"):
        response = family.api.client.put(
            f"/api/v1/checkins/{day(0)}",
            data=data,
            content_type="application/json",
            headers={"X-CSRFToken": family.api.token()},
        )
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "bad_json"
    assert saved(family.api) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-13-01", "from"),
        ("to=nope", "to"),
        (f"from={day(0)}&to={day(1)}", "from"),
        (f"from={day(400)}&to={day(0)}", "to"),
    ],
)
def test_bad_ranges_are_refused(family, query, field):
    response = family.api.get(f"/api/v1/checkins?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_a_range_of_400_days_is_fine(family):
    assert family.api.get(f"/api/v1/checkins?from={day(399)}&to={day(0)}").status_code == 200


def test_errors_are_in_the_readers_language(family):
    response = family.api.get("/api/v1/checkins?from=x", headers={"Accept-Language": "fi"})
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] != "Please check the dates."


# -- who may -----------------------------------------------------------------------------------------


def test_writing_needs_the_csrf_header(family):
    response = family.api.client.put(f"/api/v1/checkins/{day(0)}", json={"coping": 3})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf"
    assert saved(family.api) == []


def test_anonymous_callers_get_401(client):
    api = Api(client)
    for response in (
        api.get("/api/v1/checkins"),
        api.get(f"/api/v1/checkins/{day(0)}"),
        put_checkin(api, day(0), 3),
    ):
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"


def test_workers_and_admins_get_403(app):
    add_staff(app, "maija", "worker", "Maija", "tampere")
    add_staff(app, "boss", "admin", "Boss", None)
    for name in ("maija", "boss"):
        api = sign_in(app, name)
        for response in (
            api.get("/api/v1/checkins"),
            api.get(f"/api/v1/checkins/{day(0)}"),
            put_checkin(api, day(0), 3),
        ):
            assert response.status_code == 403
            assert response.get_json()["error"]["code"] == "forbidden"


def test_a_parent_without_a_baby_or_family_can_check_in(app):
    api = Api(app.test_client())
    assert api.post("/api/v1/signup", {"username": "expecting", "password": PASSWORD}).status_code == 201
    assert put_checkin(api, day(0), 3).status_code == 201
    assert [c["date"] for c in saved(api)] == [day(0)]


# -- partners never see each other's check-ins ---------------------------------------------------------


def test_the_other_parent_never_sees_a_check_in(family, partner):
    put_checkin(family.api, day(0), 1, note="only mine")
    put_checkin(family.api, day(1), 2)
    assert saved(partner) == []
    assert partner.get(f"/api/v1/checkins/{day(0)}").status_code == 404
    # The partner's own check-in for the same day is theirs, and changes nothing of the other's.
    assert put_checkin(partner, day(0), 5, note="partner's").status_code == 201
    assert [(c["coping"], c["note"]) for c in saved(family.api)][-1] == (1, "only mine")
    assert [(c["coping"], c["note"]) for c in saved(partner)] == [(5, "partner's")]


def test_answers_match_the_openapi_description(family):
    from tests.test_openapi import _check

    spec = family.api.get("/api/v1/openapi.json").get_json()
    assert {"get", "put"} <= set(spec["paths"]["/api/v1/checkins/{date}"])
    _check(spec, "/api/v1/checkins/{date}", "put", put_checkin(family.api, day(0), 2, own_sleep_hours=6.5))
    _check(spec, "/api/v1/checkins/{date}", "put", put_checkin(family.api, day(0), 3))
    _check(spec, "/api/v1/checkins/{date}", "put", put_checkin(family.api, day(0), 9))
    _check(spec, "/api/v1/checkins/{date}", "get", family.api.get(f"/api/v1/checkins/{day(0)}"))
    _check(spec, "/api/v1/checkins/{date}", "get", family.api.get(f"/api/v1/checkins/{day(1)}"))
    _check(spec, "/api/v1/checkins", "get", family.api.get("/api/v1/checkins"))
    _check(spec, "/api/v1/checkins", "get", family.api.get("/api/v1/checkins?from=x"))
