"""Account use cases: sign-up, sign-in, recovery codes, passwords, sessions, staff.

The only code that writes users. Views and the API call these with plain values.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from zxcvbn import zxcvbn

from companion import keys, throttle
from companion.accounts import signals
from companion.accounts.models import (
    ROLES,
    Municipality,
    Organisation,
    RecoveryCode,
    SetupLink,
    User,
    UserSession,
)
from companion.errors import Conflict, Forbidden, NotFound, Throttled, Unauthorized, Validation, not_found
from companion.extensions import db
from companion.types import utcnow

USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]{3,40}$")
MIN_PASSWORD = 10
PASSWORD_MAX = 1000
ZXCVBN_MAX = 72
RECOVERY_CODE_COUNT = 10


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


def _address_limit(prefix: str, address: str | None, setting: str) -> list[throttle.Limit]:
    if not address:
        return []
    return [throttle.Limit(f"{prefix}:addr:{address[:60]}", int(current_app.config[setting]), _window())]


def signup_limits(address: str | None) -> list[throttle.Limit]:
    """Sign-ups per address an hour (mobile networks put many phones behind one address)."""
    if not address:
        return []
    limit = int(current_app.config["COMPANION_SIGNUP_LIMIT"])
    return [throttle.Limit(f"signup:addr:{address[:60]}", limit, timedelta(hours=1))]


def sign_up(
    username: object, password: object, locale: str | None = None, address: str | None = None
) -> tuple[User, list[str]]:
    """A parent account with its own family, and ten recovery codes to show once.

    The password is hashed before anything is written: no write lock is held while Argon2
    works, so a burst of sign-ups never holds up a parent's diary writes.
    """
    name = validate_username(username)
    secret = validate_password(password, username=name)
    limits = signup_limits(address)
    wait = throttle.take(limits)
    if wait:
        raise Throttled(_("Too many new accounts from here. Please try again later."), retry_after=wait)
    if find_user(name) is not None:
        db.session.rollback()
        raise Validation(
            _("That username is taken."), {"username": _("That username is taken. Try another.")}
        )
    db.session.rollback()  # no transaction stays open while hashing
    password_hash = hash_password(secret)
    codes = [new_recovery_code() for _i in range(RECOVERY_CODE_COUNT)]
    user = User(
        username=name,
        username_key=username_key(name),
        password_hash=password_hash,
        role="parent",
        locale=locale,
    )
    # The diary gives every new parent a family of their own (`signals.parent_signed_up`).
    signals.parent_signed_up.send(None, user=user)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # the same name signed up a moment ago
        db.session.rollback()
        raise Validation(
            _("That username is taken."), {"username": _("That username is taken. Try another.")}
        ) from None
    _store_codes(user, codes, "recovery")
    db.session.commit()
    return user, codes


def _window() -> timedelta:
    return timedelta(minutes=int(current_app.config["COMPANION_LOGIN_WINDOW_MINUTES"]))


def login_bucket(username: str) -> str:
    """The throttle bucket of sign-in failures for a username (existing or not)."""
    return f"login:user:{username_key(username)[:60]}"


def login_limits(username: str, address: str | None) -> list[throttle.Limit]:
    """Sign-in failures per username and per address: also used by account deletion and
    the second factor's confirmation, which guess the same secrets."""
    user_limit = int(current_app.config["COMPANION_LOGIN_LIMIT_USER"])
    return [
        throttle.Limit(login_bucket(username), user_limit, _window()),
        *_address_limit("login", address, "COMPANION_LOGIN_LIMIT_ADDRESS"),
    ]


def login_lock(user: User) -> int | None:
    """Seconds until the user may try to sign in again after too many failures, or None."""
    return throttle.retry_after(login_limits(user.username, None)[0])


def clear_login_failures(user: User) -> None:
    """Forget the user's failed sign-ins (an administrator unlocks them); the caller commits."""
    throttle.clear(login_bucket(user.username))


def _take(limits: list[throttle.Limit], message: str) -> None:
    wait = throttle.take(limits)
    if wait:
        raise Throttled(message, retry_after=wait)


_DUMMY_HASH: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash of nothing, checked for unknown usernames: the same work either way."""
    key = repr(hasher())
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = hash_password(secrets.token_hex(16))
    return _DUMMY_HASH[key]


def check_password(user: User | None, password: object) -> bool:
    """The password check, with the same Argon2 work whether or not the user exists.
    Reads the stored hash, then ends the read transaction before hashing."""
    stored = user.password_hash if user is not None else None
    active = user is not None and user.active
    db.session.rollback()
    ok = _verify(stored or _dummy_hash(), password if isinstance(password, str) else "")
    return ok and active


def second_factor_required() -> bool:
    return current_app.config["COMPANION_STAFF_SECOND_FACTOR"] != "optional"


@dataclass
class SignIn:
    user: User
    #: False for a staff account without a second factor: the session may only enrol.
    second_factor_ok: bool


def authenticate(username: object, password: object, address: str | None, otp: object = None) -> SignIn:
    """The user, or one answer for every failure, throttled per username and per address.

    Staff with a second factor also give ``otp`` (a code from the authenticator app or a
    backup code); a missing or wrong one is ``otp_required`` and counts as a failure.
    """
    name = username.strip() if isinstance(username, str) else ""
    limits = login_limits(name, address)
    _take(limits, _("Too many sign-in attempts. Please wait a while and try again."))
    user = find_user(name) if name else None
    if not check_password(user, password):
        raise Unauthorized(_("The username or password is not right."), code="invalid_credentials")
    assert user is not None
    # A new hash when the cost settings changed, made before anything is written.
    fresh_hash = None
    if hasher().check_needs_rehash(user.password_hash):
        db.session.rollback()  # nothing open while hashing
        fresh_hash = hash_password(password)
    second_factor_ok = True
    if user.is_staff and user.has_second_factor:
        if not check_second_factor(user, otp):
            db.session.commit()
            raise Unauthorized(
                _("Type the 6-digit code from your authenticator app, or a backup code."),
                code="otp_required",
            )
    elif user.is_staff:
        second_factor_ok = not second_factor_required()
    if fresh_hash:
        user.password_hash = fresh_hash
    throttle.clear(limits[0].bucket)
    throttle.give_back(limits[1:])
    db.session.commit()
    return SignIn(user, second_factor_ok)


# -- one-time codes: recovery (parents) and backup (staff second factor) --------------------

#: 15 characters of 31 (no 0/o, 1/l/i): 74 bits, shown as abcde-fghjk-mnpqr.
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_CODE_LENGTH = 15


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _j in range(_CODE_LENGTH))
    return "-".join(raw[i : i + 5] for i in range(0, _CODE_LENGTH, 5))


def _normalise_code(code: object) -> str:
    if not isinstance(code, str) or len(code) > 64:
        return ""
    return re.sub(r"[\s-]", "", code.lower())


def _code_digest(raw: str, kind: str) -> str:
    return keys.digest(current_app.config["COMPANION_CODE_KEY"], kind, raw)


def _store_codes(user: User, codes: list[str], kind: str) -> None:
    db.session.execute(
        delete(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.kind == kind)
        .execution_options(synchronize_session=False)
    )
    for code in codes:
        db.session.add(
            RecoveryCode(user_id=user.id, kind=kind, code_hash=_code_digest(_normalise_code(code), kind))
        )


def _use_code(user_id: int, kind: str, code: object) -> bool:
    """Mark the code used if it is unused: one conditional UPDATE, so of two requests with
    the same code exactly one wins. The same statement runs for unknown users."""
    raw = _normalise_code(code)
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.kind == kind,
            RecoveryCode.code_hash == _code_digest(raw, kind),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(raw) and result.rowcount == 1


def regenerate_recovery_codes(user: User, password: object) -> list[str]:
    if not check_password(user, password):
        raise Validation(_("The password is not right."), {"password": _("The password is not right.")})
    codes = [new_recovery_code() for _i in range(RECOVERY_CODE_COUNT)]
    _store_codes(user, codes, "recovery")
    db.session.commit()
    return codes


def unused_codes(user: User, kind: str = "recovery") -> int:
    return (
        db.session.scalar(
            select(func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user.id, RecoveryCode.kind == kind, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )


def unused_recovery_codes(user: User) -> int:
    return unused_codes(user, "recovery")


def recover(username: object, code: object, new_password: object, address: str | None) -> User:
    """Sign in with a single-use recovery code and set a new password; every other
    session ends.

    The work is the same whether or not the username exists (the new password is hashed
    first, the code is an HMAC looked up with one statement), so the time taken tells
    nothing; throttled per username and per address like sign-in.
    """
    secret = validate_password(new_password, "new_password")
    name = username.strip() if isinstance(username, str) else ""
    limits = [
        throttle.Limit(
            f"recover:user:{username_key(name)[:60]}",
            int(current_app.config["COMPANION_LOGIN_LIMIT_USER"]),
            _window(),
        ),
        *_address_limit("recover", address, "COMPANION_LOGIN_LIMIT_ADDRESS"),
    ]
    _take(limits, _("Too many attempts. Please wait a while and try again."))
    new_hash = hash_password(secret)
    user = find_user(name) if name else None
    usable = user is not None and user.active and user.is_parent
    used = _use_code(user.id if usable and user else 0, "recovery", code)
    if not used:
        db.session.commit()
        raise Unauthorized(_("The username or recovery code is not right, or the code was used already."))
    assert user is not None
    user.password_hash = new_hash
    sessions_end(user.id)
    throttle.give_back(limits)
    db.session.commit()
    return user


def change_password(user: User, current: object, new: object, keep: UserSession | None = None) -> None:
    """A new password ends every other session."""
    if not check_password(user, current):
        raise Validation(
            _("The current password is not right."),
            {"current_password": _("The current password is not right.")},
        )
    fresh = hash_password(validate_password(new, "new_password"))
    user.password_hash = fresh
    sessions_end(user.id, keep)
    db.session.commit()


# -- signed-in devices ----------------------------------------------------------------------


def sessions_end(user_id: int, keep: UserSession | None = None) -> None:
    """Every session of the user ends (but ``keep``); the caller commits."""
    query = delete(UserSession).where(UserSession.user_id == user_id)
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    db.session.execute(query.execution_options(synchronize_session=False))


def list_sessions(user: User) -> list[UserSession]:
    """The user's signed-in devices, the most recently seen first."""
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id)
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def end_session(user: User, session_id: object) -> None:
    """Sign out one of the user's devices (404 for anything else)."""
    try:
        key = int(session_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise not_found() from None
    result = db.session.execute(
        delete(UserSession)
        .where(UserSession.id == key, UserSession.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:
        db.session.rollback()
        raise not_found()
    db.session.commit()


def sign_out_everywhere(user: User) -> None:
    sessions_end(user.id)
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"] and user.locale != locale:
        user.locale = locale
        db.session.commit()


# -- the staff's second factor (RFC 6238) ----------------------------------------------------


def _totp(secret: str) -> pyotp.TOTP:
    # 6 digits, 30 seconds, SHA-1: what authenticator apps expect.
    return pyotp.TOTP(secret)


def _claim_step(user: User, secret: str, otp: str) -> bool:
    """A code from the app, accepted once: its time step must be newer than the last one
    accepted (one conditional UPDATE, so two requests with one code cannot both pass).
    One step of clock drift either way is allowed."""
    totp = _totp(secret)
    now = totp.timecode(datetime.now(UTC))
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), otp):
            result = db.session.execute(
                update(User)
                .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
                .values(totp_last_step=step)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                user.totp_last_step = step
                return True
            return False
    return False


def check_second_factor(user: User, otp: object) -> bool:
    """A 6-digit code from the authenticator app, or one of the backup codes (single use)."""
    if not isinstance(otp, str) or not user.totp_secret:
        return False
    text = re.sub(r"\s", "", otp)
    if re.fullmatch(r"\d{6}", text):
        return _claim_step(user, user.totp_secret, text)
    return _use_code(user.id, "backup", text)


def staff_only_message() -> str:
    return _("Only staff accounts use a second factor.")


def start_second_factor(user: User) -> tuple[str, str]:
    """A new TOTP secret for the staff member to add to an authenticator app: the secret
    and its otpauth:// URI (shown as a QR code). Confirmed with a code from the app."""
    if not user.is_staff:
        raise Forbidden(staff_only_message())
    if user.has_second_factor:
        raise Conflict(
            _("Your second factor is set up already. An administrator can reset it with a set-up link."),
            code="already_enrolled",
        )
    secret = pyotp.random_base32()
    user.totp_secret = secret
    db.session.commit()
    return secret, otpauth_uri(user)


def otpauth_uri(user: User) -> str:
    issuer = str(current_app.config["COMPANION_TOTP_ISSUER"])
    return _totp(user.totp_secret or "").provisioning_uri(name=user.username, issuer_name=issuer)


def confirm_second_factor(user: User, otp: object, address: str | None) -> list[str]:
    """The first code from the app confirms the enrolment; returns ten backup codes to
    show once. Wrong codes count as sign-in failures."""
    if not user.is_staff:
        raise Forbidden(staff_only_message())
    if user.has_second_factor:
        raise Conflict(_("Your second factor is set up already."), code="already_enrolled")
    if not user.totp_secret:
        raise Conflict(_("Start the set-up first."), code="not_started")
    limits = login_limits(user.username, address)
    _take(limits, _("Too many sign-in attempts. Please wait a while and try again."))
    text = re.sub(r"\s", "", otp) if isinstance(otp, str) else ""
    if not re.fullmatch(r"\d{6}", text) or not _claim_step(user, user.totp_secret, text):
        db.session.commit()
        raise Validation(
            _("The code is not right."),
            {"otp": _("Type the 6-digit code your authenticator app shows now.")},
        )
    user.totp_confirmed_at = utcnow()
    codes = [new_recovery_code() for _i in range(RECOVERY_CODE_COUNT)]
    _store_codes(user, codes, "backup")
    throttle.give_back(limits)
    db.session.commit()
    return codes


# -- set-up links: how staff get a password and a second factor ------------------------------

SETUP_LINK_HOURS = 24


def issue_setup_link(user: User, actor: User | None) -> str:
    """A single-use link (24 h) with which the staff member sets a password and a second
    factor. Their password and second factor stop working now, every session ends, and
    earlier links are void. Returns the token, to be shown once; the caller audits and
    commits."""
    unusable = hash_password(secrets.token_urlsafe(32))  # before any write
    token = secrets.token_urlsafe(24)
    now = utcnow()
    db.session.execute(
        update(SetupLink)
        .where(SetupLink.user_id == user.id, SetupLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.add(
        SetupLink(
            user_id=user.id,
            token_hash=keys.digest(current_app.config["COMPANION_CODE_KEY"], "setup", token),
            created_by_id=actor.id if actor is not None else None,
            created_at=now,
            expires_at=now + timedelta(hours=SETUP_LINK_HOURS),
        )
    )
    user.password_hash = unusable
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    db.session.execute(
        delete(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.kind == "backup")
        .execution_options(synchronize_session=False)
    )
    sessions_end(user.id)
    clear_login_failures(user)
    return token


def setup_link_by_command(username: str) -> str:
    """A set-up link made on the server's command line (an admin with no other admin to
    ask): the token, to be shown once."""
    user = find_user(username)
    if user is None or not user.is_staff:
        raise NotFound(_("No staff account with that username."))
    token = issue_setup_link(user, None)
    db.session.commit()
    return token


def setup_link_user(token: object) -> User | None:
    """The staff member a link is for, while it is unused and unexpired."""
    if not isinstance(token, str) or len(token) > 100:
        return None
    digest = keys.digest(current_app.config["COMPANION_CODE_KEY"], "setup", token)
    link = db.session.scalar(
        select(SetupLink).where(
            SetupLink.token_hash == digest, SetupLink.used_at.is_(None), SetupLink.expires_at > utcnow()
        )
    )
    return db.session.get(User, link.user_id) if link is not None else None


def use_setup_link(token: object, new_password: object) -> User:
    """Set the password with the link (once); the second factor is enrolled next."""
    user = setup_link_user(token)
    if user is None or not user.active:
        raise NotFound(_("This link does not work: it was used already or it expired. Ask for a new one."))
    secret = validate_password(new_password, "new_password", username=user.username)
    db.session.rollback()
    fresh = hash_password(secret)
    digest = keys.digest(current_app.config["COMPANION_CODE_KEY"], "setup", str(token))
    claimed = db.session.execute(
        update(SetupLink)
        .where(SetupLink.token_hash == digest, SetupLink.used_at.is_(None), SetupLink.expires_at > utcnow())
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise NotFound(_("This link does not work: it was used already or it expired. Ask for a new one."))
    user = db.session.get(User, user.id)
    assert user is not None
    user.password_hash = fresh
    sessions_end(user.id)
    db.session.commit()
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
