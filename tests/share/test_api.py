"""The sharing API (DESIGN.md, JSON API v1 and Sharing): codes, grants, worker reads, partners."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from companion.extensions import db
from tests.conftest import PASSWORD, Api
from tests.share.conftest import grant_for, make_code, redeem, sign_in


def codes_url(family, baby_id=None) -> str:
    return f"/api/v1/babies/{baby_id or family.baby_id}/share-codes"


def parse_z(text: str) -> datetime:
    assert text.endswith("Z")
    return datetime.fromisoformat(text[:-1] + "+00:00")


def share_rows(app):
    from companion.share.models import ShareCode

    with app.app_context():
        return [(r.id, r.voided_at, r.used_at) for r in db.session.scalars(db.select(ShareCode))]


def log_sleep(family, hours_ago=3, note=None):
    start = datetime.now(UTC) - timedelta(hours=hours_ago)
    body = {"kind": "sleep", "start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()}
    if note:
        body["note"] = note
    response = family.api.put(family.entry_url(str(uuid.uuid4())), body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["entry"]


# -- creating codes ---------------------------------------------------------------------------


def test_parent_creates_a_code_grouped_for_reading_aloud(family):
    before = datetime.now(UTC)
    response = family.api.post(codes_url(family), {"label": "Aino's family"})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"code", "expires_at"}
    assert re.fullmatch(r"\d{4} \d{4} \d{4}", body["code"])
    lifetime = parse_z(body["expires_at"]) - before
    assert timedelta(hours=23, minutes=59) < lifetime <= timedelta(hours=24, seconds=2)


def test_every_setting_can_be_chosen(family, worker):
    code = make_code(family, scope="diary+wellbeing", valid_hours=1, grant_days=7, label="  The   Smiths ")
    grant = redeem(worker, code).get_json()["grant"]
    assert grant["scope"] == "diary+wellbeing"
    assert grant["label"] == "The Smiths"
    lasts = parse_z(grant["expires_at"]) - datetime.now(UTC)
    assert timedelta(days=6, hours=23) < lasts <= timedelta(days=7)


def test_the_body_may_be_left_out(family, worker):
    response = family.api.post(codes_url(family))
    assert response.status_code == 201
    grant = redeem(worker, response.get_json()["code"]).get_json()["grant"]
    assert grant["scope"] == "diary"
    assert grant["label"] == "Aino"  # the baby's name, never the username
    lasts = parse_z(grant["expires_at"]) - datetime.now(UTC)
    assert timedelta(days=89, hours=23) < lasts <= timedelta(days=90)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"valid_hours": 0}, "valid_hours"),
        ({"valid_hours": 169}, "valid_hours"),
        ({"valid_hours": "24"}, "valid_hours"),
        ({"valid_hours": 1.5}, "valid_hours"),
        ({"valid_hours": True}, "valid_hours"),
        ({"grant_days": 0}, "grant_days"),
        ({"grant_days": 366}, "grant_days"),
        ({"grant_days": "ninety"}, "grant_days"),
        ({"scope": "everything"}, "scope"),
        ({"scope": "wellbeing"}, "scope"),
        ({"label": "x" * 61}, "label"),
        ({"label": 5}, "label"),
    ],
)
def test_bad_settings_are_refused_clearly_and_change_nothing(app, family, worker, body, field):
    earlier = make_code(family)
    rows = share_rows(app)
    response = family.api.post(codes_url(family), body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation" and field in error["fields"]
    assert share_rows(app) == rows  # nothing made, the earlier code not voided
    assert redeem(worker, earlier).status_code == 201


def test_a_list_body_is_refused(family):
    response = family.api.post(codes_url(family), [1, 2])
    assert response.status_code == 400


def test_code_creation_needs_a_parent_of_that_baby(app, family, make_family, worker):
    anonymous = Api(app.test_client())
    assert anonymous.post(codes_url(family), {}).status_code == 401
    assert worker.api.post(codes_url(family), {}).status_code == 403
    other = make_family("other-parent", baby="Eino")
    response = other.api.post(codes_url(family), {})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert other.api.post(codes_url(family, "nonsense"), {}).status_code == 404


# -- redeeming ---------------------------------------------------------------------------------


def test_worker_redeems_a_code_typed_with_spaces_or_dashes(family, make_worker):
    first, second = make_worker(), make_worker()
    code = make_code(family)
    response = redeem(first, code.replace(" ", "-"))
    assert response.status_code == 201
    grant = response.get_json()["grant"]
    assert set(grant) == {"id", "label", "scope", "expires_at"}
    assert grant["label"] == "Aino's family"
    assert redeem(second, " " + make_code(family).replace(" ", "  ") + " ").status_code == 201


def test_a_code_works_once(family, make_worker):
    first, second = make_worker(), make_worker()
    code = make_code(family)
    assert redeem(first, code).status_code == 201
    again = redeem(second, code)
    assert again.status_code == 404
    assert again.get_json()["error"]["code"] == "invalid_code"
    assert redeem(first, code).status_code == 404


def test_a_new_code_voids_the_previous_unused_one(family, worker):
    old = make_code(family)
    new = make_code(family)
    assert redeem(worker, old).status_code == 404
    assert redeem(worker, new).status_code == 201


def test_codes_of_different_babies_do_not_void_each_other(family, worker):
    twin = family.api.post("/api/v1/babies", {"name": "Eino"}).get_json()["baby"]["id"]
    first = make_code(family)
    second = family.api.post(codes_url(family, twin), {"label": "Eino"}).get_json()["code"]
    assert redeem(worker, first).status_code == 201
    assert redeem(worker, second).status_code == 201


def test_an_expired_code_is_refused(family, worker, monkeypatch):
    code = make_code(family, valid_hours=1)
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1, seconds=1)
    monkeypatch.setattr("companion.types.utcnow", lambda: later)
    response = redeem(worker, code)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "invalid_code"


def test_a_code_just_before_expiry_works(family, worker, monkeypatch):
    code = make_code(family, valid_hours=1)
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=59)
    monkeypatch.setattr("companion.types.utcnow", lambda: later)
    assert redeem(worker, code).status_code == 201


def test_wrong_used_expired_and_voided_codes_get_one_answer(app, family, make_worker, monkeypatch):
    staff = [make_worker() for _ in range(5)]
    used = make_code(family)
    redeem(staff[0], used)
    voided = make_code(family)
    expiring = make_code(family, valid_hours=1)  # voids `voided`
    bodies = [
        redeem(staff[1], "0000 0000 0000"),
        redeem(staff[2], used),
        redeem(staff[3], voided),
    ]
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    monkeypatch.setattr("companion.types.utcnow", lambda: later)
    bodies.append(redeem(staff[4], expiring))
    assert {r.status_code for r in bodies} == {404}
    assert len({r.get_data() for r in bodies}) == 1


@pytest.mark.parametrize("code", ["1234", "abcd efgh ijkl", "1234 5678 9012 3", "", None, 123456789012])
def test_a_malformed_code_is_a_clear_422_and_is_not_counted(worker, code):
    for _attempt in range(7):
        response = worker.api.post("/api/v1/share/redeem", {"code": code})
        assert response.status_code == 422
        assert "code" in response.get_json()["error"]["fields"]


def test_redeeming_needs_a_worker(app, family, admin):
    code = make_code(family)
    assert Api(app.test_client()).post("/api/v1/share/redeem", {"code": code}).status_code == 401
    assert family.api.post("/api/v1/share/redeem", {"code": code}).status_code == 403
    assert admin.api.post("/api/v1/share/redeem", {"code": code}).status_code == 403


# -- throttling --------------------------------------------------------------------------------


def test_sixth_try_is_429_even_with_the_right_code(family, make_worker):
    guesser, colleague = make_worker(), make_worker()
    code = make_code(family)
    for number in range(5):
        wrong = redeem(guesser, f"0000 0000 000{number}")
        assert wrong.status_code == 404
    blocked = redeem(guesser, code)
    assert blocked.status_code == 429
    assert blocked.get_json()["error"]["code"] == "throttled"
    assert 0 < int(blocked.headers["Retry-After"]) <= 15 * 60 + 1
    # The code was not used up, and the limit is per worker.
    assert redeem(colleague, code).status_code == 201


def test_an_admin_unlocks_a_throttled_worker(family, make_worker, admin):
    guesser = make_worker()
    for _ in range(5):
        redeem(guesser, "1111 1111 1111")
    code = make_code(family)
    assert redeem(guesser, code).status_code == 429
    from tests.conftest import post_form

    response = post_form(admin.api.client, f"/admin/workers/{guesser.id}/unlock")
    assert response.status_code == 302
    assert redeem(guesser, code).status_code == 201


def test_twenty_failures_a_day_lock_until_the_first_is_a_day_old(app, family, worker):
    from companion.throttle import ThrottleCounter

    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    with app.app_context():
        db.session.add(ThrottleCounter(bucket=f"code:worker:{worker.id}:day", started_at=hour_ago, count=20))
        db.session.commit()
    blocked = redeem(worker, make_code(family))
    assert blocked.status_code == 429
    assert 22 * 3600 < int(blocked.headers["Retry-After"]) <= 23 * 3600 + 1


# -- the worker reads ---------------------------------------------------------------------------


def test_shared_list_shows_label_age_and_never_the_username(family, worker):
    grant_id = grant_for(family, worker, label="Family by the lake")
    response = worker.api.get("/api/v1/shared")
    assert response.status_code == 200
    (item,) = response.get_json()["grants"]
    assert item["id"] == grant_id
    assert item["label"] == "Family by the lake"
    assert item["changes_since_last_view"] is None
    assert set(item["baby"]) == {"age_days", "corrected_age_days", "weeks_to_due"}
    assert family.username not in response.get_data(as_text=True)


def test_worker_reads_entries_and_rhythm_in_the_parents_shapes(family, worker):
    log_sleep(family, 5)
    log_sleep(family, 2, note="Slept in the pram")
    grant_id = grant_for(family, worker)
    since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    mine = family.api.get(f"/api/v1/babies/{family.baby_id}/entries", query_string={"since": since})
    theirs = worker.api.get(f"/api/v1/shared/{grant_id}/entries", query_string={"since": since})
    assert theirs.status_code == 200
    assert theirs.get_json() == mine.get_json()
    assert len(theirs.get_json()["entries"]) == 2
    for query in ("", "?from=2026-01-01&to=2026-01-31"):
        parent = family.api.get(f"/api/v1/babies/{family.baby_id}/rhythm{query}").get_json()
        shared = worker.api.get(f"/api/v1/shared/{grant_id}/rhythm{query}")
        assert shared.status_code == 200
        assert shared.get_json() == parent


def test_bad_ranges_are_refused_before_the_view_is_recorded(family, worker):
    grant_id = grant_for(family, worker)
    bad = worker.api.get(f"/api/v1/shared/{grant_id}/rhythm?from=yesterday")
    assert bad.status_code == 422 and "from" in bad.get_json()["error"]["fields"]
    naive = worker.api.get(f"/api/v1/shared/{grant_id}/entries?since=2026-01-01T00:00:00")
    assert naive.status_code == 422
    grants = family.api.get(f"/api/v1/babies/{family.baby_id}/grants").get_json()["grants"]
    assert grants[0]["last_viewed_at"] is None


def test_worker_cannot_read_another_workers_grant(family, make_worker):
    mine, other = make_worker(), make_worker()
    grant_id = grant_for(family, mine)
    for path in (f"/api/v1/shared/{grant_id}/entries", f"/api/v1/shared/{grant_id}/rhythm"):
        response = other.api.get(path)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
    assert other.api.get("/api/v1/shared").get_json() == {"grants": []}
    assert other.api.get("/api/v1/shared/99999/entries").status_code == 404
    assert other.api.get("/api/v1/shared/x/rhythm").status_code == 404


def test_worker_reads_need_a_signed_in_worker(app, family, worker, admin):
    grant_id = grant_for(family, worker)
    anonymous = Api(app.test_client())
    for path in ("/api/v1/shared", f"/api/v1/shared/{grant_id}/entries", f"/api/v1/shared/{grant_id}/rhythm"):
        assert anonymous.get(path).status_code == 401
        assert family.api.get(path).status_code == 403
        assert admin.api.get(path).status_code == 403


def test_worker_cannot_write_or_use_parent_endpoints(family, worker):
    grant_id = grant_for(family, worker)
    entry = log_sleep(family)
    baby = family.baby_id
    body = {"kind": "note", "start": datetime.now(UTC).isoformat(), "note": "hi"}
    attempts = [
        worker.api.put(f"/api/v1/babies/{baby}/entries/{uuid.uuid4()}", body),
        worker.api.delete(f"/api/v1/babies/{baby}/entries/{entry['id']}"),
        worker.api.get(f"/api/v1/babies/{baby}/entries"),
        worker.api.get(f"/api/v1/babies/{baby}/grants"),
        worker.api.delete(f"/api/v1/grants/{grant_id}"),
        worker.api.post(codes_url(family), {}),
        worker.api.post("/api/v1/family/invites", {}),
        worker.api.post("/api/v1/family/join", {"code": "1234 5678 9012"}),
    ]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    for method in ("put", "delete", "post"):
        response = getattr(worker.api, method)(f"/api/v1/shared/{grant_id}/entries", {})
        assert response.status_code == 405
    assert family.api.get(f"/api/v1/babies/{baby}/entries").get_json()["entries"][0]["id"] == entry["id"]


# -- the parent's view of grants, revoking -----------------------------------------------------


def test_parent_sees_who_can_see_until_when_and_last_viewed(family, worker):
    grant_id = grant_for(family, worker)
    (item,) = family.api.get(f"/api/v1/babies/{family.baby_id}/grants").get_json()["grants"]
    assert item["id"] == grant_id
    assert item["worker"] == {
        "display_name": "Maija Mäkinen",
        "organisation": {"name": "Baby blues Tampere", "locality": "Tampere"},
    }
    assert item["active"] is True and item["last_viewed_at"] is None
    assert "username" not in str(item["worker"])
    worker.api.get(f"/api/v1/shared/{grant_id}/rhythm")
    (item,) = family.api.get(f"/api/v1/babies/{family.baby_id}/grants").get_json()["grants"]
    assert parse_z(item["last_viewed_at"]) > datetime.now(UTC) - timedelta(minutes=1)


def test_revoking_ends_access_at_once(family, worker):
    grant_id = grant_for(family, worker)
    assert worker.api.get(f"/api/v1/shared/{grant_id}/entries").status_code == 200
    assert family.api.delete(f"/api/v1/grants/{grant_id}").status_code == 204
    assert worker.api.get(f"/api/v1/shared/{grant_id}/entries").status_code == 404
    assert worker.api.get(f"/api/v1/shared/{grant_id}/rhythm").status_code == 404
    assert worker.api.get("/api/v1/shared").get_json() == {"grants": []}
    (item,) = family.api.get(f"/api/v1/babies/{family.baby_id}/grants").get_json()["grants"]
    assert item["active"] is False and item["ended_reason"] == "revoked"
    assert family.api.delete(f"/api/v1/grants/{grant_id}").status_code == 204  # idempotent


def test_a_parent_cannot_touch_another_familys_grants(app, family, make_family, worker):
    grant_id = grant_for(family, worker)
    other = make_family("other-parent", baby="Eino")
    assert other.api.delete(f"/api/v1/grants/{grant_id}").status_code == 404
    assert other.api.get(f"/api/v1/babies/{family.baby_id}/grants").status_code == 404
    assert Api(app.test_client()).get(f"/api/v1/babies/{family.baby_id}/grants").status_code == 401
    assert other.api.delete("/api/v1/grants/nonsense").status_code == 404
    assert Api(app.test_client()).delete(f"/api/v1/grants/{grant_id}").status_code == 401
    assert worker.api.get(f"/api/v1/shared/{grant_id}/entries").status_code == 200


def test_the_grant_expires(family, worker, monkeypatch):
    grant_id = grant_for(family, worker, grant_days=1)
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1, seconds=5)
    monkeypatch.setattr("companion.types.utcnow", lambda: later)
    assert worker.api.get(f"/api/v1/shared/{grant_id}/entries").status_code == 404
    assert worker.api.get("/api/v1/shared").get_json() == {"grants": []}
    (item,) = family.api.get(f"/api/v1/babies/{family.baby_id}/grants").get_json()["grants"]
    assert item["active"] is False


def test_changes_since_the_worker_last_looked(family, worker):
    grant_id = grant_for(family, worker)
    worker.api.get(f"/api/v1/shared/{grant_id}/entries")
    assert worker.api.get("/api/v1/shared").get_json()["grants"][0]["changes_since_last_view"] == 0
    import time

    time.sleep(1.1)  # the database keeps whole seconds
    log_sleep(family, 4)
    log_sleep(family, 2)
    assert worker.api.get("/api/v1/shared").get_json()["grants"][0]["changes_since_last_view"] == 2


def test_a_second_code_for_the_same_worker_replaces_the_grant(family, worker):
    first = grant_for(family, worker, label="Old name")
    second = grant_for(family, worker, label="New name")
    assert [g["id"] for g in worker.api.get("/api/v1/shared").get_json()["grants"]] == [second]
    assert worker.api.get(f"/api/v1/shared/{first}/entries").status_code == 404


# -- deactivation --------------------------------------------------------------------------------


def test_deactivating_a_worker_ends_sessions_and_grants(app, family, worker, admin):
    from tests.conftest import post_form

    grant_id = grant_for(family, worker)
    response = post_form(admin.api.client, f"/admin/workers/{worker.id}/deactivate")
    assert response.status_code == 302
    assert worker.api.get("/api/v1/me").get_json()["user"] is None
    assert worker.api.get(f"/api/v1/shared/{grant_id}/entries").status_code == 401
    (item,) = family.api.get(f"/api/v1/babies/{family.baby_id}/grants").get_json()["grants"]
    assert item["active"] is False and item["ended_reason"] == "deactivated"
    login = Api(app.test_client()).post(
        "/api/v1/login", {"username": "maija", "password": "worker password 1"}
    )
    assert login.status_code == 401
    # Activated again, the worker signs in but the old grant stays ended.
    post_form(admin.api.client, f"/admin/workers/{worker.id}/reactivate")
    again = sign_in(app, "maija")
    assert again.get(f"/api/v1/shared/{grant_id}/entries").status_code == 404


# -- partner invites ------------------------------------------------------------------------------


def test_partner_joins_and_then_sees_and_logs_the_same_babies(app, family):
    invite = family.api.post("/api/v1/family/invites", {})
    assert invite.status_code == 201
    body = invite.get_json()
    assert set(body) == {"code", "expires_at"} and re.fullmatch(r"\d{4} \d{4} \d{4}", body["code"])
    partner = Api(app.test_client())
    partner.post("/api/v1/signup", {"username": "partner", "password": PASSWORD})
    joined = partner.post("/api/v1/family/join", {"code": body["code"]})
    assert joined.status_code == 200
    assert [b["id"] for b in joined.get_json()["family"]["babies"]] == [family.baby_id]
    assert [b["id"] for b in partner.get("/api/v1/babies").get_json()["babies"]] == [family.baby_id]
    start = datetime.now(UTC) - timedelta(hours=1)
    put = partner.put(
        f"/api/v1/babies/{family.baby_id}/entries/{uuid.uuid4()}",
        {"kind": "feeding", "start": start.isoformat()},
    )
    assert put.status_code == 201
    assert len(family.api.get(f"/api/v1/babies/{family.baby_id}/entries").get_json()["entries"]) == 1


def test_invite_codes_are_single_use_and_a_new_one_voids_the_old(app, family):
    old = family.api.post("/api/v1/family/invites", {"valid_hours": 1}).get_json()["code"]
    new = family.api.post("/api/v1/family/invites").get_json()["code"]
    first, second = Api(app.test_client()), Api(app.test_client())
    first.post("/api/v1/signup", {"username": "first", "password": PASSWORD})
    second.post("/api/v1/signup", {"username": "second", "password": PASSWORD})
    stale = first.post("/api/v1/family/join", {"code": old})
    assert stale.status_code == 404 and stale.get_json()["error"]["code"] == "invalid_code"
    assert first.post("/api/v1/family/join", {"code": new}).status_code == 200
    assert second.post("/api/v1/family/join", {"code": new}).status_code == 404


def test_a_parent_with_a_baby_is_told_first_then_brings_it_along(app, family, make_family):
    code = family.api.post("/api/v1/family/invites").get_json()["code"]
    other = make_family("has-a-baby", baby="Eino")
    start = (datetime.now(UTC) - timedelta(hours=2)).replace(microsecond=0)
    entry = other.entry_url(str(uuid.uuid4()))
    assert other.api.put(entry, {"kind": "sleep", "start": start.isoformat()}).status_code == 201
    response = other.api.post("/api/v1/family/join", {"code": code})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "has_babies" and "Eino" in error["message"]
    assert "Nothing is deleted" in error["message"]
    assert [b["name"] for b in other.api.get("/api/v1/babies").get_json()["babies"]] == ["Eino"]
    # The code was not used up by the question.
    joined = other.api.post("/api/v1/family/join", {"code": code, "bring_babies": True})
    assert joined.status_code == 200, joined.get_json()
    names = sorted(b["name"] for b in joined.get_json()["family"]["babies"])
    assert names == ["Aino", "Eino"]
    # Both parents see both babies, and Eino's diary came along whole.
    for parent in (family.api, other.api):
        assert sorted(b["name"] for b in parent.get("/api/v1/babies").get_json()["babies"]) == names
    eino = next(b["id"] for b in family.api.get("/api/v1/babies").get_json()["babies"] if b["name"] == "Eino")
    entries = family.api.get(f"/api/v1/babies/{eino}/entries").get_json()["entries"]
    assert len(entries) == 1 and entries[0]["kind"] == "sleep"


def test_babies_never_leave_another_parent_behind(app, family, make_family):
    code = family.api.post("/api/v1/family/invites").get_json()["code"]
    other = make_family("two-parents", baby="Eino")
    partner_code = other.api.post("/api/v1/family/invites").get_json()["code"]
    partner = Api(app.test_client())
    partner.post("/api/v1/signup", {"username": "partner-of-two", "password": PASSWORD})
    assert partner.post("/api/v1/family/join", {"code": partner_code}).status_code == 200
    response = other.api.post("/api/v1/family/join", {"code": code, "bring_babies": True})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "family_has_parents"
    assert [b["name"] for b in partner.get("/api/v1/babies").get_json()["babies"]] == ["Eino"]
    assert [b["name"] for b in family.api.get("/api/v1/babies").get_json()["babies"]] == ["Aino"]


def test_joining_refuses_a_bad_bring_babies_and_too_many_babies(app, family, make_family):
    code = family.api.post("/api/v1/family/invites").get_json()["code"]
    other = make_family("many", baby="One")
    bad = other.api.post("/api/v1/family/join", {"code": code, "bring_babies": "yes"})
    assert bad.status_code == 422 and "bring_babies" in bad.get_json()["error"]["fields"]
    for number in range(7):
        assert family.api.post("/api/v1/babies", {"name": f"Baby {number}"}).status_code == 201
    full = other.api.post("/api/v1/family/join", {"code": code, "bring_babies": True})
    assert full.status_code == 422 and "at most 8 babies" in full.get_json()["error"]["message"]
    assert [b["name"] for b in other.api.get("/api/v1/babies").get_json()["babies"]] == ["One"]


def test_invite_settings_and_own_family(family):
    assert family.api.post("/api/v1/family/invites", {"valid_hours": 0}).status_code == 422
    assert family.api.post("/api/v1/family/invites", {"valid_hours": "x"}).status_code == 422


def test_joining_is_throttled_like_redemption(app, family):
    code = family.api.post("/api/v1/family/invites").get_json()["code"]
    partner = Api(app.test_client())
    partner.post("/api/v1/signup", {"username": "partner", "password": PASSWORD})
    for number in range(5):
        assert partner.post("/api/v1/family/join", {"code": f"9999 9999 999{number}"}).status_code == 404
    blocked = partner.post("/api/v1/family/join", {"code": code})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert partner.get("/api/v1/babies").get_json()["babies"] == []


def test_invites_and_joining_need_a_parent(app, worker):
    anonymous = Api(app.test_client())
    assert anonymous.post("/api/v1/family/invites", {}).status_code == 401
    assert anonymous.post("/api/v1/family/join", {"code": "1234 5678 9012"}).status_code == 401
    assert worker.api.post("/api/v1/family/invites", {}).status_code == 403


def test_share_codes_and_invite_codes_are_not_interchangeable(app, family, worker):
    invite = family.api.post("/api/v1/family/invites").get_json()["code"]
    assert redeem(worker, invite).status_code == 404
    share = make_code(family)
    partner = Api(app.test_client())
    partner.post("/api/v1/signup", {"username": "partner", "password": PASSWORD})
    assert partner.post("/api/v1/family/join", {"code": share}).status_code == 404
