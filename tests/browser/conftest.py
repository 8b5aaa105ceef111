"""A live server and Debian's Chromium driven by Playwright, for real-browser tests."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from companion import create_app
from companion.extensions import db
from tests.conftest import FAST_HASH

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"{CHROMIUM} is missing: browser tests cannot run in CI")
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (make test installs it)")
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(skip)


class LiveServer(str):
    """The server's base URL; `.app` is the app it serves (for setting up data)."""

    app = None


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/live.sqlite",
            "SESSION_COOKIE_SECURE": False,
            "COMPANION_QUICK_EXIT_URL": "about:blank",
            **FAST_HASH,
        }
    )
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = LiveServer(f"http://127.0.0.1:{server.server_port}")
    url.app = app
    yield url
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def watched(context, ignore: str | None = None):
    """A new page of a phone (``context``) that collects its script errors in
    ``page.js_errors`` (console errors holding ``ignore`` left out)."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text) if msg.type == "error" and not (ignore and ignore in msg.text) else None
        ),
    )
    page.js_errors = errors
    return page


def call(context, base: str, method: str, path: str, body: dict | None = None):
    """The JSON API as a phone (``context``, with its cookies) calls it, CSRF token included."""
    token = context.request.get(base + "/api/v1/me").json()["csrf_token"]
    return context.request.fetch(
        base + path,
        method=method,
        data=json.dumps(body) if body is not None else None,
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
    )


def staff_login(context, base: str, name: str, password: str) -> None:
    """A staff member signs in and enrols the second factor (a real TOTP code)."""
    import pyotp

    assert call(context, base, "POST", "/api/v1/login", {"username": name, "password": password}).ok
    secret = call(context, base, "POST", "/api/v1/me/second-factor").json()["secret"]
    confirmed = call(
        context, base, "POST", "/api/v1/me/second-factor/confirm", {"otp": pyotp.TOTP(secret).now()}
    )
    assert confirmed.ok, confirmed.text()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-GB", color_scheme="dark")
    yield watched(context)
    context.close()
