"""Wellbeing pages: today's check-in, an earlier day, and coping beside the baby's nights."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from companion.apiutil import parse_range
from companion.errors import ServiceError, Validation
from companion.guides.reading import Reading, readings
from companion.i18n import format_duration, locale_code
from companion.pageutil import apply_errors, choices, no_store, parents_only
from companion.rhythm.charts import range_presets
from companion.wellbeing import bp, charts, services
from companion.wellbeing.forms import CheckInForm

RECENT_DAYS = 14
#: What the support offer suggests reading (content/<lang>/<id>.md).
SUPPORT_ARTICLES = ("parent-coping", "baby-blues-or-depression")
#: Own sleep on the form: half hours up to 12 h, whole hours after that.
SLEEP_CHOICES_MINUTES = [*range(0, 12 * 60 + 1, 30), *range(13 * 60, 24 * 60 + 1, 60)]


bp.before_request(parents_only)
# How a parent is coping is nobody else's: never kept in a shared cache.
bp.after_request(no_store)


def support_reading(locale: str) -> list[Reading]:
    """The coping articles in the reader's language (Finnish for English readers)."""
    return readings(SUPPORT_ARTICLES, locale)


def checkin_card(user) -> dict[str, Any]:
    """Everything the compact check-in card (wellbeing/_checkin_card.html) shows: include
    the partial with this dict as `checkin`. Parents only (Forbidden otherwise)."""
    card = services.card(user)
    return {
        **card,
        "action": url_for("wellbeing.day", day=card["date"].isoformat()),
        "page_url": url_for("wellbeing.index"),
    }


def parent_card(_sender: Any, *, user) -> dict[str, Any]:
    """The card on the pregnancy home (the diary's `signals.parent_card`)."""
    return checkin_card(user)


def _hours_text(minutes: int) -> str:
    hours = services.sleep_hours(minutes)
    return str(hours)


def _sleep_choices(current: int | None) -> list[SelectChoice]:
    minutes = list(SLEEP_CHOICES_MINUTES)
    if current is not None and current not in minutes:  # a value saved through the API
        minutes = sorted([*minutes, current])
    return choices(((_hours_text(m), format_duration(m)) for m in minutes), blank=True)


def _form_value(name: str, keep: object) -> object:
    """A field the form did not send keeps its saved value (the one-tap card sends only
    the answer); an empty one clears it."""
    return request.form.get(name, keep)


def _as_int(raw: object) -> object:
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw)
    return raw or None


def _as_hours(raw: object) -> object:
    if not isinstance(raw, str):
        return raw
    if not raw.strip():
        return None
    try:
        return float(raw)
    except ValueError:
        return raw  # the service names it


def _date_error(error: Validation):
    message = " ".join([error.message, *error.fields.values()])
    return render_template("error.html", status=422, message=message), 422


def _page(day: date, today: date, form: CheckInForm | None = None, status: int = 200):
    existing = services.find_checkin(current_user, day)
    if form is None:
        form = CheckInForm(formdata=None)
        if existing is not None:
            form.coping.data = str(existing.coping)
            form.own_sleep_hours.data = (
                _hours_text(existing.own_sleep_minutes) if existing.own_sleep_minutes is not None else ""
            )
            form.note.data = existing.note or ""
    form.own_sleep_hours.choices = _sleep_choices(existing.own_sleep_minutes if existing else None)
    response = services.gentle_response(current_user, today)
    _first, _last, recent = services.list_checkins(
        current_user, today - timedelta(days=RECENT_DAYS - 1), today
    )
    return render_template(
        "wellbeing/checkin_form.html",
        form=form,
        day=day,
        today=today,
        existing=existing,
        response=response,
        reading=support_reading(locale_code()) if response.offer_support else [],
        recent=[services.row(c) for c in reversed(recent)],
        earliest=today - timedelta(days=services.OLDEST_DAYS),
        readers=services.checkin_readers(current_user),
    ), status


@bp.get("/")
def index():
    today = services.today_for(current_user)
    return _page(today, today)


@bp.get("/day")
def day_choose():
    """The "another day" form (works without JavaScript): on to that day's page."""
    today = services.today_for(current_user)
    try:
        chosen = services.parse_day(request.args.get("date"), today)
    except Validation as error:
        return _date_error(error)
    return redirect(url_for("wellbeing.day", day=chosen.isoformat()))


@bp.route("/<day>", methods=["GET", "POST"])
def day(day: str):
    today = services.today_for(current_user)
    try:
        chosen = services.parse_day(day, today)
    except Validation as error:
        return _date_error(error)
    if request.method == "GET":
        return _page(chosen, today)
    form = CheckInForm()
    if not form.validate_on_submit():
        abort(400)
    existing = services.find_checkin(current_user, chosen)
    saved_hours = services.sleep_hours(existing.own_sleep_minutes) if existing else None
    try:
        services.save_checkin(
            current_user,
            chosen,
            _as_int(_form_value("coping", existing.coping if existing else None)),
            _as_hours(_form_value("own_sleep_hours", saved_hours)),
            _form_value("note", existing.note if existing else None),
        )
    except ServiceError as error:
        apply_errors(form, error)
        flash(error.message, "error")
        return _page(chosen, today, form, 422)
    flash(_("Saved. Thank you for telling how you are."), "info")
    return redirect(url_for("wellbeing.index") + "#response")


@bp.get("/chart")
def chart():
    baby_id = request.args.get("baby")
    status = 200
    try:
        data = services.chart_data(current_user, baby_id, *parse_range(request.args))
    except Validation as error:
        flash(" ".join([error.message, *error.fields.values()]), "error")
        data = services.chart_data(current_user, baby_id, None, None)
        status = 422
    return render_template(
        "wellbeing/coping_chart.html",
        data=data,
        with_baby=charts.has_baby_figures(data),
        figure=charts.coping_chart(data),
        presets=range_presets(data.first, data.last, data.today),
        words={value: services.coping_word(value) for value in range(1, 6)},
        readers=services.checkin_readers(current_user),
    ), status
