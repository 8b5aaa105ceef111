"""Failure counters kept in the database, so limits hold across processes and servers.

Shared by the features that count failures (sign-in, recovery and account deletion in
accounts, share codes and partner invites in share); a bucket is a string the feature
chooses, such as ``login:user:<name>``. Each bucket is one counter row with the start of
its window: the window starts at the bucket's first failure and lasts ``window``.

A try is taken *before* the work it guards (an Argon2 check, a code look-up): one
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` adds one to the counter and says what it
now holds, committed at once, so that a burst of parallel requests on any number of
processes sees every try that went before it and never gets more than the limit. Only
failures count: the caller gives a try back when it succeeded (``give_back``), or when
it was refused for being over the limit (``take`` does that itself).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, case, delete, literal, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from companion.extensions import db
from companion.types import UTCDateTime, utcnow

log = logging.getLogger("companion.throttle")


class ThrottleCounter(db.Model):
    """Failures in a bucket since the start of its window."""

    __tablename__ = "throttle_counters"

    bucket: Mapped[str] = mapped_column(String(200), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    count: Mapped[int]


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` failures in ``bucket`` within ``window``."""

    bucket: str
    limit: int
    window: timedelta


def _seconds_left(started: datetime, window: timedelta, now: datetime) -> int:
    return max(1, int((started + window - now).total_seconds()) + 1)


def _add_one(bucket: str, window: timedelta, now: datetime) -> tuple[int, datetime]:
    """One more in the bucket (a new window when the old one is over): the count and the
    window's start, as the database now has them."""
    table = ThrottleCounter.__table__
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    expired = table.c.started_at <= literal(now - window, UTCDateTime)
    statement = (
        insert(table)
        .values(bucket=bucket, started_at=now, count=1)
        .on_conflict_do_update(
            index_elements=[table.c.bucket],
            set_={
                "count": case((expired, 1), else_=table.c.count + 1),
                "started_at": case((expired, literal(now, UTCDateTime)), else_=table.c.started_at),
            },
        )
        .returning(table.c.count, table.c.started_at)
    )
    count, started = db.session.execute(statement).one()
    return count, started


def take(limits: Sequence[Limit]) -> int | None:
    """Take one try from every bucket, committed at once. None: go ahead (and call
    ``give_back`` if it succeeds). A number: seconds to wait; nothing was taken."""
    now = utcnow()
    wait = 0
    for limit in limits:
        count, started = _add_one(limit.bucket, limit.window, now)
        if count > limit.limit:
            wait = max(wait, _seconds_left(started, limit.window, now))
    if wait:
        _subtract_one([limit.bucket for limit in limits])
    db.session.commit()
    return wait or None


def give_back(limits: Sequence[Limit]) -> None:
    """The try succeeded: it was not a failure. The caller commits."""
    _subtract_one([limit.bucket for limit in limits])


def _subtract_one(buckets: list[str]) -> None:
    db.session.execute(
        update(ThrottleCounter)
        .where(ThrottleCounter.bucket.in_(buckets), ThrottleCounter.count > 0)
        .values(count=ThrottleCounter.count - 1)
        .execution_options(synchronize_session=False)
    )


def retry_after(limit: Limit) -> int | None:
    """Seconds until the bucket takes tries again, or None when it does now (read only)."""
    now = utcnow()
    row = db.session.execute(
        select(ThrottleCounter.count, ThrottleCounter.started_at).where(
            ThrottleCounter.bucket == limit.bucket
        )
    ).first()
    if row is None or row.count < limit.limit or row.started_at + limit.window <= now:
        return None
    return _seconds_left(row.started_at, limit.window, now)


def note_surge(limit: Limit, what: str) -> None:
    """Count a failure in a site-wide bucket that never refuses anyone: when it reaches its
    limit within its window, a warning is logged (once per window). The caller commits."""
    count, _started = _add_one(limit.bucket, limit.window, utcnow())
    if count == limit.limit:
        log.warning(
            "%s: %d failures across the site within %d minutes",
            what,
            count,
            limit.window.total_seconds() // 60,
        )


def clear(bucket: str) -> None:
    """Forget a bucket's failures (an administrator unlocks someone); the caller commits."""
    db.session.execute(delete(ThrottleCounter).where(ThrottleCounter.bucket == bucket))


def prune(before: datetime) -> int:
    """Remove counters whose window started before ``before``; the caller commits."""
    return db.session.execute(delete(ThrottleCounter).where(ThrottleCounter.started_at < before)).rowcount
