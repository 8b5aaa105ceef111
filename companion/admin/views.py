"""Administration pages: organisations, and the workers' accounts (/admin/)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from companion.admin import bp, services
from companion.admin.forms import OrganisationForm, WorkerForm
from companion.errors import Validation
from companion.i18n import format_moment
from companion.pageutil import (
    EmptyForm,
    Page,
    choices,
    confirm,
    default_zone,
    no_store,
    pages_for,
    submit,
    wants_confirmation,
)

# Passwords and locks: never kept in a browser's or proxy's cache.
bp.after_request(no_store)


def _admin(org_form=None, worker_form=None, fresh=None) -> str:
    orgs = services.organisations(current_user)
    worker_form = worker_form or WorkerForm(formdata=None, prefix="worker")
    worker_form.organisation.choices = choices((o.slug, o.name) for o in orgs)
    tz = default_zone()
    return render_template(
        "admin/index.html",
        is_admin=services.is_admin(current_user),
        organisations=orgs,
        workers=services.workers(current_user),
        org_form=org_form or OrganisationForm(formdata=None, prefix="org"),
        worker_form=worker_form,
        fresh=fresh,
        when=lambda moment: format_moment(moment, tz),
    )


#: The admin page: organisations for the admin, the workers' accounts for coordinators too.
page = Page(bp, "/", "index", _admin, "admin", "coordinator")


@page.form("/organisations", "admin")
def organisation_create():
    form = OrganisationForm(prefix="org")
    made = submit(
        form,
        lambda: services.create_organisation(
            current_user, form.slug.data, form.name.data, form.locality.data, form.name_sv.data
        ),
        fallback="slug",
        say=True,
    )
    if made:
        flash(_("The organisation %(name)s was created.", name=made.value.name), "info")
        return redirect(url_for("admin.index"))
    return _admin(org_form=form), 422


@page.form("/workers")
def worker_create():
    form = WorkerForm(prefix="worker")
    made = submit(
        form,
        lambda: services.create_worker(
            current_user,
            form.username.data,
            form.display_name.data,
            form.organisation.data,
            form.role.data or "worker",
        ),
        fallback="username",
        say=True,
    )
    if made:
        # Shown in this answer only, never stored: reloading asks before sending again.
        return _admin(fresh=_fresh(*made.value, new=True)), 201
    return _admin(worker_form=form), 422


def _fresh(user, token: str, new: bool) -> dict:
    return {
        "username": user.username,
        "link": url_for("accounts.setup", token=token, _external=True),
        "new": new,
    }


@bp.route("/workers/<int:worker_id>/setup-link", methods=["GET", "POST"])
@pages_for("admin", "coordinator")
def worker_setup_link(worker_id: int):
    worker = services.get_worker(current_user, worker_id)
    if not wants_confirmation() and EmptyForm().validate_on_submit():
        user, token = services.issue_setup_link(current_user, worker.id)
        return _admin(fresh=_fresh(user, token, new=False))
    return confirm(
        _("Reset the password and second factor of %(name)s?", name=worker.display_name),
        _(
            "A set-up link is made and shown once; it works once, for 24 hours. The worker's "
            "password and second factor stop working now, and they are signed out everywhere. "
            "With the link they choose a new password and set up their authenticator app again."
        ),
        _("Make a set-up link"),
        url_for("admin.index"),
    )


@bp.route("/workers/<int:worker_id>/deactivate", methods=["GET", "POST"])
@pages_for("admin", "coordinator")
def worker_deactivate(worker_id: int):
    worker = services.get_worker(current_user, worker_id)
    if not wants_confirmation() and EmptyForm().validate_on_submit():
        services.deactivate_worker(current_user, worker.id)
        flash(
            _("%(name)s can no longer sign in. Every shared diary was closed.", name=worker.display_name),
            "info",
        )
        return redirect(url_for("admin.index"))
    return confirm(
        _("Deactivate %(name)s?", name=worker.display_name),
        _(
            "The worker is signed out at once and cannot sign in. Every diary shared with them "
            "is closed, and the families see that the access ended."
        ),
        _("Deactivate"),
        url_for("admin.index"),
    )


@page.button("/workers/<int:worker_id>/reactivate")
def worker_reactivate(worker_id: int) -> None:
    worker = services.reactivate_worker(current_user, worker_id)
    flash(_("%(name)s can sign in again.", name=worker.display_name), "info")


@page.button("/workers/<int:worker_id>/unlock")
def worker_unlock(worker_id: int) -> None:
    worker = services.unlock_worker(current_user, worker_id)
    flash(_("%(name)s may try codes and sign in again.", name=worker.display_name), "info")


@page.button("/organisations/<int:org_id>/visibility", "admin")
def organisation_visibility(org_id: int) -> None:
    visible = request.form.get("visible") == "1"
    org = services.set_organisation_visible(current_user, org_id, visible)
    if visible:
        flash(_("%(name)s is shown in Baby blues near you again.", name=org.name), "info")
    else:
        flash(_("%(name)s is hidden from Baby blues near you and takes no requests.", name=org.name), "info")


@page.button("/workers/<int:worker_id>/role", "admin")
def worker_role(worker_id: int) -> None:
    try:
        worker = services.set_role(current_user, worker_id, request.form.get("role", ""))
    except Validation as error:
        flash(error.message, "error")
    else:
        if worker.role == "coordinator":
            flash(_("%(name)s is now a coordinator.", name=worker.display_name), "info")
        else:
            flash(_("%(name)s is now a worker.", name=worker.display_name), "info")
