"""Share codes, grants, partner invites and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.accounts.models import Organisation, User
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
    #: The parent's answer: may anonymous figures from this diary be counted in the
    #: association's statistics (copied to the grant; the parent may change it there).
    statistics: Mapped[bool] = mapped_column(default=False, server_default=false())

    baby: Mapped[Baby] = relationship()


class Grant(db.Model):
    """Read-only access of one worker to one baby's diary, until it expires or ends."""

    __tablename__ = "grants"
    __table_args__ = (
        Index("ix_grants_worker_expires", "worker_id", "expires_at"),
        Index("ix_grants_organisation_created", "organisation_id", "created_at"),
    )

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
    #: The worker's organisation when the code was redeemed: the association whose work
    #: this is, whatever happens to the worker's account later.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    #: The first grant of this baby's diary with that organisation (a family's first share).
    first_share: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Consent to anonymous statistics from this diary (see ShareCode.statistics).
    statistics: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Whether the parent who made the code answered the feedback ("answered") or said
    #: no thanks ("declined"): never which answer, nor when.
    feedback: Mapped[str | None] = mapped_column(String(10))
    #: With consent: this diary's change over the work (companion.stats), kept once its
    #: weeks 5-8 are long over, ``{measure: [first week, weeks 5-8]}`` (``{}`` when too
    #: little was logged). Nothing else about the family; cleared when consent is
    #: withdrawn, and removed with the grant. Read only by the statistics.
    change_figures: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), deferred=True)

    baby: Mapped[Baby] = relationship()
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    organisation: Mapped[Organisation | None] = relationship()

    def is_active(self, now: datetime) -> bool:
        return self.ended_at is None and self.expires_at > now


class FamilyInvite(OneTimeCode, db.Model):
    """A one-time code that lets the other parent join a family (same rules as ShareCode)."""

    __tablename__ = "family_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)


class AuditEvent(db.Model):
    """Who did what with sharing, and when. Never a code, never diary contents.

    ``kind`` names the action: a share code made, cancelled, failed or redeemed; a grant
    viewed, revoked or ended; statistics allowed or not; a family joined, left or a parent
    removed; a worker's account made, changed or unlocked by staff. The family reads its
    own rows in words (`share.views`); rows go after COMPANION_RETENTION_AUDIT_DAYS."""

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
    # One word, never free text from a user: a new code's scope, or how a worker viewed
    # the diary ("page", "api", "print" for the printout page, "printed" once printed).
    detail: Mapped[str | None] = mapped_column(String(40))

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
