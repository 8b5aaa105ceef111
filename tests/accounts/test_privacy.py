"""Privacy rights: export, account deletion, and pruning by the retention rules."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

from companion.accounts.services import create_organisation, create_staff_user
from tests.conftest import PASSWORD, Api, post_form, staff_sign_in


def put_sleep(family, hours_ago=3):
    start = datetime.now(UTC) - timedelta(hours=hours_ago)
    response = family.api.put(
        family.entry_url(str(uuid.uuid4())),
        {
            "kind": "sleep",
            "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
            "note": "own words",
        },
    )
    assert response.status_code == 201


def worker_with_grant(app, family, name="worker"):
    with app.app_context():
        create_organisation("org", "Org ry")
        create_staff_user(name, "worker", "worker-password-1", "org", display_name="Maija")
    code = family.api.post(f"/api/v1/babies/{family.baby_id}/share-codes", {"label": "Family A"}).get_json()[
        "code"
    ]
    worker = staff_sign_in(app, name, "worker-password-1")
    assert worker.post("/api/v1/share/redeem", {"code": code}).status_code == 201
    return worker


def test_export_has_the_account_family_and_diary(family):
    put_sleep(family)
    response = family.api.get("/api/v1/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["account"]["username"] == family.username
    assert data["family"]["timezone"] == "Europe/Helsinki"
    assert [b["name"] for b in data["babies"]] == ["Aino"]
    assert data["entries"][0]["note"] == "own words"
    assert "password_hash" not in str(data)


def test_export_csv_of_entries(family):
    put_sleep(family)
    response = family.api.get("/api/v1/export?format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["baby"] == "Aino" and rows[0]["kind"] == "sleep" and rows[0]["duration_minutes"] == "60"


def test_export_needs_sign_in(client):
    assert client.get("/api/v1/export").status_code == 401


def test_delete_with_a_wrong_password_changes_nothing(family):
    response = family.api.delete("/api/v1/me", {"password": "not the password"})
    assert response.status_code == 422
    assert family.api.get("/api/v1/me").get_json()["user"]["username"] == family.username


def test_delete_a_lone_parent_removes_the_whole_diary_and_ends_access(app, family):
    put_sleep(family)
    worker = worker_with_grant(app, family)
    grant = worker.get("/api/v1/shared").get_json()["grants"][0]["id"]
    other_device = Api(app.test_client())
    other_device.post("/api/v1/login", {"username": family.username, "password": PASSWORD})
    assert family.api.delete("/api/v1/me", {"password": PASSWORD}).status_code == 204
    assert other_device.get("/api/v1/me").get_json()["user"] is None
    assert worker.get(f"/api/v1/shared/{grant}/entries").status_code == 404
    with app.app_context():
        from sqlalchemy import func, select

        from companion.diary.models import Baby, DiaryDay, Entry, Family
        from companion.extensions import db

        assert db.session.scalar(select(func.count(Entry.id))) == 0
        assert db.session.scalar(select(func.count()).select_from(DiaryDay)) == 0  # the dates' versions too
        assert db.session.scalar(select(func.count(Baby.id))) == 0
        assert db.session.scalar(select(func.count(Family.id))) == 0
    relogin = Api(app.test_client()).post(
        "/api/v1/login", {"username": family.username, "password": PASSWORD}
    )
    assert relogin.status_code == 401


def test_delete_keeps_a_shared_diary_with_the_other_parent(app, family, make_family):
    put_sleep(family)
    partner = Api(app.test_client())
    partner.post("/api/v1/signup", {"username": "partner", "password": PASSWORD})
    code = family.api.post("/api/v1/family/invites").get_json()["code"]
    assert partner.post("/api/v1/family/join", {"code": code}).status_code == 200
    assert family.api.delete("/api/v1/me", {"password": PASSWORD}).status_code == 204
    entries = partner.get(f"/api/v1/babies/{family.baby_id}/entries").get_json()["entries"]
    assert len(entries) == 1 and entries[0]["note"] == "own words"


def test_delete_page_asks_for_confirmation(family):
    page = family.api.client.get("/account/delete")
    assert page.status_code == 200
    unconfirmed = post_form(family.api.client, "/account/delete", {"password": PASSWORD})
    assert unconfirmed.status_code == 422
    assert family.api.get("/api/v1/me").get_json()["user"] is not None
    done = post_form(family.api.client, "/account/delete", {"password": PASSWORD, "confirm": "y"})
    assert done.status_code == 302
    assert family.api.get("/api/v1/me").get_json()["user"] is None


def test_prune_follows_the_retention_rules(app, family):
    put_sleep(family)
    entry = family.api.get(f"/api/v1/babies/{family.baby_id}/entries").get_json()["entries"][0]
    family.api.delete(family.entry_url(entry["id"]))
    worker_with_grant(app, family)
    with app.app_context():
        from companion.accounts.privacy import prune

        assert prune()["tombstones"] == 0  # kept while phones may still need to learn of it
        later = prune(datetime.now(UTC) + timedelta(days=400))
    assert later["tombstones"] == 1
    assert later["share_codes"] == 1
    assert later["grants"] == 1
    assert later["audit_events"] >= 1
    result = app.test_cli_runner().invoke(args=["prune"])
    assert result.exit_code == 0 and "Pruned:" in result.output


def test_privacy_page_in_every_language(client):
    for lang in ("fi", "sv", "en"):
        page = client.get(f"/privacy?lang={lang}")
        assert page.status_code == 200
        assert f'<html lang="{lang}">' in page.get_data(as_text=True)
