"""A parent's daily wellbeing check-in."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from companion.extensions import db
from companion.types import UTCDateTime, utcnow

COPING_LEVELS = (1, 2, 3, 4, 5)  # 1 = very hard, 5 = well


class CheckIn(db.Model):
    """One parent's own check-in for one local day. Private to that parent."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date]
    coping: Mapped[int]
    own_sleep_minutes: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
