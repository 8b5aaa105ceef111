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

from companion import create_app
from companion.extensions import db

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


def text_of(response) -> str:
    """The visible text of an HTML response, tags removed (for assertions on wording)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
