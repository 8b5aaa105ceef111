"""JSON API for sharing: codes, grants, the worker's read-only diaries, partner invites."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import jsonify, request
from flask_login import current_user

from companion import types as utc
from companion.apiutil import json_body, parse_date, parse_instant, parse_range, role_required
from companion.rhythm import schemas as rhythm_schemas
from companion.rhythm import services as rhythm
from companion.share import api_bp, services
from companion.share.models import Grant
from companion.wellbeing import services as wellbeing


def _z(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _optional_body() -> dict[str, Any]:
    """A JSON object, or nothing at all (every field has a default)."""
    if not request.get_data():
        return {}
    return json_body()


def parent_grant(grant: Grant, now: datetime) -> dict[str, Any]:
    worker = grant.worker
    org = worker.organisation
    return {
        "id": grant.id,
        "worker": {
            "display_name": worker.display_name,
            "organisation": {"name": org.name, "locality": org.locality} if org else None,
        },
        "scope": grant.scope,
        "label": grant.label,
        "created_at": _z(grant.created_at),
        "expires_at": _z(grant.expires_at),
        "last_viewed_at": _z(grant.last_viewed_at),
        "active": grant.is_active(now),
        "ended_at": _z(grant.ended_at),
        "ended_reason": grant.end_reason,
    }


def worker_grant(shared: services.SharedDiary) -> dict[str, Any]:
    grant = shared.grant
    return {
        "id": grant.id,
        "label": grant.label,
        "scope": grant.scope,
        "created_at": _z(grant.created_at),
        "expires_at": _z(grant.expires_at),
        "last_viewed_at": _z(grant.last_viewed_at),
        "baby": {
            "age_days": shared.age_days,
            "corrected_age_days": shared.corrected_days,
            "weeks_to_due": shared.weeks_to_due,
        },
        "changes_since_last_view": shared.changes,
    }


# -- the parent ---------------------------------------------------------------------------


@api_bp.post("/babies/<baby_id>/share-codes")
@role_required("parent")
def share_code_create(baby_id):
    data = _optional_body()
    row, code = services.create_share_code(
        current_user,
        baby_id,
        scope=data.get("scope"),
        valid_hours=data.get("valid_hours"),
        grant_days=data.get("grant_days"),
        label=data.get("label"),
    )
    return jsonify({"code": code, "expires_at": _z(row.expires_at)}), 201


@api_bp.get("/babies/<baby_id>/grants")
@role_required("parent")
def grants_list(baby_id):
    now = utc.utcnow()
    grants = services.baby_grants(current_user, baby_id, now)
    return jsonify({"grants": [parent_grant(grant, now) for grant in grants]})


@api_bp.delete("/grants/<grant_id>")
@role_required("parent")
def grant_delete(grant_id):
    services.revoke_grant(current_user, grant_id)
    return "", 204


@api_bp.post("/family/invites")
@role_required("parent")
def invite_create():
    data = _optional_body()
    invite, code = services.create_family_invite(current_user, data.get("valid_hours"))
    return jsonify({"code": code, "expires_at": _z(invite.expires_at)}), 201


@api_bp.post("/family/join")
@role_required("parent")
def family_join():
    data = json_body()
    family = services.join_family(current_user, data.get("code"), address=request.remote_addr)
    return jsonify({"family": {"id": family.id, "babies": [baby.to_dict() for baby in family.babies]}})


# -- the worker ---------------------------------------------------------------------------


@api_bp.post("/share/redeem")
@role_required("worker")
def share_redeem():
    data = json_body()
    grant = services.redeem_code(current_user, data.get("code"), address=request.remote_addr)
    body = {"id": grant.id, "label": grant.label, "scope": grant.scope, "expires_at": _z(grant.expires_at)}
    return jsonify({"grant": body}), 201


@api_bp.get("/shared")
@role_required("worker")
def shared_list():
    return jsonify({"grants": [worker_grant(shared) for shared in services.worker_diaries(current_user)]})


@api_bp.get("/shared/<grant_id>/entries")
@role_required("worker")
def shared_entries(grant_id):
    # Parse first, so a bad request is refused before it is recorded as a view.
    since = parse_instant(request.args.get("since"), "since", required=False)
    until = parse_instant(request.args.get("until"), "until", required=False)
    entries = services.shared_entries(current_user, grant_id, since, until)
    return jsonify({"entries": [entry.to_dict() for entry in entries]})


@api_bp.get("/shared/<grant_id>/rhythm")
@role_required("worker")
def shared_rhythm(grant_id):
    grant = services.worker_grant(current_user, grant_id)
    # The dates are checked before the view is recorded.
    first, last = rhythm.rhythm_range(grant.baby, *parse_range(request.args))
    body = rhythm_schemas.rhythm_body(rhythm.period_figures(grant.baby, first, last))
    services.view_grant(current_user, grant.id, "api")
    return jsonify(body)


@api_bp.get("/shared/<grant_id>/checkins")
@role_required("worker")
def shared_checkins(grant_id):
    """The code-maker's own check-ins, only with the diary+wellbeing scope (else 404)."""
    grant = services.worker_grant(current_user, grant_id)
    _first, _last, checkins = wellbeing.shared_checkins(grant, request.args)  # checks scope, then dates
    services.view_grant(current_user, grant.id, "api")
    return jsonify({"checkins": [wellbeing.checkin_dict(c) for c in checkins]})


@api_bp.get("/shared/<grant_id>/plan")
@role_required("worker")
def shared_plan(grant_id):
    grant = services.worker_grant(current_user, grant_id)
    day = parse_date(request.args.get("date"), "date")  # checked before the view is recorded
    body = rhythm_schemas.plans_body(*rhythm.plans_on(grant.baby, day))
    services.view_grant(current_user, grant.id, "api")
    return jsonify(body)
