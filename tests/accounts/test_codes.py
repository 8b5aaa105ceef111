"""Recovery codes, share codes and invites: random enough, kept as HMACs, shown once and
never in the cookie, used atomically, the same work for unknown usernames, and void when
the parent who made them leaves."""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
from pathlib import Path

from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from companion import create_app
from companion.accounts.models import RecoveryCode
from companion.extensions import db
from tests.conftest import PASSWORD, Api, post_form, settings_for_tests
from tests.share.conftest import redeem

NEW_PASSWORD = "a brand new passphrase"


def cookie_content(app, client) -> dict:
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    return dict(serializer.loads(client.get_cookie("companion_session").value))


def test_recovery_codes_have_at_least_64_bits_and_are_kept_as_hmacs(app, family):
    from companion.accounts.services import _CODE_ALPHABET, _CODE_LENGTH

    assert _CODE_LENGTH * math.log2(len(set(_CODE_ALPHABET))) >= 64
    codes = family.recovery_codes
    assert len(codes) == 10 and len(set(codes)) == 10
    with app.app_context():
        stored = set(
            db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.kind == "recovery"))
        )
        key = app.config["COMPANION_CODE_KEY"].encode()
    raw = codes[0].replace("-", "")
    assert hmac.new(key, f"recovery:{raw}".encode(), hashlib.sha256).hexdigest() in stored
    assert not any(code in value for code in codes for value in stored)


def test_recovery_does_the_same_work_for_an_unknown_username(app, family, monkeypatch):
    """The same number of Argon2 hashes and checks either way: no username oracle."""
    from companion.accounts import services

    calls: list[str] = []
    real_hash, real_verify = services.hash_password, services._verify
    monkeypatch.setattr(services, "hash_password", lambda p: calls.append("hash") or real_hash(p))
    monkeypatch.setattr(services, "_verify", lambda s, p: calls.append("verify") or real_verify(s, p))
    api = Api(app.test_client())
    for username in (family.username, "nobody-at-all"):
        calls.clear()
        response = post_form(
            api.client,
            "/recover",
            {"username": username, "code": "abcde-fghjk-mnpqr", "new_password": NEW_PASSWORD},
        )
        assert response.status_code == 401
        assert calls == ["hash"], username


def test_recovery_is_throttled_per_username_and_per_address(app, family):
    app.config["COMPANION_LOGIN_LIMIT_USER"] = 3
    app.config["COMPANION_LOGIN_LIMIT_ADDRESS"] = 5
    client = app.test_client()
    body = {"username": family.username, "code": "wrong-wrong-wrong", "new_password": NEW_PASSWORD}
    for _ in range(3):
        assert post_form(client, "/recover", body).status_code == 401
    locked = post_form(client, "/recover", {**body, "code": family.recovery_codes[0]})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    # Other usernames from the same address: the address limit (5) follows.
    other = {"code": "wrong-wrong-wrong", "new_password": NEW_PASSWORD}
    assert post_form(client, "/recover", {**other, "username": "someone-else"}).status_code == 401
    assert post_form(client, "/recover", {**other, "username": "someone-more"}).status_code == 401
    assert post_form(client, "/recover", {**other, "username": "third-person"}).status_code == 429


def test_two_recoveries_with_one_code_one_wins(app, family):
    """Two app instances, two threads, one code: exactly one new password is set."""
    settings = {
        **settings_for_tests(Path(app.instance_path)),
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
    }
    apps = [app, create_app(settings)]
    code = family.recovery_codes[0]
    results: list[int] = []
    barrier = threading.Barrier(2)

    def run(index: int) -> None:
        client = apps[index].test_client()
        token = client.get("/api/v1/me").get_json()["csrf_token"]
        barrier.wait()
        response = client.post(
            "/recover",
            data={
                "csrf_token": token,
                "username": family.username,
                "code": code,
                "new_password": f"{NEW_PASSWORD} {index}",
            },
        )
        results.append(response.status_code)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [302, 401]
    with apps[1].app_context():
        db.engine.dispose()


def test_fresh_codes_never_travel_in_the_cookie(app, family):
    client = app.test_client()
    signed = post_form(client, "/signup", {"username": "cookiewatch", "password": PASSWORD})
    assert signed.status_code == 302
    content = cookie_content(app, client)
    assert set(content) <= {"_user_id", "_fresh", "_id", "csrf_token", "_permanent", "_flashes"}
    shown = client.get("/account/recovery-codes").get_data(as_text=True)
    assert shown.count("<code>") == 10
    assert client.get("/account/recovery-codes").get_data(as_text=True).count("<code>") == 0  # once
    made = post_form(
        family.api.client,
        f"/share/babies/{family.baby_id}/codes",
        {f"baby{family.baby_id}-label": "Us", f"baby{family.baby_id}-statistics": "no"},
    )
    assert made.status_code == 302
    code_text = str(cookie_content(app, family.api.client))
    assert "code" not in code_text.replace("csrf_token", "")
    page = family.api.client.get("/share/").get_data(as_text=True)
    assert 'class="share-code"' in page
    invite = post_form(family.api.client, "/share/invite", {"valid_hours": "24"})
    assert invite.status_code == 302
    assert "code" not in str(cookie_content(app, family.api.client)).replace("csrf_token", "")


def test_deleting_an_account_voids_its_share_codes_and_invites(app, family, worker):
    """The diary stays with the other parent; what the deleted parent handed out stops."""
    partner = Api(app.test_client())
    partner.post("/api/v1/signup", {"username": "partner-deletes", "password": PASSWORD})
    invite = family.api.post("/api/v1/family/invites").get_json()["code"]
    assert partner.post("/api/v1/family/join", {"code": invite}).status_code == 200
    code = partner.post(f"/api/v1/babies/{family.baby_id}/share-codes", {"label": "From partner"}).get_json()[
        "code"
    ]
    their_invite = partner.post("/api/v1/family/invites").get_json()["code"]
    assert partner.delete("/api/v1/me", {"password": PASSWORD}).status_code == 204
    assert redeem(worker, code).status_code == 404
    # A parent without a baby of their own could join a family with an invite.
    fresh = Api(app.test_client())
    fresh.post("/api/v1/signup", {"username": "no-baby-yet", "password": PASSWORD})
    assert fresh.post("/api/v1/family/join", {"code": their_invite}).status_code == 404
    assert family.api.get(f"/api/v1/babies/{family.baby_id}/entries").status_code == 200  # the diary stays


def test_a_parent_who_leaves_voids_their_codes_and_ends_their_grants(app, family, worker):
    partner = Api(app.test_client())
    partner.post("/api/v1/signup", {"username": "partner-leaves", "password": PASSWORD})
    invite = family.api.post("/api/v1/family/invites").get_json()["code"]
    assert partner.post("/api/v1/family/join", {"code": invite}).status_code == 200
    given = partner.post(
        f"/api/v1/babies/{family.baby_id}/share-codes", {"label": "From partner"}
    ).get_json()["code"]
    grant = redeem(worker, given).get_json()["grant"]["id"]
    unused = partner.post(f"/api/v1/babies/{family.baby_id}/share-codes", {"label": "Unused"}).get_json()[
        "code"
    ]
    assert post_form(partner.client, "/share/family/leave").status_code in (200, 302)
    assert worker.api.get(f"/api/v1/shared/{grant}/entries").status_code == 404
    assert redeem(worker, unused).status_code == 404
