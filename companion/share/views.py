"""Sharing pages: the parent's /share/, and the worker's /worker/ and shared diaries."""

from __future__ import annotations

import base64
import functools
import json
from datetime import datetime, timedelta
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from companion import types as utc
from companion.accounts import sessions
from companion.diary import services as diary
from companion.diary.labels import KIND_LABELS, describe_details, entry_when
from companion.errors import NotFound, ServiceError
from companion.i18n import format_day, format_moment, locale_code
from companion.pageutil import (
    EmptyForm,
    Page,
    apply_errors,
    confirm,
    default_zone,
    form_int,
    form_problems,
    no_store,
    pages_for,
    wants_confirmation,
)
from companion.rhythm import services as rhythm
from companion.rhythm.charts import range_presets
from companion.rhythm.clock import local_day_bounds
from companion.rhythm.pages import asked_period, rhythm_body
from companion.share import bp, services
from companion.share.forms import CodeForm, InviteForm, ShareCodeForm, StatisticsForm
from companion.share.models import WELLBEING
from companion.share.pages import grant_address, grant_form
from companion.share.panels import worker_panels
from companion.wellbeing import services as wellbeing

ENTRY_DAYS_SHOWN = 14


# Codes and diaries: never kept in a browser's or proxy's cache.
bp.after_request(no_store)


def _error_response(html: str, error: ServiceError):
    """The page with the error's status, and Retry-After when throttled."""
    headers = {}
    if "retry_after" in error.extra:
        headers["Retry-After"] = str(int(error.extra["retry_after"]))
    return html, error.status, headers


# -- the parent: /share/ -----------------------------------------------------------------------

END_REASONS = {
    "revoked": _l("ended by a parent"),
    "deactivated": _l("the worker's account was closed"),
    "replaced": _l("replaced by a newer code"),
    "parent_left": _l("the parent who gave it left the family"),
    None: _l("the time ran out"),
}


def audit_text(line: services.AuditLine) -> str:
    """One line of "who viewed and when" (never a code, never diary contents)."""
    who = line.who or _("Someone")
    if line.organisation:
        who = f"{who} ({line.organisation})"
    kind, detail = line.event.kind, line.event.detail
    if kind == "grant_viewed":
        if detail == "printed":
            return _("%(who)s printed a visit summary", who=who)
        if detail == "print":  # the summary page opened (printing is recorded apart)
            return _("%(who)s opened a visit summary", who=who)
        if detail == "api":
            return _("%(who)s viewed the diary in an app", who=who)
        return _("%(who)s viewed the diary", who=who)
    texts = {
        "code_created": lambda: _("%(who)s made a code", who=who),
        "code_cancelled": lambda: _("%(who)s cancelled a code", who=who),
        "code_redeemed": lambda: _("%(who)s used the code and can see the diary", who=who),
        "code_failed": lambda: _("%(who)s tried a code that no longer works", who=who),
        "statistics_yes": lambda: _("%(who)s allowed anonymous statistics from the diary", who=who),
        "statistics_no": lambda: _("%(who)s left the diary out of the statistics", who=who),
        "grant_revoked": lambda: _("%(who)s ended an access", who=who),
        "grant_ended": lambda: _("An access ended: the worker's account was closed"),
    }
    return texts[kind]() if kind in texts else kind


def _preview(form: ShareCodeForm, today) -> dict[str, Any]:
    """ "What your worker will see" as the form stands: for how many days, until when, and
    the name exactly as it is in the form (spaces as they are kept; empty when empty)."""
    days = form_int(form.grant_days.data)
    low, high = services.GRANT_DAYS
    if not (isinstance(days, int) and low <= days <= high):
        days = services.DEFAULT_GRANT_DAYS
    label = " ".join((form.label.data or "").split())
    return {"days": days, "today": today, "until": today + timedelta(days=days), "label": label}


def _grants_apart(grants: list, now: datetime) -> dict[str, list]:
    """Who sees the diary now ("active"), and the accesses that ended ("ended"), apart."""
    return {
        "active": [grant for grant in grants if grant.is_active(now)],
        "ended": [grant for grant in grants if not grant.is_active(now)],
    }


def _keep_to_show(kind: str, value: dict) -> None:
    """A fresh code is kept on the server (never in the cookie) until the page shows it once."""
    sessions.keep_for_showing(kind, json.dumps(value))


def _shown_once(kind: str) -> dict | None:
    kept = sessions.take_for_showing(kind)
    return json.loads(kept) if kept else None


def _index(
    code_forms: dict[int, ShareCodeForm] | None = None,
    invite_form: InviteForm | None = None,
    join_form: CodeForm | None = None,
) -> str:
    babies = diary.babies_of(current_user)
    family = diary.family_of(current_user)
    tz = diary.family_zone(family)
    now = utc.utcnow()
    fresh = _shown_once("share_code")
    fresh_invite = _shown_once("invite_code")
    sections = []
    for baby in babies:
        # The name starts as the baby's (what the service would use): the preview and the
        # form agree from the first look, and the parent may change it.
        form = (code_forms or {}).get(baby.id) or ShareCodeForm(
            formdata=None, prefix=f"baby{baby.id}", data={"label": baby.name}
        )
        today = services.baby_today(baby, now)
        sections.append(
            {
                "baby": baby,
                "first_entry": rhythm.first_entry_day(baby),
                "preview": _preview(form, today),
                "age": services.shared_age(baby, today),
                "form": form,
                "fresh": fresh if fresh and fresh.get("baby_id") == baby.id else None,
                "pending": services.pending_code(current_user, baby.id, now),
                **_grants_apart(services.baby_grants(current_user, baby.id, now), now),
            }
        )
    return render_template(
        "share/share_index.html",
        sections=sections,
        audit=services.family_audit(current_user),
        members=services.family_members(current_user),
        invite_form=invite_form or InviteForm(formdata=None),
        join_form=join_form or CodeForm(formdata=None, prefix="join"),
        fresh_invite=fresh_invite,
        now=now,
        tz=tz,
        when=lambda moment: format_moment(moment, tz),
        until=lambda moment: format_moment(moment, tz, year=True),
        from_iso=datetime.fromisoformat,
        audit_text=audit_text,
        end_reasons=END_REASONS,
    )


sharing = Page(bp, "/share/", "index", _index, "parent")


@sharing.form("/share/babies/<int:baby_id>/codes")
def code_create(baby_id: int):
    baby = diary.get_baby(current_user, baby_id)
    form = ShareCodeForm(prefix=f"baby{baby.id}")
    # The service checks the settings even when the form found something missing: every
    # problem is named at once (only a bad CSRF token stops it).
    if form.validate_on_submit() or "csrf_token" not in form.errors:
        try:
            row, code = services.create_share_code(
                current_user,
                baby.id,
                scope=form.scope.data,
                valid_hours=form_int(form.valid_hours.data),
                grant_days=form_int(form.grant_days.data),
                label=form.label.data,
                statistics=form.statistics.data == "yes",
                problems=form_problems(form),
            )
        except ServiceError as error:
            apply_errors(form, error)
            flash(error.message, "error")
        else:
            # What the code gives goes with it, said under it once (the row as it was made).
            _keep_to_show(
                "share_code",
                {
                    "baby_id": baby.id,
                    "code": code,
                    "expires_at": row.expires_at.isoformat(),
                    "label": row.label,
                    "scope": row.scope,
                    "grant_days": row.grant_days,
                },
            )
            return redirect(url_for("share.index", _anchor=f"baby-{baby.id}"))
    else:
        flash(_("Please check the code settings."), "error")
    return _index(code_forms={baby.id: form}), 422


@sharing.form("/share/babies/<int:baby_id>/codes/cancel")
def code_cancel(baby_id: int):
    back = url_for("share.index", _anchor=f"baby-{baby_id}")
    if wants_confirmation():
        services.pending_code(current_user, baby_id)  # another's baby: not found
        return confirm(
            _("Cancel the code?"),
            _("The code will no longer work. You can make a new one."),
            _("Cancel the code"),
            back,
        )
    if EmptyForm().validate_on_submit() and services.cancel_share_code(current_user, baby_id):
        flash(_("The code was cancelled. It no longer works."), "info")
    return redirect(back)


@bp.route("/share/grants/<int:grant_id>/revoke", methods=["GET", "POST"])
@pages_for("parent")
def grant_revoke(grant_id: int):
    grant = services.get_parents_grant(current_user, grant_id)
    back = url_for("share.index", _anchor=f"baby-{grant.baby_id}")
    if not wants_confirmation() and EmptyForm().validate_on_submit():
        services.revoke_grant(current_user, grant.id)
        flash(_("%(name)s can no longer see the diary.", name=grant.worker.display_name), "info")
        return redirect(back)
    return confirm(
        _("End access?"),
        _(
            "%(name)s (%(org)s) can no longer see %(baby)s's diary, from this moment on.",
            name=grant.worker.display_name,
            org=grant.worker.organisation.name_in(locale_code()) if grant.worker.organisation else "",
            baby=grant.baby.name,
        ),
        _("End access"),
        back,
    )


@bp.route("/share/grants/<int:grant_id>/statistics", methods=["GET", "POST"])
@grant_form(services.get_parents_grant)
def grant_statistics(grant):
    form = StatisticsForm()
    if not form.validate_on_submit():
        flash(_("Choose yes or no."), "error")
        return _index(), 422
    services.set_statistics(current_user, grant.id, form.statistics.data == "yes")
    if form.statistics.data == "yes":
        flash(_("Anonymous figures from this diary are counted in the statistics."), "info")
    else:
        flash(_("This diary is left out of every statistics report made from now on."), "info")
    return redirect(grant_address(grant.id))


@sharing.form("/share/invite")
def invite_create():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invite, code = services.create_family_invite(current_user, form_int(form.valid_hours.data))
        except ServiceError as error:
            apply_errors(form, error)
            flash(error.message, "error")
            return _index(invite_form=form), error.status
        _keep_to_show("invite_code", {"code": code, "expires_at": invite.expires_at.isoformat()})
    return redirect(url_for("share.index", _anchor="partner"))


@sharing.form("/share/join")
def family_join():
    form = CodeForm(prefix="join")
    first_steps = request.form.get("first_steps") == "1"
    if not form.validate_on_submit():
        if first_steps:
            return _back_to_first_steps(_("Type the 12 digits of the code, for example 1234 5678 9012."))
        return _index(join_form=form), 422
    bring = request.form.get("bring_babies") == "1"
    try:
        services.join_family(current_user, form.code.data, bring_babies=bring, address=request.remote_addr)
    except ServiceError as error:
        if error.code == "has_babies":
            # Say what happens to the babies first: joining brings them along, nothing is lost.
            return render_template(
                "share/join_confirm.html",
                form=form,
                babies=diary.babies_of(current_user),
                first_steps=first_steps,
                message=error.message,
            )
        if first_steps:
            return _back_to_first_steps(" ".join([error.message, *error.fields.values()]))
        apply_errors(form, error)
        if not error.fields:
            form.code.errors = [*form.code.errors, error.message]
        flash(error.message, "error")
        return _error_response(_index(join_form=form), error)
    if bring:
        flash(_("You joined the family, and your babies' diaries came with you."), "info")
    else:
        flash(_("You joined the family. You now see and log the same babies."), "info")
    return redirect(url_for("diary.home"))


def _back_to_first_steps(message: str):
    """The join form of the first page after sign-up: back there, with what went wrong."""
    flash(message, "error")
    return redirect(url_for("diary.baby_new", _anchor="join"))


@bp.route("/share/family/leave", methods=["GET", "POST"])
@pages_for("parent")
def family_leave():
    back = url_for("share.index", _anchor="partner")
    if not wants_confirmation() and EmptyForm().validate_on_submit():
        try:
            services.leave_family(current_user)
        except ServiceError as error:
            flash(error.message, "error")
            return redirect(back)
        flash(_("You left the family. Your account stays, with an empty diary."), "info")
        return redirect(url_for("share.index"))
    return confirm(
        _("Leave the family?"),
        _(
            "You will no longer see or log the family's babies. "
            "The babies and their diary stay with the family."
        ),
        _("Leave the family"),
        back,
    )


@bp.route("/share/family/members/<int:member_id>/remove", methods=["GET", "POST"])
@pages_for("parent")
def member_remove(member_id: int):
    member = next((m for m in services.family_members(current_user) if m.id == member_id), None)
    if member is None or member.id == current_user.id:
        abort(404)
    back = url_for("share.index", _anchor="partner")
    if not wants_confirmation() and EmptyForm().validate_on_submit():
        services.remove_from_family(current_user, member.id)
        flash(_("%(name)s is no longer in the family.", name=member.username), "info")
        return redirect(back)
    return confirm(
        _("Remove %(name)s from the family?", name=member.username),
        _(
            "%(name)s will no longer see or log the babies, from this moment on. Their own account stays.",
            name=member.username,
        ),
        _("Remove from the family"),
        back,
    )


# -- the worker: /worker/ ---------------------------------------------------------------------


def _worker_index(form: CodeForm | None = None) -> str:
    tz = default_zone()
    return render_template(
        "share/worker_index.html",
        panels=worker_panels(current_user),
        diaries=services.worker_diaries(current_user),
        form=form or CodeForm(formdata=None),
        when=lambda moment: format_moment(moment, tz),
        day=lambda moment: format_day(moment.astimezone(tz).date(), "date"),
    )


worker_home = Page(bp, "/worker/", "worker_index", _worker_index, "worker")


@worker_home.form("/worker/redeem")
def worker_redeem():
    form = CodeForm()
    if not form.validate_on_submit():
        return _worker_index(form), 422
    try:
        grant = services.redeem_code(current_user, form.code.data, address=request.remote_addr)
    except ServiceError as error:
        messages = list(error.fields.values()) if error.fields else [error.message]
        form.code.errors = [*form.code.errors, *messages]
        return _error_response(_worker_index(form), error)
    until = grant.expires_at.astimezone(diary.family_zone(grant.baby.family)).date()
    flash(_("The diary is shared with you until %(day)s.", day=format_day(until, "date")), "info")
    return redirect(url_for("share.diary_view", grant_id=grant.id))


def _entry_rows(entries, tz, day=None, today=None) -> list[dict[str, Any]]:
    rows = []
    for entry in entries:
        running = entry.end is None and entry.kind in diary.INTERVAL_KINDS
        rows.append(
            {
                "entry": entry,
                "label": KIND_LABELS[entry.kind],
                "when": entry_when(entry.start, entry.end, tz, day, today),
                "minutes": entry.duration_minutes,
                "running": running,
                "details": describe_details(entry.kind, entry.details or {}),
            }
        )
    return rows


def _diary_context(grant, channel: str) -> tuple[dict[str, Any], int]:
    """What the worker's diary page and the visit summary show; records the view."""
    baby = grant.baby
    tz = diary.family_zone(baby.family)
    first, last, status = asked_period(baby, request.args)
    body = rhythm_body(baby, first, last, "worker")
    today = services.baby_today(baby)
    shared = services.shared_diary(grant)
    days = []
    for offset in range(min(ENTRY_DAYS_SHOWN, (last - first).days + 1)):
        day = last - timedelta(days=offset)
        items = sorted(diary.day_entries(baby, day), key=lambda e: e.start)
        days.append({"date": day, "rows": _entry_rows(items, tz, day, today)})
    # The code-maker's own check-ins, only with the diary+wellbeing scope (None: not shared).
    shared_checkins = (
        [wellbeing.row(checkin) for checkin in services.shared_checkins(grant, first, last)]
        if grant.scope == WELLBEING
        else None
    )
    services.view_grant(current_user, grant.id, channel)
    context = {
        "grant": grant,
        "shared_checkins": shared_checkins,
        "shared": shared,
        "tz": tz,
        "today": today,
        "entry_days": days,
        "entries_cut": (last - first).days + 1 > ENTRY_DAYS_SHOWN,
        "presets": range_presets(first, last, today, rhythm.first_entry_day(baby)),
        "when": lambda moment: format_moment(moment, tz),
        "dated": lambda moment: format_moment(moment, tz, year=True),  # on a printout that is kept
        "first": first,
        "last": last,
        "period_days": (last - first).days + 1,
        "body": body,
    }
    return context, status


def _shared_diary(channel: str):
    """The view of a worker's page of a live shared diary (``channel``: how it was viewed,
    for the audit trail): workers only; the view gets what the page shows and its status
    (`_diary_context`). A grant that has ended is a page that says so kindly (410: the
    family ended it, it ran out, a newer code replaced it); anything else, a grant of
    another worker included, stays a plain 404, as in the API."""

    def decorator(view):
        @pages_for("worker")
        @functools.wraps(view)
        def wrapped(grant_id: int):
            try:
                grant = services.worker_grant(current_user, grant_id)
            except NotFound:
                ended = services.ended_grant(current_user, grant_id)
                if ended is None:
                    raise
                return _ended_page(*ended), 410
            return view(*_diary_context(grant, channel))

        return wrapped

    return decorator


def _ended_page(grant, newer) -> str:
    tz = diary.family_zone(grant.baby.family)
    return render_template(
        "share/grant_ended.html",
        grant=grant,
        newer=newer,
        ended_on=format_day((grant.ended_at or grant.expires_at).astimezone(tz).date(), "date"),
    )


@bp.get("/worker/diaries/<int:grant_id>")
@_shared_diary("page")
def diary_view(context: dict[str, Any], status: int):
    return render_template("share/diary_view.html", **context), status


@bp.post("/worker/diaries/<int:grant_id>/printed")
@pages_for("worker")
def diary_printed(grant_id: int):
    """The print button: the summary went to the printer (recorded apart from opening it)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.record_print(current_user, grant_id)
    return "", 204


@bp.get("/worker/diaries/<int:grant_id>/printed.gif")
@pages_for("worker")
def diary_printed_beacon(grant_id: int):
    """The printed page itself asks for this image (only the print style shows it), so a
    summary printed from the browser's menu is recorded too. Same-site only: the session
    cookie is not sent with another site's image requests."""
    services.record_print(current_user, grant_id)
    return Response(PIXEL, mimetype="image/gif", headers={"Cache-Control": "no-store"})


#: A transparent 1 × 1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")


@bp.get("/worker/diaries/<int:grant_id>/print")
@_shared_diary("print")
def diary_print(context: dict[str, Any], status: int):
    grant, tz = context["grant"], context["tz"]
    since = local_day_bounds(context["first"], tz)[0]
    until = local_day_bounds(context["last"], tz)[1]
    notes = [
        {"date": entry.start.astimezone(tz).date(), **row}
        for row in _entry_rows(diary.entries_between(grant.baby_id, since, until), tz)
        if (entry := row["entry"]).note
    ]
    return render_template("share/diary_print.html", notes=notes, now_utc=utc.utcnow(), **context), status
