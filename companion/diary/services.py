"""Diary use cases: families, babies, entries and the quick log.

The pages, the quick log and the JSON API all call these functions, which check every
entry against the diary's rules (the values in `rules`, the details by `schemas.DETAILS`):
one rule, one place. Plain values in; the rhythm, guides, wellbeing and sharing read the
diary through here and the models.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.util import identity_key

from companion.accounts.models import User
from companion.diary import rules, schemas
from companion.diary.age import age_in_days, is_expecting, weeks_to_due
from companion.diary.models import Baby, Entry, Family
from companion.errors import (
    Conflict,
    Forbidden,
    Gone,
    NotFound,
    PreconditionFailed,
    Validation,
    not_found,
)
from companion.extensions import db
from companion.i18n import format_day
from companion.rhythm.clock import local_date, local_day_bounds
from companion.schema import one_kind_of_line_break, parse, too_long_words
from companion.types import utcnow

MAX_LENGTH = rules.MAX_LENGTH
INTERVAL_KINDS = rules.INTERVAL_KINDS


# -- families and babies ---------------------------------------------------------------


def create_family(timezone: str | None = None) -> Family:
    family = Family(timezone=timezone or current_app.config["COMPANION_DEFAULT_TIMEZONE"])
    db.session.add(family)
    db.session.flush()
    return family


def family_zone(family: Family) -> ZoneInfo:
    return ZoneInfo(family.timezone)


def _require_parent(user: User) -> None:
    if not user.is_authenticated:
        raise NotFound(_("Not found."))
    if not user.is_parent:
        raise Forbidden(_("Only parents keep a diary."))


def family_of(user: User) -> Family:
    _require_parent(user)
    family = db.session.get(Family, user.family_id) if user.family_id else None
    if family is None:
        family = create_family()
        user.family_id = family.id
        db.session.commit()
    return family


def babies_of(user: User) -> list[Baby]:
    return list(family_of(user).babies)


def family_babies(user: User) -> list[Baby]:
    """The babies of a parent's family, read without making a family (none for staff)."""
    if not user.is_parent or user.family_id is None:
        return []
    return list(db.session.scalars(select(Baby).where(Baby.family_id == user.family_id).order_by(Baby.id)))


def other_parents(user: User) -> bool:
    """Whether someone else is a parent in the user's family too."""
    if user.family_id is None:
        return False
    query = select(User.id).where(User.family_id == user.family_id, User.id != user.id).limit(1)
    return db.session.scalar(query) is not None


def family_for_new_parent(_sender: object, *, user: User) -> None:
    """Every new parent gets a family of their own (accounts' `signals.parent_signed_up`)."""
    user.family_id = create_family().id


@cache
def _baby_query() -> Select:
    """A baby with its family and the family's babies, in one query: every page and most
    writes read the family's zone, and every page of a baby shows its brothers and sisters.
    Built once (as are the other queries of every request): building a query costs about
    as much as running it."""
    return (
        select(Baby)
        .options(joinedload(Baby.family).joinedload(Family.babies))
        .where(Baby.id == bindparam("id"))
    )


def get_baby(user: User, baby_id: object) -> Baby:
    """The user's own baby, or 404: never reveal whether another family's baby exists."""
    _require_parent(user)
    try:
        key = int(baby_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise not_found() from None
    baby = db.session.identity_map.get(identity_key(Baby, key))
    if baby is None:
        baby = db.session.scalars(_baby_query(), {"id": key}).unique().first()
    if baby is None or user.family_id is None or baby.family_id != user.family_id:
        raise not_found()
    return baby


def baby_context(user: User, baby: Baby) -> dict[str, Any]:
    """What every page of a baby's diary shows in its header: the babies, the age (and the
    corrected age of a baby born early) or the weeks to the due date, the family's today."""
    tz = family_zone(baby.family)
    today = local_date(utcnow(), tz)
    age, corrected = age_in_days(baby.birth_date, baby.due_date, today)
    return {
        "baby": baby,
        "babies": babies_of(user),
        "age_days": age,
        "corrected_days": corrected,
        "weeks_to_due": weeks_to_due(baby.due_date, today) if baby.birth_date is None else None,
        "expecting": is_expecting(baby.birth_date, baby.due_date),
        "tz": tz,
        "today": today,
    }


def data_version(baby: Baby) -> int:
    """The baby's diary version as stored now (moves with every entry or plan change)."""
    return db.session.scalar(select(Baby.data_version).where(Baby.id == baby.id)) or 0


def _clean_baby(name: object, birth_date: date | None, due_date: date | None) -> str:
    fields: dict[str, str] = {}
    text = name.strip() if isinstance(name, str) else ""
    if not text:
        fields["name"] = _("Give a name or a nickname.")
    elif len(text) > rules.BABY_NAME_MAX:
        fields["name"] = _("Use at most 60 characters.")
    today = date.today()
    if birth_date and birth_date > today + timedelta(days=1):
        fields["birth_date"] = _("The birth date cannot be in the future.")
    if birth_date and birth_date < today - timedelta(days=6 * 366):
        fields["birth_date"] = _("This diary is for babies and small children.")
    if due_date and not (today - timedelta(days=6 * 366) <= due_date <= today + timedelta(days=300)):
        fields["due_date"] = _("The due date does not look right.")
    if birth_date and due_date and abs((due_date - birth_date).days) > 140:
        fields["due_date"] = _("The due date is too far from the birth date.")
    if fields:
        raise Validation(_("Please check the baby's details."), fields)
    return text


def create_baby(
    user: User, name: object, birth_date: date | None = None, due_date: date | None = None
) -> Baby:
    family = family_of(user)
    clean = _clean_baby(name, birth_date, due_date)
    if len(family.babies) >= rules.BABIES_MAX:
        raise Validation(_("A family can have at most 8 babies here."))
    baby = Baby(family_id=family.id, name=clean, birth_date=birth_date, due_date=due_date)
    db.session.add(baby)
    db.session.commit()
    return baby


def update_baby(
    user: User, baby_id: object, name: object, birth_date: date | None, due_date: date | None
) -> Baby:
    baby = get_baby(user, baby_id)
    baby.name = _clean_baby(name, birth_date, due_date)
    baby.birth_date = birth_date
    baby.due_date = due_date
    db.session.commit()
    return baby


#: The most a birth may be from the due date (the baby form's rule as well).
BIRTH_FROM_DUE_DAYS = 140


def record_birth(user: User, baby_id: object, birth_date: date | None) -> Baby:
    """The baby is born: save the birth date, and the family's diary begins.

    The due date stays (for the corrected age of a baby born early). Saving the same
    date twice (both parents tapping) is fine; a different date is changed in the
    baby's details, so a stale page never overwrites what the other parent saved.
    """
    baby = get_baby(user, baby_id)
    problem = birth_problem(baby, birth_date)
    if problem:
        raise Validation(_("Please check the birth date."), {"birth_date": problem})
    assert isinstance(birth_date, date)
    baby.birth_date = birth_date
    db.session.commit()
    return baby


def birth_problem(baby: Baby, birth_date: date | None) -> str | None:
    """What is wrong with this birth date for the baby (None: it can be saved)."""
    today = local_date(utcnow(), family_zone(baby.family))
    problem = None
    if not isinstance(birth_date, date):
        problem = _("Give the birth date.")
    elif baby.birth_date is not None and baby.birth_date != birth_date:
        problem = _("A different birth date is already saved. You can change it in the baby's details.")
    elif birth_date > today:
        problem = _("The birth date cannot be in the future.")
    elif baby.due_date is not None and abs((baby.due_date - birth_date).days) > BIRTH_FROM_DUE_DAYS:
        problem = _(
            "This is far from the due date. Check the date, or change the due date in the baby's details."
        )
    elif birth_date < today - timedelta(days=6 * 366):
        problem = _("This diary is for babies and small children.")
    return problem


def update_family_settings(
    user: User, timezone: str, chart_day_start: int, night_start: time, night_end: time
) -> Family:
    family = family_of(user)
    fields = {}
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        fields["timezone"] = _("Unknown time zone.")
    if chart_day_start not in (0, 6, 18):
        fields["chart_day_start"] = _("Choose 00:00, 06:00 or 18:00.")
    if night_start == night_end:
        fields["night_end"] = _("The night must start and end at different times.")
    if fields:
        raise Validation(_("Please check the settings."), fields)
    family.timezone = timezone
    family.chart_day_start = chart_day_start
    family.night_start = night_start
    family.night_end = night_end
    db.session.commit()
    return family


# -- entries -----------------------------------------------------------------------------


@dataclass
class EntryInput:
    kind: object
    start: datetime | None
    end: datetime | None = None
    details: object = None
    note: object = None
    recorded_at: datetime | None = None
    client_now: datetime | None = None  # the phone's clock when it sent this (API)
    fields: dict[str, str] = field(default_factory=dict)


def parse_entry_id(entry_id: object) -> str:
    try:
        return str(uuid.UUID(str(entry_id)))
    except ValueError:
        raise not_found() from None


def clean_details(kind: str, raw: object) -> dict[str, Any]:
    """The details allowed for the kind (`schemas.DETAILS`); anything else is refused, not
    dropped silently."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise Validation(_("Please check the entry."), {"details": _("Details must be an object.")})
    return parse(schemas.DETAILS[kind], raw, prefix="details.").model_dump(exclude_none=True)


def before_birth_problem(baby: Baby, start: datetime) -> str | None:
    """Why an entry starting then has no place in this baby's diary (`rules.too_early`), in
    the reader's words; None when it has. The family's zone is read only for a baby with a
    birth date."""
    if baby.birth_date is None and baby.due_date is None:
        return None
    start_day = local_date(start, family_zone(baby.family)) if baby.birth_date else start.date()
    reason = rules.too_early(start_day, baby.birth_date, baby.due_date)
    if reason == rules.EXPECTED:
        return _("The diary begins when the baby is born. Save the birth date first.")
    if reason == rules.BEFORE_BIRTH:
        assert baby.birth_date is not None
        return _(
            "This is more than 2 days before the birth (%(date)s). "
            "Check the date, or the birth date in the baby's details.",
            date=format_day(baby.birth_date),
        )
    return None


def validate_entry(
    data: EntryInput, now: datetime, baby: Baby | None = None
) -> tuple[str, datetime, datetime | None, dict, str | None]:
    """The entry's values as stored, or every problem at once (422). An entry with no place
    in the baby's diary (before the birth, or while only expected) says so first, as that
    is what the parent has to fix, whatever else is wrong."""
    fields: dict[str, str] = dict(data.fields)
    kind = data.kind if data.kind in rules.KINDS else None
    if kind is None:
        fields["kind"] = _("Choose sleep, crying, feeding or note.")
    start, end = data.start, data.end
    if start is None and "start" not in fields:
        fields["start"] = _("This is required.")
    note = data.note
    if note is not None and not isinstance(note, str):
        fields["note"] = _("The note must be text.")
        note = None
    note = one_kind_of_line_break(note or "").strip() or None
    if note and len(note) > rules.NOTE_MAX:
        fields["note"] = too_long_words(rules.NOTE_MAX)
    if kind == "note" and end is not None:
        fields["end"] = _("A note is a moment in time and has no end.")
    if start is not None and start > now + rules.FUTURE_TOLERANCE:
        fields["start"] = _("The time is in the future.")
    if end is not None and end > now + rules.FUTURE_TOLERANCE:
        fields["end"] = _("The time is in the future.")
    early = before_birth_problem(baby, start) if baby is not None and start is not None else None
    if early:
        fields["start"] = early
    if start is not None and end is not None and "end" not in fields:
        if end <= start:
            fields["end"] = _("The end must be after the start.")
        elif kind in MAX_LENGTH and end - start > MAX_LENGTH[kind]:
            limit = int(MAX_LENGTH[kind].total_seconds() // 3600)
            fields["end"] = _("This is longer than %(h)d hours. Check the times.", h=limit)
    details: dict = {}
    if kind is not None:
        try:
            details = clean_details(kind, data.details)
        except Validation as error:
            fields.update(error.fields)
    if fields:
        raise Validation(early or _("Please check the entry."), fields)
    assert kind is not None and start is not None
    return (
        kind,
        start.replace(microsecond=0),
        end.replace(microsecond=0) if end else None,
        details,
        note,
    )


def find_overlap(
    baby_id: int, kind: str, start: datetime, end: datetime | None, exclude_id: str | None
) -> Entry | None:
    kinds = rules.EXCLUSIVE.get(kind)
    if not kinds:
        return None
    query = select(Entry).where(
        Entry.baby_id == baby_id,
        Entry.kind.in_(kinds),
        Entry.deleted_at.is_(None),
        or_(Entry.end.is_(None), Entry.end > start),
    )
    if exclude_id:
        query = query.where(Entry.id != exclude_id)
    if end is not None:
        query = query.where(Entry.start < end)
    return db.session.scalar(query.order_by(Entry.start).limit(1))


def _overlap_error(other: Entry) -> Conflict:
    if other.kind == "sleep":
        message = _("This overlaps a sleep already in the diary.")
    else:
        message = _("This overlaps a crying already in the diary.")
    return Conflict(message, conflicting_id=other.id)


def correct_clock(data: EntryInput, now: datetime, existing: Entry | None = None) -> EntryInput:
    """Tap times from a phone whose clock is off by more than a minute, moved to server time.

    A phone sends its clock's "now" with each request; the difference to the server's now is
    how far that clock is off, however long ago the tap was. A time equal to the one the
    server already has for this entry (the start of a sleep the phone only ends) came from
    the server, not from the phone's clock, and stays as it is.
    """
    if data.client_now is None:
        return data
    data = replace(data, recorded_at=data.client_now)
    skew = now - data.client_now
    if abs(skew) <= rules.CLOCK_SKEW_TOLERANCE:
        return data
    skew = timedelta(seconds=round(skew.total_seconds()))

    def shift(value: datetime | None, stored: datetime | None) -> datetime | None:
        return value if value is None or value == stored else value + skew

    return replace(
        data,
        start=shift(data.start, existing.start if existing else None),
        end=shift(data.end, existing.end if existing else None),
    )


def made_up_rows(items, baby_id: int, user_id: int, now: datetime) -> list[Entry]:
    """Made-up entries (`demo.generate`'s) as rows to insert in bulk, as an old diary would
    be: how the benchmarks and tests fill years of diary in a moment. Nothing is checked."""
    return [
        Entry(
            id=str(uuid.uuid4()),
            baby_id=baby_id,
            kind=item.kind,
            start=item.start,
            end=item.end,
            details=item.details,
            note=item.note,
            version=1,
            created_by_id=user_id,
            updated_by_id=user_id,
            created_at=now,
            updated_at=now,
        )
        for item in items
    ]


def save_entry(
    user: User,
    baby_id: object,
    entry_id: object,
    data: EntryInput,
    if_match: int | None = None,
    now: datetime | None = None,
    commit: bool = True,
) -> tuple[Entry, bool]:
    """Create or update one entry by its client-made id. Returns (entry, created).

    A replay identical to what is stored changes nothing, whatever If-Match says, so a
    phone that sends the same tap twice gets the same answer twice.
    """
    baby = get_baby(user, baby_id)
    key = parse_entry_id(entry_id)
    now = now or utcnow()
    existing = db.session.get(Entry, key)
    if existing is not None and existing.baby_id != baby.id:
        raise not_found()
    if existing is not None and existing.deleted_at is not None:
        raise Gone(_("This entry was deleted."))
    data = correct_clock(data, now, existing)
    kind, start, end, details, note = validate_entry(data, now, baby)
    if existing is not None and (
        existing.kind,
        existing.start,
        existing.end,
        existing.details or {},
        existing.note,
    ) == (kind, start, end, details, note):
        return existing, False
    if existing is None and if_match is not None:
        raise PreconditionFailed(_("This entry is not in the diary any more. Reload to see the latest."))
    if existing is not None and if_match is not None and if_match != existing.version:
        raise PreconditionFailed(
            _("Someone changed this entry meanwhile. Reload to see the latest version."),
            current_version=existing.version,
        )
    other = find_overlap(baby.id, kind, start, end, key)
    if other is not None:
        raise _overlap_error(other)
    if existing is None:
        entry = Entry(
            id=key,
            baby_id=baby.id,
            created_by_id=user.id,
            created_at=now,
            version=1,
            client_recorded_at=data.recorded_at,
        )
        db.session.add(entry)
        created = True
    else:
        entry = existing
        entry.version += 1
        created = False
    entry.kind, entry.start, entry.end, entry.details, entry.note = kind, start, end, details, note
    entry.updated_by_id = user.id
    entry.updated_at = now
    entry.server_received_at = now
    if commit:
        _commit_keeping_values(baby)
    return entry, created


def _commit_keeping_values(baby: Baby) -> None:
    """Commit, keeping the values just written in memory: the answer is written from them,
    and reading back the entry (and the signed-in user) would take two more queries. The
    baby's data version was moved in SQL by the flush (`models._bump_data_versions`), so
    it alone is read again when asked for."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    session.expire(baby, ["data_version"])


def delete_entry(user: User, baby_id: object, entry_id: object, commit: bool = True) -> None:
    """Leave a tombstone (also for an id not seen yet), so a late replay cannot revive it."""
    baby = get_baby(user, baby_id)
    key = parse_entry_id(entry_id)
    now = utcnow()
    entry = db.session.get(Entry, key)
    if entry is not None and entry.baby_id != baby.id:
        raise not_found()
    if entry is None:
        entry = Entry(
            id=key,
            baby_id=baby.id,
            kind="note",
            start=now,
            details={},
            created_by_id=user.id,
            created_at=now,
            version=0,
        )
        db.session.add(entry)
    elif entry.deleted_at is not None:
        return
    entry.deleted_at = now
    entry.version += 1
    entry.updated_at = now
    entry.updated_by_id = user.id
    if commit:
        db.session.commit()


def get_entry(user: User, baby_id: object, entry_id: object) -> Entry:
    baby = get_baby(user, baby_id)
    entry = db.session.get(Entry, parse_entry_id(entry_id))
    if entry is None or entry.baby_id != baby.id or entry.deleted_at is not None:
        raise not_found()
    return entry


@cache
def _window_query(bounded: bool) -> Select:
    """Live entries that start at ``earliest`` or later and overlap [since, until) (or
    [since, ...) when not ``bounded``), by start."""
    query = select(Entry).where(
        Entry.baby_id == bindparam("baby_id"),
        Entry.deleted_at.is_(None),
        Entry.start >= bindparam("earliest"),
        or_(
            Entry.start >= bindparam("since"),
            Entry.end > bindparam("since"),
            Entry.end.is_(None) & Entry.kind.in_(INTERVAL_KINDS),
        ),
    )
    if bounded:
        query = query.where(Entry.start < bindparam("until"))
    return query.order_by(Entry.start)


def entries_between(
    baby_id: int,
    since: datetime | None,
    until: datetime | None,
    running: list[Entry] | None = None,
) -> list[Entry]:
    """Live entries overlapping [since, until), oldest first. Both ends optional.

    No entry lasts longer than the longest kind allows, so the range query can use the
    (baby, start) index; ongoing entries started before that (forgotten timers) are few
    and fetched through the (baby, end) index, or given as ``running`` (every running
    sleep and crying of the baby, `running_entries`) by a caller who has read them.
    """
    if since is None:
        query = select(Entry).where(Entry.baby_id == baby_id, Entry.deleted_at.is_(None))
        if until is not None:
            query = query.where(Entry.start < until)
        return list(db.session.scalars(query.order_by(Entry.start)))
    earliest = since - max(MAX_LENGTH.values())
    found = list(
        db.session.scalars(
            _window_query(until is not None),
            {"baby_id": baby_id, "earliest": earliest, "since": since, "until": until},
        )
    )
    # All running timers through the (baby, kind, end) index, the old ones kept here: a
    # "start < earliest" in SQL would tempt the planner into the start index and the
    # whole history before it.
    if running is None:
        running = running_entries(baby_id)
    old_running = [entry for entry in running if entry.start < earliest]
    return sorted([*old_running, *found], key=lambda e: e.start)


def list_entries(
    user: User, baby_id: object, since: datetime | None = None, until: datetime | None = None
) -> list[Entry]:
    baby = get_baby(user, baby_id)
    return entries_between(baby.id, since, until)


def changed_entries(user: User, baby_id: object, changed_since: datetime) -> list[Entry]:
    """Every entry changed after the time, tombstones included: how phones catch up."""
    baby = get_baby(user, baby_id)
    query = select(Entry).where(Entry.baby_id == baby.id, Entry.updated_at > changed_since)
    return list(db.session.scalars(query.order_by(Entry.updated_at)))


def running_entries(baby_id: int) -> list[Entry]:
    """The baby's running sleeps and cryings (end null), through the (baby, kind, end) index."""
    return list(db.session.scalars(_running_query(), {"baby_id": baby_id}))


@cache
def _running_query() -> Select:
    return select(Entry).where(
        Entry.baby_id == bindparam("baby_id"),
        Entry.kind.in_(INTERVAL_KINDS),
        Entry.end.is_(None),
        Entry.deleted_at.is_(None),
    )


def ongoing_entries(baby_id: int, running: list[Entry] | None = None) -> dict[str, Entry]:
    return {entry.kind: entry for entry in (running_entries(baby_id) if running is None else running)}


def is_forgotten(entry: Entry, now: datetime | None = None) -> bool:
    """An ongoing entry older than its kind's maximum length was surely left running."""
    limit = MAX_LENGTH.get(entry.kind)
    return entry.end is None and limit is not None and (now or utcnow()) - entry.start > limit


def day_entries(baby: Baby, day: date, running: list[Entry] | None = None) -> list[Entry]:
    start, end = local_day_bounds(day, family_zone(baby.family))
    return entries_between(baby.id, start, end, running)


def today_entries(baby: Baby, day: date) -> tuple[list[Entry], dict[str, Entry]]:
    """The entries of the family's day and the running timers by kind: the today page,
    in two queries."""
    running = running_entries(baby.id)
    return day_entries(baby, day, running), ongoing_entries(baby.id, running)


# -- the quick log ---------------------------------------------------------------------

QUICK_ACTIONS = rules.QUICK_ACTIONS


@dataclass
class UndoStep:
    """How to take one quick-log change back: delete a new entry, or reopen an ended one."""

    entry_id: str
    baby_id: int
    reopen: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"entry_id": self.entry_id, "baby_id": self.baby_id, "reopen": self.reopen}


def _end_running(user: User, baby: Baby, entry: Entry, at: datetime, steps: list[UndoStep]) -> datetime:
    end = max(at, entry.start + timedelta(seconds=1))
    limit = MAX_LENGTH[entry.kind]
    if end - entry.start > limit:
        raise Validation(
            _("A timer has been running for too long. Tell when it ended first."),
            code="forgotten",
            entry_id=entry.id,
        )
    save_entry(
        user,
        baby.id,
        entry.id,
        EntryInput(entry.kind, entry.start, end, entry.details, entry.note),
        now=at + timedelta(seconds=1),
        commit=False,
    )
    steps.append(UndoStep(entry.id, baby.id, reopen=True))
    return end


def quick_log(
    user: User,
    baby_ids: list[object],
    action: str,
    note: object = None,
    at: datetime | None = None,
) -> list[UndoStep]:
    """One tap for one or more babies (twins). Resolves the common case itself: crying
    that starts during a sleep ends the sleep at that moment, and the other way round."""
    if action not in QUICK_ACTIONS:
        raise Validation(_("Unknown action."))
    if not baby_ids:
        raise Validation(_("Choose at least one baby."))
    at = (at or utcnow()).replace(microsecond=0)
    if action == "note" and not (isinstance(note, str) and note.strip()):
        raise Validation(_("Write the note first."), {"note": _("Write the note first.")})
    steps: list[UndoStep] = []
    for baby_id in dict.fromkeys(baby_ids):
        baby = get_baby(user, baby_id)
        running = ongoing_entries(baby.id)
        if action.startswith(rules.FEEDING):
            details = feed_details(baby.id, action)
            new_id = str(uuid.uuid4())
            feed = EntryInput(rules.FEEDING, at, details=details)
            save_entry(user, baby.id, new_id, feed, now=at, commit=False)
            steps.append(UndoStep(new_id, baby.id))
            continue
        kind, verb = action.split("-") if "-" in action else (action, "")
        if verb == "start":
            other = "crying" if kind == "sleep" else "sleep"
            if kind in running:
                continue  # already running: a double tap changes nothing
            start = at
            if other in running:
                start = max(at, _end_running(user, baby, running[other], at, steps))
            new_id = str(uuid.uuid4())
            save_entry(user, baby.id, new_id, EntryInput(kind, start), now=start, commit=False)
            steps.append(UndoStep(new_id, baby.id))
        elif verb == "end":
            if kind not in running:
                if len(baby_ids) == 1:
                    raise Validation(
                        _("No sleep is running.") if kind == "sleep" else _("No crying is running.")
                    )
                continue
            _end_running(user, baby, running[kind], at, steps)
        else:
            new_id = str(uuid.uuid4())
            save_entry(
                user,
                baby.id,
                new_id,
                EntryInput(kind, at, note=note if kind == "note" else None),
                now=at,
                commit=False,
            )
            steps.append(UndoStep(new_id, baby.id))
    db.session.commit()
    return steps


def feed_details(baby_id: int, action: str) -> dict[str, Any]:
    """What a one-tap feed logs: its side or bottle, or for ``feeding`` the way the last feed
    went (method and side, not its amount)."""
    if action in rules.FEED_ACTIONS:
        return dict(rules.FEED_ACTIONS[action])
    last = last_feed(baby_id)
    known = (last.details or {}) if last is not None else {}
    return {key: known[key] for key in ("method", "side") if key in known}


def last_feed(baby_id: int) -> Entry | None:
    """The baby's latest feed (what "last feed 13.20, left" and the feeding button show)."""
    return db.session.scalar(_last_feed_query(), {"baby_id": baby_id})


@cache
def _last_feed_query() -> Select:
    return (
        select(Entry)
        .where(Entry.baby_id == bindparam("baby_id"), Entry.kind == rules.FEEDING, Entry.deleted_at.is_(None))
        .order_by(Entry.start.desc(), Entry.created_at.desc())
        .limit(1)
    )


def last_ends(baby_id: int) -> tuple[datetime | None, datetime | None]:
    """When the baby's latest sleep ended ("awake since 14.05"), and the latest sleep or
    crying (a running timer's start may not be moved back past it, even when it lies
    in an earlier day than the page shows); None when none has."""
    slept, cried = db.session.execute(_last_ends_query(), {"baby_id": baby_id}).one()
    return slept, max((end for end in (slept, cried) if end is not None), default=None)


@cache
def _last_ends_query() -> Select:
    """The latest end of a sleep and of a crying, one subquery each: a plain ``max(end)``
    per kind reads one row of the (baby, kind, end) index however long the diary is
    (one ``max`` over both kinds, or over a ``CASE``, reads every sleep the baby had)."""

    def latest(kind: str):
        return (
            select(func.max(Entry.end))
            .where(Entry.baby_id == bindparam("baby_id"), Entry.kind == kind, Entry.deleted_at.is_(None))
            .scalar_subquery()
        )

    return select(latest(rules.SLEEP), latest(rules.CRYING))


def move_start(
    user: User, baby_id: object, entry_id: object, start: datetime, now: datetime | None = None
) -> Entry:
    """Move a running sleep's or crying's start ("fell asleep 10 minutes ago"): it must
    still be running, start in the past and overlap nothing (the entry rules say so)."""
    entry = get_entry(user, baby_id, entry_id)
    now = now or utcnow()
    if entry.kind not in rules.INTERVAL_KINDS or entry.end is not None:
        raise Validation(_("Only a running sleep or crying can be moved like this."))
    if start >= now:
        raise Validation(_("Please check the time."), {"start": _("The start must be in the past.")})
    if now - start > rules.MAX_LENGTH[entry.kind]:
        limit = int(rules.MAX_LENGTH[entry.kind].total_seconds() // 3600)
        too_long = _("This is longer than %(h)d hours. Check the times.", h=limit)
        raise Validation(_("Please check the time."), {"start": too_long})
    saved, _created = save_entry(
        user, entry.baby_id, entry.id, EntryInput(entry.kind, start, None, entry.details, entry.note), now=now
    )
    return saved


def undo_quick_log(user: User, steps: list[dict[str, Any]]) -> None:
    for step in reversed(steps):
        try:
            entry = get_entry(user, step["baby_id"], step["entry_id"])
        except NotFound:
            continue
        if step.get("reopen"):
            entry.end = None
            entry.version += 1
            entry.updated_at = utcnow()
            entry.updated_by_id = user.id
        else:
            delete_entry(user, step["baby_id"], step["entry_id"], commit=False)
    db.session.commit()


def set_feeding_details(user: User, baby_id: object, entry_id: object, details: dict) -> Entry:
    entry = get_entry(user, baby_id, entry_id)
    if entry.kind != "feeding":
        raise Validation(_("Only a feeding has these details."))
    merged = {**(entry.details or {}), **details}
    saved, _created = save_entry(
        user, baby_id, entry.id, EntryInput(entry.kind, entry.start, entry.end, merged, entry.note)
    )
    return saved
