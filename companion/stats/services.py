"""Feedback from families and statistics for the associations and the federation.

The only code that writes feedback and the kept figures, and every access check of them:
`report_organisation` is the one rule of who sees which organisation's statistics.

Feedback is stored without the user and the grant. A keyed hash of the grant
(`FeedbackKey`, HMAC with the server's code key) finds the answer while it may be
changed (`FEEDBACK_DAYS`) and is then removed (on reading and by `flask prune`); the
grant itself only remembers that it was answered, or that the parent said no thanks.

Statistics are worked out per organisation and month (`StatsMonth`) from the grants,
the workers' views, the feedback and, with the parent's consent, the diary and the
code-maker's check-ins. Months are worked out again when something behind them changes
(grants, consent, feedback: they are marked stale), and months that may still move with
time (views, entries, expiries) when older than `COMPANION_STATS_REFRESH_MINUTES`.
What the retention rules are about to remove is added to each month's `kept` figures
first, so the reports of past years stay whole.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, delete, func, or_, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.exc import IntegrityError

from companion import types as utc
from companion.accounts.models import Organisation, User
from companion.diary.models import Baby, Entry, Family
from companion.directory.models import ContactRequest
from companion.errors import Conflict, Forbidden, Unauthorized, Validation, not_found
from companion.extensions import db
from companion.rhythm import analysis
from companion.rhythm import services as rhythm
from companion.schema import one_kind_of_line_break, too_long_words
from companion.share import codes
from companion.share import services as share
from companion.share.models import WELLBEING, AuditEvent, Grant
from companion.stats import figures
from companion.stats.figures import COPING, HELPED, MEASURES, RECOMMEND, WHAT_HELPED, Month
from companion.stats.models import Feedback, FeedbackKey, StatsMonth, StatsReport
from companion.types import epoch_minutes
from companion.wellbeing import services as wellbeing

#: An answer may be changed this long; then nothing links it to the grant.
FEEDBACK_DAYS = 7
TEXT_MAX = 1000
#: Days after a grant's start whose diary the change over the work reads.
CHANGE_DAYS = figures.LATER_WEEKS[1]
#: The check-in windows: the first and the last two weeks of a grant of at least four.
CHECKIN_DAYS = 14
#: A grant's change over the work is kept this long after its weeks 5-8 are over (entries
#: written late on a phone that was offline have come in): from then on it is not worked
#: out from the diary again (the month it counts in is then no longer refreshed either).
CHANGE_SETTLED = timedelta(days=14)


def _now(now: datetime | None) -> datetime:
    return (now or utc.utcnow()).replace(microsecond=0)


def zone() -> ZoneInfo:
    """Months are the federation's months: local time of the default zone."""
    return ZoneInfo(current_app.config["COMPANION_DEFAULT_TIMEZONE"])


def month_of(moment: datetime) -> date:
    return moment.astimezone(zone()).date().replace(day=1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month [first instant, first instant of the next month) in UTC."""
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    tz = zone()
    return (
        datetime.combine(month, time(0), tzinfo=tz).astimezone(UTC),
        datetime.combine(following, time(0), tzinfo=tz).astimezone(UTC),
    )


# -- who sees what ------------------------------------------------------------------------


def report_organisation(user: User, slug: object) -> Organisation | None:
    """The organisation whose statistics `user` asks for, None for the whole country.

    The federation's admin sees every organisation and the whole country; a coordinator
    sees their own organisation only (no organisation named means their own); nobody else
    sees statistics. Another organisation is "not found" to a coordinator.
    """
    if not getattr(user, "is_authenticated", False):
        raise Unauthorized(_("Please sign in first."))
    if not user.active or user.role not in ("admin", "coordinator"):
        raise Forbidden(_("You do not have access to this."))
    wanted = slug.strip() if isinstance(slug, str) else slug
    if user.role == "coordinator":
        own = user.organisation
        if own is None or wanted not in (None, "", own.slug):
            raise not_found()
        return own
    if wanted in (None, ""):
        return None
    if not isinstance(wanted, str):
        raise not_found()
    org = db.session.scalar(select(Organisation).where(Organisation.slug == wanted))
    if org is None:
        raise not_found()
    return org


def visible_organisations(user: User) -> list[Organisation]:
    """The organisations whose statistics `user` may open (for the page's chooser)."""
    report_organisation(user, None)
    if user.role == "coordinator":
        return [user.organisation] if user.organisation else []
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


# -- feedback ------------------------------------------------------------------------------


def _grant_key(grant_id: int) -> str:
    return codes.digest(current_app.config["COMPANION_CODE_KEY"], str(grant_id), "feedback")


def feedback_grant(user: User, grant_id: object) -> Grant:
    """A grant the parent may give feedback on: one they made the code for (404 otherwise)."""
    grant = share.get_parents_grant(user, grant_id)
    if grant.granted_by_id != user.id or grant.organisation_id is None:
        raise not_found()
    return grant


def _forget_old_keys(now: datetime) -> int:
    """Removes the keys of answers that can no longer be changed."""
    return db.session.execute(delete(FeedbackKey).where(FeedbackKey.expires_at <= now)).rowcount


def current_feedback(user: User, grant_id: object, now: datetime | None = None) -> Feedback | None:
    """The parent's answer for this grant while it may still be changed, else None."""
    grant = feedback_grant(user, grant_id)
    now = _now(now)
    if _forget_old_keys(now):
        db.session.commit()
    key = db.session.get(FeedbackKey, _grant_key(grant.id))
    return db.session.get(Feedback, key.feedback_id) if key is not None else None


@dataclass(frozen=True)
class CleanFeedback:
    helped: int
    what_helped: list[str]
    recommend: str
    text: str | None


def clean_feedback(
    helped: object,
    what_helped: object,
    recommend: object,
    text: object,
    problems: Mapping[str, str] | None = None,
) -> CleanFeedback:
    """Every answer checked, every problem named at once (with the ``problems`` found
    reading the request)."""
    fields: dict[str, str] = dict(problems or {})
    if type(helped) is not int or not 1 <= helped <= len(HELPED):
        fields["helped"] = _("Choose one of the five answers.")
    chosen: list[str] = []
    if not isinstance(what_helped, list) or any(item not in WHAT_HELPED for item in what_helped):
        fields["what_helped"] = _("Choose from the listed things, or none.")
    else:
        chosen = [item for item in WHAT_HELPED if item in what_helped]
    if recommend not in RECOMMEND:
        fields["recommend"] = _("Answer yes, no or not sure.")
    words = None
    if text is not None:
        if not isinstance(text, str):
            fields["text"] = _("The text must be text.")
        elif "\x00" in text or any(0xD800 <= ord(char) <= 0xDFFF for char in text):
            fields["text"] = _("The text has characters that cannot be saved.")
        else:
            words = one_kind_of_line_break(text).strip() or None
            if words is not None and len(words) > TEXT_MAX:
                fields["text"] = too_long_words(TEXT_MAX)
    if fields:
        raise Validation(_("Please check your answers."), fields)
    return CleanFeedback(int(helped), chosen, str(recommend), words)  # type: ignore[arg-type]


def save_feedback(
    user: User,
    grant_id: object,
    helped: object,
    what_helped: object,
    recommend: object,
    text: object = None,
    now: datetime | None = None,
    problems: Mapping[str, str] | None = None,
) -> tuple[Feedback, bool]:
    """Save or change the parent's answer; (answer, True) when it is new.

    One answer per grant: a second one within FEEDBACK_DAYS changes the first, later it
    is refused (409). Nothing about the user or the grant is stored with the answer.
    """
    grant = feedback_grant(user, grant_id)
    answer = clean_feedback(helped, what_helped, recommend, text, problems)
    now = _now(now)
    if _forget_old_keys(now):
        db.session.commit()  # removed on reading, whatever happens next
    key = db.session.get(FeedbackKey, _grant_key(grant.id))
    if key is not None:
        feedback = db.session.get(Feedback, key.feedback_id)
        assert feedback is not None
        created = False
    elif grant.feedback == "answered":
        raise Conflict(
            _("Your answer was saved and can no longer be changed. Thank you!"), code="already_answered"
        )
    else:
        feedback = Feedback(
            organisation_id=grant.organisation_id,
            month=month_of(now),
            helped=answer.helped,
            what_helped=answer.what_helped,
            recommend=answer.recommend,
            text=answer.text,
        )
        db.session.add(feedback)
        db.session.flush()
        db.session.add(
            FeedbackKey(
                key_hash=_grant_key(grant.id),
                feedback_id=feedback.id,
                expires_at=now + timedelta(days=FEEDBACK_DAYS),
            )
        )
        share.record_feedback(grant, "answered")
        created = True
    feedback.helped = answer.helped
    feedback.what_helped = answer.what_helped
    feedback.recommend = answer.recommend
    feedback.text = answer.text
    mark_stale(feedback.organisation_id, feedback.month, feedback.month)
    db.session.commit()
    return feedback, created


def decline_feedback(user: User, grant_id: object) -> None:
    """ "No thanks": the parent is not asked again about this grant."""
    grant = feedback_grant(user, grant_id)
    if grant.feedback is None:
        share.record_feedback(grant, "declined")
        db.session.commit()


def free_texts(organisation_id: int | None, year: int, seed: str) -> list[tuple[str, list[str]]]:
    """The free texts of each quarter with at least 5 of them, in a random order (the
    same for one report, `seed`); none of a quarter with fewer."""
    query = select(Feedback.month, Feedback.text).where(
        Feedback.text.is_not(None), Feedback.month >= date(year, 1, 1), Feedback.month < date(year + 1, 1, 1)
    )
    if organisation_id is not None:
        query = query.where(Feedback.organisation_id == organisation_id)
    quarters: dict[int, list[str]] = defaultdict(list)
    for month, text in db.session.execute(query):
        quarters[(month.month - 1) // 3 + 1].append(text)
    import random  # noqa: PLC0415  (a shuffle seeded per report, only here)

    out = []
    for quarter in sorted(quarters):
        texts = sorted(quarters[quarter])
        if figures.enough(len(texts)):
            random.Random(f"{seed}:{quarter}").shuffle(texts)
            out.append((figures.quarter_key(year, quarter), texts))
    return out


# -- the months' figures ------------------------------------------------------------------


def mark_stale(organisation_id: int | None, first: date, last: date) -> None:
    """Something behind these months changed: work them out again before they are shown.
    The kept reports of their years go at once."""
    if organisation_id is None:
        return
    forget_reports(range(first.year, last.year + 1))
    db.session.execute(
        update(StatsMonth)
        .where(
            StatsMonth.organisation_id == organisation_id,
            StatsMonth.month >= first.replace(day=1),
            StatsMonth.month <= last,
        )
        .values(stale=True)
        .execution_options(synchronize_session=False)
    )


def forget_reports(years: Iterable[int]) -> None:
    """Removes the kept reports of these years (a month behind them changed)."""
    db.session.execute(delete(StatsReport).where(StatsReport.year.in_(list(years))))


def grant_changed(_sender: object, *, grant: Grant) -> None:
    """Sharing's `signals.grant_changed`: the grant's months are worked out again; without
    consent its kept change over the work goes."""
    if not grant.statistics:
        grant.change_figures = None
    end = min(grant.ended_at or grant.expires_at, grant.expires_at)
    last = max(end, grant.created_at + timedelta(days=CHANGE_DAYS + 1))
    mark_stale(grant.organisation_id, month_of(grant.created_at), month_of(last))


@dataclass(frozen=True)
class GrantRow:
    id: int
    organisation_id: int
    baby_id: int
    created_at: datetime
    end: datetime  # when it ended or ends
    first_share: bool
    statistics: bool
    scope: str
    granted_by_id: int | None
    birth_date: date | None
    #: The change over the work kept on the grant (None: not yet kept).
    change: dict | None = None


def _grant_rows(condition) -> list[GrantRow]:
    rows = db.session.execute(
        select(
            Grant.id,
            Grant.organisation_id,
            Grant.baby_id,
            Grant.created_at,
            func.coalesce(Grant.ended_at, Grant.expires_at),
            Grant.expires_at,
            Grant.first_share,
            Grant.statistics,
            Grant.scope,
            Grant.granted_by_id,
            Baby.birth_date,
            Grant.change_figures,
        )
        .join(Baby, Baby.id == Grant.baby_id)
        .where(Grant.organisation_id.is_not(None), condition)
    )
    return [
        GrantRow(gid, org, baby, created, min(ended, expires), first, counted, scope, by, birth, change)
        for gid, org, baby, created, ended, expires, first, counted, scope, by, birth, change in rows
    ]


def _in(months: set[date], moment: datetime) -> date | None:
    month = month_of(moment)
    return month if month in months else None


def contributions(
    grants: list[GrantRow], months: set[date], now: datetime, *, views_of: Iterable[int] | None = None
) -> dict[tuple[int, date], Month]:
    """What these grants add to each (organisation, month) of `months`: made, active at
    the month's start, ended (with their length), the baby's age group at a first share,
    the workers' views, and with consent the change over the work and the check-ins."""
    out: dict[tuple[int, date], Month] = defaultdict(Month)
    if not months:
        return out
    starts = {month: month_bounds(month)[0] for month in months}
    for grant in grants:
        made = _in(months, grant.created_at)
        if made is not None:
            part = out[(grant.organisation_id, made)]
            part.add("new")
            if grant.first_share:
                local = grant.created_at.astimezone(zone()).date()
                part.add(f"age.{figures.age_band(grant.birth_date, local)}")
        for month, start in starts.items():
            if grant.created_at < start < grant.end:
                out[(grant.organisation_id, month)].add("active_start")
        if grant.end <= now and (ended := _in(months, grant.end)) is not None:
            days = round((grant.end - grant.created_at).total_seconds() / 86400, 1)
            out[(grant.organisation_id, ended)].value("grant_days", days)
    _views(out, grants if views_of is None else [g for g in grants if g.id in set(views_of)], months)
    _changes(out, [g for g in grants if g.statistics], months, now)
    _checkins(out, [g for g in grants if g.statistics and g.scope == WELLBEING], months, now)
    return out


def _views(out: dict, grants: list[GrantRow], months: set[date]) -> None:
    if not grants:
        return
    organisations = {grant.id: grant.organisation_id for grant in grants}
    low = month_bounds(min(months))[0]
    high = month_bounds(max(months))[1]
    ids = list(organisations)
    for chunk in range(0, len(ids), 1000):
        rows = db.session.execute(
            select(AuditEvent.grant_id, AuditEvent.created_at).where(
                AuditEvent.kind == "grant_viewed",
                AuditEvent.grant_id.in_(ids[chunk : chunk + 1000]),
                AuditEvent.created_at >= low,
                AuditEvent.created_at < high,
            )
        )
        for grant_id, at in rows:
            month = _in(months, at)
            if month is not None:
                out[(organisations[grant_id], month)].add("opens")


def _family_settings(baby_ids: set[int]) -> dict[int, analysis.Settings]:
    rows = db.session.execute(
        select(Baby.id, Family).join(Family, Family.id == Baby.family_id).where(Baby.id.in_(baby_ids))
    )
    return {baby_id: rhythm.rhythm_settings(family) for baby_id, family in rows}


def _changes(out: dict, grants: list[GrantRow], months: set[date], now: datetime) -> None:
    """Change over the work: counted in the month its weeks 5-8 are over, for a grant that
    lasted that long. Read from the grant where kept, else from the diary (and kept once
    settled)."""
    due = []
    for grant in grants:
        done = grant.created_at + timedelta(days=CHANGE_DAYS)
        if done <= now and done <= grant.end and (month := _in(months, done)) is not None:
            due.append((grant, month))
    worked_out = _diary_changes([grant for grant, _month in due if grant.change is None], now)
    for grant, month in due:
        found = grant.change if grant.change is not None else worked_out[grant.id]
        part = out[(grant.organisation_id, month)]
        for measure in MEASURES:
            if measure not in found:
                continue
            before, after = found[measure]
            part.value(f"change.{measure}.before", before)
            part.value(f"change.{measure}.after", after)
            part.value(f"change.{measure}.delta", round(after - before, 1))


def _diary_changes(grants: list[GrantRow], now: datetime) -> dict[int, dict[str, list[float]]]:
    """Each grant's change over the work from its diary (``{}``: too little logged); kept
    on the grants whose weeks 5-8 are settled, while they still have consent."""
    if not grants:
        return {}
    settings = _family_settings({grant.baby_id for grant in grants})
    windows = {}
    for grant in grants:
        tz_settings = settings[grant.baby_id]
        first = grant.created_at.astimezone(tz_settings.tz).date()
        last = first + timedelta(days=CHANGE_DAYS - 1)
        windows[grant.id] = (first, last, *analysis.query_window(first, last, tz_settings))
    spans = _window_spans(grants, windows)
    out: dict[int, dict[str, list[float]]] = {}
    for grant in grants:
        first, last, _low, _high = windows[grant.id]
        days = analysis.analyse(spans[grant.id], first, last, settings[grant.baby_id], now)
        found = figures.change_over_work(
            [
                figures.DayValues(d.logged, d.night_wakings, d.longest_sleep_minutes, d.crying_minutes)
                for d in days
            ]
        )
        out[grant.id] = {measure: list(pair) for measure, pair in (found or {}).items()}
    settled = [
        {"grant_key": grant.id, "figures": out[grant.id]}
        for grant in grants
        if grant.created_at + timedelta(days=CHANGE_DAYS) + CHANGE_SETTLED <= now
    ]
    if settled:
        table = Grant.__table__
        # Only while the grant still has consent and nothing is kept (a parent's "no" in
        # between wins: the row is read again under PostgreSQL's read committed).
        db.session.execute(
            update(table)
            .where(
                table.c.id == bindparam("grant_key"),
                table.c.statistics.is_(True),
                table.c.change_figures.is_(None),
            )
            .values(change_figures=bindparam("figures")),
            settled,
        )
    return out


def _window_spans(grants: list[GrantRow], windows: dict) -> dict[int, list]:
    """Each grant's entries in its window, read for many grants per query (one query per
    diary costs more than the analysis at national scale)."""
    found: dict[int, list] = {grant.id: [] for grant in grants}
    if grants and db.session.get_bind().dialect.name == "postgresql":
        # Each query is a hundred small index scans: compiling it just in time and
        # gathering it from parallel workers costs PostgreSQL more than running it (at
        # 2,000 families 2.3-2.5 s instead of 5.6 s for 272 grants on a loaded server).
        # Until the end of this transaction only.
        db.session.execute(sql_text("SET LOCAL jit = off"))
        db.session.execute(sql_text("SET LOCAL max_parallel_workers_per_gather = 0"))
    connection = db.session.connection()  # plain rows: no ORM work for each of them
    for chunk in range(0, len(grants), 100):
        part = grants[chunk : chunk + 100]
        rows = connection.execute(
            select(Entry.baby_id, Entry.kind, epoch_minutes(Entry.start), epoch_minutes(Entry.end))
            .where(
                Entry.deleted_at.is_(None),
                Entry.kind != "note",
                or_(
                    *(
                        and_(
                            Entry.baby_id == grant.baby_id,
                            Entry.start >= windows[grant.id][2],
                            Entry.start < windows[grant.id][3],
                        )
                        for grant in part
                    )
                ),
            )
            .order_by(Entry.baby_id, Entry.start)
        )
        by_baby: dict[int, list] = defaultdict(list)
        span = analysis.Span
        for baby_id, kind, start, end in rows:
            by_baby[baby_id].append(span(kind, start, end))
        grants_of = Counter(grant.baby_id for grant in part)
        for grant in part:
            spans = by_baby[grant.baby_id]
            if grants_of[grant.baby_id] > 1:  # the windows of the baby's other grants too
                low = int(windows[grant.id][2].timestamp() // 60)
                high = int(windows[grant.id][3].timestamp() // 60)
                spans = [item for item in spans if low <= item.start < high]
            found[grant.id] = spans
    return found


def _checkins(out: dict, grants: list[GrantRow], months: set[date], now: datetime) -> None:
    """The code-maker's usual check-in answer in the first and the last two weeks of a
    grant of four weeks or more, counted in the month it ended."""
    due = []
    tz = zone()
    for grant in grants:
        if grant.end > now or grant.granted_by_id is None:
            continue
        month = _in(months, grant.end)
        if month is None or grant.end - grant.created_at < timedelta(days=2 * CHECKIN_DAYS):
            continue
        first = grant.created_at.astimezone(tz).date()
        last = (grant.end - timedelta(seconds=1)).astimezone(tz).date()
        due.append((grant, month, first, last))
    found = wellbeing.answers_between([(grant.granted_by_id, first, last) for grant, _m, first, last in due])
    for (grant, month, first, last), answers in zip(due, found, strict=True):
        head = [answers[d] for d in sorted(answers) if d < first + timedelta(days=CHECKIN_DAYS)]
        tail = [answers[d] for d in sorted(answers) if d > last - timedelta(days=CHECKIN_DAYS)]
        before, after = figures.usual_answer(head), figures.usual_answer(tail)
        if before is None or after is None:
            continue
        part = out[(grant.organisation_id, month)]
        part.add(f"checkin_first.{COPING[before - 1]}")
        part.add(f"checkin_last.{COPING[after - 1]}")


def _feedback_counts(out: dict, months: set[date]) -> None:
    query = select(
        Feedback.organisation_id, Feedback.month, Feedback.helped, Feedback.what_helped, Feedback.recommend
    )
    query = query.where(Feedback.month.in_(sorted(months)))
    for org, month, helped, what, recommend in db.session.execute(query):
        part = out[(org, month)]
        part.add("feedback")
        part.add(f"helped.{HELPED[helped - 1]}")
        part.add(f"recommend.{recommend}")
        for item in what or ():
            part.add(f"what.{item}")


def live_figures(months: set[date], now: datetime) -> dict[tuple[int, date], Month]:
    """Every organisation's figures of these months from what exists now."""
    low = month_bounds(min(months))[0] - timedelta(days=CHANGE_DAYS + 1)
    high = month_bounds(max(months))[1]
    grants = _grant_rows(
        (Grant.created_at < high)
        & or_(Grant.expires_at >= low, (Grant.ended_at.is_not(None)) & (Grant.ended_at >= low))
    )
    out = contributions(grants, months, now)
    _feedback_counts(out, months)
    _contact_requests(out, months, now)
    return out


def _contact_requests(out: dict, months: set[date], now: datetime) -> None:
    """Contact requests received in each month, and the hours to close those closed in it
    (the requests stay, without their details, after the retention rules)."""
    low = month_bounds(min(months))[0]
    high = month_bounds(max(months))[1]
    rows = db.session.execute(
        select(ContactRequest.organisation_id, ContactRequest.received_at, ContactRequest.closed_at).where(
            or_(
                (ContactRequest.received_at >= low) & (ContactRequest.received_at < high),
                (ContactRequest.closed_at >= low) & (ContactRequest.closed_at < high),
            )
        )
    )
    for org, received, closed in rows:
        if (month := _in(months, received)) is not None:
            out[(org, month)].add("contacts")
        if closed is not None and closed <= now and (month := _in(months, closed)) is not None:
            hours = round((closed - received).total_seconds() / 3600, 1)
            out[(org, month)].value("close_hours", hours)


def refresh(year: int, now: datetime | None = None) -> None:
    """Work out again the months of `year` that are stale or may have moved with time."""
    now = _now(now)
    months = [date(year, m, 1) for m in range(1, 13)]
    orgs = list(db.session.scalars(select(Organisation.id)))
    rows = {
        (row.organisation_id, row.month): row
        for row in db.session.scalars(select(StatsMonth).where(StatsMonth.month.in_(months)))
    }
    refresh_minutes = int(current_app.config.get("COMPANION_STATS_REFRESH_MINUTES", 60))
    due: set[date] = set()
    for org in orgs:
        for month in months:
            row = rows.get((org, month))
            if row is None:
                row = StatsMonth(organisation_id=org, month=month, live={}, kept={}, stale=True, version=0)
                db.session.add(row)
                rows[(org, month)] = row
            if month > month_of(now):
                continue  # nothing has happened yet
            open_month = month_bounds(month)[1] + timedelta(days=CHANGE_DAYS + 14) > (row.computed_at or now)
            aged = row.computed_at is None or row.computed_at < now - timedelta(minutes=refresh_minutes)
            if row.stale or (open_month and aged):
                due.add(month)
    if due:
        forget_reports([year])
        found = live_figures(due, now)
        for org in orgs:
            for month in due:
                row = rows[(org, month)]
                row.live = found.get((org, month), Month()).to_json()
                row.computed_at = now
                row.stale = False
                row.version = (row.version or 0) + 1
    db.session.commit()


def refresh_after_prune(_sender: object, *, now: datetime) -> None:
    """Accounts' `signals.pruned` (the daily schedule): this year's report, and last
    year's early in a year, are made and kept now rather than at the first page view."""
    this_year = month_of(now).year
    for year in {this_year, month_of(now - timedelta(days=CHANGE_DAYS + 31)).year}:
        year_report(year, now)


# -- reports -------------------------------------------------------------------------------


def kept(name: str) -> dict:
    """A cache of this app (its process): reports and pages made from unchanged months."""
    return current_app.extensions.setdefault(f"companion.stats.{name}", {})


@dataclass
class Report:
    """One year's published figures for every organisation and the whole country."""

    year: int
    slugs: dict[int, str]
    published: dict[tuple[str, str, str], int | str | None]
    medians: dict[tuple[str, str, str], float | None]
    computed_at: datetime | None
    #: What the report was made from (the months' versions and the organisations): pages
    #: made from it are kept while it stays the same.
    key: str = ""

    def to_json(self) -> dict:
        """The report as kept in the database (`StatsReport.body`)."""
        return {
            "slugs": [[org, slug] for org, slug in self.slugs.items()],
            "published": _nested(self.published),
            "medians": _nested(self.medians),
        }

    @classmethod
    def from_json(cls, year: int, key: str, computed_at: datetime | None, body: Mapping) -> Report:
        return cls(
            year,
            {int(org): slug for org, slug in body["slugs"]},
            _flat(body["published"]),
            _flat(body["medians"]),
            computed_at,
            key,
        )


def _nested(cells: Mapping[tuple[str, str, str], object]) -> dict:
    out: dict = {}
    for (org, period, name), value in cells.items():
        out.setdefault(org, {}).setdefault(period, {})[name] = value
    return out


def _flat(nested: Mapping) -> dict:
    return {
        (org, period, name): value
        for org, periods in nested.items()
        for period, cells in periods.items()
        for name, value in cells.items()
    }


def year_report(year: int, now: datetime | None = None) -> Report:
    """The year's cube made safe to show: kept in the database and per process while its
    months and the organisations are unchanged."""
    now = _now(now)
    refresh(year, now)
    months = [date(year, m, 1) for m in range(1, 13)]
    count, versions, computed_at = db.session.execute(
        select(func.count(), func.sum(StatsMonth.version), func.max(StatsMonth.computed_at)).where(
            StatsMonth.month.in_(months)
        )
    ).one()
    slugs = dict(
        db.session.execute(select(Organisation.id, Organisation.slug).order_by(Organisation.id)).all()
    )
    organisations = ",".join(f"{org}={slug}" for org, slug in slugs.items())
    orgs_hash = hashlib.sha256(organisations.encode()).hexdigest()[:16]
    key = f"{year}:{count}:{versions}:{utc.stamp(computed_at)}:{orgs_hash}"
    reports = kept("reports")
    if key in reports:
        return reports[key]
    stored = db.session.get(StatsReport, year)
    if stored is not None and stored.key == key:
        report = Report.from_json(year, key, computed_at, stored.body)
    else:
        report = _made_report(year, months, slugs, computed_at, key)
        _store_report(report)
    if len(reports) > 16:
        reports.clear()
    reports[key] = report
    return report


def _made_report(
    year: int, months: list[date], slugs: dict[int, str], computed_at: datetime | None, key: str
) -> Report:
    by_org: dict[str, dict[int, Month]] = {slug: {} for slug in slugs.values()}
    for row in db.session.scalars(select(StatsMonth).where(StatsMonth.month.in_(months))):
        slug = slugs.get(row.organisation_id)
        if slug is not None:
            by_org[slug][row.month.month] = Month.from_json(row.live).merged(Month.from_json(row.kept))
    cube = figures.build_cube(year, by_org)
    return Report(year, slugs, figures.published(cube), cube.medians, computed_at, key)


def _store_report(report: Report) -> None:
    """Keeps the report for other processes (one that stored it first meanwhile wins)."""
    try:
        stored = db.session.get(StatsReport, report.year)
        if stored is None:
            stored = StatsReport(year=report.year)
            db.session.add(stored)
        stored.key = report.key
        stored.body = report.to_json()
        stored.computed_at = report.computed_at
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


# -- retention ------------------------------------------------------------------------------


def keep_before_prune(grant_condition, audit_before: datetime, now: datetime) -> dict[str, int]:
    """Adds to the months' kept figures what the grants about to be removed, and the views
    about to be removed, gave them; removes the feedback keys no longer needed."""
    now = _now(now)
    leaving = _grant_rows(grant_condition)
    leaving_ids = {grant.id for grant in leaving}
    months: set[date] = set()
    for grant in leaving:
        month = month_of(grant.created_at)
        last = month_of(max(grant.end, grant.created_at + timedelta(days=CHANGE_DAYS)))
        while month <= last:
            months.add(month)
            month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    kept = contributions(leaving, months, now)
    # Views removed by their own retention while their grant stays.
    old_views = db.session.execute(
        select(AuditEvent.grant_id, AuditEvent.created_at, Grant.organisation_id)
        .join(Grant, Grant.id == AuditEvent.grant_id)
        .where(
            AuditEvent.kind == "grant_viewed",
            AuditEvent.created_at < audit_before,
            Grant.organisation_id.is_not(None),
        )
    )
    for grant_id, at, org in old_views:
        if grant_id not in leaving_ids:
            kept[(org, month_of(at))].add("opens")
    for (org, month), part in kept.items():
        row = db.session.get(StatsMonth, (org, month))
        if row is None:
            row = StatsMonth(organisation_id=org, month=month, live={}, kept={}, stale=True, version=0)
            db.session.add(row)
        row.kept = Month.from_json(row.kept).merged(part).to_json()
        row.stale = True
        row.version = (row.version or 0) + 1
    forget_reports({month.year for _org, month in kept})
    return {"stats_kept_grants": len(leaving), "feedback_keys": _forget_old_keys(now)}


def organisation_slug(organisation: Organisation | None) -> str:
    return organisation.slug if organisation is not None else figures.ALL


def organisations_of(report: Report) -> list[str]:
    return sorted(report.slugs.values())


def measures() -> tuple[str, ...]:
    return MEASURES


def answer_keys() -> dict[str, tuple[str, ...]]:
    return {"helped": HELPED, "what_helped": WHAT_HELPED, "recommend": RECOMMEND, "coping": COPING}
