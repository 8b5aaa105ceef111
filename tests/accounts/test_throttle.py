"""Throttles are atomic: a burst of failures across processes and threads never gets more
tries than the limit (on SQLite and, under scripts/with-postgres, PostgreSQL); only
failures count; sign-up is limited per address; account deletion uses the sign-in limits."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from companion import create_app, throttle
from companion.extensions import db
from tests.conftest import PASSWORD, Api, post_form, settings_for_tests
from tests.share.conftest import make_code

BURST = 12


def second_app(app):
    settings = {
        **settings_for_tests(Path(app.instance_path)),
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
    }
    return create_app(settings)


def burst(apps, send) -> list[int]:
    """BURST requests at once, spread over the app instances, each from its own thread."""
    barrier = threading.Barrier(BURST)
    results: list[int] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        client = apps[index % len(apps)].test_client()
        token = client.get("/api/v1/me").get_json()["csrf_token"]
        barrier.wait()
        status = send(client, token, index)
        with lock:
            results.append(status)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(BURST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("limit", [5, 10])
def test_a_burst_of_wrong_passwords_gets_at_most_the_limit(app, family, monkeypatch, limit):
    from companion.accounts import services

    app.config["COMPANION_LOGIN_LIMIT_USER"] = limit
    other = second_app(app)
    other.config["COMPANION_LOGIN_LIMIT_USER"] = limit
    checks: list[int] = []
    real = services._verify
    monkeypatch.setattr(services, "_verify", lambda s, p: checks.append(1) or real(s, p))

    def send(client, token, index):
        body = {"username": family.username, "password": f"wrong guess {index}"}
        return client.post("/api/v1/login", json=body, headers={"X-CSRFToken": token}).status_code

    results = burst([app, other], send)
    assert results.count(401) == limit
    assert results.count(429) == BURST - limit
    assert len(checks) == limit  # the passwords actually tried
    with other.app_context():
        db.engine.dispose()


def test_a_burst_of_wrong_codes_gets_at_most_the_limit(app, family, worker):
    """Five per worker: twelve parallel wrong codes from one worker's session."""
    other = second_app(app)
    cookie = worker.api.client.get_cookie("companion_session").value

    def send(client, token, index):
        client.set_cookie("companion_session", cookie)
        token = client.get("/api/v1/me").get_json()["csrf_token"]
        body = {"code": f"9999 9999 99{index:02d}"}
        return client.post("/api/v1/share/redeem", json=body, headers={"X-CSRFToken": token}).status_code

    results = burst([app, other], send)
    assert results.count(404) == 5 and results.count(429) == BURST - 5
    with other.app_context():
        db.engine.dispose()


def test_only_failures_count(app, family):
    app.config["COMPANION_LOGIN_LIMIT_USER"] = 2
    for _ in range(5):
        api = Api(app.test_client())
        assert (
            api.post("/api/v1/login", {"username": family.username, "password": PASSWORD}).status_code == 200
        )
    api = Api(app.test_client())
    assert (
        api.post("/api/v1/login", {"username": family.username, "password": "nope nope"}).status_code == 401
    )
    assert api.post("/api/v1/login", {"username": family.username, "password": PASSWORD}).status_code == 200


def test_a_right_code_gives_its_try_back(app, family, worker):
    app.config["COMPANION_CODE_LIMIT_USER"] = 2
    for _ in range(3):
        assert worker.api.post("/api/v1/share/redeem", {"code": make_code(family)}).status_code == 201


def test_the_window_starts_again_after_it_ends(app):
    with app.app_context():
        limit = throttle.Limit("test:bucket", 2, timedelta(minutes=15))
        assert throttle.take([limit]) is None
        assert throttle.take([limit]) is None
        wait = throttle.take([limit])
        assert wait is not None and 14 * 60 <= wait <= 15 * 60 + 1
        assert throttle.retry_after(limit) == pytest.approx(wait, abs=2)
        from sqlalchemy import update

        db.session.execute(
            update(throttle.ThrottleCounter).values(started_at=throttle.utcnow() - timedelta(minutes=16))
        )
        db.session.commit()
        assert throttle.retry_after(limit) is None
        assert throttle.take([limit]) is None


def test_sign_up_is_limited_per_address(app):
    app.config["COMPANION_SIGNUP_LIMIT"] = 3
    for number in range(3):
        api = Api(app.test_client())
        assert (
            api.post("/api/v1/signup", {"username": f"many{number}", "password": PASSWORD}).status_code == 201
        )
    api = Api(app.test_client())
    refused = api.post("/api/v1/signup", {"username": "many9", "password": PASSWORD})
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 3601
    page = post_form(app.test_client(), "/signup", {"username": "many8", "password": PASSWORD})
    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0
    other_address = Api(app.test_client())
    made = other_address.post(
        "/api/v1/signup",
        {"username": "elsewhere", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert made.status_code == 201


def test_the_default_sign_up_limit_fits_a_mobile_network():
    from companion.config import DEFAULTS

    assert DEFAULTS["COMPANION_SIGNUP_LIMIT"] == 30


def test_deleting_an_account_uses_the_sign_in_limits(app, family):
    app.config["COMPANION_LOGIN_LIMIT_USER"] = 3
    for _ in range(3):
        assert family.api.delete("/api/v1/me", {"password": "wrong wrong"}).status_code == 422
    blocked = family.api.delete("/api/v1/me", {"password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    page = post_form(family.api.client, "/account/delete", {"confirm": "y", "password": PASSWORD})
    assert page.status_code == 429 and page.headers["Retry-After"]
    assert family.api.get("/api/v1/me").get_json()["user"] is not None  # nothing deleted


def test_the_html_429_carries_retry_after(app, family):
    app.config["COMPANION_LOGIN_LIMIT_USER"] = 1
    client = app.test_client()
    post_form(client, "/login", {"username": family.username, "password": "wrong wrong"})
    page = post_form(client, "/login", {"username": family.username, "password": PASSWORD})
    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0
    assert "Too many sign-in attempts" in page.get_data(as_text=True)
