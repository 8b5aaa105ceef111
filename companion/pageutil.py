"""Small helpers shared by the HTML pages of every feature (the API's are in apiutil)."""

from __future__ import annotations

import functools
from zoneinfo import ZoneInfo

from flask import abort, current_app, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm

from companion.errors import ServiceError
from companion.extensions import login_manager


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for one-button actions."""


def pages_for(*roles: str):
    """Sign-in page for anonymous visitors, 403 for another role."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def no_store(response):
    """An after-request hook for pages that must never be kept in a browser's or proxy's
    cache (codes, passwords, diaries, how a parent is coping)."""
    response.headers["Cache-Control"] = "no-store"
    return response


def apply_errors(form, error: ServiceError, fallback: str | None = None) -> None:
    """A service's field errors next to the form's fields of the same names; an error
    without fields goes next to the ``fallback`` field, when one is named."""
    fields = error.fields or ({fallback: error.message} if fallback else {})
    for name, message in fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message]


def wants_confirmation() -> bool:
    """A destructive form asks once: a JS dialog (data-confirm), or this page without JS.

    Without JS, the form's <noscript> field `ask` arrives and the confirmation page is shown.
    """
    return request.method == "GET" or bool(request.form.get("ask"))


def confirm(title: str, message: str, button: str, cancel: str) -> str:
    """The confirmation page of a destructive action (``confirm.html``)."""
    return render_template(
        "confirm.html", title=title, message=message, button=button, cancel=cancel, form=EmptyForm()
    )


def default_zone() -> ZoneInfo:
    """The zone of staff pages, which show no family's diary."""
    return ZoneInfo(current_app.config["COMPANION_DEFAULT_TIMEZONE"])
