"""Failure counters kept in the database, so limits hold across processes and servers."""

from __future__ import annotations

from datetime import UTC, timedelta

from sqlalchemy import delete, func, select

from companion.accounts.models import ThrottleEvent
from companion.extensions import db
from companion.types import utcnow


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
