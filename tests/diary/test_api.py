"""The entry API as the offline client uses it (DESIGN.md, JSON API v1)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import Api


def iso(moment: datetime) -> str:
    return moment.isoformat()


def ago(**kw) -> datetime:
    return (datetime.now(UTC) - timedelta(**kw)).replace(microsecond=0)


def new_id() -> str:
    return str(uuid.uuid4())


def sleep(start: datetime, end: datetime | None = None, **extra) -> dict:
    return {"kind": "sleep", "start": iso(start), "end": iso(end) if end else None, **extra}


def put(family, body: dict, entry_id: str | None = None, **kw):
    return family.api.put(family.entry_url(entry_id or new_id()), body, **kw)


# -- happy paths ----------------------------------------------------------------------


def test_put_creates_then_updates_with_versions_and_etag(family):
    entry_id = new_id()
    created = put(family, sleep(ago(hours=3), ago(hours=1)), entry_id)
    assert created.status_code == 201
    body = created.get_json()["entry"]
    assert body["id"] == entry_id
    assert body["version"] == 1
    assert body["duration_minutes"] == 120
    assert body["start"].endswith("Z") and body["end"].endswith("Z")
    assert created.headers["ETag"] == '"1"'

    updated = put(family, sleep(ago(hours=3), ago(minutes=30), details={"place": "pram"}), entry_id)
    assert updated.status_code == 200
    assert updated.get_json()["entry"]["version"] == 2
    assert updated.get_json()["entry"]["details"] == {"place": "pram"}
    assert updated.headers["ETag"] == '"2"'


def test_identical_replay_is_stored_once(family):
    entry_id = new_id()
    body = sleep(ago(hours=2), ago(hours=1))
    first = put(family, body, entry_id)
    second = put(family, body, entry_id, headers={"If-Match": '"99"'})
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.get_json()["entry"]["version"] == 1
    listed = family.api.get(f"/api/v1/babies/{family.baby_id}/entries").get_json()["entries"]
    assert [e["id"] for e in listed] == [entry_id]


def test_if_match_stale_version_is_412_and_changes_nothing(family):
    entry_id = new_id()
    put(family, sleep(ago(hours=3), ago(hours=2)), entry_id)
    put(family, sleep(ago(hours=3), ago(hours=1)), entry_id)  # version 2
    stale = put(family, sleep(ago(hours=4), ago(hours=2)), entry_id, headers={"If-Match": "1"})
    assert stale.status_code == 412
    assert stale.get_json()["error"]["code"] == "stale"
    ok = put(family, sleep(ago(hours=4), ago(hours=2)), entry_id, headers={"If-Match": '"2"'})
    assert ok.status_code == 200 and ok.get_json()["entry"]["version"] == 3


def test_delete_leaves_tombstone_and_later_put_is_410(family):
    entry_id = new_id()
    put(family, sleep(ago(hours=3), ago(hours=2)), entry_id)
    assert family.api.delete(family.entry_url(entry_id)).status_code == 204
    assert family.api.delete(family.entry_url(entry_id)).status_code == 204  # idempotent
    gone = put(family, sleep(ago(hours=3), ago(hours=2)), entry_id)
    assert gone.status_code == 410
    assert gone.get_json()["error"]["code"] == "deleted"
    listed = family.api.get(f"/api/v1/babies/{family.baby_id}/entries").get_json()["entries"]
    assert listed == []


def test_delete_of_unseen_id_blocks_a_late_put(family):
    entry_id = new_id()
    assert family.api.delete(family.entry_url(entry_id)).status_code == 204
    assert put(family, sleep(ago(hours=3), ago(hours=2)), entry_id).status_code == 410


def test_changed_since_includes_tombstones(family):
    before = ago(seconds=2)
    keep, drop = new_id(), new_id()
    put(family, sleep(ago(hours=5), ago(hours=4)), keep)
    put(family, sleep(ago(hours=3), ago(hours=2)), drop)
    family.api.delete(family.entry_url(drop))
    url = f"/api/v1/babies/{family.baby_id}/entries?changed_since={before.isoformat()}"
    changed = {e["id"]: e for e in family.api.get(url.replace("+", "%2B")).get_json()["entries"]}
    assert changed[drop]["deleted"] is True
    assert changed[keep]["kind"] == "sleep"


def test_list_by_range_returns_overlapping_entries(family):
    a, b, c = new_id(), new_id(), new_id()
    put(family, sleep(ago(hours=10), ago(hours=8)), a)
    put(family, sleep(ago(hours=6), ago(hours=4)), b)
    put(family, {"kind": "feeding", "start": iso(ago(hours=2))}, c)
    since = ago(hours=9).isoformat().replace("+", "%2B")
    until = ago(hours=5).isoformat().replace("+", "%2B")
    got = family.api.get(f"/api/v1/babies/{family.baby_id}/entries?since={since}&until={until}")
    assert [e["id"] for e in got.get_json()["entries"]] == [a, b]


def test_babies_list_and_create(family):
    babies = family.api.get("/api/v1/babies").get_json()["babies"]
    assert [b["name"] for b in babies] == ["Aino"]
    made = family.api.post("/api/v1/babies", {"name": "Eino", "due_date": "2027-02-01"})
    assert made.status_code == 201
    assert made.get_json()["baby"]["due_date"] == "2027-02-01"


# -- the diary rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "nap", "start": "2026-01-01T10:00:00+02:00"}, "kind"),
        ({"kind": "sleep"}, "start"),
        ({"kind": "sleep", "start": "2026-01-01T10:00:00"}, "start"),  # naive
        ({"kind": "sleep", "start": "yesterday"}, "start"),
        (
            {
                "kind": "sleep",
                "start": "2026-01-01T10:00:00+02:00",
                "end": "2026-01-01T09:00:00+02:00",
            },
            "end",
        ),
        (
            {
                "kind": "sleep",
                "start": "2026-01-01T10:00:00+02:00",
                "end": "2026-01-01T10:00:00+02:00",
            },
            "end",
        ),
        (
            {
                "kind": "sleep",
                "start": "2026-01-01T10:00:00+02:00",
                "end": "2026-01-02T10:00:01+02:00",
            },
            "end",
        ),
        (
            {
                "kind": "crying",
                "start": "2026-01-01T10:00:00+02:00",
                "end": "2026-01-01T22:00:01+02:00",
            },
            "end",
        ),
        (
            {
                "kind": "note",
                "start": "2026-01-01T10:00:00+02:00",
                "end": "2026-01-01T11:00:00+02:00",
            },
            "end",
        ),
        ({"kind": "note", "start": "2026-01-01T10:00:00+02:00", "note": "x" * 2001}, "note"),
        ({"kind": "note", "start": "2026-01-01T10:00:00+02:00", "note": 5}, "note"),
        (
            {"kind": "sleep", "start": "2026-01-01T10:00:00+02:00", "details": {"place": "moon"}},
            "details.place",
        ),
        (
            {
                "kind": "sleep",
                "start": "2026-01-01T10:00:00+02:00",
                "details": {"intensity": "crying"},
            },
            "details.intensity",
        ),
        (
            {
                "kind": "crying",
                "start": "2026-01-01T10:00:00+02:00",
                "details": {"soothing": ["singing"]},
            },
            "details.soothing",
        ),
        (
            {"kind": "feeding", "start": "2026-01-01T10:00:00+02:00", "details": {"amount_ml": -5}},
            "details.amount_ml",
        ),
        (
            {
                "kind": "feeding",
                "start": "2026-01-01T10:00:00+02:00",
                "details": {"amount_ml": "120"},
            },
            "details.amount_ml",
        ),
        (
            {"kind": "feeding", "start": "2026-01-01T10:00:00+02:00", "details": ["breast"]},
            "details",
        ),
    ],
)
def test_bad_entries_get_422_with_the_field_and_change_nothing(family, body, field):
    response = put(family, body)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation"
    assert field in error["fields"]
    assert error["message"]
    assert family.api.get(f"/api/v1/babies/{family.baby_id}/entries").get_json()["entries"] == []


def test_future_times_are_refused_beyond_five_minutes(family):
    soon = datetime.now(UTC) + timedelta(minutes=3)
    later = datetime.now(UTC) + timedelta(minutes=7)
    assert put(family, {"kind": "feeding", "start": iso(soon)}).status_code == 201
    refused = put(family, {"kind": "feeding", "start": iso(later)})
    assert refused.status_code == 422
    assert "start" in refused.get_json()["error"]["fields"]


def test_sleeps_cannot_overlap_and_conflict_names_the_other(family):
    first = new_id()
    put(family, sleep(ago(hours=5), ago(hours=3)), first)
    clash = put(family, sleep(ago(hours=4), ago(hours=2)))
    assert clash.status_code == 409
    assert clash.get_json()["error"]["code"] == "overlap"
    assert clash.get_json()["error"]["conflicting_id"] == first
    # Touching end to start is not an overlap.
    assert put(family, sleep(ago(hours=3), ago(hours=2))).status_code == 201


def test_crying_cannot_overlap_a_sleep_but_a_feeding_can(family):
    put(family, sleep(ago(hours=5), ago(hours=3)))
    crying = {"kind": "crying", "start": iso(ago(hours=4)), "end": iso(ago(minutes=200))}
    assert put(family, crying).status_code == 409
    feeding = {"kind": "feeding", "start": iso(ago(hours=4)), "end": iso(ago(minutes=220))}
    assert put(family, feeding).status_code == 201


def test_only_one_ongoing_sleep(family):
    assert put(family, sleep(ago(hours=1))).status_code == 201
    second = put(family, sleep(ago(minutes=30)))
    assert second.status_code == 409


def test_entry_id_of_another_baby_is_404_and_changes_nothing(make_family):
    one = make_family("one")
    other = one.api.post("/api/v1/babies", {"name": "Twin"}).get_json()["baby"]["id"]
    entry_id = new_id()
    put(one, sleep(ago(hours=3), ago(hours=2)), entry_id)
    moved = one.api.put(one.entry_url(entry_id, other), sleep(ago(hours=5), ago(hours=4)))
    assert moved.status_code == 404
    got = one.api.get(f"/api/v1/babies/{one.baby_id}/entries").get_json()["entries"]
    assert [(e["id"], e["version"]) for e in got] == [(entry_id, 1)]


def test_bad_entry_id_is_404(family):
    assert family.api.put(family.entry_url("not-a-uuid"), sleep(ago(hours=2))).status_code == 404


def test_non_json_body_is_400(family):
    response = family.api.put(family.entry_url(new_id()), None, data="kind=sleep")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"]


# -- who may do what -----------------------------------------------------------------------


def test_other_family_gets_404_everywhere(make_family):
    mine, theirs = make_family("mine"), make_family("theirs")
    entry_id = new_id()
    put(mine, sleep(ago(hours=3), ago(hours=2)), entry_id)
    base = f"/api/v1/babies/{mine.baby_id}"
    assert theirs.api.get(f"{base}/entries").status_code == 404
    assert theirs.api.put(f"{base}/entries/{entry_id}", sleep(ago(hours=3), ago(hours=1))).status_code == 404
    assert theirs.api.delete(f"{base}/entries/{entry_id}").status_code == 404
    assert mine.api.get(f"{base}/entries").get_json()["entries"][0]["version"] == 1


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/v1/babies"),
        ("POST", "/api/v1/babies"),
        ("GET", "/api/v1/babies/1/entries"),
        ("PUT", f"/api/v1/babies/1/entries/{uuid.uuid4()}"),
        ("DELETE", f"/api/v1/babies/1/entries/{uuid.uuid4()}"),
        ("POST", "/api/v1/logout"),
    ],
)
def test_anonymous_gets_401_json(api: Api, method, path):
    response = api._send(method, path, {"name": "x"} if method != "GET" else None)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_worker_gets_403_on_parent_endpoints(app, api: Api):
    from companion.accounts.services import create_organisation, create_staff_user

    with app.app_context():
        create_organisation("org", "Org")
        create_staff_user("worker", "worker", "worker-password-1", "org")
    assert (
        api.post("/api/v1/login", {"username": "worker", "password": "worker-password-1"}).status_code == 200
    )
    assert api.get("/api/v1/babies").status_code == 403
    assert api.put(f"/api/v1/babies/1/entries/{uuid.uuid4()}", sleep(ago(hours=1))).status_code == 403


def test_missing_csrf_token_is_400_json(family):
    response = family.api.client.put(family.entry_url(new_id()), json=sleep(ago(hours=2), ago(hours=1)))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf"
    assert family.api.get(f"/api/v1/babies/{family.baby_id}/entries").get_json()["entries"] == []


def test_api_responses_are_not_cached(family):
    response = family.api.get("/api/v1/babies")
    assert response.headers["Cache-Control"] == "no-store"


# -- the diary begins with the birth ------------------------------------------------------


def born_days_ago(make_family, days: int, **extra):
    born = (datetime.now(UTC) - timedelta(days=days)).date()
    return make_family(birth_date=born.isoformat(), **extra), born


def test_an_entry_more_than_two_days_before_the_birth_is_refused_with_the_reason(make_family):
    family, born = born_days_ago(make_family, 10)
    early = ago(days=14)  # two days and more before the allowed two, in any zone
    refused = put(family, sleep(early, early + timedelta(hours=1)))
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "validation"
    assert error["message"].startswith("This is more than 2 days before the birth")
    assert f"({born.strftime('%b %-d, %Y')})" in error["message"]  # the date as people write it
    assert error["fields"]["start"] == error["message"]
    assert family.api.get(f"/api/v1/babies/{family.baby_id}/entries").get_json()["entries"] == []
    # Two days before (labour, a birth date typed a day off) and after the birth are fine.
    assert put(family, sleep(ago(days=11), ago(days=11) + timedelta(hours=1))).status_code == 201
    assert put(family, sleep(ago(hours=3), ago(hours=2))).status_code == 201


def test_the_reason_is_in_finnish_and_swedish(make_family):
    family, born = born_days_ago(make_family, 5)
    body = {"kind": "feeding", "start": iso(ago(days=30))}
    said = {
        lang: put(family, body, headers={"Accept-Language": lang}).get_json()["error"]["message"]
        for lang in ("fi", "sv")
    }
    day = born.strftime("%-d.%-m.%Y")
    assert said["fi"] == (
        f"Tämä on yli 2 päivää ennen syntymää ({day}). Tarkista päivämäärä tai vauvan tiedoista syntymäaika."
    )
    assert said["sv"].startswith("Det här är mer än 2 dagar före födseln") and day in said["sv"]


def test_an_entry_for_a_baby_not_born_yet_is_refused(make_family):
    due = (datetime.now(UTC) + timedelta(days=40)).date()
    family = make_family(due_date=due.isoformat())
    note = {"kind": "note", "start": iso(ago(minutes=1)), "note": "x"}
    for body in (sleep(ago(hours=2), ago(hours=1)), note):
        refused = put(family, body)
        assert refused.status_code == 422
        assert refused.get_json()["error"]["message"] == (
            "The diary begins when the baby is born. Save the birth date first."
        )
    # Born: the diary begins (two days before the birth date too).
    today = datetime.now(UTC).date()
    born = family.api.client.post(
        f"/diary/{family.baby_id}/born",
        # Weeks before the due date: the parent has confirmed the early birth.
        data={"csrf_token": family.api.token(), "birth_date": today.isoformat(), "confirmed": "1"},
    )
    assert born.status_code == 302
    assert put(family, sleep(ago(hours=2), ago(hours=1))).status_code == 201


def test_the_birth_reason_comes_first_among_other_problems(make_family):
    family, _born = born_days_ago(make_family, 3)
    early = ago(days=20)
    refused = put(family, sleep(early, early - timedelta(hours=1), details={"place": "moon"}))
    error = refused.get_json()["error"]
    assert refused.status_code == 422
    assert error["message"].startswith("This is more than 2 days before the birth")
    assert set(error["fields"]) == {"start", "end", "details.place"}


def test_an_edit_moving_an_entry_before_the_birth_is_refused_and_changes_nothing(make_family):
    family, _born = born_days_ago(make_family, 4)
    entry_id = new_id()
    assert put(family, sleep(ago(hours=3), ago(hours=2)), entry_id).status_code == 201
    moved = put(family, sleep(ago(days=9), ago(days=9) + timedelta(hours=1)), entry_id)
    assert moved.status_code == 422
    kept = family.api.get(f"/api/v1/babies/{family.baby_id}/entries").get_json()["entries"]
    assert [(e["id"], e["version"]) for e in kept] == [(entry_id, 1)]


def test_a_baby_without_dates_keeps_entries_of_any_day(family):
    assert put(family, sleep(ago(days=700), ago(days=700) + timedelta(hours=1))).status_code == 201
