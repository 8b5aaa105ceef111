"""JSON API for sharing: codes, grants, the worker's read-only diaries, partner invites."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user

from companion import types as utc
from companion.apiutil import json_body, parse_date, parse_instant, parse_range, role_required
from companion.diary.schemas import entry_body
from companion.rhythm import schemas as rhythm_schemas
from companion.rhythm import services as rhythm
from companion.schema import parse, read
from companion.share import api_bp, schemas, services
from companion.wellbeing.schemas import checkin_body


def _optional_body() -> dict[str, Any]:
    """A JSON object, or nothing at all (every field has a default)."""
    if not request.get_data():
        return {}
    return json_body()


# -- the parent ---------------------------------------------------------------------------


@api_bp.post("/babies/<baby_id>/share-codes")
@role_required("parent")
def share_code_create(baby_id):
    values, problems = read(schemas.ShareCodeInput, _optional_body())
    row, code = services.create_share_code(current_user, baby_id, **values, problems=problems)
    return jsonify(schemas.code_body(code, row.expires_at)), 201


@api_bp.get("/babies/<baby_id>/grants")
@role_required("parent")
def grants_list(baby_id):
    now = utc.utcnow()
    grants = services.baby_grants(current_user, baby_id, now)
    return jsonify(schemas.parent_grants_body(grants, now))


@api_bp.delete("/grants/<grant_id>")
@role_required("parent")
def grant_delete(grant_id):
    services.revoke_grant(current_user, grant_id)
    return "", 204


@api_bp.patch("/grants/<grant_id>")
@role_required("parent")
def grant_update(grant_id):
    """Changing one's mind about anonymous statistics from this diary."""
    values, problems = read(schemas.GrantUpdate, json_body())
    grant = services.set_statistics(current_user, grant_id, values["statistics"], problems=problems)
    return jsonify(schemas.updated_grant_body(grant, utc.utcnow()))


@api_bp.post("/family/invites")
@role_required("parent")
def invite_create():
    values, problems = read(schemas.InviteInput, _optional_body())
    invite, code = services.create_family_invite(current_user, values["valid_hours"], problems=problems)
    return jsonify(schemas.code_body(code, invite.expires_at)), 201


@api_bp.post("/family/join")
@role_required("parent")
def family_join():
    body = parse(schemas.JoinInput, json_body())
    family = services.join_family(
        current_user, body.code, bring_babies=body.bring_babies, address=request.remote_addr
    )
    return jsonify(schemas.joined_body(family))


# -- the worker ---------------------------------------------------------------------------


@api_bp.post("/share/redeem")
@role_required("worker")
def share_redeem():
    body = parse(schemas.CodeInput, json_body())
    grant = services.redeem_code(current_user, body.code, address=request.remote_addr)
    return jsonify(schemas.redeemed_body(grant)), 201


@api_bp.get("/shared")
@role_required("worker")
def shared_list():
    return jsonify(schemas.shared_diaries_body(services.worker_diaries(current_user)))


@api_bp.get("/shared/<grant_id>/entries")
@role_required("worker")
def shared_entries(grant_id):
    # Parse first, so a bad request is refused before it is recorded as a view.
    since = parse_instant(request.args.get("since"), "since", required=False)
    until = parse_instant(request.args.get("until"), "until", required=False)
    entries = services.shared_entries(current_user, grant_id, since, until)
    return jsonify({"entries": [entry_body(entry) for entry in entries]})


@api_bp.get("/shared/<grant_id>/rhythm")
@role_required("worker")
def shared_rhythm(grant_id):
    grant = services.worker_grant(current_user, grant_id)
    # The dates are checked before the view is recorded.
    first, last = rhythm.rhythm_range(grant.baby, *parse_range(request.args))
    answer = rhythm_schemas.rhythm_response(rhythm.period_figures(grant.baby, first, last))
    services.view_grant(current_user, grant.id, "api")
    return answer


@api_bp.get("/shared/<grant_id>/checkins")
@role_required("worker")
def shared_checkins(grant_id):
    """The code-maker's own check-ins, only with the diary+wellbeing scope (else 404)."""
    grant = services.worker_grant(current_user, grant_id)
    services.require_wellbeing(grant)  # before the dates are even looked at
    first, last = rhythm.rhythm_range(grant.baby, *parse_range(request.args))
    checkins = services.shared_checkins(grant, first, last)
    services.view_grant(current_user, grant.id, "api")
    return jsonify({"checkins": [checkin_body(c) for c in checkins]})


@api_bp.get("/shared/<grant_id>/plan")
@role_required("worker")
def shared_plan(grant_id):
    grant = services.worker_grant(current_user, grant_id)
    day = parse_date(request.args.get("date"), "date")  # checked before the view is recorded
    body = rhythm_schemas.plans_body(*rhythm.plans_on(grant.baby, day))
    services.view_grant(current_user, grant.id, "api")
    return jsonify(body)
