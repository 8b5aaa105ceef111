"""Sharing's JSON shapes: codes, grants as the parent and the worker see them, invites."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from flask_babel import lazy_gettext as _l
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from companion.diary.schemas import BabyBody
from companion.i18n import locale_code
from companion.schema import Reply, Says, Shape, Stamp, shapes, too_long
from companion.share import services
from companion.share.models import SCOPES, Grant

#: A code as a person types it: any spaces and dashes; the service reads it (`codes.normalise`).
CodeText = Annotated[
    Any, WithJsonSchema({"type": "string", "description": "12 digits; spaces and dashes are ignored"})
]


def _none_if_blank(value: Any) -> Any:
    return None if value == "" else value


def _short_label(value: str | None) -> str | None:
    """The label as it is kept: runs of spaces made one, at most LABEL_MAX characters."""
    if value is not None and len(" ".join(value.split())) > services.LABEL_MAX:
        raise PydanticCustomError("string_too_long", "too long")
    return value


VALID_HOURS = Annotated[
    Annotated[StrictInt, Field(ge=services.VALID_HOURS[0], le=services.VALID_HOURS[1])] | None,
    BeforeValidator(_none_if_blank),
    Field(description="default 24"),
    Says(_l("The code can be valid from 1 hour to 7 days (168 hours).")),
]


#: A parent's yes or no to anonymous statistics from a shared diary.
Consent = Annotated[StrictBool, Says(_l("Answer yes or no."))]


class ShareCodeInput(Shape):
    problem = _l("Please check the code settings.")

    scope: Annotated[
        Literal[SCOPES] | None,
        BeforeValidator(_none_if_blank),
        Field(description="default diary"),
        Says(_l("Choose the diary, or the diary and your wellbeing.")),
    ] = None
    valid_hours: VALID_HOURS = None
    grant_days: Annotated[
        Annotated[StrictInt, Field(ge=services.GRANT_DAYS[0], le=services.GRANT_DAYS[1])] | None,
        BeforeValidator(_none_if_blank),
        Field(description="default 90"),
        Says(_l("Access can last from 1 to 365 days.")),
    ] = None
    label: Annotated[
        str | None,
        StringConstraints(strict=True),
        AfterValidator(_short_label),
        WithJsonSchema({"type": ["string", "null"], "maxLength": services.LABEL_MAX}),
        Says(
            _l("The name must be text."),
            string_too_long=too_long(services.LABEL_MAX),
        ),
    ] = None
    statistics: Annotated[
        Consent | None,
        Field(description="consent to anonymous statistics from this diary; false when left out"),
    ] = None


class GrantUpdate(Shape):
    """Changing one's mind about anonymous statistics from a shared diary."""

    problem = _l("Please check your answer.")

    statistics: Annotated[Consent, Field(description="consent to anonymous statistics from this diary")]


class InviteInput(Shape):
    problem = _l("Please check the code settings.")

    valid_hours: VALID_HOURS = None


class CodeInput(Shape):
    model_config = ConfigDict(json_schema_extra={"required": ["code"]})

    code: CodeText = ""


class JoinInput(Shape):
    """Joining the other parent's family; a parent who already has babies brings them along
    with ``bring_babies`` (409 ``has_babies`` until then, nothing moved)."""

    model_config = ConfigDict(json_schema_extra={"required": ["code"]})
    problem = _l("Please check the request.")

    code: CodeText = ""
    bring_babies: Annotated[
        StrictBool,
        Field(description="bring the babies already in your diary along (default false)"),
        Says(_l("Give true or false.")),
    ] = False


class Code(Reply):
    code: Annotated[str, Field(pattern="^[0-9]{4} [0-9]{4} [0-9]{4}$")]
    expires_at: Stamp


def code_body(code: str, expires_at: datetime) -> dict[str, Any]:
    return Code.model_construct(code=code, expires_at=expires_at).model_dump(mode="json")


# -- grants as the parent sees them ------------------------------------------------------------


class Organisation(Reply):
    name: str
    locality: str | None


class Worker(Reply):
    display_name: str | None
    organisation: Organisation | None


class ParentGrant(Reply):
    """Who can see a diary, until when, and when they last looked."""

    id: int
    worker: Worker
    scope: Literal[SCOPES]
    label: str
    created_at: Stamp
    expires_at: Stamp
    last_viewed_at: Stamp | None
    active: bool
    ended_at: Stamp | None
    ended_reason: str | None
    statistics: Annotated[bool, Field(description="anonymous figures from this diary may be counted")]


class ParentGrants(Reply):
    grants: list[ParentGrant]


def parent_grant(grant: Grant, now: datetime) -> ParentGrant:
    worker = grant.worker
    org = worker.organisation
    return ParentGrant.model_construct(
        id=grant.id,
        worker=Worker.model_construct(
            display_name=worker.display_name,
            organisation=(
                Organisation.model_construct(name=org.name_in(locale_code()), locality=org.locality)
                if org
                else None
            ),
        ),
        scope=grant.scope,
        label=grant.label,
        created_at=grant.created_at,
        expires_at=grant.expires_at,
        last_viewed_at=grant.last_viewed_at,
        active=grant.is_active(now),
        ended_at=grant.ended_at,
        ended_reason=grant.end_reason,
        statistics=grant.statistics,
    )


def parent_grants_body(grants: list[Grant], now: datetime) -> dict[str, Any]:
    return ParentGrants.model_construct(grants=[parent_grant(grant, now) for grant in grants]).model_dump(
        mode="json"
    )


class GrantUpdated(Reply):
    grant: ParentGrant


def updated_grant_body(grant: Grant, now: datetime) -> dict[str, Any]:
    return GrantUpdated.model_construct(grant=parent_grant(grant, now)).model_dump(mode="json")


# -- grants as the worker sees them ------------------------------------------------------------


class RedeemedGrant(Reply):
    id: int
    label: str
    scope: Literal[SCOPES]
    expires_at: Stamp


class Redeemed(Reply):
    grant: RedeemedGrant


def redeemed_body(grant: Grant) -> dict[str, Any]:
    body = RedeemedGrant.model_construct(
        id=grant.id, label=grant.label, scope=grant.scope, expires_at=grant.expires_at
    )
    return Redeemed.model_construct(grant=body).model_dump(mode="json")


class SharedBaby(Reply):
    age_days: int | None
    corrected_age_days: int | None
    weeks_to_due: int | None


class SharedDiary(Reply):
    """A diary on the worker's list: the family's label, never a username."""

    id: int
    label: str
    scope: Literal[SCOPES]
    created_at: Stamp
    expires_at: Stamp
    last_viewed_at: Stamp | None
    baby: SharedBaby
    changes_since_last_view: Annotated[int | None, Field(description="null: never looked")]


class SharedDiaries(Reply):
    grants: list[SharedDiary]


def shared_diaries_body(diaries: list[services.SharedDiary]) -> dict[str, Any]:
    items = [
        SharedDiary.model_construct(
            id=shared.grant.id,
            label=shared.grant.label,
            scope=shared.grant.scope,
            created_at=shared.grant.created_at,
            expires_at=shared.grant.expires_at,
            last_viewed_at=shared.grant.last_viewed_at,
            baby=SharedBaby.model_construct(
                age_days=shared.age_days,
                corrected_age_days=shared.corrected_days,
                weeks_to_due=shared.weeks_to_due,
            ),
            changes_since_last_view=shared.changes,
        )
        for shared in diaries
    ]
    return SharedDiaries.model_construct(grants=items).model_dump(mode="json")


# -- partner invites ---------------------------------------------------------------------------


class JoinedFamily(Reply):
    id: int
    babies: list[BabyBody]


class Joined(Reply):
    family: JoinedFamily


def joined_body(family) -> dict[str, Any]:
    babies = [BabyBody.model_validate(baby) for baby in family.babies]
    return Joined.model_construct(
        family=JoinedFamily.model_construct(id=family.id, babies=babies)
    ).model_dump(mode="json")


COMPONENTS = shapes(
    sent=(ShareCodeInput, GrantUpdate, InviteInput, CodeInput, JoinInput),
    answered=(Code, ParentGrants, GrantUpdated, Redeemed, SharedDiaries, Joined),
)
