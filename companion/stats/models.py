"""Feedback from families and the kept monthly figures of the statistics.

Feedback is stored without the user and without the grant: `FeedbackKey` (a keyed hash
of the grant) finds an answer for the days it may still be changed and is then removed,
so nothing links the answer to anyone. `StatsMonth` keeps one organisation's figures of
one month: what is worked out from the records that still exist (`live`, refreshed when
they change) and what was kept of records already removed by the retention rules
(`kept`), as counts and lists of values, never a row about a family.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from companion.extensions import db
from companion.types import UTCDateTime


def _random_id() -> str:
    # Random, not a sequence: the order of answers says nothing about whose they are.
    return secrets.token_hex(16)


class Feedback(db.Model):
    """One family's answer about the work of one organisation (no user, no grant)."""

    __tablename__ = "feedback"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_random_id)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    #: The first day of the month of the answer: the only time kept.
    month: Mapped[date]
    helped: Mapped[int]
    what_helped: Mapped[list[str]] = mapped_column(JSON, default=list)
    recommend: Mapped[str] = mapped_column(String(10))
    text: Mapped[str | None] = mapped_column(Text)


class FeedbackKey(db.Model):
    """Finds an answer from its grant while it may be changed; removed afterwards."""

    __tablename__ = "feedback_keys"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    feedback_id: Mapped[str] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class StatsMonth(db.Model):
    """One organisation's figures of one month (see companion.stats.figures)."""

    __tablename__ = "stats_months"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(primary_key=True)
    live: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    kept: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Moves each time the figures are worked out or kept figures added: a report made
    #: from these months is kept while the versions stay the same.
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Something behind the live figures changed: work them out again before use.
    stale: Mapped[bool] = mapped_column(default=True, server_default=true())


class StatsReport(db.Model):
    """One year's report made safe to show (`companion.stats.services.Report`), kept so
    that another process does not work it out again. Only published figures: nothing a
    page could not show. Removed when a month behind it changes (`key`: the months'
    versions and the organisations it was made from)."""

    __tablename__ = "stats_reports"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(200))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
