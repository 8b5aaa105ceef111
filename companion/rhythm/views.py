"""Rhythm pages: a period's figures and charts, and the rhythm plan agreed with the worker.

They live under the diary's URLs (``/diary/<baby>/rhythm``, ``/diary/<baby>/plan``) and,
like the diary's pages, are the parents' own; while a family waits for the baby there is
nothing to show yet and they lead to the pregnancy home.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from companion.diary import services as diary
from companion.diary import signals
from companion.diary.pages import baby_pages
from companion.errors import ServiceError
from companion.rhythm import bp, services
from companion.rhythm.charts import range_presets
from companion.rhythm.forms import PlanForm
from companion.rhythm.pages import asked_period, rhythm_body
from companion.rhythm.wording import describe

# Before the birth there is no rhythm to show: the pregnancy home is the family's page.
baby_pages(bp, diary_only=("rhythm.index", "rhythm.plan_edit"))


@bp.get("/<int:baby_id>/rhythm")
def index(baby_id: int):
    baby = diary.get_baby(current_user, baby_id)
    ctx = diary.baby_context(current_user, baby)
    first, last, status = asked_period(baby, request.args)
    body = rhythm_body(
        baby, first, last, "parent", plan_edit_url=url_for("rhythm.plan_edit", baby_id=baby.id)
    )
    return render_template(
        "rhythm/rhythm.html",
        first=first,
        last=last,
        body=body,
        presets=range_presets(first, last, ctx["today"], services.first_entry_day(baby)),
        suggestions=signals.gathered(signals.baby_reading, baby=baby, today=ctx["today"]),
        **ctx,
    ), status


# -- the rhythm plan agreed with the worker ---------------------------------------------------


def _plan_form_data(form: PlanForm) -> tuple[dict, list[int]]:
    """The form as the API's plan shape, and which form row each listed nap came from."""

    naps, rows = [], []
    for index, row in enumerate(form.naps):
        if row.start.data or row.end.data:
            naps.append([row.start.data or "", row.end.data or ""])
            rows.append(index)
    data = {
        "from": form.valid_from.data.isoformat() if form.valid_from.data else None,
        "wake": form.wake.data,
        "bedtime": form.bedtime.data,
        "naps": naps,
    }
    return data, rows


def _plan_errors(form: PlanForm, error: ServiceError, rows: list[int]) -> None:
    names = {"from": form.valid_from, "wake": form.wake, "bedtime": form.bedtime}
    for name, message in error.fields.items():
        if name.startswith("naps."):
            field = form.naps[rows[int(name.split(".")[1])]].start
        else:
            field = names.get(name)
        if field is None:
            flash(message, "error")
        else:
            field.errors = [*field.errors, message]
    flash(error.message, "error")


@bp.route("/<int:baby_id>/plan", methods=["GET", "POST"])
def plan_edit(baby_id: int):
    baby = diary.get_baby(current_user, baby_id)
    ctx = diary.baby_context(current_user, baby)
    history = services.baby_plans(baby)
    form = PlanForm()
    if request.method == "GET":
        chosen = services.plan_for(baby, ctx["today"])
        form.valid_from.data = ctx["today"]
        wanted = request.args.get("from", "")
        for row in history:
            if row.valid_from.isoformat() == wanted:
                chosen, form.valid_from.data = row, row.valid_from
        if chosen is not None:
            shown = services.as_plan(chosen).as_strings()
            form.wake.data, form.bedtime.data = shown["wake"], shown["bedtime"]
            for row, (start, end) in zip(form.naps, shown["naps"], strict=False):
                row.start.data, row.end.data = start, end
    if form.validate_on_submit():
        data, rows = _plan_form_data(form)
        try:
            services.save_plan(current_user, baby.id, data)
        except ServiceError as error:
            _plan_errors(form, error, rows)
        else:
            flash(_("The plan was saved."), "info")
            return redirect(url_for("rhythm.plan_edit", baby_id=baby.id))
    current = services.plan_for(baby, ctx["today"])
    return render_template(
        "rhythm/plan_edit.html",
        form=form,
        history=[{"row": row, "plan": describe(services.as_plan(row))} for row in history],
        current_id=current.id if current else None,
        **ctx,
    ), (422 if request.method == "POST" else 200)
