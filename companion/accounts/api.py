"""JSON API: who am I, sign-up, sign-in, sign-out."""

from __future__ import annotations

from flask import jsonify, make_response, request, session
from flask_login import current_user, logout_user
from flask_wtf.csrf import generate_csrf

from companion.accounts import api_bp, privacy, schemas, services
from companion.accounts.views import sign_in
from companion.apiutil import json_body, role_required
from companion.i18n import chosen_locale
from companion.schema import parse
from companion.types import utcnow


def _me_body(user=None, **extra) -> dict:
    user = user if user is not None else (current_user if current_user.is_authenticated else None)
    return schemas.me_body(user, generate_csrf(), **extra)


@api_bp.get("/me")
def me():
    return jsonify(_me_body())


@api_bp.post("/signup")
def signup():
    body = parse(schemas.SignUp, json_body())
    user, codes = services.sign_up(body.username, body.password, chosen_locale())
    sign_in(user)
    return jsonify(_me_body(user, recovery_codes=codes)), 201


@api_bp.post("/login")
def login():
    body = parse(schemas.SignIn, json_body())
    user = services.authenticate(body.username, body.password, request.remote_addr)
    sign_in(user)
    return jsonify(_me_body(user))


@api_bp.post("/logout")
@role_required()
def logout():
    logout_user()
    session.clear()
    return "", 204


@api_bp.get("/export")
@role_required()
def export():
    stamp = utcnow().strftime("%Y-%m-%d")
    if request.args.get("format") == "csv":
        response = make_response(privacy.export_entries_csv(current_user))
        response.mimetype = "text/csv"
        response.headers["Content-Disposition"] = f'attachment; filename="diary-{stamp}.csv"'
        return response
    response = jsonify(privacy.export_data(current_user))
    response.headers["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    return response


@api_bp.delete("/me")
@role_required()
def delete_me():
    body = parse(schemas.PasswordCheck, json_body())
    privacy.delete_account(current_user._get_current_object(), body.password)
    logout_user()
    session.clear()
    return "", 204
