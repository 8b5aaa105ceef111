"""Failure counters kept in the database, so limits hold across processes and servers.

Shared by the features that count failures (sign-in and recovery in accounts, share codes
and partner invites in share); a bucket is a string the feature chooses, such as
``login:user:<name>``. Each failure is one row; a limit is "at most N rows in the bucket
within the window".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Index, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from companion.extensions import db
from companion.types import UTCDateTime, utcnow


class ThrottleEvent(db.Model):
    """One counted failure. Kept in the database so limits hold across processes."""

    __tablename__ = "throttle_events"
    __table_args__ = (Index("ix_throttle_events_bucket_at", "bucket", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def retry_after(bucket: str, limit: int, window: timedelta) -> int | None:
    """Seconds until the bucket is below its limit again, or None when it is."""
    now = utcnow()
    since = now - window
    count, oldest = db.session.execute(
        select(func.count(ThrottleEvent.id), func.min(ThrottleEvent.created_at)).where(
            ThrottleEvent.bucket == bucket, ThrottleEvent.created_at > since
        )
    ).one()
    if count < limit:
        return None
    if oldest.tzinfo is None:  # aggregates may come back without the column's type
        oldest = oldest.replace(tzinfo=UTC)
    return max(1, int((oldest + window - now).total_seconds()) + 1)


def record(*buckets: str) -> None:
    for bucket in buckets:
        db.session.add(ThrottleEvent(bucket=bucket))


def clear(bucket: str) -> None:
    db.session.execute(delete(ThrottleEvent).where(ThrottleEvent.bucket == bucket))


def prune(before: datetime) -> int:
    """Forget the failures counted before a moment (the retention rules); the caller commits."""
    return db.session.execute(delete(ThrottleEvent).where(ThrottleEvent.created_at < before)).rowcount
