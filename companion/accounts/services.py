"""Account use cases: sign-up, sign-in, recovery codes, passwords, sessions, staff.

The only code that writes users. Views and the API call these with plain values.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from zxcvbn import zxcvbn

from companion import throttle
from companion.accounts import signals
from companion.accounts.models import ROLES, Municipality, Organisation, RecoveryCode, User
from companion.errors import Throttled, Unauthorized, Validation
from companion.extensions import db
from companion.types import utcnow

USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]{3,40}$")
MIN_PASSWORD = 10
PASSWORD_MAX = 1000
ZXCVBN_MAX = 72
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def hasher() -> PasswordHasher:
    cached = current_app.extensions.get("companion_hasher")
    if cached is None:
        cfg = current_app.config
        cached = PasswordHasher(
            time_cost=int(cfg["COMPANION_ARGON2_TIME_COST"]),
            memory_cost=int(cfg["COMPANION_ARGON2_MEMORY_COST"]),
            parallelism=int(cfg["COMPANION_ARGON2_PARALLELISM"]),
        )
        current_app.extensions["companion_hasher"] = cached
    return cached


def hash_password(password: str) -> str:
    return hasher().hash(password)


def _verify(stored: str, password: str) -> bool:
    try:
        return hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(user: User, password: object) -> bool:
    """Whether ``password`` is the user's (anything but a string is not)."""
    return _verify(user.password_hash, password if isinstance(password, str) else "")


def username_key(username: str) -> str:
    return username.strip().lower()


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username_key == username_key(username)))


def validate_username(username: object) -> str:
    if not isinstance(username, str) or not USERNAME_RE.match(username.strip()):
        raise Validation(
            _("Please check the username."),
            {"username": _("Use 3–40 letters, digits, dots, dashes or underscores.")},
        )
    return username.strip()


def validate_password(password: object, field: str = "password", username: str | None = None) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise Validation(
            _("Please check the password."),
            {field: _("Use at least %(n)d characters.", n=MIN_PASSWORD)},
        )
    if len(password) > PASSWORD_MAX:
        raise Validation(_("Please check the password."), {field: _("The password is too long.")})
    # zxcvbn ships its own lists of common passwords, words and keyboard patterns; it reads
    # at most 72 characters (and refuses longer ones), enough to judge a password by.
    if zxcvbn(password[:ZXCVBN_MAX], user_inputs=[username or "", "vauva", "baby", "companion"])["score"] < 2:
        raise Validation(
            _("Please choose a harder password."),
            {
                field: _(
                    "This password is easy to guess. A few unrelated words in a row are strong "
                    "and easy to remember."
                )
            },
        )
    return password


def sign_up(username: object, password: object, locale: str | None = None) -> tuple[User, list[str]]:
    """A parent account with its own family, and ten recovery codes to show once."""
    name = validate_username(username)
    secret = validate_password(password, username=name)
    if find_user(name) is not None:
        raise Validation(
            _("That username is taken."), {"username": _("That username is taken. Try another.")}
        )
    user = User(
        username=name,
        username_key=username_key(name),
        password_hash=hash_password(secret),
        role="parent",
        locale=locale,
    )
    # The diary gives every new parent a family of their own (`signals.parent_signed_up`).
    signals.parent_signed_up.send(None, user=user)
    db.session.add(user)
    db.session.flush()
    codes = _new_recovery_codes(user)
    db.session.commit()
    return user, codes


def _window() -> timedelta:
    return timedelta(minutes=int(current_app.config["COMPANION_LOGIN_WINDOW_MINUTES"]))


def login_bucket(username: str) -> str:
    """The throttle bucket of sign-in failures for a username (existing or not)."""
    return f"login:user:{username_key(username)[:60]}"


def login_lock(user: User) -> int | None:
    """Seconds until the user may try to sign in again after too many failures, or None."""
    return throttle.retry_after(
        login_bucket(user.username), int(current_app.config["COMPANION_LOGIN_LIMIT_USER"]), _window()
    )


def clear_login_failures(user: User) -> None:
    """Forget the user's failed sign-ins (an administrator unlocks them); the caller commits."""
    throttle.clear(login_bucket(user.username))


def authenticate(username: object, password: object, address: str | None) -> User:
    """The user, or one answer for every failure, throttled per username and per address."""
    name = username.strip() if isinstance(username, str) else ""
    buckets = [login_bucket(name)]
    limits = [int(current_app.config["COMPANION_LOGIN_LIMIT_USER"])]
    if address:
        buckets.append(f"login:addr:{address[:60]}")
        limits.append(int(current_app.config["COMPANION_LOGIN_LIMIT_ADDRESS"]))
    waits = [throttle.retry_after(b, lim, _window()) for b, lim in zip(buckets, limits, strict=True)]
    waits = [w for w in waits if w]
    if waits:
        raise Throttled(
            _("Too many sign-in attempts. Please wait a while and try again."),
            retry_after=max(waits),
        )
    user = find_user(name) if name else None
    secret = password if isinstance(password, str) else ""
    if user is None:
        hasher().hash("timing-equaliser")  # same cost whether or not the user exists
        ok = False
    else:
        ok = _verify(user.password_hash, secret) and user.active
    if not ok:
        throttle.record(*buckets)
        db.session.commit()
        raise Unauthorized(_("The username or password is not right."))
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(secret)
    throttle.clear(buckets[0])
    db.session.commit()
    return user


def _new_recovery_codes(user: User) -> list[str]:
    for old in list(user.recovery_codes):
        db.session.delete(old)
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _j in range(10))
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_password(raw)))
    return codes


def regenerate_recovery_codes(user: User, password: object) -> list[str]:
    if not verify_password(user, password):
        raise Validation(_("The password is not right."), {"password": _("The password is not right.")})
    codes = _new_recovery_codes(user)
    db.session.commit()
    return codes


def unused_recovery_codes(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )


def recover(username: object, code: object, new_password: object, address: str | None) -> User:
    """Sign in with a single-use recovery code and set a new password."""
    secret = validate_password(new_password, "new_password")
    name = username.strip() if isinstance(username, str) else ""
    bucket = f"recover:user:{username_key(name)[:60]}"
    wait = throttle.retry_after(bucket, int(current_app.config["COMPANION_LOGIN_LIMIT_USER"]), _window())
    if wait:
        raise Throttled(_("Too many attempts. Please wait a while and try again."), retry_after=wait)
    raw = re.sub(r"[\s-]", "", code.lower()) if isinstance(code, str) else ""
    user = find_user(name) if name else None
    match = None
    if user is not None and user.active and raw:
        for candidate in user.recovery_codes:
            if candidate.used_at is None and _verify(candidate.code_hash, raw):
                match = candidate
                break
    if match is None:
        throttle.record(bucket)
        db.session.commit()
        raise Unauthorized(_("The username or recovery code is not right, or the code was used already."))
    match.used_at = utcnow()
    user.password_hash = hash_password(secret)
    user.session_version += 1
    db.session.commit()
    return user


def change_password(user: User, current: object, new: object) -> None:
    """A new password ends every other session (the caller signs this one in again)."""
    if not verify_password(user, current):
        raise Validation(
            _("The current password is not right."),
            {"current_password": _("The current password is not right.")},
        )
    user.password_hash = hash_password(validate_password(new, "new_password"))
    user.session_version += 1
    db.session.commit()


def sign_out_everywhere(user: User) -> None:
    user.session_version += 1
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"] and user.locale != locale:
        user.locale = locale
        db.session.commit()


def load_session_user(session_id: str) -> User | None:
    """The user behind a session id ``"<id>:<version>"``, if that session is still valid."""
    try:
        user_id, version = (int(part) for part in session_id.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def create_organisation(slug: str, name: str, locality: str | None = None) -> Organisation:
    if not re.match(r"^[a-z0-9-]{2,60}$", slug or ""):
        raise Validation(_("Use 2–60 lower-case letters, digits or dashes for the short name."))
    if db.session.scalar(select(Organisation).where(Organisation.slug == slug)):
        raise Validation(_("An organisation with that short name exists already."))
    place = (locality or "").strip() or None
    org = Organisation(slug=slug, name=name.strip(), locality=place, languages=["fi"])
    if place:
        # Found in the public directory by its own locality until its coordinator says more.
        org.municipalities = [Municipality(name_fi=place[:80], name_fi_key=place[:80].lower())]
    db.session.add(org)
    db.session.commit()
    return org


def create_staff_user(
    username: str,
    role: str,
    password: str | None = None,
    organisation_slug: str | None = None,
    display_name: str | None = None,
) -> tuple[User, str | None]:
    """A worker, coordinator or admin account; returns the generated password when none
    was given. Workers and coordinators belong to an organisation, admins to none."""
    name = validate_username(username)
    if role not in ROLES or role == "parent":
        raise Validation(_("The role must be worker, coordinator or admin."))
    if find_user(name) is not None:
        raise Validation(_("That username is taken."))
    generated = None
    if password is None:
        generated = password = secrets.token_urlsafe(12)
    validate_password(password)
    org = None
    if organisation_slug:
        org = db.session.scalar(select(Organisation).where(Organisation.slug == organisation_slug))
        if org is None:
            raise Validation(_("No organisation with that short name."))
    elif role in ("worker", "coordinator"):
        raise Validation(_("A worker needs an organisation."))
    user = User(
        username=name,
        username_key=username_key(name),
        password_hash=hash_password(password),
        role=role,
        display_name=(display_name or name).strip(),
        organisation_id=org.id if org and role != "admin" else None,
    )
    db.session.add(user)
    db.session.commit()
    return user, generated


def reset_password(user: User) -> str:
    """A new generated password, to be shown once: every session of the user ends and the
    sign-in lock is lifted. The caller commits."""
    password = secrets.token_urlsafe(12)
    user.password_hash = hash_password(password)
    user.session_version += 1
    clear_login_failures(user)
    return password
