"""What the diary keeps about people, for the privacy rights (`accounts.privacy`): the
family's settings, babies and entries in the export (and the entries as CSV), the whole
family gone with its last parent, and deleted entries' tombstones pruned."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from companion.accounts.models import User
from companion.accounts.privacy import Before, Holder
from companion.diary import services
from companion.diary.models import DiaryDay, Entry, Family
from companion.diary.schemas import baby_body, entry_body
from companion.extensions import db
from companion.types import stamp


def _entries(baby_ids: list[int]) -> list[Entry]:
    if not baby_ids:
        return []
    query = select(Entry).where(Entry.baby_id.in_(baby_ids), Entry.deleted_at.is_(None))
    return list(db.session.scalars(query.order_by(Entry.start)))


def export(user: User) -> dict[str, Any]:
    if not user.is_parent or user.family_id is None:
        return {}
    family = db.session.get(Family, user.family_id)
    babies = services.family_babies(user)
    baby_ids = [baby.id for baby in babies]
    days = db.session.scalars(
        select(DiaryDay).where(DiaryDay.baby_id.in_(baby_ids)).order_by(DiaryDay.baby_id, DiaryDay.day)
    )
    return {
        "family": {
            "timezone": family.timezone,
            "chart_day_start": family.chart_day_start,
            "night_start": family.night_start.strftime("%H:%M"),
            "night_end": family.night_end.strftime("%H:%M"),
        },
        "babies": [baby_body(baby) for baby in babies],
        "entries": [
            {**entry_body(entry), "baby_id": entry.baby_id, "created_at": stamp(entry.created_at)}
            for entry in _entries(baby_ids)
        ],
        # How many times the entries of each (UTC) date have changed.
        "diary_days": [
            {"baby_id": row.baby_id, "date": row.day.isoformat(), "version": row.version} for row in days
        ],
    }


#: A spreadsheet reads a cell that starts with one of these as a formula (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def entries_csv(user: User) -> str:
    babies = {baby.id: baby.name for baby in services.family_babies(user)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["id", "baby", "kind", "start", "end", "duration_minutes", "details", "note", "updated_at"]
    )
    for entry in _entries(list(babies)):
        row = [
            entry.id,
            babies[entry.baby_id],
            entry.kind,
            stamp(entry.start),
            stamp(entry.end),
            entry.duration_minutes if entry.end else "",
            json.dumps(entry.details or {}, ensure_ascii=False),
            entry.note or "",
            stamp(entry.updated_at),
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return out.getvalue()


def delete_with_account(user: User, _now: datetime) -> None:
    """The last parent takes the family with them: babies, entries and everything kept
    about them (the foreign keys cascade). A diary shared with another parent stays."""
    if not user.is_parent or user.family_id is None or services.other_parents(user):
        return
    family = db.session.get(Family, user.family_id)
    user.family_id = None
    db.session.flush()
    db.session.delete(family)
    db.session.flush()


def prune(before: Before) -> dict[str, int]:
    """Tombstones are kept while phones may still need to learn of the deletion."""
    result = db.session.execute(delete(Entry).where(Entry.deleted_at < before("TOMBSTONE")))
    return {"tombstones": result.rowcount}


HOLDER = Holder(
    "diary",
    {"families": "family", "babies": "babies", "entries": "entries", "diary_days": "diary_days"},
    export,
    delete=delete_with_account,
    prune=prune,
    entries_csv=entries_csv,
)
