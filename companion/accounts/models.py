"""Users, recovery codes and organisations."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from flask_login import UserMixin
from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.extensions import db
from companion.types import UTCDateTime, utcnow

ROLES = ("parent", "worker", "coordinator", "admin")
#: The staff roles, in one place: each gets the staff pages, the second factor, the short
#: session lifetimes and 403 ``second_factor_required`` before enrolment by being named here.
STAFF_ROLES = frozenset({"worker", "coordinator", "admin"})
#: Roles that hold another role's rights too: a coordinator is a worker of their organisation.
ROLE_INCLUDES = {"coordinator": frozenset({"worker"})}
#: The texts an organisation keeps in Finnish and Swedish (columns `<name>_fi`, `<name>_sv`).
ORGANISATION_TEXTS = ("hours", "description", "groups", "volunteering", "response_time")


class Organisation(db.Model):
    """A Baby blues association: who it is, where it works and how to reach it.

    `name` is the Finnish name (the one made on the command line); the public details
    are kept by the organisation's coordinator through the directory's services.
    """

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_sv: Mapped[str | None] = mapped_column(String(200))
    #: Where the association itself is (staff lists); the public list is `municipalities`.
    locality: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164, e.g. +358401234567
    email: Mapped[str | None] = mapped_column(String(254))
    web: Mapped[str | None] = mapped_column(String(300))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list, server_default='["fi"]')
    hours_fi: Mapped[str | None] = mapped_column(Text)
    hours_sv: Mapped[str | None] = mapped_column(Text)
    description_fi: Mapped[str | None] = mapped_column(Text)
    description_sv: Mapped[str | None] = mapped_column(Text)
    groups_fi: Mapped[str | None] = mapped_column(Text)
    groups_sv: Mapped[str | None] = mapped_column(Text)
    volunteering_fi: Mapped[str | None] = mapped_column(Text)
    volunteering_sv: Mapped[str | None] = mapped_column(Text)
    response_time_fi: Mapped[str | None] = mapped_column(Text)
    response_time_sv: Mapped[str | None] = mapped_column(Text)
    #: Hidden organisations are left out of the public directory and take no requests.
    active: Mapped[bool] = mapped_column(default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="Municipality.position",
    )

    def name_in(self, locale: str) -> str:
        """The name in a language (Swedish when there is one, else Finnish)."""
        return (self.name_sv if locale == "sv" and self.name_sv else None) or self.name

    def text(self, name: str, locale: str) -> str | None:
        """One of ORGANISATION_TEXTS in a language, in Finnish when it has none."""
        if locale == "sv":
            return getattr(self, f"{name}_sv") or getattr(self, f"{name}_fi")
        return getattr(self, f"{name}_fi")


class Municipality(db.Model):
    """A municipality an organisation serves, with its Finnish and Swedish names.

    The `_key` columns are lower-cased copies: searching is case-insensitive on every
    database without a functional index.
    """

    __tablename__ = "organisation_municipalities"
    __table_args__ = (
        Index("ix_organisation_municipalities_name_fi_key", "name_fi_key"),
        Index("ix_organisation_municipalities_name_sv_key", "name_sv_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name_fi: Mapped[str] = mapped_column(String(80))
    name_sv: Mapped[str | None] = mapped_column(String(80))
    name_fi_key: Mapped[str] = mapped_column(String(80))
    name_sv_key: Mapped[str | None] = mapped_column(String(80))

    organisation: Mapped[Organisation] = relationship(back_populates="municipalities")

    def name_in(self, locale: str) -> str:
        return (self.name_sv if locale == "sv" and self.name_sv else None) or self.name_fi


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (Index("uq_users_username_key", "username_key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40))
    # Lower-cased copy: usernames are unique regardless of case on every database.
    username_key: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(12), default="parent")
    display_name: Mapped[str | None] = mapped_column(String(100))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Staff second factor (RFC 6238): the secret, set when enrolment starts and confirmed
    # once a code from the authenticator app matched; the last time step accepted, so that
    # a code works once.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    organisation: Mapped[Organisation | None] = relationship()
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    #: The token of the session this user object was loaded for (never stored).
    session_token: ClassVar[str | None] = None

    def get_id(self) -> str | None:
        # Flask-Login keeps this in the signed cookie: the session's random token, which
        # names a row in user_sessions, never the user.
        return self.session_token

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    @property
    def is_parent(self) -> bool:
        return self.role == "parent"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def has_second_factor(self) -> bool:
        return self.totp_confirmed_at is not None

    @property
    def is_worker(self) -> bool:
        """A worker of an organisation: workers and coordinators."""
        return self.has_role("worker")

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"

    def has_role(self, role: str) -> bool:
        """The user's own role, or one it includes (a coordinator is a worker too)."""
        return self.role == role or role in ROLE_INCLUDES.get(self.role, ())


class RecoveryCode(db.Model):
    """A single-use code kept as HMAC-SHA256: a parent's recovery code (``recovery``) or a
    staff member's second-factor backup code (``backup``)."""

    __tablename__ = "recovery_codes"
    __table_args__ = (Index("ix_recovery_codes_user_hash", "user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="recovery", server_default="recovery")
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class UserSession(db.Model):
    """One signed-in device. The cookie carries a random token; only its SHA-256 is kept."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    device: Mapped[str] = mapped_column(String(60), default="")
    # False for a staff session signed in with the password alone: it can only enrol.
    second_factor_ok: Mapped[bool] = mapped_column(default=True)
    # Codes made in this session and not yet shown (recovery, share and invite codes):
    # kept here, on the server, until the page that shows them once.
    pending: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship()


class SetupLink(db.Model):
    """A single-use link (24 h) with which a staff member sets a password and a second
    factor. Only its HMAC is kept; the administrator who made it never sees a password."""

    __tablename__ = "setup_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
