"""The rhythm plan agreed with the Baby blues worker."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, ForeignKey, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from companion.diary.models import BabyData
from companion.extensions import db
from companion.types import UTCDateTime, utcnow


class RhythmPlan(BabyData, db.Model):
    """The day rhythm agreed with the worker, in effect from a local date until the next one."""

    __tablename__ = "rhythm_plans"
    __table_args__ = (UniqueConstraint("baby_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    baby_id: Mapped[int] = mapped_column(ForeignKey("babies.id", ondelete="CASCADE"))
    valid_from: Mapped[date]
    wake: Mapped[time] = mapped_column(Time)
    bedtime: Mapped[time] = mapped_column(Time)
    # [["09:30", "10:30"], ...] in local clock time, in the order of the day
    naps: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
