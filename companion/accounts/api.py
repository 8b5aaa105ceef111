"""JSON API: who am I, sign-up, sign-in, sign-out, devices, the second factor, your data."""

from __future__ import annotations

from flask import jsonify, make_response, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from companion.accounts import api_bp, privacy, schemas, services, sessions
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
    user, codes = services.sign_up(body.username, body.password, chosen_locale(), request.remote_addr)
    sign_in(user)
    return jsonify(_me_body(user, recovery_codes=codes)), 201


@api_bp.post("/login")
def login():
    body = parse(schemas.SignIn, json_body())
    signed = services.authenticate(body.username, body.password, request.remote_addr, body.otp)
    sign_in(signed.user, signed.second_factor_ok)
    return jsonify(_me_body(signed.user))


@api_bp.post("/logout")
@role_required()
def logout():
    sessions.sign_out()
    return "", 204


@api_bp.post("/me/second-factor")
@role_required()
def second_factor_start():
    secret, uri = services.start_second_factor(current_user)
    return jsonify(schemas.SecondFactorStarted(secret=secret, otpauth_uri=uri).model_dump(mode="json")), 201


@api_bp.post("/me/second-factor/confirm")
@role_required()
def second_factor_confirm():
    body = parse(schemas.OtpCheck, json_body())
    codes = services.confirm_second_factor(current_user, body.otp, request.remote_addr)
    sessions.upgrade_current_session()
    return jsonify(schemas.BackupCodes(backup_codes=codes).model_dump(mode="json"))


@api_bp.get("/me/sessions")
@role_required()
def sessions_list():
    current = sessions.current_session()
    rows = services.list_sessions(current_user)
    return jsonify(schemas.sessions_body(rows, current.id if current is not None else None))


@api_bp.delete("/me/sessions/<session_id>")
@role_required()
def sessions_delete(session_id):
    current = sessions.current_session()
    if current is not None and str(current.id) == session_id:
        sessions.sign_out()  # this device: like signing out
    else:
        services.end_session(current_user, session_id)
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
    privacy.delete_account(current_user._get_current_object(), body.password, request.remote_addr)
    sessions.sign_out()
    return "", 204
