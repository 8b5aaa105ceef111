"""What the rhythm keeps about people, for the privacy rights (`accounts.privacy`): the
family's rhythm plans in the export. They go with the family's babies (the foreign keys
cascade), or stay with the other parent of a shared family."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from companion.accounts.models import User
from companion.accounts.privacy import Holder
from companion.diary import services as diary
from companion.extensions import db
from companion.rhythm.models import RhythmPlan
from companion.rhythm.schemas import plan_body
from companion.types import stamp


def export(user: User) -> dict[str, Any]:
    if not user.is_parent or user.family_id is None:
        return {}
    baby_ids = [baby.id for baby in diary.family_babies(user)]
    if not baby_ids:
        return {"rhythm_plans": []}
    query = select(RhythmPlan).where(RhythmPlan.baby_id.in_(baby_ids))
    rows = db.session.scalars(query.order_by(RhythmPlan.baby_id, RhythmPlan.valid_from))
    return {
        "rhythm_plans": [
            {**plan_body(row), "baby_id": row.baby_id, "created_at": stamp(row.created_at)} for row in rows
        ]
    }


HOLDER = Holder("rhythm", {"rhythm_plans": "rhythm_plans"}, export)
