"""Families, babies and diary entries."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, Time, event, inspect, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from companion.extensions import db
from companion.types import UTCDateTime, utcnow


class BabyData:
    """A table whose rows belong to one baby (``baby_id``) and feed what is derived from
    the diary: adding, changing or removing a row moves the baby's `Baby.data_version`
    (see `_bump_data_versions`). Entries are; other features mark their tables with it
    (the rhythm plan)."""


class Family(db.Model):
    __tablename__ = "families"

    id: Mapped[int] = mapped_column(primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Helsinki")
    chart_day_start: Mapped[int] = mapped_column(default=0)  # hour the chart's rows start
    night_start: Mapped[time] = mapped_column(Time, default=time(19, 0))
    night_end: Mapped[time] = mapped_column(Time, default=time(7, 0))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    babies: Mapped[list[Baby]] = relationship(
        back_populates="family", order_by="Baby.id", cascade="all, delete-orphan"
    )


class Baby(db.Model):
    __tablename__ = "babies"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    birth_date: Mapped[date | None]
    due_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped in the same transaction as every change to the baby's entries and other
    # `BabyData` rows (see _bump_data_versions): what is derived from the diary can be
    # kept until it moves.
    data_version: Mapped[int] = mapped_column(default=0, server_default="0")

    family: Mapped[Family] = relationship(back_populates="babies")


class Entry(BabyData, db.Model):
    __tablename__ = "entries"
    __table_args__ = (
        Index("ix_entries_baby_start", "baby_id", "start"),
        Index("ix_entries_baby_updated", "baby_id", "updated_at"),
        # Running timers: (baby, kind, end IS NULL) is a short seek even when years of
        # feedings (points in time, end NULL as well) lie in the same baby's rows.
        Index("ix_entries_baby_kind_end", "baby_id", "kind", "end"),
    )

    # A UUID made by the client: replays of the same tap land on the same row.
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    baby_id: Mapped[int] = mapped_column(ForeignKey("babies.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # rules.KINDS
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    client_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    server_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    baby: Mapped[Baby] = relationship()

    @property
    def duration_minutes(self) -> int | None:
        if self.end is None:
            return None
        return int((self.end - self.start).total_seconds() // 60)


class DiaryDay(db.Model):
    """How many times the entries that start on one UTC date have changed, per baby.

    Moved in the same transaction as the entries (see `_bump_data_versions`): what was
    worked out from a date's entries (the rhythm page's weeks) can be kept while the
    versions of its dates stay the same. A date never written since this table came is
    version 0.
    """

    __tablename__ = "diary_days"

    baby_id: Mapped[int] = mapped_column(ForeignKey("babies.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


def _utc_date(moment: datetime) -> date:
    return (moment.astimezone(UTC) if moment.tzinfo else moment).date()


@event.listens_for(Session, "before_flush")
def _bump_data_versions(session: Session, _context, _instances) -> None:
    """Every flush that adds, changes or removes entries (or other `BabyData` rows, such as
    rhythm plans) moves their babies' version, and an entry's dates (where it starts, and
    where it started before) move theirs."""
    changed = [
        obj
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, BabyData)
        and obj.baby_id is not None
        and (obj in session.new or obj in session.deleted or session.is_modified(obj))
    ]
    if not changed:
        return
    connection = session.connection()
    table = Baby.__table__
    baby_ids = {obj.baby_id for obj in changed}
    connection.execute(
        update(table).where(table.c.id.in_(baby_ids)).values(data_version=table.c.data_version + 1)
    )
    days = set()
    for obj in changed:
        if not isinstance(obj, Entry):
            continue
        history = inspect(obj).attrs.start.history
        for start in (obj.start, *history.deleted):
            if start is not None:
                days.add((obj.baby_id, _utc_date(start)))
    if days:
        connection.execute(
            _DAY_UPSERTS[connection.dialect.name],
            [{"baby_id": baby_id, "day": day, "version": 1} for baby_id, day in sorted(days)],
        )


def _day_upsert(insert):
    """Add a date's row at version 1, or move its version on (one statement, compiled once)."""
    table = DiaryDay.__table__
    return insert(table).on_conflict_do_update(
        index_elements=["baby_id", "day"], set_={"version": table.c.version + 1}
    )


_DAY_UPSERTS = {"sqlite": _day_upsert(sqlite_insert), "postgresql": _day_upsert(postgresql_insert)}
