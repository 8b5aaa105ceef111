"""Sharing services: the total limit, the audit trail, no code at rest, partners, the key."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from companion.errors import NotFound, Validation
from companion.extensions import db
from tests.conftest import PASSWORD, Api, post_form
from tests.share.conftest import add_staff, grant_for, make_code, redeem


def user(user_id):
    from companion.accounts.models import User

    return db.session.get(User, user_id)


def parent_id(app, username):
    from companion.accounts.services import find_user

    with app.app_context():
        return find_user(username).id


def test_a_surge_of_failures_is_logged_but_locks_nobody_else_out(app, family, caplog):
    """Twenty throwaway accounts failing five times each no longer lock every real worker
    out (there is no site-wide bucket that refuses everyone): the surge is a warning."""
    from companion.share import services

    app.config["COMPANION_CODE_SURGE_WARNING"] = 100
    code = make_code(family)
    ids = [add_staff(app, f"guesser{i}", "worker", f"Guesser {i}", "tampere") for i in range(21)]
    caplog.set_level(logging.WARNING, logger="companion.throttle")
    with app.app_context():
        for worker_id in ids[:20]:
            for attempt in range(5):
                with pytest.raises(NotFound):
                    services.redeem_code(user(worker_id), f"7777 7777 77{worker_id % 10}{attempt}")
        grant = services.redeem_code(user(ids[20]), code)  # a fresh worker, the right code
        assert grant.id
    assert any("share code failures" in record.getMessage() for record in caplog.records)


def test_limits_can_be_set(app, family, worker):
    app.config["COMPANION_CODE_LIMIT_USER"] = 2
    redeem(worker, "1212 1212 1212")
    redeem(worker, "1212 1212 1213")
    assert redeem(worker, make_code(family)).status_code == 429


def test_the_database_never_holds_a_code_and_logs_never_show_one(app, family, worker, caplog):
    caplog.set_level(logging.DEBUG)
    note = "Neighbour's dog barked all night"
    start = datetime.now(UTC) - timedelta(hours=2)
    family.api.put(
        family.entry_url(str(uuid.uuid4())),
        {
            "kind": "crying",
            "start": start.isoformat(),
            "end": (start + timedelta(minutes=20)).isoformat(),
            "note": note,
        },
    )
    made = [make_code(family) for _ in range(3)]  # two voided, one used
    grant_id = redeem(worker, made[-1]).get_json()["grant"]["id"]
    redeem(worker, "3141 5926 5358")
    worker.api.get(f"/api/v1/shared/{grant_id}/entries")
    worker.api.client.get(f"/worker/diaries/{grant_id}")
    worker.api.client.get(f"/worker/diaries/{grant_id}/print")
    made.append(family.api.post("/api/v1/family/invites").get_json()["code"])
    family.api.delete(f"/api/v1/grants/{grant_id}")
    with app.app_context():
        # Every row of every table, on SQLite and PostgreSQL alike.
        dump = "\n".join(
            f"{table.name} {tuple(row)}"
            for table in db.metadata.sorted_tables
            for row in db.session.execute(table.select())
        )
    assert "share_codes" in dump and "audit_events" in dump
    for code in made:
        for form in (code, code.replace(" ", ""), code.replace(" ", "-")):
            assert form not in dump
            assert form not in caplog.text


def test_audit_records_the_events_without_codes_or_diary_contents(app, family, worker):
    from companion.share.models import AuditEvent

    note = "Slept badly after the vaccination"
    start = datetime.now(UTC) - timedelta(hours=5)
    family.api.put(
        family.entry_url(str(uuid.uuid4())),
        {
            "kind": "sleep",
            "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
            "note": note,
        },
    )
    code = make_code(family)
    redeem(worker, "2718 2818 2845")
    grant_id = redeem(worker, code).get_json()["grant"]["id"]
    worker.api.get(f"/api/v1/shared/{grant_id}/rhythm")
    worker.api.client.get(f"/worker/diaries/{grant_id}")
    worker.api.client.get(f"/worker/diaries/{grant_id}/print")
    family.api.delete(f"/api/v1/grants/{grant_id}")
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        kinds = [(e.kind, e.detail) for e in events]
        text = " ".join(
            str({c.name: getattr(e, c.name) for c in AuditEvent.__table__.columns}) for e in events
        )
    assert kinds == [
        ("code_created", "diary"),
        ("code_failed", None),
        ("code_redeemed", None),
        ("grant_viewed", "api"),
        ("grant_viewed", "page"),
        ("grant_viewed", "print"),
        ("grant_revoked", None),
    ]
    digits = code.replace(" ", "")
    assert digits not in text and code not in text and "27182818" not in text
    assert note not in text and "vaccination" not in text


def test_a_worker_list_and_view_never_show_the_parents_username(family, worker):
    grant_id = grant_for(family, worker, label="Lakeside family")
    pages = [
        worker.api.client.get("/worker/"),
        worker.api.client.get(f"/worker/diaries/{grant_id}"),
        worker.api.client.get(f"/worker/diaries/{grant_id}/print"),
        worker.api.get("/api/v1/shared"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert family.username not in page.get_data(as_text=True)
    assert "Lakeside family" in pages[0].get_data(as_text=True)


def test_join_refuses_a_parent_already_in_the_family(app, family):
    from companion.share import services

    code = family.api.post("/api/v1/family/invites").get_json()["code"]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        parent = user(parent_id(app, family.username))
        with pytest.raises(Validation) as caught:
            services.join_family(parent, code)
        assert "already in this family" in caught.value.message


def test_a_parent_can_leave_and_be_removed_and_keeps_the_account(app, family):
    code = family.api.post("/api/v1/family/invites").get_json()["code"]
    partner = Api(app.test_client())
    partner.post("/api/v1/signup", {"username": "partner", "password": PASSWORD})
    assert partner.post("/api/v1/family/join", {"code": code}).status_code == 200
    # The first parent removes the partner: access ends at once, the account stays.
    partner_id = parent_id(app, "partner")
    assert post_form(family.api.client, f"/share/family/members/{partner_id}/remove").status_code == 302
    assert partner.get(f"/api/v1/babies/{family.baby_id}/entries").status_code == 404
    assert partner.get("/api/v1/babies").get_json()["babies"] == []
    assert partner.get("/api/v1/me").get_json()["user"]["username"] == "partner"
    # Invited again, the partner leaves by themselves; the babies stay with the family.
    code = family.api.post("/api/v1/family/invites").get_json()["code"]
    assert partner.post("/api/v1/family/join", {"code": code}).status_code == 200
    assert post_form(partner.client, "/share/family/leave").status_code == 302
    assert partner.get("/api/v1/babies").get_json()["babies"] == []
    assert [b["id"] for b in family.api.get("/api/v1/babies").get_json()["babies"]] == [family.baby_id]


def test_the_only_parent_cannot_leave(app, family):
    from companion.share import services

    with app.app_context(), pytest.raises(Validation):
        services.leave_family(user(parent_id(app, family.username)))
    page = post_form(family.api.client, "/share/family/leave", follow_redirects=True)
    assert "only parent" in page.get_data(as_text=True)
    assert family.api.get("/api/v1/babies").get_json()["babies"] != []


def test_a_parent_cannot_remove_someone_from_another_family(family, make_family):
    other = make_family("stranger", baby="Eino")
    stranger_id = parent_id(family.api.client.application, "stranger")
    assert post_form(family.api.client, f"/share/family/members/{stranger_id}/remove").status_code == 404
    assert other.api.get("/api/v1/babies").get_json()["babies"][0]["name"] == "Eino"


def test_generated_codes_never_repeat_a_stored_hash(app, family, monkeypatch):
    from companion.share import codes

    sequence = iter(["111111111111", "111111111111", "222222222222"])
    monkeypatch.setattr(codes, "new_code", lambda: next(sequence))
    first = make_code(family)
    second = make_code(family)
    assert (first, second) == ("1111 1111 1111", "2222 2222 2222")


KEY_PROCESS = """
import sys
from functools import partial

import companion

companion.Flask = partial(companion.Flask, instance_path=sys.argv[1])
app = companion.create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": sys.argv[2]})
print(app.config["COMPANION_CODE_KEY"])
"""


def test_the_code_key_is_created_once_and_shared(monkeypatch, tmp_path):
    """App processes starting together on one server all read one key from instance/code_key."""
    import os
    import subprocess
    import sys
    from functools import partial
    from pathlib import Path

    import companion
    from tests.conftest import settings_for_tests

    root = Path(__file__).resolve().parents[2]
    instance = tmp_path / "instance"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(root)}
    url = f"sqlite:///{tmp_path}/keys.sqlite"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", KEY_PROCESS, str(instance), url],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    keys = set()
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        keys.add(out.strip())
    monkeypatch.delenv("COMPANION_CODE_KEY", raising=False)
    monkeypatch.setattr(companion, "Flask", partial(companion.Flask, instance_path=str(instance)))
    made = companion.create_app(settings_for_tests(tmp_path))
    keys.add(made.config["COMPANION_CODE_KEY"])
    assert len(keys) == 1
    key_file = instance / "code_key"
    assert key_file.read_text().strip() == keys.pop()
    assert (key_file.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in instance.iterdir()) == ["code_key"]
    with made.app_context():
        db.engine.dispose()


def test_a_configured_code_key_is_used_and_no_file_is_made(monkeypatch, tmp_path):
    from functools import partial

    import companion
    from tests.conftest import settings_for_tests

    instance = tmp_path / "instance"
    monkeypatch.setattr(companion, "Flask", partial(companion.Flask, instance_path=str(instance)))
    monkeypatch.setenv("COMPANION_CODE_KEY", "123456")  # read as JSON it would be a number
    made = companion.create_app(settings_for_tests(tmp_path))
    assert made.config["COMPANION_CODE_KEY"] == "123456"
    assert not (instance / "code_key").exists()
    with made.app_context():
        db.engine.dispose()


def test_code_format_in_the_database_is_hex_hmac(app, family):
    from companion.share.models import ShareCode

    make_code(family)
    with app.app_context():
        (stored,) = db.session.scalars(select(ShareCode.code_hash)).all()
    assert re.fullmatch(r"[0-9a-f]{64}", stored)


def test_a_removed_parent_cannot_come_back_with_old_codes(app, family, worker):
    code = family.api.post("/api/v1/family/invites").get_json()["code"]
    partner = Api(app.test_client())
    partner.post("/api/v1/signup", {"username": "partner", "password": PASSWORD})
    partner.post("/api/v1/family/join", {"code": code})
    invite = partner.post("/api/v1/family/invites").get_json()["code"]
    share = partner.post(f"/api/v1/babies/{family.baby_id}/share-codes", {"label": "Us"}).get_json()["code"]
    post_form(family.api.client, f"/share/family/members/{parent_id(app, 'partner')}/remove")
    assert partner.post("/api/v1/family/join", {"code": invite}).status_code == 404
    assert redeem(worker, share).status_code == 404
    assert partner.get("/api/v1/babies").get_json()["babies"] == []
