"""Shared fixtures: a fresh app and database per test, clients that speak the API with
CSRF tokens the way the offline client does, and factories for parents and babies."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings

from companion import create_app
from companion.extensions import db

# CI's runs are repeatable (the same examples every time); a developer's runs keep
# looking for new ones.
settings.register_profile("ci", derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

FAST_HASH = {
    "COMPANION_ARGON2_TIME_COST": 1,
    "COMPANION_ARGON2_MEMORY_COST": 8,
    "COMPANION_ARGON2_PARALLELISM": 1,
}


def settings_for_tests(tmp_path) -> dict[str, Any]:
    url = os.environ.get("COMPANION_TEST_DATABASE_URL") or f"sqlite:///{tmp_path}/test.sqlite"
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "SESSION_COOKIE_SECURE": False,
        **FAST_HASH,
    }


class EnglishClient(FlaskClient):
    """Tests read English unless they ask for another language (Finnish is the default)."""

    def open(self, *args, **kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault("Accept-Language", "en")
        return super().open(*args, headers=headers, **kwargs)


@pytest.fixture
def app(tmp_path) -> Iterator[Flask]:
    app = create_app(settings_for_tests(tmp_path))
    app.test_client_class = EnglishClient
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


class Api:
    """A test client that sends JSON and the X-CSRFToken header, like the real client."""

    def __init__(self, client: FlaskClient):
        self.client = client
        self._token: str | None = None

    def token(self, refresh: bool = False) -> str:
        if self._token is None or refresh:
            self._token = self.client.get("/api/v1/me").get_json()["csrf_token"]
        return self._token

    def _send(self, method: str, path: str, json: Any = None, headers: dict | None = None, **kw):
        all_headers = {"X-CSRFToken": self.token(), **(headers or {})}
        return self.client.open(path, method=method, json=json, headers=all_headers, **kw)

    def get(self, path: str, **kw):
        return self.client.get(path, **kw)

    def post(self, path: str, json: Any = None, **kw):
        response = self._send("POST", path, json, **kw)
        if path.endswith(("/login", "/signup", "/logout")):
            self._token = None  # a new session at sign-in means a new token
        return response

    def put(self, path: str, json: Any = None, **kw):
        return self._send("PUT", path, json, **kw)

    def delete(self, path: str, json: Any = None, **kw):
        return self._send("DELETE", path, json, **kw)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def api(client: FlaskClient) -> Api:
    return Api(client)


def form_token(client: FlaskClient) -> str:
    return client.get("/api/v1/me").get_json()["csrf_token"]


def post_form(client: FlaskClient, path: str, data: dict | None = None, **kw):
    """Post a page form with its CSRF token, as a browser would."""
    return client.post(path, data={"csrf_token": form_token(client), **(data or {})}, **kw)


class Family:
    def __init__(self, api: Api, username: str, baby_id: int, codes: list[str]):
        self.api = api
        self.username = username
        self.baby_id = baby_id
        self.recovery_codes = codes

    def entry_url(self, entry_id: str, baby_id: int | None = None) -> str:
        return f"/api/v1/babies/{baby_id or self.baby_id}/entries/{entry_id}"


PASSWORD = "correct horse battery"


@pytest.fixture
def make_family(app: Flask):
    """A parent signed in through the real API, with one baby, in its own client."""
    counter = iter(range(1, 1000))

    def make(username: str | None = None, baby: str = "Aino", **baby_fields) -> Family:
        name = username or f"parent{next(counter)}"
        api = Api(app.test_client())
        response = api.post("/api/v1/signup", {"username": name, "password": PASSWORD})
        assert response.status_code == 201, response.get_json()
        codes = response.get_json()["recovery_codes"]
        made = api.post("/api/v1/babies", {"name": baby, **baby_fields})
        assert made.status_code == 201, made.get_json()
        return Family(api, name, made.get_json()["baby"]["id"], codes)

    return make


@pytest.fixture
def family(make_family) -> Family:
    return make_family("aino-parent")


#: Backup codes of the staff enrolled by staff_sign_in, per app and username.
_BACKUP_CODES: dict[tuple[int, str], list[str]] = {}


def totp_code(app: Flask, username: str) -> str | None:
    """A code the server accepts now for this staff member: the next time step it has not
    seen yet (within its one step of drift), or None when this window's are used up."""
    from datetime import UTC, datetime

    import pyotp

    from companion.accounts.services import find_user

    with app.app_context():
        user = find_user(username)
        assert user is not None and user.totp_secret
        totp = pyotp.TOTP(user.totp_secret)
        now = totp.timecode(datetime.now(UTC))
        step = max(now - 1, (user.totp_last_step or 0) + 1)
        return totp.generate_otp(step) if step <= now + 1 else None


def staff_sign_in(app: Flask, username: str, password: str) -> Api:
    """Sign a staff member in as a client would: with a code from the authenticator app,
    or, the first time, enrolling one (with a real TOTP code made by pyotp)."""
    import pyotp

    from companion.accounts.services import find_user

    with app.app_context():
        enrolled = find_user(username).has_second_factor  # type: ignore[union-attr]
    api = Api(app.test_client())
    body = {"username": username, "password": password}
    if enrolled:
        body["otp"] = totp_code(app, username) or _BACKUP_CODES[(id(app), username)].pop()
    response = api.post("/api/v1/login", body)
    assert response.status_code == 200, response.get_json()
    if not enrolled:
        started = api.post("/api/v1/me/second-factor")
        assert started.status_code == 201, started.get_json()
        code = pyotp.TOTP(started.get_json()["secret"]).now()
        confirmed = api.post("/api/v1/me/second-factor/confirm", {"otp": code})
        assert confirmed.status_code == 200, confirmed.get_json()
        _BACKUP_CODES[(id(app), username)] = confirmed.get_json()["backup_codes"]
    return api


def setup_link_in(response) -> str:
    """The set-up link an admin page shows once (its path)."""
    found = re.search(r"data-setup-link>https?://[^/]+(/setup/[^<\s]+)<", response.get_data(as_text=True))
    assert found, "no set-up link on the page"
    return found.group(1)


def follow_setup_link(app: Flask, link: str, password: str) -> None:
    """The staff member opens the link and chooses a password (the second factor follows
    at the next sign-in)."""
    client = app.test_client()
    assert client.get(link).status_code == 200
    done = client.post(link, data={"csrf_token": form_token(client), "new_password": password})
    assert done.status_code == 302, done.get_data(as_text=True)


def text_of(response) -> str:
    """The visible text of an HTML response, tags removed (for assertions on wording)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
