"""Session lifetimes: parents stay signed in on their phone; staff time out when idle."""

from __future__ import annotations

import time

from flask import current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, logout_user

# Files that never depend on who asks: no session cookie, no Vary: Cookie, so browsers
# and the service worker can cache them for good.
COOKIELESS_ENDPOINTS = {"static", "pwa.manifest", "pwa.service_worker"}


class SessionInterface(SecureCookieSessionInterface):
    def save_session(self, app, session, response) -> None:
        if request.endpoint in COOKIELESS_ENDPOINTS:
            return
        super().save_session(app, session, response)


def start_session(user) -> None:
    """Called right after login_user: parents get a long rolling session."""
    session.permanent = user.is_parent
    session["seen"] = int(time.time())


def enforce_staff_idle_timeout() -> None:
    if request.endpoint in COOKIELESS_ENDPOINTS:
        return
    if not current_user.is_authenticated or not current_user.is_staff:
        return
    now = int(time.time())
    idle = int(current_app.config["COMPANION_STAFF_IDLE_MINUTES"]) * 60
    seen = session.get("seen")
    if seen is not None and now - int(seen) > idle:
        logout_user()
        session.clear()
        return
    # Rewrite the cookie at most once a minute: fewer racing writes from parallel requests.
    if seen is None or now - int(seen) >= 60:
        session["seen"] = now
