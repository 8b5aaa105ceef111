"""Share codes, grants, partner invites and the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.accounts.models import User
from companion.diary.models import Baby
from companion.extensions import db
from companion.types import UTCDateTime, utcnow

#: What a worker may see: the diary, or the diary and the code-maker's own check-ins.
SCOPES = ("diary", "diary+wellbeing")
WELLBEING = "diary+wellbeing"


class OneTimeCode:
    """What every one-time code keeps: who made it, its HMAC only (see share.codes), until
    when it works, and whether it was used (by whom) or voided by a newer one."""

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ShareCode(OneTimeCode, db.Model):
    """A one-time code a parent gives a worker."""

    __tablename__ = "share_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    baby_id: Mapped[int] = mapped_column(ForeignKey("babies.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(60))
    grant_days: Mapped[int]

    baby: Mapped[Baby] = relationship()


class Grant(db.Model):
    """Read-only access of one worker to one baby's diary, until it expires or ends."""

    __tablename__ = "grants"
    __table_args__ = (Index("ix_grants_worker_expires", "worker_id", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # One grant per code at most, whatever happens in the code's conditional update.
    share_code_id: Mapped[int | None] = mapped_column(
        ForeignKey("share_codes.id", ondelete="SET NULL"), unique=True
    )
    baby_id: Mapped[int] = mapped_column(ForeignKey("babies.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    scope: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # revoked (by a parent), deactivated (the worker's account), replaced (a newer code)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    last_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    baby: Mapped[Baby] = relationship()
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])

    def is_active(self, now: datetime) -> bool:
        return self.ended_at is None and self.expires_at > now


class FamilyInvite(OneTimeCode, db.Model):
    """A one-time code that lets the other parent join a family (same rules as ShareCode)."""

    __tablename__ = "family_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)


class AuditEvent(db.Model):
    """Who did what with sharing, and when. Never a code, never diary contents."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_baby_at", "baby_id", "created_at"),
        Index("ix_audit_events_grant_at", "grant_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    baby_id: Mapped[int | None] = mapped_column(ForeignKey("babies.id", ondelete="CASCADE"))
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("grants.id", ondelete="SET NULL"))
    # A word about the channel ("page", "print", "api"), never free text from a user.
    detail: Mapped[str | None] = mapped_column(String(40))

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
