"""JSON API: who am I, sign-up, sign-in, sign-out."""

from __future__ import annotations

from flask import jsonify, request, session
from flask_login import current_user, logout_user
from flask_wtf.csrf import generate_csrf

from companion.accounts import api_bp, services
from companion.accounts.views import sign_in
from companion.apiutil import json_body, role_required
from companion.i18n import chosen_locale


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
