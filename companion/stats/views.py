"""Statistics pages for coordinators and the federation, and the feedback form."""

from __future__ import annotations

from datetime import datetime

from flask import Response, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from companion import types as utc
from companion.i18n import format_moment
from companion.pageutil import EmptyForm, default_zone, form_int, no_store, pages_for, submit
from companion.share.pages import grant_address, grant_form
from companion.stats import bp, export, reports, services
from companion.stats.api import parse_period, parse_year
from companion.stats.forms import FeedbackForm

# Feedback and statistics: never kept in a browser's or proxy's cache.
bp.after_request(no_store)


def _chosen():
    """The organisation, year and period asked for, checked (404/403/422 as services say)."""
    organisation = services.report_organisation(current_user, request.args.get("organisation"))
    today = utc.utcnow().astimezone(services.zone()).date()
    year = parse_year(request.args.get("year"), today.year)
    # By quarter unless asked: an association's months are mostly "fewer than 5".
    period = parse_period(request.args.get("period"), reports.PAGE_PERIOD)
    return organisation, year, period, today


@bp.get("/stats/")
@pages_for("coordinator", "admin")
def index():
    organisation, year, period, today = _chosen()
    body, made = reports.report_view(organisation, year, period)
    tz = default_zone()
    args = {"organisation": organisation.slug if organisation else None, "year": year, "period": period}
    return render_template(
        "stats/report.html",
        organisation=organisation,
        organisations=services.visible_organisations(current_user),
        is_admin=current_user.role == "admin",
        year=year,
        years=list(range(today.year, 2019, -1)),
        period=period,
        body=body,
        charts=made,
        title=reports.report_title(organisation, year),
        computed=format_moment(datetime.fromisoformat(body["computed_at"]), tz)
        if body["computed_at"]
        else None,
        args=args,
        texts=reports.text_batches(body),
    )


def _download(kind: str):
    organisation, year, period, _today = _chosen()
    body, made = reports.report_view(organisation, year, period)
    title = reports.report_title(organisation, year)
    name = f"baby-blues-{organisation.slug if organisation else 'all'}-{year}"
    if kind == "csv":
        data, mimetype = export.as_csv(title, made), "text/csv; charset=utf-8"
    else:
        data = export.as_html(title, reports.report_subtitle(body, period), made, reports.text_batches(body))
        mimetype = "text/html; charset=utf-8"
    return Response(
        data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'}
    )


@bp.get("/stats/report.csv")
@pages_for("coordinator", "admin")
def report_csv():
    return _download("csv")


@bp.get("/stats/report.html")
@pages_for("coordinator", "admin")
def report_html():
    return _download("html")


# -- feedback -------------------------------------------------------------------------------


@bp.route("/feedback/<int:grant_id>", methods=["GET", "POST"])
@pages_for("parent")
def feedback(grant_id: int):
    grant = services.feedback_grant(current_user, grant_id)
    existing = services.current_feedback(current_user, grant.id)
    back = grant_address(grant.id)
    closed = existing is None and grant.feedback == "answered"
    status = 200
    if request.method == "POST" and closed:
        flash(_("Your answer was saved and can no longer be changed. Thank you!"), "error")
        status = 409
    if request.method == "POST" and not closed:
        form = FeedbackForm()
        sent = submit(
            form,
            lambda: services.save_feedback(
                current_user,
                grant.id,
                form_int(form.helped.data),
                list(form.what_helped.data or []),
                form.recommend.data,
                form.text.data,
            ),
            say=True,
        )
        if sent:
            _answer, created = sent.value
            flash(
                _("Thank you! Your answer was saved without your name.")
                if created
                else _("Your answer was changed."),
                "info",
            )
            return redirect(back)
        if sent.error is None:
            flash(_("Please check your answers."), "error")
        status = 422
    else:
        form = FeedbackForm(formdata=None)
        if existing is not None:
            form.helped.data = str(existing.helped)
            form.what_helped.data = list(existing.what_helped or [])
            form.recommend.data = existing.recommend
            form.text.data = existing.text or ""
    return (
        render_template(
            "stats/feedback_form.html",
            form=form,
            grant=grant,
            existing=existing,
            closed=closed,
            back=back,
            days=services.FEEDBACK_DAYS,
        ),
        status,
    )


@bp.route("/feedback/<int:grant_id>/decline", methods=["GET", "POST"])
@grant_form(services.feedback_grant)
def feedback_decline(grant):
    if EmptyForm().validate_on_submit():
        services.decline_feedback(current_user, grant.id)
        flash(_("All right. We will not ask again."), "info")
    return redirect(grant_address(grant.id))
