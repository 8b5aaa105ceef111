"""JSON API: who am I, sign-up, sign-in, sign-out."""

from __future__ import annotations

from flask import jsonify, make_response, request, session
from flask_login import current_user, logout_user
from flask_wtf.csrf import generate_csrf

from companion.accounts import api_bp, privacy, services
from companion.accounts.views import sign_in
from companion.apiutil import json_body, role_required
from companion.i18n import chosen_locale
from companion.types import utcnow


def _me_body(user=None) -> dict:
    user = user if user is not None else (current_user if current_user.is_authenticated else None)
    return {"user": user.public_dict() if user else None, "csrf_token": generate_csrf()}


@api_bp.get("/me")
def me():
    return jsonify(_me_body())


@api_bp.post("/signup")
def signup():
    data = json_body()
    user, codes = services.sign_up(data.get("username"), data.get("password"), chosen_locale())
    sign_in(user)
    body = _me_body(user)
    body["recovery_codes"] = codes
    return jsonify(body), 201


@api_bp.post("/login")
def login():
    data = json_body()
    user = services.authenticate(data.get("username"), data.get("password"), request.remote_addr)
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
    data = json_body()
    privacy.delete_account(current_user._get_current_object(), data.get("password"))
    logout_user()
    session.clear()
    return "", 204
