"""Server-side sessions: signing out really ends a session, on every app server; the
lifetimes; the list of devices; what the cookie carries; nothing private in the HTTP
cache; and the Clear-Site-Data answers a shared phone relies on."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select, update

from companion import create_app
from companion.accounts.models import UserSession
from companion.extensions import db
from companion.types import utcnow
from tests.conftest import PASSWORD, Api, post_form, settings_for_tests
from tests.share.conftest import WORKER_PASSWORD, add_staff

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
COOKIE = "companion_session"


def cookie_of(client) -> str:
    return client.get_cookie(COOKIE).value


def decoded(app, value: str) -> dict:
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    return dict(serializer.loads(value))


def replay(client, value: str) -> Api:
    """Another browser with a copy of the cookie."""
    thief = Api(client.application.test_client())
    thief.client.set_cookie(COOKIE, value)
    return thief


def session_rows(app, user_id: int | None = None) -> list[UserSession]:
    with app.app_context():
        query = select(UserSession)
        if user_id is not None:
            query = query.where(UserSession.user_id == user_id)
        return list(db.session.scalars(query))


def age_session(app, *, idle: timedelta = timedelta(0), age: timedelta = timedelta(0)) -> None:
    now = utcnow()
    with app.app_context():
        db.session.execute(update(UserSession).values(last_seen_at=now - idle, created_at=now - age))
        db.session.commit()


def me(api: Api):
    return api.get("/api/v1/me").get_json()["user"]


# -- signing out ends the session ---------------------------------------------------------


def test_a_copied_cookie_stops_working_after_sign_out_through_the_api(family):
    copied = cookie_of(family.api.client)
    response = family.api.post("/api/v1/logout")
    assert response.status_code == 204
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    thief = replay(family.api.client, copied)
    answer = thief.client.get(f"/api/v1/babies/{family.baby_id}/entries")
    assert answer.status_code == 401


def test_a_copied_cookie_stops_working_after_the_sign_out_form(family):
    copied = cookie_of(family.api.client)
    response = post_form(family.api.client, "/logout")
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    page = replay(family.api.client, copied).client.get(f"/diary/{family.baby_id}/")
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    # Answered as signed out, and told to drop what the browser cached (not its storage:
    # the phone's outbox may hold entries not yet sent).
    assert page.headers["Clear-Site-Data"] == '"cache"'


def test_signing_out_on_one_app_server_ends_the_session_on_another(app, family, tmp_path):
    """Two app processes on one database, as behind a load balancer."""
    other = create_app(
        {**settings_for_tests(tmp_path), "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    copied = cookie_of(family.api.client)
    second = other.test_client()
    second.set_cookie(COOKIE, copied)
    assert second.get("/api/v1/me").get_json()["user"]["username"] == family.username
    assert family.api.post("/api/v1/logout").status_code == 204
    assert second.get("/api/v1/me").get_json()["user"] is None
    with other.app_context():
        db.engine.dispose()


def test_the_cookie_carries_a_session_id_not_the_user(app, family):
    content = decoded(app, cookie_of(family.api.client))
    token = content["_user_id"]
    assert len(token) >= 40 and token != str(me(family.api)["id"])
    rows = session_rows(app)
    assert len(rows) == 1
    assert token not in {rows[0].token_hash}  # kept hashed only
    assert len(rows[0].token_hash) == 64


def test_an_anonymous_visitor_has_a_csrf_token_and_no_session_row(app, client):
    token = client.get("/api/v1/me").get_json()["csrf_token"]
    assert token
    assert "csrf_token" in decoded(app, cookie_of(client))
    assert session_rows(app) == []


def test_a_session_row_names_the_device_and_is_seen_at_most_every_five_minutes(app):
    api = Api(app.test_client())
    headers = {"User-Agent": ANDROID_CHROME}
    assert (
        api.post(
            "/api/v1/signup", {"username": "phoneuser", "password": PASSWORD}, headers=headers
        ).status_code
        == 201
    )
    [row] = session_rows(app)
    assert row.device == "Chrome on Android"
    seen = row.last_seen_at
    api.get("/api/v1/me")
    assert session_rows(app)[0].last_seen_at == seen  # no write for a read
    age_session(app, idle=timedelta(minutes=6), age=timedelta(minutes=6))
    api.get("/api/v1/me")
    assert utcnow() - session_rows(app)[0].last_seen_at < timedelta(seconds=5)


def test_cookie_settings_still_apply(app, family):
    app.config["SESSION_COOKIE_SECURE"] = True
    response = Api(app.test_client()).client.get("/api/v1/me", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_a_parents_cookie_outlives_the_browser_and_a_staff_cookie_does_not(app):
    api = Api(app.test_client())
    response = api.post("/api/v1/signup", {"username": "longstay", "password": PASSWORD})
    assert "Expires=" in response.headers["Set-Cookie"]
    add_staff(app, "shortstay", "worker", "Short", "org")
    login = Api(app.test_client()).post(
        "/api/v1/login", {"username": "shortstay", "password": WORKER_PASSWORD}
    )
    assert "Expires=" not in login.headers["Set-Cookie"]


# -- lifetimes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("idle", "age", "signed_in"),
    [
        (timedelta(days=89), timedelta(days=300), True),
        (timedelta(days=91), timedelta(days=100), False),  # idle 90 days
        (timedelta(days=1), timedelta(days=401), False),  # absolute 400 days
    ],
)
def test_parent_lifetimes(app, family, idle, age, signed_in):
    age_session(app, idle=idle, age=age)
    response = family.api.get("/api/v1/me")
    assert (response.get_json()["user"] is not None) == signed_in
    if not signed_in:
        assert response.headers["Clear-Site-Data"] == '"cache"'
        assert session_rows(app) == []  # the expired row is gone


@pytest.mark.parametrize(
    ("idle", "age", "signed_in"),
    [
        (timedelta(minutes=29), timedelta(hours=11), True),
        (timedelta(minutes=31), timedelta(hours=1), False),  # idle 30 minutes
        (timedelta(minutes=1), timedelta(hours=12, minutes=1), False),  # absolute 12 hours
    ],
)
def test_staff_lifetimes(app, worker, idle, age, signed_in):
    age_session(app, idle=idle, age=age)
    assert (me(worker.api) is not None) == signed_in


def test_lifetimes_are_settings(app, worker):
    app.config["COMPANION_STAFF_IDLE_MINUTES"] = 5
    age_session(app, idle=timedelta(minutes=6))
    assert me(worker.api) is None


# -- devices -------------------------------------------------------------------------------


def test_devices_are_listed_and_one_can_be_signed_out(app, family):
    other = Api(app.test_client())
    other.post(
        "/api/v1/login",
        {"username": family.username, "password": PASSWORD},
        headers={"User-Agent": ANDROID_CHROME},
    )
    listed = family.api.get("/api/v1/me/sessions").get_json()["sessions"]
    assert len(listed) == 2
    assert {row["current"] for row in listed} == {True, False}
    phone = next(row for row in listed if not row["current"])
    assert phone["device"] == "Chrome on Android"
    assert set(phone) == {"id", "device", "created_at", "last_seen_at", "current"}
    assert phone["created_at"].endswith("Z")
    page = family.api.client.get("/account")
    assert "Chrome on Android" in page.get_data(as_text=True) and "this device" in page.get_data(as_text=True)
    assert family.api.delete(f"/api/v1/me/sessions/{phone['id']}").status_code == 204
    assert me(other) is None
    assert me(family.api) is not None
    assert len(family.api.get("/api/v1/me/sessions").get_json()["sessions"]) == 1


@pytest.mark.parametrize(("lang", "sign_out"), [("fi", "Kirjaudu ulos"), ("sv", "Logga ut")])
def test_devices_are_named_in_the_page_language_and_another_device_is_not_this_device(
    app, family, lang, sign_out
):
    other = Api(app.test_client())
    other.post(
        "/api/v1/login",
        {"username": family.username, "password": PASSWORD},
        headers={"User-Agent": ANDROID_CHROME},
    )
    with app.app_context():
        user_id = db.session.scalar(
            select(UserSession.user_id).where(UserSession.device == "Chrome on Android")
        )
        db.session.add(
            UserSession(token_hash="0" * 64, user_id=user_id, device="Firefox")
        )  # an old row: one word
        db.session.commit()
    html = family.api.client.get(f"/account?lang={lang}").get_data(as_text=True)
    devices = html[html.index("data-device") : html.index("</ul>", html.index("data-device"))]
    assert "<strong>Chrome, Android</strong>" in devices and " on " not in devices
    assert "<strong>Firefox</strong>" in devices
    buttons = re.findall(r'<button class="button" type="submit">(.*?)</button>', devices, re.S)
    others = [b for b in buttons if "visually-hidden" in b]
    assert len(buttons) == 3 and len(others) == 2  # "this device" once, for this one
    assert all(b.startswith(sign_out + '<span class="visually-hidden">: ') for b in others), others
    assert any("Chrome, Android" in b for b in others) and any("Firefox" in b for b in others)


def test_another_users_device_cannot_be_signed_out(app, make_family):
    first, second = make_family(), make_family()
    theirs = second.api.get("/api/v1/me/sessions").get_json()["sessions"][0]["id"]
    assert first.api.delete(f"/api/v1/me/sessions/{theirs}").status_code == 404
    assert first.api.delete("/api/v1/me/sessions/not-a-number").status_code == 404
    assert me(second.api) is not None
    assert Api(app.test_client()).get("/api/v1/me/sessions").status_code == 401


def test_signing_out_this_device_from_the_list_clears_the_site(family):
    mine = family.api.get("/api/v1/me/sessions").get_json()["sessions"][0]
    response = family.api.delete(f"/api/v1/me/sessions/{mine['id']}")
    assert response.status_code == 204
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert me(family.api) is None


def test_account_page_signs_out_one_device_and_everywhere(app, family):
    other = Api(app.test_client())
    other.post("/api/v1/login", {"username": family.username, "password": PASSWORD})
    theirs = next(r for r in family.api.get("/api/v1/me/sessions").get_json()["sessions"] if not r["current"])
    response = post_form(family.api.client, f"/account/sessions/{theirs['id']}/end")
    assert response.status_code == 302 and me(other) is None
    third = Api(app.test_client())
    third.post("/api/v1/login", {"username": family.username, "password": PASSWORD})
    everywhere = post_form(family.api.client, "/account/sign-out-everywhere")
    assert everywhere.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert me(third) is None and me(family.api) is None
    assert session_rows(app) == []


def test_changing_the_password_keeps_this_device_only(app, family):
    other = Api(app.test_client())
    other.post("/api/v1/login", {"username": family.username, "password": PASSWORD})
    response = post_form(
        family.api.client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": "another long passphrase"},
    )
    assert response.status_code == 302
    assert me(other) is None and me(family.api) is not None


def test_account_deletion_clears_the_site(family):
    response = family.api.delete("/api/v1/me", {"password": PASSWORD})
    assert response.status_code == 204
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_a_deleted_accounts_cookie_is_answered_as_signed_out(app, family):
    copied = cookie_of(family.api.client)
    family.api.delete("/api/v1/me", {"password": PASSWORD})
    page = replay(family.api.client, copied).client.get("/guides/")
    assert page.status_code == 200
    assert page.headers["Clear-Site-Data"] == '"cache"'
    assert 'data-user=""' in page.get_data(as_text=True)


# -- nothing private in the HTTP cache ---------------------------------------------------------


def test_every_answer_to_a_signed_in_user_is_no_store_but_hashed_static_files(family):
    client = family.api.client
    for path in (
        "/",
        f"/diary/{family.baby_id}/",
        f"/diary/{family.baby_id}/entries",
        f"/diary/{family.baby_id}/rhythm",
        "/account",
        "/account/recovery-codes",
        "/guides/",
        "/help",
        "/share/",
        "/wellbeing/",
    ):
        response = client.get(path)
        assert response.headers.get("Cache-Control") == "no-store", path
    with client.get("/static/css/app.css?v=1") as hashed:
        assert "no-store" not in hashed.headers.get("Cache-Control", "")
        assert "immutable" in hashed.headers.get("Cache-Control", "")


def test_pages_say_whose_they_are_for_the_service_worker(family, client):
    page = family.api.client.get(f"/diary/{family.baby_id}/")
    assert page.headers["Companion-User"] == str(me(family.api)["id"])
    assert "Companion-User" not in client.get("/guides/").headers


# -- Argon2 never runs inside a write transaction ------------------------------------------


def test_argon2_runs_outside_any_transaction(app, monkeypatch):
    """Sign-up, sign-in, recovery and a password change hash with no transaction open, so
    no database write lock is held while Argon2 works (a burst of sign-ups once held up a
    parent's entry PUT for seconds)."""
    from companion.accounts import services

    seen: list[bool] = []
    real_hash, real_verify = services.hash_password, services._verify

    def watched(real):
        def run(*args):
            seen.append(db.session().in_transaction())
            return real(*args)

        return run

    monkeypatch.setattr(services, "hash_password", watched(real_hash))
    monkeypatch.setattr(services, "_verify", watched(real_verify))
    api = Api(app.test_client())
    response = api.post("/api/v1/signup", {"username": "nolocks", "password": PASSWORD})
    codes = response.get_json()["recovery_codes"]
    other = Api(app.test_client())
    assert other.post("/api/v1/login", {"username": "nolocks", "password": PASSWORD}).status_code == 200
    assert other.post("/api/v1/login", {"username": "nobody", "password": PASSWORD}).status_code == 401
    recovered = post_form(
        app.test_client(),
        "/recover",
        {"username": "nolocks", "code": codes[0], "new_password": "another fine passphrase"},
    )
    assert recovered.status_code == 302
    changed = post_form(
        other.client,
        "/account/password",
        {"current_password": "another fine passphrase", "new_password": "a third fine passphrase"},
    )
    assert changed.status_code in (302, 401)
    assert len(seen) >= 5
    assert not any(seen)
