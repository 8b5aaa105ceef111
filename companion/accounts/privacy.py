"""Privacy rights: take all your data with you, delete your account, and retention.

Deleting relies on the foreign keys: a family's babies, entries, codes, grants and audit
events go with the family; entries written by a parent who leaves a shared family stay
with the other parent, only without their author.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select

from companion import throttle
from companion.accounts.models import User
from companion.accounts.services import check_password, login_limits
from companion.diary.models import Baby, Entry, Family
from companion.errors import Throttled, Validation
from companion.extensions import db
from companion.share.models import AuditEvent, FamilyInvite, Grant, ShareCode
from companion.types import utcnow
from companion.wellbeing import services as wellbeing


def _z(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _family_babies(user: User) -> list[Baby]:
    if not user.is_parent or user.family_id is None:
        return []
    return list(db.session.scalars(select(Baby).where(Baby.family_id == user.family_id).order_by(Baby.id)))


def export_data(user: User) -> dict[str, Any]:
    """Everything stored about the caller and their family's diary, as plain JSON."""
    babies = _family_babies(user)
    baby_ids = [baby.id for baby in babies]
    data: dict[str, Any] = {
        "exported_at": _z(utcnow()),
        "account": {
            "username": user.username,
            "role": user.role,
            "display_name": user.display_name,
            "organisation": user.organisation.name if user.organisation else None,
            "locale": user.locale,
            "created_at": _z(user.created_at),
        },
    }
    if user.is_parent and user.family_id is not None:
        family = db.session.get(Family, user.family_id)
        data["family"] = {
            "timezone": family.timezone,
            "chart_day_start": family.chart_day_start,
            "night_start": family.night_start.strftime("%H:%M"),
            "night_end": family.night_end.strftime("%H:%M"),
        }
        data["babies"] = [baby.to_dict() for baby in babies]
        data["entries"] = [
            {**entry.to_dict(), "baby_id": entry.baby_id, "created_at": _z(entry.created_at)}
            for entry in _entries(baby_ids)
        ]
        data["rhythm_plans"] = _rhythm_plans(baby_ids)
        grants = db.session.scalars(select(Grant).where(Grant.baby_id.in_(baby_ids)).order_by(Grant.id))
        data["shared_with"] = [
            {
                "baby_id": grant.baby_id,
                "worker": grant.worker.display_name if grant.worker else None,
                "organisation": grant.worker.organisation.name
                if grant.worker and grant.worker.organisation
                else None,
                "scope": grant.scope,
                "label": grant.label,
                "created_at": _z(grant.created_at),
                "expires_at": _z(grant.expires_at),
                "ended_at": _z(grant.ended_at),
                "last_viewed_at": _z(grant.last_viewed_at),
            }
            for grant in grants
        ]
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.family_id == user.family_id).order_by(AuditEvent.id)
        )
        data["activity"] = [
            {"at": _z(event.created_at), "kind": event.kind, "baby_id": event.baby_id} for event in events
        ]
    if user.is_parent:
        # Only the caller's own check-ins: the other parent's stay theirs, also here.
        data["checkins"] = wellbeing.export_checkins(user)
    if user.is_staff:
        grants = db.session.scalars(select(Grant).where(Grant.worker_id == user.id).order_by(Grant.id))
        data["diaries_shared_with_me"] = [
            {
                "label": grant.label,
                "created_at": _z(grant.created_at),
                "expires_at": _z(grant.expires_at),
                "ended_at": _z(grant.ended_at),
            }
            for grant in grants
        ]
    return data


def _rhythm_plans(baby_ids: list[int]) -> list[dict[str, Any]]:
    from companion.rhythm.models import RhythmPlan  # noqa: PLC0415
    from companion.rhythm.schemas import plan_body  # noqa: PLC0415

    if not baby_ids:
        return []
    query = select(RhythmPlan).where(RhythmPlan.baby_id.in_(baby_ids))
    return [
        {**plan_body(row), "baby_id": row.baby_id, "created_at": _z(row.created_at)}
        for row in db.session.scalars(query.order_by(RhythmPlan.baby_id, RhythmPlan.valid_from))
    ]


def _entries(baby_ids: list[int]) -> list[Entry]:
    if not baby_ids:
        return []
    query = select(Entry).where(Entry.baby_id.in_(baby_ids), Entry.deleted_at.is_(None))
    return list(db.session.scalars(query.order_by(Entry.start)))


#: A spreadsheet reads a cell that starts with one of these as a formula (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_entries_csv(user: User) -> str:
    babies = {baby.id: baby.name for baby in _family_babies(user)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["id", "baby", "kind", "start", "end", "duration_minutes", "details", "note", "updated_at"]
    )
    for entry in _entries(list(babies)):
        writer.writerow(
            spreadsheet_safe(cell)
            for cell in [
                entry.id,
                babies[entry.baby_id],
                entry.kind,
                _z(entry.start),
                _z(entry.end),
                entry.duration_minutes if entry.end else "",
                json.dumps(entry.details or {}, ensure_ascii=False),
                entry.note or "",
                _z(entry.updated_at),
            ]
        )
    return out.getvalue()


def delete_account(user: User, password: object, address: str | None = None) -> None:
    """Delete the account and everything only it owns; its unused codes and invites stop
    working, grants it made end, sessions end. Wrong passwords count like sign-in failures."""
    from companion.share.services import release_parent  # noqa: PLC0415

    limits = login_limits(user.username, address)
    wait = throttle.take(limits)
    if wait:
        raise Throttled(_("Too many attempts. Please wait a while and try again."), retry_after=wait)
    user_id = user.id
    if not check_password(user, password):
        raise Validation(_("The password is not right."), {"password": _("The password is not right.")})
    user = db.session.get(User, user_id)
    throttle.give_back(limits)
    now = utcnow()
    family_id = user.family_id if user.is_parent else None
    alone = family_id is not None and not db.session.scalar(
        select(User.id).where(User.family_id == family_id, User.id != user.id).limit(1)
    )
    # The diary stays with the other parent, if there is one; what this parent handed out
    # (codes, invites, worker access) ends either way.
    release_parent(user, now)
    db.session.delete(user)
    db.session.flush()
    if alone:
        db.session.delete(db.session.get(Family, family_id))
    db.session.commit()


def prune(now: datetime | None = None) -> dict[str, int]:
    """Remove what the privacy page says is not kept any longer. Safe to run daily."""
    now = now or utcnow()
    cfg = current_app.config

    def days(name: str) -> datetime:
        return now - timedelta(days=int(cfg[f"COMPANION_RETENTION_{name}_DAYS"]))

    codes_before = days("CODES")
    grants_before = days("GRANTS")
    counts = {}
    counts["share_codes"] = db.session.execute(
        delete(ShareCode).where(
            or_(
                ShareCode.expires_at < codes_before,
                ShareCode.used_at < codes_before,
                ShareCode.voided_at < codes_before,
            )
        )
    ).rowcount
    counts["family_invites"] = db.session.execute(
        delete(FamilyInvite).where(
            or_(
                FamilyInvite.expires_at < codes_before,
                FamilyInvite.used_at < codes_before,
                FamilyInvite.voided_at < codes_before,
            )
        )
    ).rowcount
    counts["grants"] = db.session.execute(
        delete(Grant).where(or_(Grant.ended_at < grants_before, Grant.expires_at < grants_before))
    ).rowcount
    counts["audit_events"] = db.session.execute(
        delete(AuditEvent).where(AuditEvent.created_at < days("AUDIT"))
    ).rowcount
    counts["tombstones"] = db.session.execute(
        delete(Entry).where(Entry.deleted_at < days("TOMBSTONE"))
    ).rowcount
    counts["throttle_counters"] = throttle.prune(days("THROTTLE"))
    db.session.commit()
    return counts
