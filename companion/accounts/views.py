"""Sign-up, sign-in, recovery and account pages."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace
from urllib.parse import urlsplit

import segno
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from companion.accounts import bp, services, sessions
from companion.accounts.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    LoginForm,
    OtpForm,
    PasswordConfirmForm,
    RecoverForm,
    SetupForm,
    SignupForm,
)
from companion.accounts.privacy import delete_account
from companion.errors import Forbidden, ServiceError, error_headers, is_api_request
from companion.i18n import chosen_locale, explicit_choice, format_moment
from companion.pageutil import EmptyForm, default_zone, submit


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def home_for(user) -> str:
    if sessions.needs_second_factor():
        return url_for("accounts.second_factor")
    if user.is_parent:
        return url_for("diary.home")
    if user.is_worker:
        return url_for("share.worker_index")
    if user.role == "admin":
        return url_for("admin.index")
    return url_for("accounts.account")


def sign_in(user, second_factor_ok: bool = True) -> None:
    """A fresh server-side session at every sign-in (no fixation)."""
    sessions.sign_in(user, second_factor_ok)


#: What a staff session signed in with the password alone may reach: enrolment, sign-out,
#: who am I, and the public pages.
ENROLMENT_ENDPOINTS = {
    "accounts.second_factor",
    "accounts.logout",
    "accounts.index",
    "accounts.privacy",
    "accounts_api.me",
    "accounts_api.logout",
    "accounts_api.second_factor_start",
    "accounts_api.second_factor_confirm",
    "ops.healthz",
    "openapi.openapi_json",
}


def require_second_factor():
    """Before every request: a staff session without its second factor may only enrol
    (403 ``second_factor_required`` on the API, the enrolment page for pages)."""
    endpoint = request.endpoint or ""
    if endpoint in ENROLMENT_ENDPOINTS or endpoint.startswith(("static", "pwa.", "guides.")):
        return None
    if not sessions.needs_second_factor():
        return None
    if is_api_request():
        raise Forbidden(
            _("Set up the second factor first: a code from an authenticator app."),
            code="second_factor_required",
        )
    return redirect(url_for("accounts.second_factor"))


@bp.after_app_request
def remember_language(response):
    """A language chosen with ``?lang=`` while signed in is the account's language too."""
    lang = explicit_choice()
    if lang and current_user.is_authenticated:
        services.set_locale(current_user, lang)
    return response


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return render_template("accounts/index.html")


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = SignupForm()
    sent = submit(
        form,
        lambda: services.sign_up(
            form.username.data, form.password.data, chosen_locale(), request.remote_addr
        ),
        say=True,
    )
    if sent:
        user, codes = sent.value
        sign_in(user)
        sessions.keep_for_showing("recovery_codes", json.dumps(codes))
        return redirect(url_for("accounts.recovery_codes"))
    return render_template("accounts/signup.html", form=form), *sent.status()


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    status, headers, ask_otp = 200, {}, False
    if form.validate_on_submit():
        try:
            signed = services.authenticate(
                form.username.data, form.password.data, request.remote_addr, form.otp.data or None
            )
        except ServiceError as error:
            status, headers = error.status, error_headers(error)
            ask_otp = error.code == "otp_required"
            if ask_otp and form.otp.data:
                form.otp.errors = [error.message]
            elif not ask_otp:
                flash(error.message, "error")
            # The second step keeps what was typed in the first (this answer is not stored).
            form.password.widget.hide_value = not ask_otp
        else:
            target = safe_next(request.args.get("next"))
            sign_in(signed.user, signed.second_factor_ok)
            if not signed.second_factor_ok:
                return redirect(url_for("accounts.second_factor"))
            return redirect(target or home_for(signed.user))
    return render_template("accounts/login.html", form=form, ask_otp=ask_otp), status, headers


@bp.post("/logout")
def logout():
    form = EmptyForm()
    if form.validate_on_submit() or not current_user.is_authenticated:
        sessions.sign_out()
        flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.index"))


@bp.route("/recover", methods=["GET", "POST"])
def recover():
    form = RecoverForm()
    sent = submit(
        form,
        lambda: services.recover(
            form.username.data, form.code.data, form.new_password.data, request.remote_addr
        ),
        say=True,
    )
    if sent:
        user = sent.value
        sign_in(user)
        left = services.unused_recovery_codes(user)
        flash(_("Your new password is set. You have %(n)d recovery codes left.", n=left), "info")
        return redirect(home_for(user))
    if sent.error:
        return render_template("accounts/recover.html", form=form), *sent.status()
    return render_template("accounts/recover.html", form=form), 200


@bp.get("/account/recovery-codes")
@login_required
def recovery_codes():
    kept = sessions.take_for_showing("recovery_codes")
    codes = json.loads(kept) if kept else None
    return render_template(
        "accounts/recovery_codes.html",
        codes=codes,
        left=services.unused_recovery_codes(current_user),
        form=PasswordConfirmForm(),
    )


@bp.post("/account/recovery-codes")
@login_required
def recovery_codes_regenerate():
    form = PasswordConfirmForm()
    sent = submit(
        form, lambda: services.regenerate_recovery_codes(current_user, form.password.data), say=True
    )
    if sent:
        sessions.keep_for_showing("recovery_codes", json.dumps(sent.value))
    return redirect(url_for("accounts.recovery_codes"))


def _account_page(password_form=None):
    tz = default_zone()
    current = sessions.current_session()
    return render_template(
        "accounts/account.html",
        password_form=password_form or ChangePasswordForm(),
        everywhere_form=EmptyForm(),
        codes_left=services.unused_recovery_codes(current_user),
        backup_left=services.unused_codes(current_user, "backup"),
        devices=services.list_sessions(current_user),
        current_id=current.id if current is not None else None,
        when=lambda moment: format_moment(moment, tz),
        device_name=sessions.device_name,
    )


@bp.route("/account", methods=["GET"])
@login_required
def account():
    return _account_page()


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def session_end(session_id: int):
    """Sign out one device; this one signs out like the sign-out button."""
    if EmptyForm().validate_on_submit():
        current = sessions.current_session()
        if current is not None and current.id == session_id:
            sessions.sign_out()
            flash(_("You have signed out."), "info")
            return redirect(url_for("accounts.index"))
        services.end_session(current_user, session_id)
        flash(_("That device was signed out."), "info")
    return redirect(url_for("accounts.account"))


@bp.post("/account/password")
@login_required
def password_change():
    form = ChangePasswordForm()
    changed = submit(
        form,
        lambda: services.change_password(
            current_user, form.current_password.data, form.new_password.data, keep=sessions.current_session()
        ),
        say=True,
    )
    if changed:
        flash(_("Your password is changed. Other devices were signed out."), "info")
        return redirect(url_for("accounts.account"))
    return _account_page(form), 422


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    form = EmptyForm()
    if form.validate_on_submit():
        services.sign_out_everywhere(current_user)
        sessions.sign_out()
        flash(_("You were signed out on every device."), "info")
    return redirect(url_for("accounts.index"))


@bp.get("/privacy")
def privacy():
    cfg = current_app.config
    retention = SimpleNamespace(
        codes_days=cfg["COMPANION_RETENTION_CODES_DAYS"],
        grants_days=cfg["COMPANION_RETENTION_GRANTS_DAYS"],
        audit_days=cfg["COMPANION_RETENTION_AUDIT_DAYS"],
        tombstone_days=cfg["COMPANION_RETENTION_TOMBSTONE_DAYS"],
        throttle_days=cfg["COMPANION_RETENTION_THROTTLE_DAYS"],
        contact_days=cfg["COMPANION_RETENTION_CONTACT_DAYS"],
        contact_open_days=cfg["COMPANION_RETENTION_CONTACT_OPEN_DAYS"],
    )
    # Later features add their part of the page (templates named at start-up).
    sections = current_app.extensions.get("companion.privacy_sections", [])
    return render_template(
        "accounts/privacy.html",
        retention=retention,
        sections=sections,
        retention_grants_days=retention.grants_days,
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def account_delete():
    form = DeleteAccountForm()
    deleted = submit(
        form,
        lambda: delete_account(current_user._get_current_object(), form.password.data, request.remote_addr),
        fallback="password",
    )
    if deleted:
        sessions.sign_out()
        flash(_("Your account and its data were deleted."), "info")
        return redirect(url_for("accounts.index"))
    return render_template("accounts/account_delete.html", form=form), *deleted.status()


# -- the staff's second factor and set-up links ---------------------------------------------


def qr_svg(text: str) -> Markup:
    """The QR code of an otpauth:// URI as inline SVG (no script, allowed by the CSP)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(
        out,
        kind="svg",
        scale=5,
        border=2,
        xmldecl=False,
        svgns=True,
        dark="#111",
        light="#fff",
        title=_("QR code for the authenticator app"),
    )
    return Markup(out.getvalue().decode())


@bp.route("/account/second-factor", methods=["GET", "POST"])
@login_required
def second_factor():
    """Staff set up their authenticator app: a QR code, then the first code confirms it
    and the backup codes are shown once."""
    if not current_user.is_staff:
        abort(404)
    kept = sessions.take_for_showing("backup_codes")
    if kept:
        return render_template("accounts/second_factor.html", backup_codes=json.loads(kept))
    if current_user.has_second_factor:
        return render_template(
            "accounts/second_factor.html", left=services.unused_codes(current_user, "backup")
        )
    form = OtpForm()
    sent = submit(
        form,
        lambda: services.confirm_second_factor(current_user, form.otp.data, request.remote_addr),
        fallback="otp",
    )
    if sent:
        sessions.upgrade_current_session()
        sessions.keep_for_showing("backup_codes", json.dumps(sent.value))
        return redirect(url_for("accounts.second_factor"))
    if not current_user.totp_secret:
        services.start_second_factor(current_user)
    secret = current_user.totp_secret
    return (
        render_template(
            "accounts/second_factor.html",
            form=form,
            qr=qr_svg(services.otpauth_uri(current_user)),
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        ),
        *sent.status(),
    )


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str):
    """A staff member's set-up link: choose a password, then set up the second factor."""
    user = services.setup_link_user(token)
    if user is None:
        message = _("This link does not work: it was used already or it expired. Ask for a new one.")
        return render_template("error.html", status=404, message=message), 404
    form = SetupForm()
    sent = submit(form, lambda: services.use_setup_link(token, form.new_password.data))
    if sent:
        sign_in(sent.value, second_factor_ok=not services.second_factor_required())
        flash(_("Your password is set."), "info")
        return redirect(home_for(sent.value))
    return render_template("accounts/setup.html", form=form, username=user.username), *sent.status()
