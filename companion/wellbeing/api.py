"""JSON API for a parent's own check-ins (contract in DESIGN.md)."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from companion.apiutil import json_body, parse_range, role_required
from companion.schema import read
from companion.wellbeing import api_bp, schemas, services


@api_bp.get("/checkins")
@role_required("parent")
def checkins_list():
    _first, _last, checkins = services.list_checkins(current_user, *parse_range(request.args))
    return jsonify({"checkins": [schemas.checkin_body(c) for c in checkins]})


@api_bp.get("/checkins/<date>")
@role_required("parent")
def checkin_get(date):
    return jsonify({"checkin": schemas.checkin_body(services.get_checkin(current_user, date))})


@api_bp.put("/checkins/<date>")
@role_required("parent")
def checkin_put(date):
    values, problems = read(schemas.CheckInInput, json_body())
    checkin, created = services.save_checkin(current_user, date, **values, problems=problems)
    return jsonify({"checkin": schemas.checkin_body(checkin)}), 201 if created else 200
