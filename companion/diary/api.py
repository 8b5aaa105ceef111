"""JSON API for babies and entries (contract in DESIGN.md)."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from companion.apiutil import json_body, parse_if_match, parse_instant, role_required
from companion.diary import api_bp, schemas, services
from companion.diary.services import EntryInput
from companion.schema import parse, read


@api_bp.get("/babies")
@role_required("parent")
def babies_list():
    return jsonify({"babies": [schemas.baby_body(baby) for baby in services.babies_of(current_user)]})


@api_bp.post("/babies")
@role_required("parent")
def babies_create():
    body = parse(schemas.BabyInput, json_body())
    baby = services.create_baby(current_user, body.name, body.birth_date, body.due_date)
    return jsonify({"baby": schemas.baby_body(baby)}), 201


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
    return jsonify({"entries": [schemas.entry_body(entry) for entry in entries]})


def entry_input(data: dict) -> EntryInput:
    """What can be read of the body, and every problem found, for the service to report
    with its own: a client sees them all at once."""
    values, problems = read(schemas.EntryInput, data)
    times = {name: None if name in problems else values[name] for name in ("start", "end", "client_now")}
    return EntryInput(
        kind=values["kind"],
        details=values["details"],
        note=values["note"],
        fields=problems,
        **times,
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
    response = jsonify({"entry": schemas.entry_body(entry)})
    response.status_code = 201 if created else 200
    response.headers["ETag"] = f'"{entry.version}"'
    return response


@api_bp.delete("/babies/<baby_id>/entries/<entry_id>")
@role_required("parent")
def entry_delete(baby_id, entry_id):
    services.delete_entry(current_user, baby_id, entry_id)
    return "", 204
