"""Staff sign in with a password and a TOTP code (RFC 6238), enrolled at first sign-in;
until then their session can only enrol. Parents never see any of it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
from sqlalchemy import update

from companion.accounts.models import SetupLink
from companion.extensions import db
from tests.conftest import Api, form_token, post_form, totp_code
from tests.share.conftest import WORKER_PASSWORD, add_staff, make_code


def password_only(app, username: str) -> Api:
    api = Api(app.test_client())
    response = api.post("/api/v1/login", {"username": username, "password": WORKER_PASSWORD})
    assert response.status_code == 200, response.get_json()
    return api


def enrol(api: Api) -> tuple[str, list[str]]:
    started = api.post("/api/v1/me/second-factor")
    assert started.status_code == 201
    body = started.get_json()
    assert body["otpauth_uri"].startswith("otpauth://totp/")
    assert f"secret={body['secret']}" in body["otpauth_uri"]
    confirmed = api.post("/api/v1/me/second-factor/confirm", {"otp": pyotp.TOTP(body["secret"]).now()})
    assert confirmed.status_code == 200, confirmed.get_json()
    return body["secret"], confirmed.get_json()["backup_codes"]


def test_before_enrolment_a_staff_session_can_only_enrol(app, family):
    add_staff(app, "newbie", "worker", "New Worker", "org")
    api = password_only(app, "newbie")
    me = api.get("/api/v1/me").get_json()
    assert me["user"]["username"] == "newbie" and me["csrf_token"]
    for method, path, body in (
        ("get", "/api/v1/shared", None),
        ("post", "/api/v1/share/redeem", {"code": "1234 5678 9012"}),
        ("get", "/api/v1/export", None),
        ("get", "/api/v1/me/sessions", None),
    ):
        response = getattr(api, method)(path, body) if body else getattr(api, method)(path)
        assert response.status_code == 403, path
        assert response.get_json()["error"]["code"] == "second_factor_required", path
    for page in ("/worker/", "/account", "/"):
        response = api.client.get(page)
        assert response.status_code == 302 and response.headers["Location"].endswith("/account/second-factor")
    secret, codes = enrol(api)
    assert len(codes) == 10 and len(set(codes)) == 10
    # The same session is upgraded: nothing to sign in again for.
    assert api.get("/api/v1/shared").status_code == 200
    assert api.client.get("/worker/").status_code == 200


def test_an_admin_is_held_at_enrolment_too(app):
    add_staff(app, "newboss", "admin", "New Boss", None)
    api = password_only(app, "newboss")
    page = api.client.get("/admin/")
    assert page.status_code == 302 and page.headers["Location"].endswith("/account/second-factor")


def test_after_enrolment_the_code_is_required_and_counts_as_a_failure(app):
    add_staff(app, "enrolled", "worker", "Enrolled", "org")
    secret, codes = enrol(password_only(app, "enrolled"))
    api = Api(app.test_client())
    missing = api.post("/api/v1/login", {"username": "enrolled", "password": WORKER_PASSWORD})
    assert missing.status_code == 401
    assert missing.get_json()["error"]["code"] == "otp_required"
    wrong = api.post("/api/v1/login", {"username": "enrolled", "password": WORKER_PASSWORD, "otp": "000000"})
    assert wrong.get_json()["error"]["code"] == "otp_required"
    bad_password = api.post(
        "/api/v1/login", {"username": "enrolled", "password": "not it at all", "otp": "1"}
    )
    assert bad_password.get_json()["error"]["code"] == "invalid_credentials"
    assert api.get("/api/v1/me").get_json()["user"] is None
    app.config["COMPANION_LOGIN_LIMIT_USER"] = 4  # the missing and wrong codes and password counted
    third = api.post("/api/v1/login", {"username": "enrolled", "password": WORKER_PASSWORD, "otp": "111111"})
    assert third.status_code == 401
    assert api.post("/api/v1/login", {"username": "enrolled", "password": WORKER_PASSWORD}).status_code == 429


def test_a_code_works_once(app):
    add_staff(app, "once", "worker", "Once", "org")
    enrol(password_only(app, "once"))
    code = totp_code(app, "once")
    body = {"username": "once", "password": WORKER_PASSWORD, "otp": code}
    assert Api(app.test_client()).post("/api/v1/login", body).status_code == 200
    again = Api(app.test_client()).post("/api/v1/login", body)
    assert again.status_code == 401 and again.get_json()["error"]["code"] == "otp_required"


def test_a_backup_code_works_once(app):
    add_staff(app, "backup", "worker", "Backup", "org")
    _secret, codes = enrol(password_only(app, "backup"))
    body = {"username": "backup", "password": WORKER_PASSWORD, "otp": codes[3].upper()}
    assert Api(app.test_client()).post("/api/v1/login", body).status_code == 200
    assert Api(app.test_client()).post("/api/v1/login", body).status_code == 401


def test_enrolment_answers(app, family):
    add_staff(app, "answers", "worker", "Answers", "org")
    api = password_only(app, "answers")
    assert api.post("/api/v1/me/second-factor/confirm", {"otp": "123456"}).status_code == 409  # not started
    api.post("/api/v1/me/second-factor")
    wrong = api.post("/api/v1/me/second-factor/confirm", {"otp": "12ab"})
    assert wrong.status_code == 422 and "otp" in wrong.get_json()["error"]["fields"]
    assert api.get("/api/v1/shared").status_code == 403
    enrol(api)
    assert api.post("/api/v1/me/second-factor").status_code == 409  # set up already
    # Parents have no second factor.
    assert family.api.post("/api/v1/me/second-factor").status_code == 403
    assert family.api.post("/api/v1/me/second-factor/confirm", {"otp": "123456"}).status_code == 403
    assert Api(app.test_client()).post("/api/v1/me/second-factor").status_code == 401


def test_optional_second_factor_lets_staff_in_with_a_password(app):
    app.config["COMPANION_STAFF_SECOND_FACTOR"] = "optional"
    add_staff(app, "demoworker", "worker", "Demo", "org")
    api = password_only(app, "demoworker")
    assert api.get("/api/v1/shared").status_code == 200


def test_a_new_staff_role_gets_everything_by_joining_the_staff_set(app, monkeypatch):
    """Staff checks go through User.is_staff and one set of roles (accounts.models)."""
    from companion.accounts import models

    monkeypatch.setattr(models, "STAFF_ROLES", models.STAFF_ROLES | {"helper"})
    user_id = add_staff(app, "helperx", "admin", "Helper", None)
    with app.app_context():
        db.session.execute(update(models.User).where(models.User.id == user_id).values(role="helper"))
        db.session.commit()
    api = password_only(app, "helperx")
    assert api.get("/api/v1/export").get_json()["error"]["code"] == "second_factor_required"
    assert "Expires=" not in api.client.get("/api/v1/me").headers.get("Set-Cookie", "")


def test_the_enrolment_page_shows_a_qr_code_and_backup_codes_once(app):
    add_staff(app, "pageuser", "worker", "Page User", "org")
    client = app.test_client()
    signed = client.post(
        "/login", data={"csrf_token": form_token(client), "username": "pageuser", "password": WORKER_PASSWORD}
    )
    assert signed.headers["Location"].endswith("/account/second-factor")
    page = client.get("/account/second-factor")
    html = page.get_data(as_text=True)
    assert "<svg" in html and "<script>" not in html
    secret = re.search(r"data-totp-secret>([^<]+)<", html).group(1).replace(" ", "")
    wrong = post_form(client, "/account/second-factor", {"otp": "000000"})
    assert wrong.status_code == 422 and "Type the 6-digit code" in wrong.get_data(as_text=True)
    right = post_form(client, "/account/second-factor", {"otp": pyotp.TOTP(secret).now()})
    assert right.status_code == 302
    shown = client.get("/account/second-factor").get_data(as_text=True)
    assert shown.count("<code>") == 10
    assert client.get("/account/second-factor").get_data(as_text=True).count("<code>") == 0
    assert client.get("/worker/").status_code == 200


def test_the_sign_in_page_asks_for_the_code_in_a_second_step(app):
    add_staff(app, "twostep", "worker", "Two Step", "org")
    enrol(password_only(app, "twostep"))
    client = app.test_client()
    first = post_form(client, "/login", {"username": "twostep", "password": WORKER_PASSWORD})
    assert first.status_code == 401
    html = first.get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in html and "authenticator app" in html
    second = post_form(
        client,
        "/login",
        {"username": "twostep", "password": WORKER_PASSWORD, "otp": totp_code(app, "twostep")},
    )
    assert second.status_code == 302 and second.headers["Location"] == "/worker/"


def test_a_setup_link_expires_after_a_day(app, admin, worker):
    from tests.conftest import setup_link_in

    link = setup_link_in(post_form(admin.api.client, f"/admin/workers/{worker.id}/setup-link"))
    assert app.test_client().get(link).status_code == 200
    with app.app_context():
        later = datetime.now(UTC) - timedelta(seconds=1)
        db.session.execute(update(SetupLink).values(expires_at=later))
        db.session.commit()
    assert app.test_client().get(link).status_code == 404
    refused = app.test_client().post(link, data={"new_password": "whatever long enough"})
    assert refused.status_code in (400, 404)


def test_a_setup_link_in_two_tabs_sets_the_password_once(app, admin, worker):
    from tests.conftest import setup_link_in

    link = setup_link_in(post_form(admin.api.client, f"/admin/workers/{worker.id}/setup-link"))
    first, second = app.test_client(), app.test_client()
    assert first.get(link).status_code == 200 and second.get(link).status_code == 200
    token_a, token_b = form_token(first), form_token(second)
    done = first.post(link, data={"csrf_token": token_a, "new_password": "first choice of words"})
    late = second.post(link, data={"csrf_token": token_b, "new_password": "second choice of words"})
    assert done.status_code == 302 and late.status_code == 404
    ok = Api(app.test_client()).post(
        "/api/v1/login", {"username": worker.username, "password": "first choice of words"}
    )
    assert ok.status_code == 200


def test_a_share_code_redeemed_after_enrolment(app, family):
    add_staff(app, "redeemer", "worker", "Redeemer", "org")
    api = password_only(app, "redeemer")
    code = make_code(family)
    assert api.post("/api/v1/share/redeem", {"code": code}).status_code == 403
    enrol(api)
    assert api.post("/api/v1/share/redeem", {"code": code}).status_code == 201


def test_the_command_line_makes_a_setup_link_for_a_locked_out_admin(app, admin):
    from tests.conftest import follow_setup_link

    result = app.test_cli_runner().invoke(
        args=["setup-link", admin.username, "--base-url", "https://x.example"]
    )
    assert result.exit_code == 0, result.output
    link = result.output.strip().removeprefix("https://x.example")
    assert link.startswith("/setup/")
    assert admin.api.get("/api/v1/me").get_json()["user"] is None  # signed out everywhere
    follow_setup_link(app, link, "the boss's new passphrase")
    refused = app.test_cli_runner().invoke(args=["setup-link", "no-such-user"])
    assert refused.exit_code != 0 and "henkilökunnan tiliä" in refused.output  # the CLI speaks Finnish
