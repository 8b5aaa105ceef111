"""Server-side sessions: one row per signed-in device, the signed cookie carries its token.

The cookie is still Flask's session cookie (its name and the ``SESSION_COOKIE_*``
settings apply). Signed in, it holds Flask-Login's ``_user_id``, whose value is a random
token naming a row in ``user_sessions`` (only the token's SHA-256 is kept there); an
anonymous visitor's CSRF token lives in the same cookie with no database row. Signing out
deletes the row, so a copied cookie stops working at once on every app server.

Lifetimes are the server's: an idle and an absolute limit per kind of account (parents
90 days / 400 days, staff 30 minutes / 12 hours by default). ``last_seen_at`` is written
at most every few minutes, so that reading pages stays cheap.

A request whose cookie names a session the server no longer accepts (signed out
elsewhere, expired, deleted account) is answered as signed out with
``Clear-Site-Data: "cache"``: the page script then drops every private page the service
worker kept, while unsent diary entries stay for their owner.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import datetime, timedelta
from functools import cache

from flask import current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import Select, bindparam, delete, select, update
from sqlalchemy.orm import joinedload

from companion.accounts.models import User, UserSession
from companion.extensions import db
from companion.types import utcnow

# Files that never depend on who asks: no session cookie, no Vary: Cookie, so browsers
# and the service worker can cache them for good.
COOKIELESS_ENDPOINTS = {"static", "pwa.manifest", "pwa.service_worker"}
#: What the sign-out answers send (after the page offered to send unsent entries).
CLEAR_EVERYTHING = '"cache", "storage"'
CLEAR_CACHE = '"cache"'
#: The header that tells the service worker whose page this is (absent: nobody's).
USER_HEADER = "Companion-User"


class SessionInterface(SecureCookieSessionInterface):
    def save_session(self, app, session, response) -> None:
        if request.endpoint in COOKIELESS_ENDPOINTS:
            return
        super().save_session(app, session, response)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def lifetimes(user: User) -> tuple[timedelta, timedelta]:
    """(idle, absolute) for this kind of account, from the settings."""
    cfg = current_app.config
    if user.is_staff:
        return (
            timedelta(minutes=float(cfg["COMPANION_STAFF_IDLE_MINUTES"])),
            timedelta(hours=float(cfg["COMPANION_STAFF_ABSOLUTE_HOURS"])),
        )
    return (
        timedelta(days=float(cfg["COMPANION_PARENT_IDLE_DAYS"])),
        timedelta(days=float(cfg["COMPANION_PARENT_ABSOLUTE_DAYS"])),
    )


def _expired(row: UserSession, user: User, now: datetime) -> bool:
    idle, absolute = lifetimes(user)
    return not user.active or now - row.last_seen_at > idle or now - row.created_at > absolute


# -- browsers and their names ------------------------------------------------------------

#: The words a device is known by and the patterns that find them in a User-Agent, one
#: per line; the first browser and the first system that match count (Edge and Opera
#: also say "Chrome", Chrome also says "Safari", and Android also says "Linux").
_BROWSERS = """
Edge: Edg(e|A|iOS)?/
Samsung Internet: SamsungBrowser/
Opera: OPR/|Opera
Firefox: Firefox/|FxiOS/
Chrome: Chrome/|CriOS/|Chromium/
Safari: Safari/
"""
_SYSTEMS = """
Android: Android
iPhone: iPhone
iPad: iPad
ChromeOS: CrOS
Windows: Windows
macOS: Macintosh|Mac OS X
Linux: Linux|X11
"""


def _patterns(table: str) -> list[tuple[str, re.Pattern]]:
    return [
        (name, re.compile(pattern))
        for name, pattern in (line.split(": ", 1) for line in table.split("\n") if line)
    ]


_BROWSER_PATTERNS, _SYSTEM_PATTERNS = _patterns(_BROWSERS), _patterns(_SYSTEMS)


def describe_device(user_agent: str | None) -> str:
    """A short name people recognise, such as "Chrome on Android" (empty when unknown).

    Only these few words are kept: the User-Agent itself is never stored.
    """
    text = user_agent or ""
    browser = next((name for name, pattern in _BROWSER_PATTERNS if pattern.search(text)), "")
    system = next((name for name, pattern in _SYSTEM_PATTERNS if pattern.search(text)), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system


def device_name(stored: str | None) -> str:
    """A stored device name in the reader's language: "Chrome on Linux" was kept at sign-in
    (the API's words); a page says "Chrome, Linux" or its translation ("" when unknown)."""
    browser, on, system = (stored or "").partition(" on ")
    if not on:
        return stored or ""
    return _("%(browser)s on %(system)s", browser=browser, system=system)


# -- signing in and out --------------------------------------------------------------------


def sign_in(user: User, second_factor_ok: bool = True) -> UserSession:
    """A new session row and a fresh cookie (no fixation), with the role's lifetime."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    earlier = g.get("user_session_id")
    if earlier is not None:  # someone signs in over another session on this device
        db.session.execute(delete(UserSession).where(UserSession.id == earlier))
    row = UserSession(
        token_hash=token_hash(token),
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        device=describe_device(request.user_agent.string)[:60],
        second_factor_ok=second_factor_ok,
    )
    db.session.add(row)
    db.session.commit()
    session.clear()
    user.session_token = token
    login_user(user)
    # Parents keep their cookie across browser restarts (the server ends it when idle or
    # old); staff cookies end with the browser.
    session.permanent = not user.is_staff
    g.user_session, g.user_session_id = row, row.id
    return row


def current_session() -> UserSession | None:
    return g.get("user_session")


def sign_out(clear_site: bool = True) -> None:
    """End this device's session: its row goes, so a copy of the cookie is worthless."""
    row_id = g.get("user_session_id")
    if row_id is not None:
        db.session.execute(delete(UserSession).where(UserSession.id == row_id))
        db.session.commit()
    logout_user()
    session.clear()
    g.user_session = g.user_session_id = None
    if clear_site:
        g.clear_site_data = CLEAR_EVERYTHING


def end_sessions(user_id: int, keep: UserSession | None = None) -> None:
    """Every session of the user ends (but ``keep``); the caller commits."""
    query = delete(UserSession).where(UserSession.user_id == user_id)
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    db.session.execute(query.execution_options(synchronize_session=False))


def upgrade_current_session() -> None:
    """The second factor was confirmed in this session: it may now do everything."""
    row = current_session()
    if row is not None:
        db.session.execute(update(UserSession).where(UserSession.id == row.id).values(second_factor_ok=True))
        db.session.commit()
        row.second_factor_ok = True


def needs_second_factor() -> bool:
    """A staff session signed in with the password alone: it may only enrol."""
    if not current_user.is_authenticated or not current_user.is_staff:
        return False
    row = current_session()
    return row is not None and not row.second_factor_ok


# -- codes shown once --------------------------------------------------------------------


def keep_for_showing(kind: str, value: str) -> None:
    """Keep a fresh code on the server, in this device's session row, until shown once."""
    row = current_session()
    if row is None:
        return
    pending = json.loads(row.pending or "{}")
    pending[kind] = value
    row.pending = json.dumps(pending)
    db.session.execute(update(UserSession).where(UserSession.id == row.id).values(pending=row.pending))
    db.session.commit()


def take_for_showing(kind: str) -> str | None:
    """The fresh code kept for this session, removed as it is read (shown once)."""
    row = current_session()
    if row is None or not row.pending:
        return None
    pending = json.loads(row.pending)
    value = pending.pop(kind, None)
    if value is None:
        return None
    row.pending = json.dumps(pending) if pending else None
    db.session.execute(update(UserSession).where(UserSession.id == row.id).values(pending=row.pending))
    db.session.commit()
    return value


# -- the loader and the hooks --------------------------------------------------------------


@cache
def _session_query() -> Select:
    """Built once: every signed-in request runs it."""
    return (
        select(UserSession)
        .options(joinedload(UserSession.user))
        .where(UserSession.token_hash == bindparam("token_hash"))
    )


def load_session_user(token: str) -> User | None:
    """Flask-Login's user loader: the user behind a session token, if the session lives."""
    row = db.session.scalar(_session_query(), {"token_hash": token_hash(token)})
    now = utcnow()
    if row is None or _expired(row, row.user, now):
        if row is not None:
            db.session.execute(delete(UserSession).where(UserSession.id == row.id))
            db.session.commit()
        g.session_rejected = True
        session.clear()
        return None
    touch = timedelta(minutes=float(current_app.config["COMPANION_SESSION_TOUCH_MINUTES"]))
    if now - row.last_seen_at >= touch:
        db.session.execute(update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now))
        db.session.commit()
        row.last_seen_at = now
    user = row.user
    user.session_token = token
    g.user_session, g.user_session_id = row, row.id
    return user


def load_session() -> None:
    """Before every request: load the session now, so that its small writes (last seen,
    an expired row removed) are committed before the view starts its own work."""
    if request.endpoint in COOKIELESS_ENDPOINTS:
        return
    current_user._get_current_object()


def session_headers(response):
    """After every request: nothing private in the HTTP cache, the sign-out's
    Clear-Site-Data, and whose page this is for the service worker."""
    if request.endpoint == "static" and request.args.get("v"):
        return response  # a hashed file: the same for everyone, cached for a year
    if request.endpoint in COOKIELESS_ENDPOINTS:
        return response
    clear = g.get("clear_site_data") or (CLEAR_CACHE if g.get("session_rejected") else None)
    if clear:
        response.headers["Clear-Site-Data"] = clear
    signed_in = current_user.is_authenticated
    if signed_in or clear or request.cookies.get(current_app.config["SESSION_COOKIE_NAME"]):
        response.headers["Cache-Control"] = "no-store"
    if signed_in:
        response.headers[USER_HEADER] = str(current_user.id)
    return response
