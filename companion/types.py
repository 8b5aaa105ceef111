"""Column types shared by the models."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC with second precision and always gives back aware datetimes.

    SQLite has no time zone type and returns naive values; storing naive UTC on both
    databases keeps one behaviour everywhere. Naive input is a programming error.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None, microsecond=0)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """Now in UTC, whole seconds (what the database keeps)."""
    return datetime.now(UTC).replace(microsecond=0)


def stamp(value: datetime | None) -> str | None:
    """An instant as the JSON API and the export give it: UTC, whole seconds, with Z
    ("2026-01-31T19:15:00Z"); None for none."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class epoch_minutes(FunctionElement):  # noqa: N801  (a SQL function, named like one)
    """Whole minutes since 1970 of a UTC column, computed by the database.

    Reading a year of entries as datetimes costs more than analysing them; the rhythm
    analysis only needs minute stamps.
    """

    type = Integer()
    inherit_cache = True
    name = "epoch_minutes"


@compiles(epoch_minutes, "sqlite")
def _epoch_minutes_sqlite(element, compiler, **kw) -> str:
    return f"(CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER) / 60)"


@compiles(epoch_minutes, "postgresql")
def _epoch_minutes_postgresql(element, compiler, **kw) -> str:
    # The columns are UTC "timestamp without time zone": EXTRACT reads them as UTC.
    return f"(CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS BIGINT) / 60)"
