"""Sign-up, sign-in, recovery and account pages."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from companion.accounts import bp, services
from companion.accounts.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    LoginForm,
    PasswordConfirmForm,
    RecoverForm,
    SignupForm,
)
from companion.accounts.privacy import delete_account
from companion.accounts.sessions import start_session
from companion.errors import ServiceError
from companion.i18n import chosen_locale, explicit_choice
from companion.pageutil import EmptyForm, apply_errors


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
    if user.is_parent:
        return url_for("diary.home")
    if user.is_worker:
        return url_for("share.worker_index")
    if user.role == "admin":
        return url_for("admin.index")
    return url_for("accounts.account")


def sign_in(user) -> None:
    """A fresh session at every sign-in (no fixation), then the role's lifetime."""
    session.clear()
    login_user(user)
    start_session(user)


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
    if form.validate_on_submit():
        try:
            user, codes = services.sign_up(form.username.data, form.password.data, chosen_locale())
        except ServiceError as error:
            apply_errors(form, error)
            flash(error.message, "error")
        else:
            sign_in(user)
            session["fresh_codes"] = codes
            return redirect(url_for("accounts.recovery_codes"))
    return render_template("accounts/signup.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data, request.remote_addr)
        except ServiceError as error:
            flash(error.message, "error")
            status = error.status
        else:
            target = safe_next(request.args.get("next"))
            sign_in(user)
            return redirect(target or home_for(user))
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout():
    form = EmptyForm()
    if form.validate_on_submit() or not current_user.is_authenticated:
        logout_user()
        session.clear()
        flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.index"))


@bp.route("/recover", methods=["GET", "POST"])
def recover():
    form = RecoverForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.recover(
                form.username.data, form.code.data, form.new_password.data, request.remote_addr
            )
        except ServiceError as error:
            apply_errors(form, error)
            flash(error.message, "error")
            status = error.status
        else:
            sign_in(user)
            left = services.unused_recovery_codes(user)
            flash(_("Your new password is set. You have %(n)d recovery codes left.", n=left), "info")
            return redirect(home_for(user))
    return render_template("accounts/recover.html", form=form), status


@bp.get("/account/recovery-codes")
@login_required
def recovery_codes():
    codes = session.pop("fresh_codes", None)
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
    if form.validate_on_submit():
        try:
            codes = services.regenerate_recovery_codes(current_user, form.password.data)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            session["fresh_codes"] = codes
    return redirect(url_for("accounts.recovery_codes"))


@bp.route("/account", methods=["GET"])
@login_required
def account():
    return render_template(
        "accounts/account.html",
        password_form=ChangePasswordForm(),
        everywhere_form=EmptyForm(),
        codes_left=services.unused_recovery_codes(current_user),
    )


@bp.post("/account/password")
@login_required
def password_change():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        except ServiceError as error:
            apply_errors(form, error)
            flash(error.message, "error")
        else:
            sign_in(current_user._get_current_object())
            flash(_("Your password is changed. Other devices were signed out."), "info")
            return redirect(url_for("accounts.account"))
    return render_template(
        "accounts/account.html",
        password_form=form,
        everywhere_form=EmptyForm(),
        codes_left=services.unused_recovery_codes(current_user),
    ), 422


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    form = EmptyForm()
    if form.validate_on_submit():
        services.sign_out_everywhere(current_user)
        logout_user()
        session.clear()
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
    )
    return render_template("accounts/privacy.html", retention=retention)


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def account_delete():
    form = DeleteAccountForm()
    status = 200
    if form.validate_on_submit():
        try:
            delete_account(current_user._get_current_object(), form.password.data)
        except ServiceError as error:
            apply_errors(form, error)
            status = error.status
        else:
            logout_user()
            session.clear()
            flash(_("Your account and its data were deleted."), "info")
            return redirect(url_for("accounts.index"))
    elif request.method == "POST":
        status = 422
    return render_template("accounts/account_delete.html", form=form), status
