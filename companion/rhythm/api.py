"""JSON API of the rhythm: a period's figures and the rhythm plan (contract in DESIGN.md)."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from companion.apiutil import json_body, parse_date, parse_range, role_required
from companion.diary import services as diary
from companion.rhythm import api_bp, schemas, services
from companion.schema import read


@api_bp.get("/babies/<baby_id>/rhythm")
@role_required("parent")
def rhythm(baby_id):
    baby = diary.get_baby(current_user, baby_id)
    first, last = services.rhythm_range(baby, *parse_range(request.args))
    return schemas.rhythm_response(services.period_figures(baby, first, last))


@api_bp.put("/babies/<baby_id>/plan")
@role_required("parent")
def plan_put(baby_id):
    values, problems = read(schemas.PlanInput, json_body())
    row, created = services.save_plan(current_user, baby_id, values, problems=problems)
    return jsonify({"plan": schemas.plan_body(row)}), 201 if created else 200


@api_bp.get("/babies/<baby_id>/plan")
@role_required("parent")
def plan_get(baby_id):
    """The plan in effect today (or on `?date=`) and every plan, newest first."""
    baby = diary.get_baby(current_user, baby_id)
    day = parse_date(request.args.get("date"), "date")
    return jsonify(schemas.plans_body(*services.plans_on(baby, day)))
