"""What every page of a baby's diary does first, in the diary and in the rhythm alike:
while a family waits for the baby, the pages with nothing to show yet lead to the
pregnancy home."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from companion.diary import services
from companion.diary.age import is_expecting
from companion.pageutil import parents_only


def baby_pages(bp: Blueprint, diary_only: tuple[str, ...]) -> None:
    """Parents only on ``bp``; the GET of the endpoints ``diary_only`` (nothing to show
    before the birth) goes to the baby's home, the pregnancy home, while the family waits."""

    def expecting_goes_home():
        if request.method != "GET" or request.endpoint not in diary_only:
            return None
        baby = services.get_baby(current_user, (request.view_args or {}).get("baby_id"))
        if is_expecting(baby.birth_date, baby.due_date):
            return redirect(url_for("diary.today", baby_id=baby.id))
        return None

    bp.before_request(parents_only)
    bp.before_request(expecting_goes_home)
