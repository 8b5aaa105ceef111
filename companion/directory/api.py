"""JSON API of the directory: the public list, contact requests, the own organisation."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from companion.accounts.models import ORGANISATION_TEXTS
from companion.apiutil import json_body, role_required
from companion.directory import api_bp, schemas, services
from companion.i18n import locale_code


def organisation_body(org) -> dict:
    state = services.state_of(org)

    def pair(name: str) -> dict:
        return {"fi": state.texts.get(f"{name}_fi"), "sv": state.texts.get(f"{name}_sv")}

    return schemas.dump(
        schemas.OrganisationBody,
        organisation={
            "slug": org.slug,
            "name": {"fi": state.name_fi, "sv": state.name_sv},
            "municipalities": [{"fi": fi, "sv": sv} for fi, sv in state.municipalities],
            "phone": state.phone,
            "email": state.email,
            "web": state.web,
            "languages": state.languages,
            **{name: pair(name) for name in ORGANISATION_TEXTS},
            "active": org.active,
            "updated_at": org.updated_at,
        },
    )


def request_body(row) -> dict:
    return schemas.ContactRequest.model_validate(row).model_dump(mode="json")


@api_bp.get("/services")
def services_list():
    cards = services.find_services(request.args.get("municipality"), locale_code())
    return jsonify(schemas.dump(schemas.Services, services=[card.as_dict() for card in cards]))


@api_bp.post("/services/<slug>/contact-requests")
def contact_request_create(slug: str):
    services.public_organisation(slug)  # 404 before anything else
    data = schemas.parse(schemas.ContactRequestIn, json_body())
    services.request_contact(slug, data, request.remote_addr)
    return jsonify({}), 201


@api_bp.get("/organisation/contact-requests")
@role_required("worker")
def contact_requests_list():
    rows = services.contact_requests(current_user)
    return jsonify({"contact_requests": [request_body(row) for row in rows]})


@api_bp.patch("/organisation/contact-requests/<int:request_id>")
@role_required("worker")
def contact_request_update(request_id: int):
    data = schemas.parse(schemas.ContactRequestUpdate, json_body())
    row = services.close_request(current_user, request_id, data)
    return jsonify({"contact_request": request_body(row)})


@api_bp.get("/organisation")
@role_required("worker")
def organisation_get():
    return jsonify(organisation_body(services.own_organisation(current_user)))


@api_bp.put("/organisation")
@role_required("coordinator")
def organisation_update():
    changes = schemas.parse(schemas.OrganisationIn, json_body())
    org = services.update_organisation(current_user, changes, locale_code())
    return jsonify(organisation_body(org))
