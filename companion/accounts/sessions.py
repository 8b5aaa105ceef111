"""Session lifetimes: parents stay signed in on their phone; staff time out when idle."""

from __future__ import annotations

import time

from flask import current_app, session
from flask_login import current_user, logout_user


def start_session(user) -> None:
    """Called right after login_user: parents get a long rolling session."""
    session.permanent = user.is_parent
    session["seen"] = int(time.time())


def enforce_staff_idle_timeout() -> None:
    if not current_user.is_authenticated or not current_user.is_staff:
        return
    now = int(time.time())
    idle = int(current_app.config["COMPANION_STAFF_IDLE_MINUTES"]) * 60
    seen = session.get("seen")
    if seen is not None and now - int(seen) > idle:
        logout_user()
        session.clear()
        return
    session["seen"] = now
