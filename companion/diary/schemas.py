"""The diary's JSON shapes: babies, entries and their details, in and out.

An entry's details depend on its kind (DESIGN.md, "Diary rules"); the services read them
with the model of the kind (`DETAILS`), so the API, the pages and the quick log refuse the
same details in the same words.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from flask_babel import lazy_gettext as _l
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)

from companion.diary import rules
from companion.diary.models import Baby, Entry
from companion.schema import (
    DATE,
    INSTANT,
    Day,
    Instant,
    MaybeInstant,
    Reply,
    Says,
    Shape,
    Stamp,
    free_text,
    shapes,
)

ENTRY_PROBLEM = _l("Please check the entry.")
Note = free_text(rules.NOTE_MAX, _l("The note must be text."))


# -- details -------------------------------------------------------------------------------------


def _left_out(value: Any) -> Any:
    """An empty detail is no detail."""
    return None if value in (None, "", []) else value


def _in_order(value: list[str] | None) -> list[str] | None:
    return None if value is None else [way for way in rules.SOOTHING if way in value]


CHOICE = Says(_l("Choose one of the offered values."))


class Details(Shape):
    """What an entry of one kind may say about itself: anything else is refused, not dropped."""

    model_config = ConfigDict(extra="forbid")
    problem = ENTRY_PROBLEM
    says = Says(extra_forbidden=_l("Not a detail of this kind of entry."))


class SleepDetails(Details):
    place: Annotated[Literal[rules.PLACES] | None, BeforeValidator(_left_out), CHOICE] = None


class CryingDetails(Details):
    intensity: Annotated[Literal[rules.INTENSITIES] | None, BeforeValidator(_left_out), CHOICE] = None
    soothing: Annotated[
        list[Literal[rules.SOOTHING]] | None,
        BeforeValidator(_left_out),
        AfterValidator(_in_order),
        Says(_l("Choose from the offered ways of soothing.")),
    ] = None


class FeedingDetails(Details):
    method: Annotated[Literal[rules.METHODS] | None, BeforeValidator(_left_out), CHOICE] = None
    side: Annotated[Literal[rules.SIDES] | None, BeforeValidator(_left_out), CHOICE] = None
    amount_ml: Annotated[
        Annotated[StrictInt, Field(ge=rules.AMOUNT_ML[0], le=rules.AMOUNT_ML[1])] | None,
        BeforeValidator(_left_out),
        Says(_l("Give the amount in millilitres, 1–1000.")),
    ] = None


class NoteDetails(Details):
    """A note has no details."""


DETAILS: dict[str, type[Details]] = {
    rules.SLEEP: SleepDetails,
    rules.CRYING: CryingDetails,
    rules.FEEDING: FeedingDetails,
    rules.NOTE: NoteDetails,
}
assert set(DETAILS) == set(rules.KINDS) and all(
    tuple(DETAILS[kind].model_fields) == rules.DETAILS[kind] for kind in rules.KINDS
)


def _details_schema(nullable: bool) -> WithJsonSchema:
    options: list[dict[str, Any]] = [
        {"$ref": f"#/components/schemas/{model.__name__}"} for model in DETAILS.values()
    ]
    if nullable:
        options.append({"type": "null"})
    return WithJsonSchema(
        {
            "anyOf": options,
            "description": "by kind: sleep SleepDetails, crying CryingDetails, feeding FeedingDetails, "
            "note NoteDetails (none); every detail is optional",
        }
    )


# -- entries -------------------------------------------------------------------------------------

Kind = Literal[rules.KINDS]
KIND = Says(_l("Choose sleep, crying, feeding or note."))


class EntryInput(Shape):
    """An entry as a phone sends it (PUT, by the id the phone made)."""

    problem = ENTRY_PROBLEM

    kind: Annotated[Kind, KIND]
    start: Annotated[Instant, INSTANT, Field(description="with an offset")]
    end: Annotated[MaybeInstant, INSTANT, Field(description="with an offset; null while going on")] = None
    details: Annotated[
        dict[str, Any] | None, _details_schema(True), Says(_l("Details must be an object."))
    ] = None
    note: Note = None
    client_now: Annotated[
        MaybeInstant,
        INSTANT,
        Field(description="the phone's clock when sending; corrects skew over a minute"),
    ] = None


class EntryBody(Reply):
    id: Annotated[str, Field(json_schema_extra={"format": "uuid"})]
    kind: Kind
    start: Stamp
    end: Stamp | None
    duration_minutes: int | None
    details: Annotated[dict[str, Any], _details_schema(False)]
    note: str | None
    version: int
    updated_at: Stamp


class DeletedEntry(Reply):
    """A deleted entry, only in ``changed_since`` answers: how a phone learns of it."""

    id: Annotated[str, Field(json_schema_extra={"format": "uuid"})]
    deleted: Literal[True]
    version: int
    updated_at: Stamp


def entry_body(entry: Entry) -> dict[str, Any]:
    """An entry's JSON (a deleted one's tombstone). Built from stored values: not checked again."""
    if entry.deleted_at is not None:
        tombstone = DeletedEntry.model_construct(
            id=entry.id, deleted=True, version=entry.version, updated_at=entry.updated_at
        )
        return tombstone.model_dump(mode="json")
    return EntryBody.model_construct(
        id=entry.id,
        kind=entry.kind,
        start=entry.start,
        end=entry.end,
        duration_minutes=entry.duration_minutes,
        details=entry.details or {},
        note=entry.note,
        version=entry.version,
        updated_at=entry.updated_at,
    ).model_dump(mode="json")


class EntryList(Reply):
    entries: list[EntryBody | DeletedEntry]


# -- babies ------------------------------------------------------------------------------------


class BabyInput(Shape):
    """A new baby. The dates come first: their problems head the answer."""

    problem = _l("Please check the baby's details.")

    birth_date: Annotated[Day, DATE] = None
    due_date: Annotated[Day, DATE] = None
    name: Annotated[
        str,
        StringConstraints(strict=True, strip_whitespace=True, max_length=rules.BABY_NAME_MAX),
        Says(_l("Give a name or a nickname."), string_too_long=_l("Use at most 60 characters.")),
    ]


class BabyBody(Reply):
    id: int
    name: str
    birth_date: date | None
    due_date: date | None


def baby_body(baby: Baby) -> dict[str, Any]:
    return BabyBody.model_validate(baby).model_dump(mode="json")


class BabyList(Reply):
    babies: list[BabyBody]


class BabyCreated(Reply):
    baby: BabyBody


class EntrySaved(Reply):
    entry: EntryBody


COMPONENTS = shapes(
    sent=(EntryInput, *DETAILS.values(), BabyInput),
    answered=(EntrySaved, EntryList, BabyList, BabyCreated),
)
