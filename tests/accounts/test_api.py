"""Sign-up, sign-in, sessions and recovery, through the API and the pages."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, Api, post_form


def test_me_anonymous_gives_token_and_no_user(api: Api):
    body = api.get("/api/v1/me").get_json()
    assert body["user"] is None
    assert body["csrf_token"]


def test_signup_signs_in_and_returns_ten_recovery_codes(api: Api):
    response = api.post("/api/v1/signup", {"username": "Night.Owl", "password": PASSWORD})
    assert response.status_code == 201
    body = response.get_json()
    assert body["user"]["username"] == "Night.Owl"
    assert body["user"]["role"] == "parent"
    assert len(body["recovery_codes"]) == 10
    assert len(set(body["recovery_codes"])) == 10
    assert api.get("/api/v1/me").get_json()["user"]["username"] == "Night.Owl"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"username": "ab", "password": PASSWORD}, "username"),
        ({"username": "x" * 41, "password": PASSWORD}, "username"),
        ({"username": "with space", "password": PASSWORD}, "username"),
        ({"username": "ääkkönen", "password": PASSWORD}, "username"),
        ({"username": 12345, "password": PASSWORD}, "username"),
        ({"username": "okname", "password": "short"}, "password"),
        ({"username": "okname"}, "password"),
        ({"username": "okname", "password": "password123"}, "password"),
        ({"username": "okname", "password": "qwertyuiop"}, "password"),
        ({"username": "okname", "password": "okname1234"}, "password"),
    ],
)
def test_signup_bad_input_is_422_and_creates_nothing(api: Api, payload, field):
    response = api.post("/api/v1/signup", payload)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert api.get("/api/v1/me").get_json()["user"] is None


def test_usernames_are_unique_regardless_of_case(api: Api, make_family):
    make_family("Sleepy")
    response = api.post("/api/v1/signup", {"username": "sLEEPY", "password": PASSWORD})
    assert response.status_code == 422
    assert "username" in response.get_json()["error"]["fields"]


def test_login_logout(make_family, app):
    make_family("parent")
    api = Api(app.test_client())
    wrong = api.post("/api/v1/login", {"username": "parent", "password": "wrong password"})
    assert wrong.status_code == 401
    unknown = api.post("/api/v1/login", {"username": "nobody", "password": "wrong password"})
    assert unknown.get_json()["error"]["message"] == wrong.get_json()["error"]["message"]
    ok = api.post("/api/v1/login", {"username": "PARENT", "password": PASSWORD})
    assert ok.status_code == 200
    assert ok.get_json()["user"]["username"] == "parent"
    assert api.post("/api/v1/logout").status_code == 204
    assert api.get("/api/v1/me").get_json()["user"] is None


def test_login_is_throttled_per_username_even_with_the_right_password(make_family, app):
    make_family("target")
    api = Api(app.test_client())
    for _ in range(10):
        assert api.post("/api/v1/login", {"username": "target", "password": "guess guess"}).status_code == 401
    throttled = api.post("/api/v1/login", {"username": "target", "password": PASSWORD})
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert throttled.get_json()["error"]["code"] == "throttled"


def test_login_throttle_answers_the_same_for_unknown_usernames(app):
    api = Api(app.test_client())
    for _ in range(10):
        api.post("/api/v1/login", {"username": "ghost", "password": "guess guess"})
    assert api.post("/api/v1/login", {"username": "ghost", "password": "x"}).status_code == 429


def test_login_bad_body_is_400(api: Api):
    response = api.post("/api/v1/login", None, data="not json", content_type="text/plain")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"]


def test_session_is_renewed_at_login(make_family, app):
    make_family("parent")
    client = app.test_client()
    api = Api(client)
    api.get("/api/v1/me")
    before = client.get_cookie("companion_session").value
    api.post("/api/v1/login", {"username": "parent", "password": PASSWORD})
    assert client.get_cookie("companion_session").value != before


def test_recovery_code_works_once(make_family, app):
    fam = make_family("forgetful")
    code = fam.recovery_codes[0]
    client = app.test_client()
    first = post_form(
        client,
        "/recover",
        {"username": "forgetful", "code": code.upper(), "new_password": "a brand new password"},
    )
    assert first.status_code == 302
    assert client.get("/api/v1/me").get_json()["user"]["username"] == "forgetful"
    other = app.test_client()
    again = post_form(
        other,
        "/recover",
        {"username": "forgetful", "code": code, "new_password": "yet another password"},
    )
    assert again.status_code == 401
    assert (
        Api(app.test_client())
        .post("/api/v1/login", {"username": "forgetful", "password": "a brand new password"})
        .status_code
        == 200
    )
    # The old session of the parent ended when the password was reset.
    assert fam.api.get("/api/v1/me").get_json()["user"] is None


def test_recover_with_bad_input_changes_nothing(make_family, app):
    make_family("someone")
    client = app.test_client()
    short = post_form(
        client, "/recover", {"username": "someone", "code": "aaaaa-bbbbb", "new_password": "short"}
    )
    assert short.status_code == 422
    wrong = post_form(
        client,
        "/recover",
        {"username": "someone", "code": "aaaaa-bbbbb", "new_password": "long enough password"},
    )
    assert wrong.status_code == 401
    assert (
        Api(app.test_client())
        .post("/api/v1/login", {"username": "someone", "password": PASSWORD})
        .status_code
        == 200
    )


def test_regenerated_codes_void_the_old_ones(make_family, app):
    fam = make_family("renew")
    response = post_form(fam.api.client, "/account/recovery-codes", {"password": PASSWORD})
    assert response.status_code == 302
    page = fam.api.client.get("/account/recovery-codes").get_data(as_text=True)
    assert page.count("<code>") == 10
    old = fam.recovery_codes[1]
    client = app.test_client()
    assert (
        post_form(
            client,
            "/recover",
            {"username": "renew", "code": old, "new_password": "long enough password"},
        ).status_code
        == 401
    )


def test_regenerate_needs_the_password(family):
    response = post_form(family.api.client, "/account/recovery-codes", {"password": "wrong one!!"})
    assert response.status_code == 302
    page = family.api.client.get("/account/recovery-codes").get_data(as_text=True)
    assert "<code>" not in page


def test_change_password_ends_other_sessions_but_not_this_one(make_family, app):
    fam = make_family("changer")
    other = Api(app.test_client())
    other.post("/api/v1/login", {"username": "changer", "password": PASSWORD})
    response = post_form(
        fam.api.client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": "the new long password"},
    )
    assert response.status_code == 302
    assert fam.api.get("/api/v1/me").get_json()["user"]["username"] == "changer"
    assert other.get("/api/v1/me").get_json()["user"] is None


def test_change_password_bad_input(family):
    wrong = post_form(
        family.api.client,
        "/account/password",
        {"current_password": "not it at all", "new_password": "the new long password"},
    )
    assert wrong.status_code == 422
    short = post_form(
        family.api.client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": "short"},
    )
    assert short.status_code == 422
    assert family.api.get("/api/v1/me").get_json()["user"] is not None


def test_sign_out_everywhere_ends_every_session(make_family, app):
    fam = make_family("everywhere")
    other = Api(app.test_client())
    other.post("/api/v1/login", {"username": "everywhere", "password": PASSWORD})
    assert other.get("/api/v1/me").get_json()["user"] is not None
    post_form(fam.api.client, "/account/sign-out-everywhere")
    assert other.get("/api/v1/me").get_json()["user"] is None
    assert fam.api.get("/api/v1/me").get_json()["user"] is None


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_login_next_never_redirects_off_site(make_family, app, target):
    make_family("nexter")
    client = app.test_client()
    response = post_form(client, f"/login?next={target}", {"username": "nexter", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/")
    assert "evil" not in response.headers["Location"]


def test_login_next_to_a_local_page_is_followed(make_family, app):
    make_family("nexter")
    client = app.test_client()
    response = post_form(client, "/login?next=/help", {"username": "nexter", "password": PASSWORD})
    assert response.headers["Location"] == "/help"


def test_session_cookie_flags(make_family, app):
    app.config["SESSION_COOKIE_SECURE"] = True
    client = app.test_client()
    api = Api(client)
    response = client.get("/api/v1/me", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    del api


def test_guessable_password_gets_a_helpful_message(api: Api):
    response = api.post("/api/v1/signup", {"username": "someone", "password": "password123"})
    assert response.status_code == 422
    assert "easy to guess" in response.get_json()["error"]["fields"]["password"]
