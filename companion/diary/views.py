"""Diary pages: today with the quick log, history, add and edit entries, babies, the
family's settings, and the pregnancy home of a family expecting a baby."""

from __future__ import annotations

import time as clock
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.lists import format_list
from babel.units import format_unit
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from companion.apiutil import parse_date
from companion.diary import bp, rules, services, signals
from companion.diary.age import is_expecting, pregnancy
from companion.diary.forms import BabyForm, BirthForm, EndTimeForm, EntryForm, FamilySettingsForm
from companion.diary.labels import (
    KIND_LABELS,
    METHOD_LABELS,
    SIDE_LABELS,
    describe_details,
    entry_when,
    page_labels,
    words,
)
from companion.diary.pages import baby_pages
from companion.diary.schemas import entry_body
from companion.diary.services import EntryInput
from companion.errors import ServiceError, Validation
from companion.i18n import format_clock, format_day, locale_code
from companion.pageutil import EmptyForm, form_int, submit
from companion.rhythm.clock import NonexistentTime, local_date, local_to_utc
from companion.types import stamp, utcnow

UNDO_SECONDS = 2 * 60  # then the undo bar closes: the tap is settled
HISTORY_DAYS = 7
# While a family waits for the baby, /diary/<baby>/ is their home (no history yet).
baby_pages(bp, diary_only=("diary.entries", "diary.entry_new"))


def _baby_context(baby) -> dict:
    return services.baby_context(current_user, baby)


def reading_for(baby, today: date) -> list:
    """Gentle reading suggestions for this baby (the rules live in the guides feature)."""
    return signals.gathered(signals.baby_reading, baby=baby, today=today)


@bp.get("/")
def home():
    babies = services.babies_of(current_user)
    if not babies:
        return redirect(url_for("diary.baby_new"))
    return redirect(url_for("diary.today", baby_id=babies[0].id))


@bp.route("/babies/new", methods=["GET", "POST"])
def baby_new():
    form = BabyForm()
    sent = submit(
        form,
        lambda: services.create_baby(current_user, form.name.data, form.birth_date.data, form.due_date.data),
    )
    if sent:
        baby = sent.value
        flash(_("%(name)s is in the diary now.", name=baby.name), "info")
        return redirect(url_for("diary.today", baby_id=baby.id))
    has_babies = bool(services.babies_of(current_user))
    return render_template(
        "diary/baby_new.html", form=form, has_babies=has_babies
    ), 422 if form.errors else 200


@bp.route("/<int:baby_id>/edit", methods=["GET", "POST"])
def baby_edit(baby_id: int):
    baby = services.get_baby(current_user, baby_id)
    form = BabyForm(obj=baby)
    saved = submit(
        form,
        lambda: services.update_baby(
            current_user, baby.id, form.name.data, form.birth_date.data, form.due_date.data
        ),
    )
    if saved:
        flash(_("Saved."), "info")
        return redirect(url_for("diary.today", baby_id=baby.id))
    return render_template("diary/baby_edit.html", form=form, **_baby_context(baby)), (
        422 if form.errors else 200
    )


@bp.route("/settings", methods=["GET", "POST"])
def family_settings():
    family = services.family_of(current_user)
    form = FamilySettingsForm(obj=family)
    saved = submit(
        form,
        lambda: services.update_family_settings(
            current_user,
            form.timezone.data,
            form.chart_day_start.data,
            form.night_start.data,
            form.night_end.data,
        ),
    )
    if saved:
        flash(_("Saved."), "info")
        return redirect(url_for("diary.family_settings"))
    return render_template(
        "diary/family_settings.html", form=form, babies=services.babies_of(current_user)
    ), 422 if form.errors else 200


def _entry_rows(entries, tz, now, day: date | None = None, today: date | None = None):
    """The lines of a day's list (``day``: the day listed; an entry that reaches into
    another day says so)."""
    rows = []
    for entry in entries:
        end = entry.end
        running = end is None and entry.kind in services.INTERVAL_KINDS
        minutes = None
        if end is not None:
            minutes = (end - entry.start).total_seconds() / 60
        elif running:
            minutes = (now - entry.start).total_seconds() / 60
        rows.append(
            {
                "entry": entry,
                "label": words(KIND_LABELS)[entry.kind],
                "start": entry.start.astimezone(tz),
                "end": end.astimezone(tz) if end else None,
                "when": entry_when(entry.start, end, tz, day, today),
                "minutes": minutes,
                "running": running,
                "details": describe_details(entry.kind, entry.details or {}),
            }
        )
    return rows


def _weeks_and_days(weeks: int, days: int) -> str:
    """'7 weeks and 1 day' in the reader's language (Babel's unit names and list pattern)."""
    loc = locale_code()
    parts = []
    if weeks:
        parts.append(format_unit(weeks, "duration-week", length="long", locale=loc))
    if days or not weeks:
        parts.append(format_unit(days, "duration-day", length="long", locale=loc))
    return format_list(parts, locale=loc)


def _checkin_card() -> dict | None:
    """The parent's own wellbeing check-in card (built and rendered by the wellbeing feature)."""
    return signals.answered(signals.parent_card, user=current_user)


#: A birth date more than this before the due date is asked again before it is saved.
CONFIRM_EARLY = timedelta(days=14)


def _needs_confirmation(baby, form: BirthForm) -> bool:
    born = form.birth_date.data
    return (
        form.confirmed.data != "1"
        and baby.due_date is not None
        and born is not None
        and born < baby.due_date - CONFIRM_EARLY
        and services.birth_problem(baby, born) is None  # a date that cannot be saved is refused first
    )


def _pregnancy_home(baby, ctx: dict, form: BirthForm, status: int = 200, confirm: bool = False):
    """The home of a family expecting a baby: the weeks, reading, their own check-in, help."""
    weeks = pregnancy(baby.due_date, ctx["today"])
    page = render_template(
        "diary/pregnancy_home.html",
        pregnancy=weeks,
        to_go=_weeks_and_days(*weeks.to_go) if weeks and weeks.days_to_due > 0 else None,
        form=form,
        confirm_birth=_birth_question(baby, form.birth_date.data) if confirm else None,
        articles=signals.gathered(signals.pregnancy_reading, locale=locale_code()),
        checkin=_checkin_card(),
        **ctx,
    )
    # The parent's own check-in answer is on the page: kept out of caches like the wellbeing pages.
    return page, status, {"Cache-Control": "no-store"}


def _birth_question(baby, born: date) -> str:
    early = baby.due_date - born
    weeks, days = divmod(early.days, 7)
    return _(
        "The due date is %(due)s: %(born)s is %(early)s before it. Was %(name)s born on %(born)s?",
        due=format_day(baby.due_date, "date"),
        born=format_day(born, "date"),
        early=_weeks_and_days(weeks, days),
        name=baby.name,
    )


@bp.post("/<int:baby_id>/born")
def baby_born(baby_id: int):
    """The baby is born: the birth date turns the pregnancy home into the diary."""
    baby = services.get_baby(current_user, baby_id)
    form = BirthForm()
    if form.validate_on_submit() and _needs_confirmation(baby, form):
        # Early, or a slip of the finger: ask once before the pregnancy home turns into the diary.
        ctx = _baby_context(baby)
        if ctx["expecting"]:
            form.confirmed.data = "1"
            return _pregnancy_home(baby, ctx, form, 200, confirm=True)
    if submit(form, lambda: services.record_birth(current_user, baby.id, form.birth_date.data)):
        flash(
            _(
                "Welcome, %(name)s! The diary is ready whenever you are. "
                "You can change the name in the baby's details.",
                name=baby.name,
            ),
            "info",
        )
        return redirect(url_for("diary.today", baby_id=baby.id))
    ctx = _baby_context(baby)
    if not ctx["expecting"]:
        # Born meanwhile (the other parent saved it): say why nothing changed, go to the diary.
        flash(" ".join(str(message) for message in form.birth_date.errors), "error")
        return redirect(url_for("diary.today", baby_id=baby.id))
    flash(_("Please check the birth date."), "error")
    return _pregnancy_home(baby, ctx, form, 422)


@bp.get("/<int:baby_id>/")
def today(baby_id: int):
    baby = services.get_baby(current_user, baby_id)
    ctx = _baby_context(baby)
    if ctx["expecting"]:
        # Never filled in: one tap must not mark a baby due in weeks as born.
        return _pregnancy_home(baby, ctx, BirthForm(formdata=None))
    now = utcnow()
    entries, running = services.today_entries(baby, ctx["today"])
    rows = _entry_rows(
        sorted(entries, key=lambda e: e.start, reverse=True), ctx["tz"], now, ctx["today"], ctx["today"]
    )
    undo = session.get("undo")
    if undo and (undo.get("baby") != baby.id or clock.time() - undo.get("at", 0) > UNDO_SECONDS):
        undo = None
    forgotten = {k: e for k, e in running.items() if services.is_forgotten(e, now)}
    born = [b for b in ctx["babies"] if not is_expecting(b.birth_date, b.due_date)]
    # What runs and how the day goes, for this baby and the other babies (twins) alike.
    cards = [_now_card(baby, now, running), *(_now_card(b, now) for b in born if b.id != baby.id)]
    chosen = [i for i in session.get("log_for", []) if any(b.id == i for b in born)]
    return render_template(
        "diary/today.html",
        entries=[entry_body(row["entry"]) for row in rows],
        rules=rules.for_page(),
        running=running,
        forgotten=forgotten,
        cards=cards,
        last_feed=entry_body(cards[0]["last_feed"]) if cards[0]["last_feed"] else None,
        others=[_card_body(card) for card in cards[1:]],
        log_for=chosen if baby.id in chosen else [baby.id],
        twins=born if len(born) > 1 else [],
        rows=rows,
        now=now,
        undo=undo,
        undone=undone_messages(),
        # Asked for only when a timer was forgotten (a form costs more than its markup).
        end_form=EndTimeForm(formdata=None, end_date=ctx["today"]) if forgotten else None,
        method_labels=words(METHOD_LABELS),
        side_labels=words(SIDE_LABELS),
        page_labels=page_labels,
        feed_word=_feed_word,
        bottle_amounts=rules.BOTTLE_AMOUNTS,
        start_shifts=rules.START_SHIFTS,
        suggestions=reading_for(baby, ctx["today"]),
        **ctx,
    )


def _now_card(baby, now: datetime, running: dict | None = None) -> dict:
    """A baby's state at a glance: what runs (not forgotten), awake since, the last feed.
    ``running``: the baby's running timers when the page has read them already."""
    if running is None:
        running = services.ongoing_entries(baby.id)
    slept, ended = services.last_ends(baby.id)
    return {
        "baby": baby,
        "running": {kind: e for kind, e in running.items() if not services.is_forgotten(e, now)},
        "awake_since": None if running else slept,
        "last_end": ended,
        "last_feed": services.last_feed(baby.id),
    }


def _card_body(card: dict) -> dict:
    """Another baby's card as the page script needs it offline (twins logged together)."""
    return {
        "id": card["baby"].id,
        "name": card["baby"].name,
        "running": [entry_body(e) for e in card["running"].values()],
        "awake_since": stamp(card["awake_since"]) if card["awake_since"] else None,
        "last_end": stamp(card["last_end"]) if card["last_end"] else None,
        "last_feed": entry_body(card["last_feed"]) if card["last_feed"] else None,
    }


def _feed_word(feed) -> str:
    """How a feed went, in a word or two ("left", "bottle 90 ml")."""
    details = (feed.details or {}) if feed is not None else {}
    if details.get("method") == "breast" and details.get("side"):
        word = words(SIDE_LABELS)[details["side"]]
    else:
        word = words(METHOD_LABELS).get(details.get("method"), "")
    if details.get("amount_ml"):
        word = f"{word} {details['amount_ml']} ml".strip()
    return str(word)


@bp.post("/<int:baby_id>/log")
def quick_log(baby_id: int):
    baby = services.get_baby(current_user, baby_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    action = request.form.get("action", "")
    chosen = request.form.getlist("babies") or [baby.id]
    if len(chosen) > 1 or request.form.getlist("babies"):
        # The "log for" choice stays until it is changed.
        session["log_for"] = [int(i) for i in chosen if str(i).isdigit()][:8]
    try:
        steps = services.quick_log(current_user, chosen, action, note=request.form.get("note"))
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("diary.today", baby_id=baby.id))
    messages = {
        "sleep-start": _("Sleep started."),
        "sleep-end": _("Sleep ended."),
        "crying-start": _("Crying started."),
        "crying-end": _("Crying ended."),
        "note": _("Note saved."),
    }
    message = messages.get(action, _("Feeding logged."))
    undone = "feeding" if action.startswith("feeding") else action
    if action == "crying-start" and any(step.reopen for step in steps):
        message = _("Sleep ended, crying started.")
        undone = "crying-after-sleep"
    feeding_ids = [s.entry_id for s in steps if action.startswith("feeding") and s.baby_id == baby.id]
    session["undo"] = {
        "baby": baby.id,
        "at": int(clock.time()),
        "message": message,
        "undone": undone,
        "bottle": action == "feeding-bottle",
        "steps": [s.as_dict() for s in steps],
        "feeding": feeding_ids[0] if feeding_ids else None,
    }
    return redirect(url_for("diary.today", baby_id=baby.id))


def undone_messages() -> dict[str, str]:
    """What undo took back, by the tap undone, in the words its own message used ("Sleep
    started." → "Sleep removed."): the page script takes the same words from the page."""
    return {
        "sleep-start": _("Sleep removed."),
        "sleep-end": _("Sleep end removed: sleep goes on."),
        "crying-start": _("Crying removed."),
        "crying-after-sleep": _("Crying removed: sleep goes on."),
        "crying-end": _("Crying end removed: crying goes on."),
        "feeding": _("Feed removed."),
        "note": _("Note removed."),
    }


@bp.post("/<int:baby_id>/undo")
def undo(baby_id: int):
    baby = services.get_baby(current_user, baby_id)
    form = EmptyForm()
    pending = session.pop("undo", None)
    closed = bool(request.form.get("dismiss"))  # the bar closed by hand: the tap stays
    if form.validate_on_submit() and pending and pending.get("baby") == baby.id and not closed:
        services.undo_quick_log(current_user, pending["steps"])
        flash(undone_messages().get(pending.get("undone", ""), _("Undone.")), "info")
    return redirect(url_for("diary.today", baby_id=baby.id))


@bp.post("/<int:baby_id>/entries/<entry_id>/feeding")
def feeding_details(baby_id: int, entry_id: str):
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    method, _sep, side = request.form.get("choice", "").partition(":")
    details: dict = {"method": method or None, "side": side or None}
    if method and method != "bottle":
        details["amount_ml"] = None  # a breast feed has no bottle's amount
    if "amount_ml" in request.form:  # a bottle's amount: a chip, or typed and saved
        text = next((value.strip() for value in request.form.getlist("amount_ml") if value.strip()), "")
        amount = int(text) if text.isdigit() and len(text) < 6 else (text or None)
        details = {"method": "bottle", "side": None, "amount_ml": amount}
        if amount is None:
            flash(_("Give the amount in millilitres, 1–1000."), "error")
            return redirect(url_for("diary.today", baby_id=baby_id))
    try:
        feed = services.set_feeding_details(current_user, baby_id, entry_id, details)
    except ServiceError as error:
        flash(" ".join([error.message, *error.fields.values()]), "error")
    else:
        pending = session.get("undo")
        if pending and str(pending.get("feeding")) == str(feed.id):
            # The undo bar says what its button removes: the feed, with what it now holds.
            session["undo"] = {**pending, "message": feed_saved(feed)}
        else:
            flash(_("Saved."), "info")
    return redirect(url_for("diary.today", baby_id=baby_id))


def feed_saved(feed) -> str:
    """ "Feed saved: bottle 90 ml." (the feed's way in a word or two, as a sentence goes on)."""
    word = _feed_word(feed)
    return _("Feed saved: %(how)s.", how=word[:1].lower() + word[1:]) if word else _("Saved.")


@bp.post("/<int:baby_id>/entries/<entry_id>/start")
def entry_start(baby_id: int, entry_id: str):
    """Move a running timer's start: 5 or 15 minutes earlier, or to a time of day (the
    latest such time in the past: 23.50 just after midnight is last night's)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    baby = services.get_baby(current_user, baby_id)
    entry = services.get_entry(current_user, baby.id, entry_id)
    tz = services.family_zone(baby.family)
    now = utcnow()
    try:
        start = _moved_start(entry.start, request.form, tz, now)
        services.move_start(current_user, baby.id, entry.id, start, now)
    except ServiceError as error:
        flash(" ".join([error.message, *error.fields.values()]), "error")
    else:
        flash(_("The start is now %(time)s.", time=format_clock(start, tz)), "info")
    return redirect(url_for("diary.today", baby_id=baby.id))


def _moved_start(start: datetime, form, tz, now: datetime) -> datetime:
    shift = form.get("shift", "")
    if shift:
        if shift not in {str(minutes) for minutes in rules.START_SHIFTS}:
            raise Validation(_("Please check the time."), {"start": _("Choose 5 or 15 minutes.")})
        return start - timedelta(minutes=int(shift))
    try:
        wall = time.fromisoformat(form.get("time", "").strip())
    except ValueError:
        raise Validation(_("Please check the time."), {"start": _("Use a time like 07:30.")}) from None
    today = now.astimezone(tz).date()
    moved = _to_utc(today, wall, tz, 0, "start")
    if moved >= now:
        moved = _to_utc(today - timedelta(days=1), wall, tz, 0, "start")
    return moved


@bp.post("/<int:baby_id>/entries/<entry_id>/end")
def entry_end(baby_id: int, entry_id: str):
    """Say when a forgotten timer really ended."""
    baby = services.get_baby(current_user, baby_id)
    entry = services.get_entry(current_user, baby.id, entry_id)
    form = EndTimeForm()
    tz = services.family_zone(baby.family)
    if form.validate_on_submit():
        try:
            end = _to_utc(form.end_date.data, form.end_time.data, tz, 0, "end")
            services.save_entry(
                current_user,
                baby.id,
                entry.id,
                EntryInput(entry.kind, entry.start, end, entry.details, entry.note),
            )
        except ServiceError as error:
            flash(" ".join([error.message, *error.fields.values()]), "error")
        else:
            flash(_("Saved."), "info")
    else:
        flash(_("Give the date and time it ended."), "error")
    return redirect(url_for("diary.today", baby_id=baby.id))


@bp.get("/<int:baby_id>/entries")
def entries(baby_id: int):
    baby = services.get_baby(current_user, baby_id)
    ctx = _baby_context(baby)
    last = min(parse_date(request.args.get("day"), "day") or ctx["today"], ctx["today"])
    first = last - timedelta(days=HISTORY_DAYS - 1)
    now = utcnow()
    days = []
    for offset in range(HISTORY_DAYS):
        day = last - timedelta(days=offset)
        items = services.day_entries(baby, day)
        days.append(
            {
                "date": day,
                "rows": _entry_rows(
                    sorted(items, key=lambda e: e.start, reverse=True), ctx["tz"], now, day, ctx["today"]
                ),
            }
        )
    return render_template(
        "diary/entries.html",
        days=days,
        earlier=first - timedelta(days=1),
        later=(last + timedelta(days=HISTORY_DAYS)) if last < ctx["today"] else None,
        **ctx,
    )


def _to_utc(day: date, clock_time, tz, fold: int, field: str) -> datetime:
    try:
        return local_to_utc(day, clock_time, tz, fold)
    except NonexistentTime:
        raise Validation(
            _("Please check the times."),
            {field: _("This time does not exist: the clocks were turned forward that night.")},
        ) from None


def _form_input(form: EntryForm, tz) -> EntryInput:
    fields: dict[str, str] = {}
    start = end = None
    try:
        start = _to_utc(
            form.start_date.data, form.start_time.data, tz, int(form.start_fold.data), "start_time"
        )
    except Validation as error:
        fields.update(error.fields)
    if form.end_time.data is not None:
        end_day = form.end_date.data or form.start_date.data
        try:
            end = _to_utc(end_day, form.end_time.data, tz, int(form.end_fold.data), "end_time")
            if form.end_date.data is None and start is not None and end <= start:
                end = _to_utc(end_day + timedelta(days=1), form.end_time.data, tz, 0, "end_time")
        except Validation as error:
            fields.update(error.fields)
    kind = form.kind.data
    details: dict = {}
    if kind == "sleep" and form.place.data:
        details["place"] = form.place.data
    if kind == "crying":
        if form.intensity.data:
            details["intensity"] = form.intensity.data
        if form.soothing.data:
            details["soothing"] = form.soothing.data
    if kind == "feeding":
        for key in ("method", "side"):
            if getattr(form, key).data:
                details[key] = getattr(form, key).data
        if form.amount_ml.data:
            details["amount_ml"] = form.amount_ml.data
    return EntryInput(kind, start, end, details, form.note.data, fields=fields)


# Service field names -> form field names, so errors show beside the right input.
_FIELD_MAP = {
    "start": "start_time",
    "end": "end_time",
    "details.place": "place",
    "details.intensity": "intensity",
    "details.soothing": "soothing",
    "details.method": "method",
    "details.side": "side",
    "details.amount_ml": "amount_ml",
}


def _show_errors(form: EntryForm, error: ServiceError) -> None:
    for name, message in error.fields.items():
        field = getattr(form, _FIELD_MAP.get(name, name), None)
        if field is not None:
            field.errors = [*field.errors, message]
    flash(error.message, "error")


def _entry_form_page(form: EntryForm, ctx: dict, entry, save):
    """The entry form sent: saved by ``save(data)`` and back to the list of the entry's day,
    or shown again with what to fix (422); the form itself on a GET."""
    if form.validate_on_submit():
        try:
            save(_form_input(form, ctx["tz"]))
        except ServiceError as error:
            _show_errors(form, error)
        else:
            flash(_("Saved."), "info")
            day = form.start_date.data.isoformat()
            return redirect(url_for("diary.entries", baby_id=ctx["baby"].id, day=day))
    status = 422 if request.method == "POST" else 200
    repeats = _repeat_days(ctx["tz"], ctx["today"])
    chosen = {form.start_date.data, form.end_date.data}
    folded = "1" in (form.start_fold.data, form.end_fold.data)
    return render_template(
        "diary/entry_form.html",
        form=form,
        entry=entry,
        repeat_days=repeats,
        clock_change=folded or bool(chosen & set(repeats)),
        **ctx,
    ), status


def _repeat_days(tz: ZoneInfo, today: date) -> list[date]:
    """The days on which the family's clocks go back (an hour happens twice), from two
    years before today to a year after: the form asks which hour only on those."""
    days = []
    day = date(today.year - 2, 1, 1)
    offset = datetime.combine(day, time(), tzinfo=tz).utcoffset()
    while day.year <= today.year + 1:
        following = day + timedelta(days=1)
        next_offset = datetime.combine(following, time(), tzinfo=tz).utcoffset()
        if next_offset < offset:
            days.append(day)
        day, offset = following, next_offset
    return days


@bp.route("/<int:baby_id>/entries/new", methods=["GET", "POST"])
def entry_new(baby_id: int):
    baby = services.get_baby(current_user, baby_id)
    ctx = _baby_context(baby)
    form = EntryForm()
    if request.method == "GET":
        now_local = utcnow().astimezone(ctx["tz"])
        form.kind.data = request.args.get("kind") if request.args.get("kind") in KIND_LABELS else "sleep"
        form.start_date.data = now_local.date()
        form.start_time.data = now_local.time().replace(second=0, microsecond=0)
    entry_id = str(uuid.uuid4())
    return _entry_form_page(
        form, ctx, None, lambda data: services.save_entry(current_user, baby.id, entry_id, data)
    )


@bp.route("/<int:baby_id>/entries/<entry_id>/edit", methods=["GET", "POST"])
def entry_edit(baby_id: int, entry_id: str):
    baby = services.get_baby(current_user, baby_id)
    entry = services.get_entry(current_user, baby.id, entry_id)
    ctx = _baby_context(baby)
    tz = ctx["tz"]
    form = EntryForm()
    if request.method == "GET":
        start = entry.start.astimezone(tz)
        form.kind.data = entry.kind
        form.start_date.data, form.start_time.data = start.date(), start.time().replace(tzinfo=None)
        form.start_fold.data = str(start.fold)
        if entry.end:
            end = entry.end.astimezone(tz)
            form.end_date.data, form.end_time.data = end.date(), end.time().replace(tzinfo=None)
            form.end_fold.data = str(end.fold)
        details = entry.details or {}
        form.place.data = details.get("place", "")
        form.intensity.data = details.get("intensity", "")
        form.soothing.data = details.get("soothing", [])
        form.method.data = details.get("method", "")
        form.side.data = details.get("side", "")
        form.amount_ml.data = details.get("amount_ml")
        form.note.data = entry.note or ""
    # The version the form was made from; anything else is a stale form (412, said as such).
    version = form_int(request.form.get("version", str(entry.version)))
    return _entry_form_page(
        form,
        ctx,
        entry,
        lambda data: services.save_entry(
            current_user, baby.id, entry.id, data, if_match=version if isinstance(version, int) else -1
        ),
    )


@bp.route("/<int:baby_id>/entries/<entry_id>/delete", methods=["GET", "POST"])
def entry_delete(baby_id: int, entry_id: str):
    baby = services.get_baby(current_user, baby_id)
    entry = services.get_entry(current_user, baby.id, entry_id)
    ctx = _baby_context(baby)
    form = EmptyForm()
    if form.validate_on_submit():
        day = local_date(entry.start, ctx["tz"])
        services.delete_entry(current_user, baby.id, entry.id)
        flash(_("The entry was deleted."), "info")
        return redirect(url_for("diary.entries", baby_id=baby.id, day=day.isoformat()))
    row = _entry_rows([entry], ctx["tz"], utcnow())[0]
    return render_template("diary/entry_delete.html", form=form, row=row, **ctx)
