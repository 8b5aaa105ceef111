"""Sharing use cases: share codes and grants, partner invites, the audit trail.

The only code that writes sharing data, and every access check of it: the pages and the
JSON API call these with plain values and the acting user.

Grants are read from the database on every request (never kept in the session), so a
revoked or expired grant, or a deactivated worker, loses access on the very next request.
Code failures are counted in the database (companion.throttle), so the limits hold across
processes and servers; a throttled request is refused before the code is even looked at.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from companion import throttle
from companion import types as utc
from companion.accounts.models import User
from companion.diary import rules
from companion.diary import services as diary
from companion.diary.age import age_in_days
from companion.diary.models import Baby, Entry, Family
from companion.errors import Conflict, Forbidden, NotFound, Throttled, Unauthorized, Validation, not_found
from companion.extensions import db
from companion.i18n import locale_code
from companion.schema import too_long_words
from companion.share import codes, signals
from companion.share.models import SCOPES, WELLBEING, AuditEvent, FamilyInvite, Grant, ShareCode
from companion.wellbeing import services as wellbeing
from companion.wellbeing.models import CheckIn

VALID_HOURS = (1, 168)
DEFAULT_VALID_HOURS = 24
GRANT_DAYS = (1, 365)
DEFAULT_GRANT_DAYS = 90
LABEL_MAX = 60
#: Ended grants stay on the parent's list this long, so the family sees that access ended.
ENDED_SHOWN = timedelta(days=90)
WINDOW = timedelta(minutes=15)
DAY = timedelta(days=1)
#: Site-wide failure counts: a warning in the log when they surge, never a refusal.
SURGE_SHARE_BUCKET = "code:all"
SURGE_JOIN_BUCKET = "join:all"


def _now(now: datetime | None) -> datetime:
    return (now or utc.utcnow()).replace(microsecond=0)


def _key() -> str:
    return current_app.config["COMPANION_CODE_KEY"]


def _int_id(value: object) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise not_found() from None


def _require(user: User, allowed: Callable[[User], bool]) -> None:
    """401 for anyone not signed in, 403 for a user who is not ``allowed``."""
    if not user.is_authenticated:
        raise Unauthorized(_("Please sign in first."))
    if not allowed(user):
        raise Forbidden(_("You do not have access to this."))


def _require_parent(user: User) -> None:
    _require(user, lambda person: person.is_parent)


def _require_worker(user: User) -> None:
    _require(user, lambda person: person.is_worker and person.active)


def audit(
    kind: str,
    actor: User | None = None,
    *,
    baby_id: int | None = None,
    family_id: int | None = None,
    grant_id: int | None = None,
    subject_id: int | None = None,
    detail: str | None = None,
    now: datetime | None = None,
) -> None:
    """One audit row (committed with the action it records). Never a code, never diary text."""
    db.session.add(
        AuditEvent(
            created_at=_now(now),
            kind=kind,
            actor_id=actor.id if actor is not None else None,
            baby_id=baby_id,
            family_id=family_id,
            grant_id=grant_id,
            subject_id=subject_id,
            detail=detail,
        )
    )


# -- throttling --------------------------------------------------------------------------


def code_limits(account_bucket: str, address: str | None) -> list[throttle.Limit]:
    """Code failures per account (15 minutes and a day) and per address. No site-wide limit
    refuses everyone: a surge across the site is only logged (``note_surge``)."""
    cfg = current_app.config
    limits = [
        throttle.Limit(account_bucket, int(cfg["COMPANION_CODE_LIMIT_USER"]), WINDOW),
        throttle.Limit(f"{account_bucket}:day", int(cfg["COMPANION_CODE_LIMIT_USER_DAY"]), DAY),
    ]
    if address:
        limits.append(
            throttle.Limit(f"code:addr:{address[:60]}", int(cfg["COMPANION_CODE_LIMIT_ADDRESS"]), WINDOW)
        )
    return limits


def _note_surge(bucket: str, what: str) -> None:
    limit = int(current_app.config["COMPANION_CODE_SURGE_WARNING"])
    throttle.note_surge(throttle.Limit(bucket, limit, WINDOW), what)


def _throttled(wait: int) -> Throttled:
    minutes = max(1, (wait + 59) // 60)
    return Throttled(
        _(
            "Too many codes that did not work. Please wait %(n)d minutes and try again, "
            "or ask your administrator to unlock your account.",
            n=minutes,
        ),
        retry_after=wait,
    )


def share_bucket(user_id: int) -> str:
    return f"code:worker:{user_id}"


def code_lock(user_id: int) -> int | None:
    """Seconds until this worker may try codes again after too many failures, or None."""
    found = [wait for wait in map(throttle.retry_after, code_limits(share_bucket(user_id), None)) if wait]
    return max(found) if found else None


def clear_code_failures(user_id: int) -> None:
    """Forget the worker's failed codes (an administrator unlocks them); the caller commits."""
    throttle.clear(share_bucket(user_id))
    throttle.clear(f"{share_bucket(user_id)}:day")


def join_bucket(user_id: int) -> str:
    return f"join:user:{user_id}"


def _invalid_code() -> NotFound:
    return NotFound(
        _("This code does not work. It may be mistyped, used already or expired: ask for a new code."),
        code="invalid_code",
    )


def _digits_or_error(raw: object) -> str:
    digits = codes.normalise(raw)
    if digits is None:
        raise Validation(
            _("Please check the code."),
            {"code": _("Type the 12 digits of the code, for example 1234 5678 9012.")},
        )
    return digits


def _typed_code(model, raw_code: object, purpose: str, limits: list[throttle.Limit]):
    """The row of the code someone typed (None when there is none), once the code has its
    12 digits (422) and the throttle took the try (429, even with a right code)."""
    digits = _digits_or_error(raw_code)
    wait = throttle.take(limits)
    if wait:
        raise _throttled(wait)
    digest = codes.digest(_key(), digits, purpose)
    return db.session.scalar(select(model).where(model.code_hash == digest))


# -- validation of the code settings ---------------------------------------------------------


def _whole_number(value: object, default: int, bounds: tuple[int, int]) -> int | None:
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if bounds[0] <= value <= bounds[1] else None


def clean_code_settings(
    scope: object,
    valid_hours: object,
    grant_days: object,
    label: object,
    default_label: str,
    statistics: object = None,
    problems: Mapping[str, str] | None = None,
) -> tuple[str, int, int, str, bool]:
    """Every field checked, every problem reported at once (with the ``problems`` found
    reading the request). Statistics are counted only with the parent's yes
    (`statistics` true); left out, it is no."""
    fields: dict[str, str] = dict(problems or {})
    if statistics is not None and not isinstance(statistics, bool):
        fields.setdefault("statistics", _("Answer yes or no."))
    if scope is None or scope == "":
        scope = "diary"
    if scope not in SCOPES:
        fields["scope"] = _("Choose the diary, or the diary and your wellbeing.")
    hours = _whole_number(valid_hours, DEFAULT_VALID_HOURS, VALID_HOURS)
    if hours is None:
        fields["valid_hours"] = _("The code can be valid from 1 hour to 7 days (168 hours).")
    days = _whole_number(grant_days, DEFAULT_GRANT_DAYS, GRANT_DAYS)
    if days is None:
        fields["grant_days"] = _("Access can last from 1 to 365 days.")
    text = ""
    if label is None:
        text = default_label
    elif not isinstance(label, str):
        fields["label"] = _("The name must be text.")
    else:
        text = " ".join(label.split()) or default_label
        if len(text) > LABEL_MAX:
            fields["label"] = too_long_words(LABEL_MAX)
    if fields:
        raise Validation(_("Please check the code settings."), fields)
    assert hours is not None and days is not None
    return str(scope), hours, days, text[:LABEL_MAX], statistics is True


def _void_unused(model: type[ShareCode] | type[FamilyInvite], *where, now: datetime) -> int:
    """Void the codes (of ``model``, matching ``where``) that are not used or voided yet:
    only the latest code a parent made can work. Gives how many were voided."""
    result = db.session.execute(
        update(model)
        .where(*where, model.used_at.is_(None), model.voided_at.is_(None))
        .values(voided_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _unused_hash(model: type[ShareCode] | type[FamilyInvite], purpose: str) -> tuple[str, str]:
    """A fresh code whose HMAC is not in the table yet (collisions are astronomically rare)."""
    for _attempt in range(10):
        digits = codes.new_code()
        digest = codes.digest(_key(), digits, purpose)
        if db.session.scalar(select(model.id).where(model.code_hash == digest)) is None:
            return digits, digest
    raise RuntimeError("could not make a unique code")  # pragma: no cover


def _new_code(
    model: type[ShareCode] | type[FamilyInvite],
    purpose: str,
    replacing: Any,
    user: User,
    hours: int,
    now: datetime,
    **columns: Any,
) -> tuple[Any, str]:
    """A new one-time code that ``user`` made, valid for ``hours``, with the ``columns`` of
    its kind; it voids the unused code ``replacing`` finds. Gives the row (added to the
    session) and the code as shown, which is never stored."""
    _void_unused(model, replacing, now=now)
    digits, digest = _unused_hash(model, purpose)
    row = model(
        created_by_id=user.id,
        code_hash=digest,
        created_at=now,
        expires_at=now + timedelta(hours=hours),
        **columns,
    )
    db.session.add(row)
    return row, codes.format_code(digits)


# -- share codes and grants: the parent ------------------------------------------------------


def create_share_code(
    user: User,
    baby_id: object,
    *,
    scope: object = None,
    valid_hours: object = None,
    grant_days: object = None,
    label: object = None,
    statistics: object = None,
    now: datetime | None = None,
    problems: Mapping[str, str] | None = None,
) -> tuple[ShareCode, str]:
    """A new code for one baby; returns the row and the code as shown ("1234 5678 9012").

    The code itself is returned once and never stored. A new code voids the baby's
    previous unused one, so only the latest code a parent read aloud can work.
    """
    _require_parent(user)
    baby = diary.get_baby(user, baby_id)
    now = _now(now)
    scope, hours, days, text, counted = clean_code_settings(
        scope, valid_hours, grant_days, label, baby.name, statistics, problems
    )
    row, code = _new_code(
        ShareCode,
        "share",
        ShareCode.baby_id == baby.id,
        user,
        hours,
        now,
        baby_id=baby.id,
        scope=scope,
        label=text,
        grant_days=days,
        statistics=counted,
    )
    audit("code_created", user, baby_id=baby.id, detail=scope, now=now)
    db.session.commit()
    return row, code


def pending_code(user: User, baby_id: object, now: datetime | None = None) -> ShareCode | None:
    """The baby's code that is still waiting to be used, if any (its row, not the code)."""
    baby = diary.get_baby(user, baby_id)
    return db.session.scalar(
        select(ShareCode).where(
            ShareCode.baby_id == baby.id,
            ShareCode.used_at.is_(None),
            ShareCode.voided_at.is_(None),
            ShareCode.expires_at > _now(now),
        )
    )


def cancel_share_code(user: User, baby_id: object, now: datetime | None = None) -> bool:
    """Void the baby's unused code. True when there was one."""
    _require_parent(user)
    baby = diary.get_baby(user, baby_id)
    now = _now(now)
    voided = _void_unused(ShareCode, ShareCode.baby_id == baby.id, ShareCode.expires_at > now, now=now)
    if voided:
        audit("code_cancelled", user, baby_id=baby.id, now=now)
    db.session.commit()
    return bool(voided)


def baby_grants(user: User, baby_id: object, now: datetime | None = None) -> list[Grant]:
    """Who can see this diary (active first), and who could until recently."""
    _require_parent(user)
    baby = diary.get_baby(user, baby_id)
    now = _now(now)
    rows = db.session.scalars(
        select(Grant)
        .where(Grant.baby_id == baby.id, func.coalesce(Grant.ended_at, Grant.expires_at) > now - ENDED_SHOWN)
        .order_by(Grant.created_at.desc())
    ).all()
    return sorted(rows, key=lambda g: not g.is_active(now))


def wellbeing_readers(user: User, now: datetime) -> list[str]:
    """The workers who can read this parent's own check-ins now: the active grants with
    the wellbeing scope that this parent made, while the parent is in the baby's family
    (the same rule as the worker's view of the check-ins)."""
    rows = db.session.scalars(
        select(Grant)
        .join(Baby, Grant.baby_id == Baby.id)
        .where(
            Grant.granted_by_id == user.id,
            Grant.scope == WELLBEING,
            Grant.ended_at.is_(None),
            Grant.expires_at > now,
            Baby.family_id == user.family_id,
        )
        .order_by(Grant.created_at)
    ).all()
    names = []
    for grant in rows:
        worker = grant.worker
        name = worker.display_name or worker.username
        org = worker.organisation
        names.append(f"{name} ({org.name_in(locale_code())})" if org else name)
    return names


def _parents_grant(user: User, grant_id: object) -> Grant:
    _require_parent(user)
    grant = db.session.get(Grant, _int_id(grant_id), populate_existing=True)
    if grant is None or user.family_id is None or grant.baby.family_id != user.family_id:
        raise not_found()
    return grant


def revoke_grant(user: User, grant_id: object, now: datetime | None = None) -> Grant:
    """Access ends at once: the next request of the worker is refused. Idempotent."""
    grant = _parents_grant(user, grant_id)
    now = _now(now)
    if grant.ended_at is None:
        grant.ended_at = now
        grant.end_reason = "revoked"
        audit("grant_revoked", user, baby_id=grant.baby_id, grant_id=grant.id, now=now)
        signals.grant_changed.send(None, grant=grant)
        db.session.commit()
    return grant


def set_statistics(
    user: User,
    grant_id: object,
    counted: object,
    now: datetime | None = None,
    problems: Mapping[str, str] | None = None,
) -> Grant:
    """A parent of the family says yes or no to anonymous statistics from this diary.

    A no leaves the diary out of every report made from now on (figures already kept of
    grants that no longer exist stay as they are)."""
    grant = _parents_grant(user, grant_id)
    if problems or not isinstance(counted, bool):
        raise Validation(
            _("Please check your answer."), {"statistics": _("Answer yes or no."), **(problems or {})}
        )
    if grant.statistics != counted:
        grant.statistics = counted
        audit(
            "statistics_yes" if counted else "statistics_no",
            user,
            baby_id=grant.baby_id,
            grant_id=grant.id,
            now=now,
        )
        signals.grant_changed.send(None, grant=grant)
        db.session.commit()
    return grant


def get_parents_grant(user: User, grant_id: object) -> Grant:
    return _parents_grant(user, grant_id)


def record_feedback(grant: Grant, state: str) -> None:
    """The grant remembers that its feedback was answered or declined (never the answer,
    nor when); the caller commits."""
    grant.feedback = state


@dataclass
class AuditLine:
    event: AuditEvent
    baby: Baby | None
    who: str
    organisation: str | None
    is_worker: bool


def family_audit(user: User, limit: int = 50) -> list[AuditLine]:
    """What happened with the family's sharing, newest first: who viewed which diary, when."""
    babies = {baby.id: baby for baby in diary.babies_of(user)}
    if not babies:
        return []
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.baby_id.in_(babies))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    lines = []
    for event in events:
        actor = event.actor
        is_worker = actor is not None and actor.is_worker
        if actor is None:
            who = ""
        elif is_worker:
            who = actor.display_name or ""
        else:
            who = actor.username  # a parent of this family
        org = actor.organisation.name_in(locale_code()) if is_worker and actor.organisation else None
        lines.append(AuditLine(event, babies.get(event.baby_id or 0), who, org, is_worker))
    return lines


# -- share codes and grants: the worker ------------------------------------------------------


def _claim(model, found, user: User, now: datetime) -> bool:
    """Mark a code used if it still is unused, unvoided and unexpired: one conditional
    UPDATE, so of two racing requests exactly one wins."""
    if found is None:
        return False
    result = db.session.execute(
        update(model)
        .where(
            model.id == found.id, model.used_at.is_(None), model.voided_at.is_(None), model.expires_at > now
        )
        .values(used_at=now, used_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(found)
    return result.rowcount == 1


def redeem_code(
    worker: User, raw_code: object, now: datetime | None = None, address: str | None = None
) -> Grant:
    """A grant for the worker, or one answer for every code that does not work.

    The code is claimed with a conditional UPDATE (only while unused, not voided and not
    expired), so of two workers racing with the same code exactly one gets the grant.
    """
    _require_worker(worker)
    now = _now(now)
    limits = code_limits(share_bucket(worker.id), address)
    found = _typed_code(ShareCode, raw_code, "share", limits)
    claimed = _claim(ShareCode, found, worker, now)
    if not claimed:
        _note_surge(SURGE_SHARE_BUCKET, "share code failures")
        audit("code_failed", worker, baby_id=found.baby_id if found else None, now=now)
        db.session.commit()
        raise _invalid_code()
    assert found is not None
    throttle.give_back(limits)
    # A new code from the same family replaces the worker's earlier grant to that diary.
    for old in db.session.scalars(
        select(Grant).where(
            Grant.baby_id == found.baby_id, Grant.worker_id == worker.id, Grant.ended_at.is_(None)
        )
    ):
        old.ended_at = now
        old.end_reason = "replaced"
        signals.grant_changed.send(None, grant=old)
    organisation_id = worker.organisation_id
    earlier = db.session.scalar(
        select(Grant.id)
        .where(Grant.baby_id == found.baby_id, Grant.organisation_id == organisation_id)
        .limit(1)
    )
    grant = Grant(
        share_code_id=found.id,
        baby_id=found.baby_id,
        worker_id=worker.id,
        granted_by_id=found.created_by_id,
        scope=found.scope,
        label=found.label,
        created_at=now,
        expires_at=now + timedelta(days=found.grant_days),
        organisation_id=organisation_id,
        first_share=organisation_id is not None and earlier is None,
        statistics=found.statistics,
    )
    db.session.add(grant)
    db.session.flush()
    signals.grant_changed.send(None, grant=grant)
    audit("code_redeemed", worker, baby_id=grant.baby_id, grant_id=grant.id, now=now)
    db.session.commit()
    return grant


def worker_grant(worker: User, grant_id: object, now: datetime | None = None) -> Grant:
    """The worker's live grant, read afresh from the database, or 404 for anything else."""
    _require_worker(worker)
    grant = db.session.get(Grant, _int_id(grant_id), populate_existing=True)
    if grant is None or grant.worker_id != worker.id or not grant.is_active(_now(now)):
        raise not_found()
    return grant


def ended_grant(
    worker: User, grant_id: object, now: datetime | None = None
) -> tuple[Grant, Grant | None] | None:
    """The worker's own grant that has ended (revoked, run out, replaced, or the account
    closed), with the grant that replaced it when a newer code from the family did; None
    when the grant is still live or is not this worker's (never say whose it is)."""
    _require_worker(worker)
    now = _now(now)
    grant = db.session.get(Grant, _int_id(grant_id), populate_existing=True)
    if grant is None or grant.worker_id != worker.id or grant.is_active(now):
        return None
    newer = db.session.scalar(
        select(Grant)
        .where(
            Grant.baby_id == grant.baby_id,
            Grant.worker_id == worker.id,
            Grant.ended_at.is_(None),
            Grant.expires_at > now,
        )
        .order_by(Grant.created_at.desc())
        .limit(1)
    )
    return grant, newer


#: A visit summary printed again within this time is one print in the audit (the print
#: button and the printed page itself both report it).
PRINT_WINDOW = timedelta(minutes=10)


def record_print(worker: User, grant_id: object, now: datetime | None = None) -> Grant:
    """The worker printed the visit summary (not only opened it): one audit line per print."""
    now = _now(now)
    grant = worker_grant(worker, grant_id, now)
    recent = db.session.scalar(
        select(AuditEvent.id).where(
            AuditEvent.grant_id == grant.id,
            AuditEvent.actor_id == worker.id,
            AuditEvent.kind == "grant_viewed",
            AuditEvent.detail == "printed",
            AuditEvent.created_at > now - PRINT_WINDOW,
        )
    )
    if recent is None:
        audit("grant_viewed", worker, baby_id=grant.baby_id, grant_id=grant.id, detail="printed", now=now)
        db.session.commit()
    return grant


def view_grant(worker: User, grant_id: object, channel: str, now: datetime | None = None) -> Grant:
    """Check the grant and record the view (the parent sees who viewed and when)."""
    now = _now(now)
    grant = worker_grant(worker, grant_id, now)
    grant.last_viewed_at = now
    audit("grant_viewed", worker, baby_id=grant.baby_id, grant_id=grant.id, detail=channel, now=now)
    db.session.commit()
    return grant


def shared_entries(
    worker: User, grant_id: object, since: datetime | None, until: datetime | None
) -> list[Entry]:
    grant = view_grant(worker, grant_id, "api")
    return diary.entries_between(grant.baby_id, since, until)


def active_grants(worker_id: int, now: datetime | None = None) -> int:
    """How many diaries are shared with the worker right now."""
    count = db.session.scalar(
        select(func.count(Grant.id)).where(
            Grant.worker_id == worker_id, Grant.ended_at.is_(None), Grant.expires_at > _now(now)
        )
    )
    return count or 0


def end_worker_grants(worker: User, actor: User, now: datetime | None = None) -> None:
    """Every grant of a worker whose account is closed ends at once (families see it ended);
    the caller commits."""
    now = _now(now)
    for grant in db.session.scalars(
        select(Grant).where(Grant.worker_id == worker.id, Grant.ended_at.is_(None))
    ):
        grant.ended_at = now
        grant.end_reason = "deactivated"
        signals.grant_changed.send(None, grant=grant)
        audit("grant_ended", actor, baby_id=grant.baby_id, grant_id=grant.id, subject_id=worker.id, now=now)


def require_wellbeing(grant: Grant) -> None:
    """404, as for anything not shared, when the grant does not include the check-ins."""
    if grant.scope != WELLBEING:
        raise not_found()


def granting_parent(grant: Grant) -> User | None:
    """The parent who made the code, while they are still a parent of that baby's family."""
    if grant.granted_by_id is None:
        return None
    parent = db.session.get(User, grant.granted_by_id)
    if parent is None or not parent.is_parent or parent.family_id != grant.baby.family_id:
        return None
    return parent


def shared_checkins(grant: Grant, first: date, last: date) -> list[CheckIn]:
    """The wellbeing check-ins a worker's grant (checked by the caller) shows for the local
    dates first..last: only with the diary+wellbeing scope (404 otherwise), only those of
    the parent who made the code, never the other parent's, and only while that parent is
    still in the baby's family."""
    require_wellbeing(grant)
    parent = granting_parent(grant)
    return wellbeing.checkins_of(parent.id, first, last) if parent is not None else []


@dataclass
class SharedDiary:
    """One diary on the worker's list."""

    grant: Grant
    age_days: int | None
    corrected_days: int | None
    weeks_to_due: int | None
    changes: int | None  # entries changed since the worker last looked; None: never looked


def baby_today(baby: Baby, now: datetime | None = None) -> date:
    return _now(now).astimezone(diary.family_zone(baby.family)).date()


def worker_diaries(worker: User, now: datetime | None = None) -> list[SharedDiary]:
    _require_worker(worker)
    now = _now(now)
    grants = db.session.scalars(
        select(Grant)
        .where(Grant.worker_id == worker.id, Grant.ended_at.is_(None), Grant.expires_at > now)
        .order_by(Grant.label, Grant.id)
    ).all()
    return [shared_diary(grant, now) for grant in grants]


@dataclass
class SharedAge:
    """The baby's age as the worker's list shows it beside the family's name."""

    age_days: int | None
    corrected_days: int | None
    weeks_to_due: int | None


def shared_age(baby: Baby, today: date) -> SharedAge:
    age, corrected = age_in_days(baby.birth_date, baby.due_date, today)
    weeks = None
    if baby.birth_date is None and baby.due_date is not None:
        weeks = max(0, (baby.due_date - today).days // 7)
    return SharedAge(age, corrected, weeks)


def shared_diary(grant: Grant, now: datetime | None = None) -> SharedDiary:
    """A grant with what the worker's list shows: the baby's age and the changes since last look."""
    baby = grant.baby
    age = shared_age(baby, baby_today(baby, now))
    changes = None
    if grant.last_viewed_at is not None:
        changes = db.session.scalar(
            select(func.count(Entry.id)).where(
                Entry.baby_id == baby.id, Entry.updated_at > grant.last_viewed_at
            )
        )
    return SharedDiary(grant, age.age_days, age.corrected_days, age.weeks_to_due, changes)


# -- partner invites ------------------------------------------------------------------------


def create_family_invite(
    user: User,
    valid_hours: object = None,
    now: datetime | None = None,
    problems: Mapping[str, str] | None = None,
) -> tuple[FamilyInvite, str]:
    """A one-time code for the other parent; a new one voids the family's unused invite."""
    _require_parent(user)
    family = diary.family_of(user)
    now = _now(now)
    hours = _whole_number(valid_hours, DEFAULT_VALID_HOURS, VALID_HOURS)
    if hours is None or problems:
        fields = dict(problems or {})
        if hours is None:
            fields["valid_hours"] = _("The code can be valid from 1 hour to 7 days (168 hours).")
        raise Validation(_("Please check the code settings."), fields)
    invite, code = _new_code(
        FamilyInvite, "invite", FamilyInvite.family_id == family.id, user, hours, now, family_id=family.id
    )
    audit("invite_created", user, family_id=family.id, now=now)
    db.session.commit()
    return invite, code


def join_family(
    user: User,
    raw_code: object,
    now: datetime | None = None,
    bring_babies: bool = False,
    address: str | None = None,
) -> Family:
    """Move the parent into the inviting family; throttled like redemption.

    A parent who already added a baby brings it along, with its whole diary, when they say
    so (``bring_babies``): until then the answer is 409 ``has_babies`` and nothing moves, so
    the page can say what will happen first. Babies never leave another parent behind:
    with a partner still in the old family the answer is 409 ``family_has_parents``.
    """
    _require_parent(user)
    now = _now(now)
    limits = code_limits(join_bucket(user.id), address)
    found = _typed_code(FamilyInvite, raw_code, "invite", limits)
    if found is not None and found.family_id == user.family_id:
        throttle.give_back(limits)
        db.session.commit()
        raise Validation(_("You are already in this family."), {"code": _("You are already in this family.")})
    usable = (
        found is not None and found.used_at is None and found.voided_at is None and found.expires_at > now
    )
    if not usable:
        return _join_failed(user, now)
    assert found is not None
    babies = diary.babies_of(user)
    if babies:
        try:
            _check_babies_can_move(user, babies, found.family_id, bring_babies)
        except (Conflict, Validation):
            throttle.give_back(limits)  # a right code: not a failure
            db.session.commit()
            raise
    if not _claim(FamilyInvite, found, user, now):  # taken meanwhile
        return _join_failed(user, now)
    throttle.give_back(limits)
    old_family = user.family_id
    user.family_id = found.family_id
    for baby in babies:  # with their entries, plans and grants: all hang on the baby
        baby.family_id = found.family_id
        audit("baby_moved", user, baby_id=baby.id, family_id=found.family_id, now=now)
    audit("family_joined", user, family_id=found.family_id, now=now)
    if old_family is not None:
        audit("family_left", user, family_id=old_family, now=now)
    db.session.commit()
    return db.session.get(Family, found.family_id)  # type: ignore[return-value]


def _join_failed(user: User, now: datetime):
    """The try taken stays counted as a failure."""
    _note_surge(SURGE_JOIN_BUCKET, "partner invite failures")
    audit("invite_failed", user, now=now)
    db.session.commit()
    raise _invalid_code()


def _check_babies_can_move(user: User, babies: list[Baby], family_id: int, bring_babies: bool) -> None:
    others = [member for member in family_members(user) if member.id != user.id]
    if others:
        raise Conflict(
            _(
                "Your diary's babies are shared with another parent in your family, so they stay there. "
                "Leave your family on the Share page first (the babies stay with the other parent), "
                "then join."
            ),
            code="family_has_parents",
        )
    there = db.session.scalar(select(func.count(Baby.id)).where(Baby.family_id == family_id)) or 0
    if there + len(babies) > rules.BABIES_MAX:
        message = _("A family can have at most 8 babies here.")
        raise Validation(message, {"code": message})
    if not bring_babies:
        raise Conflict(
            _(
                "Your diary already has %(names)s. If you join, they come with you, with every entry, "
                "and both parents see and log them. Nothing is deleted.",
                names=", ".join(baby.name for baby in babies),
            ),
            code="has_babies",
        )


def family_members(user: User) -> list[User]:
    family = diary.family_of(user)
    return list(
        db.session.scalars(
            select(User).where(User.family_id == family.id, User.role == "parent").order_by(User.id)
        )
    )


def release_parent(member: User, now: datetime | None = None) -> None:
    """A parent leaves the family's diary (moves out, is removed, or deletes the account):
    their unused share codes and the invites they made stop working, and the worker access
    they gave ends. The same on every way out; the caller commits."""
    now = _now(now)
    for model in (ShareCode, FamilyInvite):
        _void_unused(model, model.created_by_id == member.id, now=now)
    for grant in db.session.scalars(
        select(Grant).where(Grant.granted_by_id == member.id, Grant.ended_at.is_(None))
    ):
        grant.ended_at = now
        grant.end_reason = "parent_left"
        signals.grant_changed.send(None, grant=grant)


def _move_out(member: User, actor: User, kind: str, now: datetime) -> None:
    """Codes made before the move stop working: a removed parent cannot rejoin with an invite
    anyone in the family made, nor hand a worker a share code for the family's babies."""
    old = member.family_id
    _void_unused(FamilyInvite, FamilyInvite.family_id == old, now=now)
    release_parent(member, now)
    member.family_id = diary.create_family().id
    audit(kind, actor, family_id=old, subject_id=member.id, now=now)


def leave_family(user: User, now: datetime | None = None) -> None:
    """The babies stay with the family; the one who leaves keeps their account (empty diary)."""
    _require_parent(user)
    members = family_members(user)
    if len(members) < 2:
        raise Validation(
            _("You are the only parent in this family: leaving would leave the babies without anyone.")
        )
    _move_out(user, user, "family_left", _now(now))
    db.session.commit()


def remove_from_family(user: User, member_id: object, now: datetime | None = None) -> User:
    """Separation happens: one parent removes the other, whose access ends at once."""
    _require_parent(user)
    key = _int_id(member_id)
    member = next((m for m in family_members(user) if m.id == key), None)
    if member is None or member.id == user.id:
        raise not_found()
    _move_out(member, user, "family_member_removed", _now(now))
    db.session.commit()
    return member
