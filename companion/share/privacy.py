"""What sharing keeps about people, for the privacy rights (`accounts.privacy`): who a
family's diaries are shared with and what happened with them (in the parent's export),
the diaries shared with a worker (in the worker's), the access a leaving parent gave
ended, and old codes, grants and audit events pruned."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select

from companion.accounts.models import User
from companion.accounts.privacy import Before, Holder
from companion.diary import services as diary
from companion.extensions import db
from companion.share import services
from companion.share.models import AuditEvent, FamilyInvite, Grant, ShareCode
from companion.types import stamp


def _shared_with(grant: Grant) -> dict[str, Any]:
    worker = grant.worker
    return {
        "baby_id": grant.baby_id,
        "worker": worker.display_name if worker else None,
        "organisation": worker.organisation.name if worker and worker.organisation else None,
        "scope": grant.scope,
        "label": grant.label,
        "created_at": stamp(grant.created_at),
        "expires_at": stamp(grant.expires_at),
        "ended_at": stamp(grant.ended_at),
        "last_viewed_at": stamp(grant.last_viewed_at),
        # The consent, and what the statistics keep of this diary with it (the first week
        # and weeks 5-8 of each measure).
        "statistics": grant.statistics,
        "statistics_change_over_work": grant.change_figures,
    }


def _code(row: ShareCode | FamilyInvite) -> dict[str, Any]:
    return {
        "created_at": stamp(row.created_at),
        "expires_at": stamp(row.expires_at),
        "used_at": stamp(row.used_at),
        "voided_at": stamp(row.voided_at),
    }


def export(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if user.is_parent and user.family_id is not None:
        baby_ids = [baby.id for baby in diary.family_babies(user)]
        grants = db.session.scalars(select(Grant).where(Grant.baby_id.in_(baby_ids)).order_by(Grant.id))
        data["shared_with"] = [_shared_with(grant) for grant in grants]
        codes = db.session.scalars(
            select(ShareCode).where(ShareCode.baby_id.in_(baby_ids)).order_by(ShareCode.id)
        )
        # The codes themselves are never stored: only what they were for, and when.
        data["share_codes"] = [
            {"baby_id": code.baby_id, "scope": code.scope, "label": code.label, **_code(code)}
            for code in codes
        ]
        invites = db.session.scalars(
            select(FamilyInvite).where(FamilyInvite.family_id == user.family_id).order_by(FamilyInvite.id)
        )
        data["family_invites"] = [_code(invite) for invite in invites]
        events = db.session.scalars(
            select(AuditEvent)
            .where(
                or_(
                    AuditEvent.family_id == user.family_id,
                    AuditEvent.baby_id.in_(baby_ids),
                    AuditEvent.actor_id == user.id,
                    AuditEvent.subject_id == user.id,
                )
            )
            .order_by(AuditEvent.id)
        )
        data["activity"] = [
            {"at": stamp(event.created_at), "kind": event.kind, "baby_id": event.baby_id} for event in events
        ]
    if user.is_staff:
        grants = db.session.scalars(select(Grant).where(Grant.worker_id == user.id).order_by(Grant.id))
        data["diaries_shared_with_me"] = [
            {
                "label": grant.label,
                "created_at": stamp(grant.created_at),
                "expires_at": stamp(grant.expires_at),
                "ended_at": stamp(grant.ended_at),
            }
            for grant in grants
        ]
    return data


def delete_with_account(user: User, now: datetime) -> None:
    """What a deleted parent handed out stops working (unused share codes and invites, the
    worker access they gave); the diary stays with the other parent, if there is one. (A
    family's last parent takes its codes and grants along with the family.)"""
    if user.is_parent:
        services.release_parent(user, now)


def grants_leaving(before: Before):
    """The grants the retention rules remove now (ended or expired long enough ago)."""
    grants_before = before("GRANTS")
    return or_(Grant.ended_at < grants_before, Grant.expires_at < grants_before)


def prune(before: Before) -> dict[str, int]:
    codes_before = before("CODES")

    def old_codes(model) -> int:
        return db.session.execute(
            delete(model).where(
                or_(
                    model.expires_at < codes_before,
                    model.used_at < codes_before,
                    model.voided_at < codes_before,
                )
            )
        ).rowcount

    return {
        "share_codes": old_codes(ShareCode),
        "family_invites": old_codes(FamilyInvite),
        "grants": db.session.execute(delete(Grant).where(grants_leaving(before))).rowcount,
        "audit_events": db.session.execute(
            delete(AuditEvent).where(AuditEvent.created_at < before("AUDIT"))
        ).rowcount,
    }


HOLDER = Holder(
    "share",
    {
        "share_codes": "share_codes",
        "grants": "shared_with",
        "family_invites": "family_invites",
        "audit_events": "activity",
    },
    export,
    delete=delete_with_account,
    prune=prune,
)
