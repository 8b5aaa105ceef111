"""What wellbeing keeps about people, for the privacy rights (`accounts.privacy`): a
parent's own check-ins, only theirs (the other parent's stay theirs, also here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete

from companion.accounts.models import User
from companion.accounts.privacy import Holder
from companion.extensions import db
from companion.types import stamp
from companion.wellbeing import services
from companion.wellbeing.models import CheckIn
from companion.wellbeing.schemas import checkin_body


def export(user: User) -> dict[str, Any]:
    if not user.is_parent:
        return {}
    return {
        "checkins": [
            {**checkin_body(checkin), "created_at": stamp(checkin.created_at)}
            for checkin in services.export_checkins(user)
        ]
    }


def delete_with_account(user: User, _now: datetime) -> None:
    db.session.execute(delete(CheckIn).where(CheckIn.user_id == user.id))


HOLDER = Holder("wellbeing", {"checkins": "checkins"}, export, delete=delete_with_account)
