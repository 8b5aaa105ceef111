"""Wellbeing's JSON shapes: a parent's own check-in, in and out."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from flask_babel import lazy_gettext as _l
from pydantic import BeforeValidator, Field, StrictFloat, StrictInt
from pydantic_core import PydanticCustomError

from companion.schema import Reply, Says, Shape, Stamp, free_text, shapes
from companion.wellbeing.models import COPING_LEVELS, CheckIn
from companion.wellbeing.services import NOTE_MAX, SLEEP_MAX_HOURS, sleep_hours


def _answered(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("unanswered", "no answer")
    return value


Note = free_text(NOTE_MAX, _l("The note must be text."), "stripped; empty is null")


class CheckInInput(Shape):
    problem = _l("Please check the check-in.")

    coping: Annotated[
        StrictInt,
        BeforeValidator(_answered),
        Field(
            ge=COPING_LEVELS[0],
            le=COPING_LEVELS[-1],
            description="1 very hard, 2 hard, 3 so-so, 4 quite well, 5 well (a whole number)",
        ),
        Says(
            _l("Choose one of the five answers."),
            missing=_l("Choose how you are coping."),
            unanswered=_l("Choose how you are coping."),
        ),
    ]
    own_sleep_hours: Annotated[
        Annotated[StrictFloat, Field(ge=0, le=SLEEP_MAX_HOURS, allow_inf_nan=False)] | None,
        Field(description="the parent's own sleep last night, kept to the nearest 15 minutes"),
        Says(_l("Give your sleep in hours, 0–24, or leave it out.")),
    ] = None
    note: Note = None


class CheckInBody(Reply):
    date: date
    coping: Annotated[int, Field(ge=COPING_LEVELS[0], le=COPING_LEVELS[-1])]
    own_sleep_hours: Annotated[int | float | None, Field(ge=0, le=SLEEP_MAX_HOURS)]
    note: str | None
    updated_at: Stamp


class CheckInSaved(Reply):
    checkin: CheckInBody


class CheckIns(Reply):
    checkins: Annotated[list[CheckInBody], Field(description="oldest first")]


def checkin_body(checkin: CheckIn) -> dict[str, Any]:
    """The check-in's JSON shape (contract)."""
    return CheckInBody.model_construct(
        date=checkin.day,
        coping=checkin.coping,
        own_sleep_hours=sleep_hours(checkin.own_sleep_minutes),
        note=checkin.note,
        updated_at=checkin.updated_at,
    ).model_dump(mode="json")


COMPONENTS = shapes(
    sent=(CheckInInput,),
    answered=(CheckInBody, CheckInSaved, CheckIns),
)
