"""JSON API for babies and entries (contract in DESIGN.md)."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from companion.apiutil import json_body, parse_date, parse_if_match, parse_instant, role_required
from companion.diary import api_bp, services
from companion.diary.services import EntryInput
from companion.errors import Validation


@api_bp.get("/babies")
@role_required("parent")
def babies_list():
    return jsonify({"babies": [baby.to_dict() for baby in services.babies_of(current_user)]})


@api_bp.post("/babies")
@role_required("parent")
def babies_create():
    data = json_body()
    fields: dict[str, str] = {}
    dates = {}
    for name in ("birth_date", "due_date"):
        try:
            dates[name] = parse_date(data.get(name), name)
        except Validation as error:
            fields.update(error.fields)
    if fields:
        raise Validation(_("Please check the dates."), fields)
    baby = services.create_baby(current_user, data.get("name"), dates["birth_date"], dates["due_date"])
    return jsonify({"baby": baby.to_dict()}), 201


@api_bp.get("/babies/<baby_id>/entries")
@role_required("parent")
def entries_list(baby_id):
    if "changed_since" in request.args:
        since = parse_instant(request.args.get("changed_since"), "changed_since")
        entries = services.changed_entries(current_user, baby_id, since)
    else:
        since = parse_instant(request.args.get("since"), "since", required=False)
        until = parse_instant(request.args.get("until"), "until", required=False)
        entries = services.list_entries(current_user, baby_id, since, until)
    return jsonify({"entries": [entry.to_dict() for entry in entries]})


def entry_input(data: dict) -> EntryInput:
    """Parse what can be parsed and collect every field error, so a client sees them all."""
    fields: dict[str, str] = {}
    values = {}
    for name, required in (("start", True), ("end", False), ("recorded_at", False), ("client_now", False)):
        try:
            values[name] = parse_instant(data.get(name), name, required=required)
        except Validation as error:
            fields.update(error.fields)
            values[name] = None
    return EntryInput(
        kind=data.get("kind"),
        start=values["start"],
        end=values["end"],
        details=data.get("details"),
        note=data.get("note"),
        recorded_at=values["recorded_at"],
        client_now=values["client_now"],
        fields=fields,
    )


@api_bp.put("/babies/<baby_id>/entries/<entry_id>")
@role_required("parent")
def entry_put(baby_id, entry_id):
    data = json_body()
    entry, created = services.save_entry(
        current_user,
        baby_id,
        entry_id,
        entry_input(data),
        if_match=parse_if_match(request.headers.get("If-Match")),
    )
    response = jsonify({"entry": entry.to_dict()})
    response.status_code = 201 if created else 200
    response.headers["ETag"] = f'"{entry.version}"'
    return response


@api_bp.delete("/babies/<baby_id>/entries/<entry_id>")
@role_required("parent")
def entry_delete(baby_id, entry_id):
    services.delete_entry(current_user, baby_id, entry_id)
    return "", 204
