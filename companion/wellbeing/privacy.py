"""What wellbeing keeps about people, for the privacy rights (`accounts.privacy`): a
parent's own check-ins, only theirs (the other parent's stay theirs, also here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete

from companion.accounts.models import User
from companion.accounts.privacy import Holder
from companion.extensions import db
from companion.wellbeing import services
from companion.wellbeing.models import CheckIn


def export(user: User) -> dict[str, Any]:
    return {"checkins": services.export_checkins(user)} if user.is_parent else {}


def delete_with_account(user: User, _now: datetime) -> None:
    db.session.execute(delete(CheckIn).where(CheckIn.user_id == user.id))


HOLDER = Holder("wellbeing", {"checkins": "checkins"}, export, delete=delete_with_account)
