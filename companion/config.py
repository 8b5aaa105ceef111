"""Default settings. Secrets and URLs come from the environment.

``DATABASE_URL`` and ``SECRET_KEY`` are read by name, ``COMPANION_<NAME>`` sets any of
the app's own settings below, and ``FLASK_<NAME>`` any Flask setting.
"""

import json
import os
from datetime import timedelta

DEFAULTS: dict[str, object] = {
    # Sessions live on the server (accounts.sessions): the cookie carries a random token.
    # Idle and absolute lifetimes per kind of account; the cookie of a parent lasts as long
    # as the absolute lifetime, a staff member's ends with the browser.
    "COMPANION_PARENT_IDLE_DAYS": 90,
    "COMPANION_PARENT_ABSOLUTE_DAYS": 400,
    "COMPANION_STAFF_IDLE_MINUTES": 30,
    "COMPANION_STAFF_ABSOLUTE_HOURS": 12,
    # last_seen of a session is written at most this often (reads stay cheap).
    "COMPANION_SESSION_TOUCH_MINUTES": 5,
    "PERMANENT_SESSION_LIFETIME": timedelta(days=400),
    "SESSION_REFRESH_EACH_REQUEST": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_NAME": "companion_session",
    # Staff sign in with a password and a TOTP code: "required", or "optional" (a demo).
    "COMPANION_STAFF_SECOND_FACTOR": "required",
    "COMPANION_TOTP_ISSUER": "Baby diary",
    # CSRF tokens live as long as the session: a page left open at night must still post.
    "WTF_CSRF_TIME_LIMIT": None,
    "WTF_CSRF_SSL_STRICT": True,
    # Argon2id cost (RFC 9106 second recommended option); tests lower it.
    "COMPANION_ARGON2_TIME_COST": 3,
    "COMPANION_ARGON2_MEMORY_COST": 65536,
    "COMPANION_ARGON2_PARALLELISM": 4,
    # Sign-in throttling (per username / per address, per window).
    "COMPANION_LOGIN_LIMIT_USER": 10,
    "COMPANION_LOGIN_LIMIT_ADDRESS": 50,
    "COMPANION_LOGIN_WINDOW_MINUTES": 15,
    # Sign-ups per address an hour (mobile networks put many phones behind one address).
    "COMPANION_SIGNUP_LIMIT": 30,
    # Share code and invite failures: per account (15 minutes, day) and per address; the
    # site-wide count only logs a warning when it is reached, it never refuses anyone.
    "COMPANION_CODE_LIMIT_USER": 5,
    "COMPANION_CODE_LIMIT_USER_DAY": 20,
    "COMPANION_CODE_LIMIT_ADDRESS": 50,
    "COMPANION_CODE_SURGE_WARNING": 100,
    # Request bodies larger than this are refused with 413 (forms and JSON alike).
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "MAX_FORM_MEMORY_SIZE": 64 * 1024,
    "COMPANION_DEFAULT_TIMEZONE": "Europe/Helsinki",
    # Retention, as the privacy page says; `flask --app companion prune` applies it.
    "COMPANION_RETENTION_CODES_DAYS": 7,
    "COMPANION_RETENTION_GRANTS_DAYS": 90,
    "COMPANION_RETENTION_AUDIT_DAYS": 365,
    "COMPANION_RETENTION_TOMBSTONE_DAYS": 90,
    "COMPANION_RETENTION_THROTTLE_DAYS": 2,
    # Feedback keys go as soon as their 7 days are over (they carry their own end).
    "COMPANION_RETENTION_FEEDBACK_KEYS_DAYS": 0,
    # Statistics: months that may still move with time are worked out again when older.
    "COMPANION_STATS_REFRESH_MINUTES": 60,
    # A contact request's details (name, phone, email, message, note) after it is closed.
    "COMPANION_RETENTION_CONTACT_DAYS": 30,
    "COMPANION_RETENTION_CONTACT_OPEN_DAYS": 180,
    # Contact requests: per sending address an hour, and per organisation a day.
    "COMPANION_CONTACT_LIMIT_ADDRESS": 5,
    "COMPANION_CONTACT_LIMIT_ORGANISATION": 100,
    # The largest contact request or organisation page accepted, in bytes (413 above).
    "COMPANION_DIRECTORY_MAX_BODY": 16384,
    # Rendered rhythm periods kept per server process (0 turns the cache off).
    "COMPANION_RHYTHM_CACHE_SIZE": 32,
    # Worked-out weeks of rhythm kept per server process (a year is 53; about 9 KB each).
    "COMPANION_RHYTHM_WEEK_CACHE_SIZE": 1024,
    "COMPANION_QUICK_EXIT_URL": "https://yle.fi/saa",
    "BABEL_DEFAULT_LOCALE": "fi",
    "BABEL_TRANSLATION_DIRECTORIES": "translations",
    "LANGUAGES": ("fi", "sv", "en"),
    # Parameters (notes, settings) never appear in logged errors.
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "text/plain",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "image/svg+xml",
    ],
    "COMPRESS_MIN_SIZE": 500,
    # Static files are compressed once at build time (companion.assets), not per request.
    "COMPRESS_STREAMS": False,
    "COMPRESS_BR_LEVEL": 5,
    "SEND_FILE_MAX_AGE_DEFAULT": timedelta(hours=1),
}


def from_environment(instance_path: str) -> dict[str, object]:
    """Settings named directly in the environment (the FLASK_ prefix is read elsewhere)."""
    settings: dict[str, object] = {}
    url = os.environ.get("DATABASE_URL")
    if url:
        settings["SQLALCHEMY_DATABASE_URI"] = url
    else:
        settings["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(instance_path, "companion.sqlite")
    if os.environ.get("SECRET_KEY"):
        settings["SECRET_KEY"] = os.environ["SECRET_KEY"]
    for name, raw in os.environ.items():
        if name.startswith("COMPANION_"):
            try:
                settings[name] = json.loads(raw)
            except ValueError:
                settings[name] = raw
    return settings
