"""JSON API: who am I, sign-up, sign-in, sign-out, devices, the second factor, your data."""

from __future__ import annotations

from flask import jsonify, make_response, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from companion.accounts import api_bp, services, sessions
from companion.accounts.views import sign_in
from companion.apiutil import json_body, role_required
from companion.i18n import chosen_locale
from companion.types import utcnow


def _z(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _me_body(user=None) -> dict:
    user = user if user is not None else (current_user if current_user.is_authenticated else None)
    return {"user": user.public_dict() if user else None, "csrf_token": generate_csrf()}


@api_bp.get("/me")
def me():
    return jsonify(_me_body())


@api_bp.post("/signup")
def signup():
    data = json_body()
    user, codes = services.sign_up(
        data.get("username"), data.get("password"), chosen_locale(), request.remote_addr
    )
    sign_in(user)
    body = _me_body(user)
    body["recovery_codes"] = codes
    return jsonify(body), 201


@api_bp.post("/login")
def login():
    data = json_body()
    signed = services.authenticate(
        data.get("username"), data.get("password"), request.remote_addr, data.get("otp")
    )
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
    return jsonify({"secret": secret, "otpauth_uri": uri}), 201


@api_bp.post("/me/second-factor/confirm")
@role_required()
def second_factor_confirm():
    data = json_body()
    codes = services.confirm_second_factor(current_user, data.get("otp"), request.remote_addr)
    sessions.upgrade_current_session()
    return jsonify({"backup_codes": codes})


@api_bp.get("/me/sessions")
@role_required()
def sessions_list():
    current = sessions.current_session()
    return jsonify(
        {
            "sessions": [
                {
                    "id": row.id,
                    "device": row.device,
                    "created_at": _z(row.created_at),
                    "last_seen_at": _z(row.last_seen_at),
                    "current": current is not None and row.id == current.id,
                }
                for row in services.list_sessions(current_user)
            ]
        }
    )


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
    from companion.accounts import privacy  # noqa: PLC0415

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
    from companion.accounts import privacy  # noqa: PLC0415

    data = json_body()
    privacy.delete_account(current_user._get_current_object(), data.get("password"), request.remote_addr)
    sessions.sign_out()
    return "", 204
