"""The directory's JSON shapes, in and out: the public list, a contact request, the
staff's queue and the own organisation (pydantic models on `companion.schema`).

Every problem with a body is named at once in the contracted 422, in the reader's
language; the rule that a request needs a phone number or an email address (whichever
way the family chose) is checked on the data as sent, so it is named together with the
other fields' problems.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from companion import schema
from companion.directory import contact_details
from companion.errors import Validation
from companion.i18n import format_count, locale_code
from companion.schema import Reply, Says, Shape, Stamp, shapes

TOPICS = ("sleep", "crying", "rhythm", "coping", "pregnancy", "other")
#: How a family may be reached.
CONTACT_BY = ("call", "text", "email")
#: Languages an organisation may say it works in (ISO 639-1; Babel names them).
WORK_LANGUAGES = ("fi", "sv", "en", "ru", "et", "uk", "ar", "so", "fa", "ku", "se")
TEXT_MAX = 2000
#: A family's message with a contact request, and the staff's note on closing one.
MESSAGE_MAX = 1000
CLOSE_NOTE_MAX = 500
NAME_MAX = 200

# -- text as people type it ------------------------------------------------------------------


def _clean(value: str | None) -> str | None:
    """No NUL, no lone surrogates, no control characters but line breaks and tabs; the
    spaces around are dropped (after the length was checked, as the schema says)."""
    if value is None:
        return None
    if any((ord(c) < 32 and c not in "\n\t\r") or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise PydanticCustomError("text_invalid", "text has characters that cannot be kept")
    return value.strip()


def _one_line(value: str | None) -> str | None:
    if value is not None and ("\n" in value or "\r" in value):
        raise PydanticCustomError("text_one_line", "one line only")
    return value


def _required(value: str | None) -> str:
    if not value:
        raise PydanticCustomError("string_too_short", "required")
    return value


def _empty_is_none(value: str | None) -> str | None:
    return value or None


def _write_text(max_length: int) -> str:
    return gettext("Write text, at most %(n)s characters.", n=format_count(max_length))


def _says(max_length: int, required: bool = False, **more: Any) -> Says:
    """What a text field says about its problems."""
    words = LazyString(_write_text, max_length)
    needed = _l("This is required.") if required else words
    return Says(
        words,
        missing=needed,
        string_too_short=needed,
        string_too_long=schema.too_long(max_length),
        text_invalid=_l("This text has characters that cannot be kept."),
        text_one_line=_l("Write this on one line."),
        **more,
    )


def text(max_length: int, *, line: bool = False, required: bool = False, says: Says | None = None) -> Any:
    """A text field: strict text of at most `max_length` characters (a line break is one),
    cleaned; "" is None unless required."""
    checks = [AfterValidator(_clean), AfterValidator(_one_line if line else (lambda v: v))]
    checks.append(AfterValidator(_required if required else _empty_is_none))
    kind = str if required else str | None
    return Annotated[
        kind,
        StringConstraints(strict=True, max_length=max_length, min_length=1 if required else None),
        schema.LINE_BREAKS,
        *checks,
        says or _says(max_length, required),
    ]


def _checked(normalise, code: str):
    def check(value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return normalise(value)
        except ValueError:
            raise PydanticCustomError(code, code) from None

    return AfterValidator(check)


PHONE_WORDS = _l("Give a phone number, Finnish (040 123 4567) or international (+46 8 123 456 78).")
EMAIL_WORDS = _l("Give an email address like name@example.fi.")
WEB_WORDS = _l("Give a web address like https://www.example.fi.")
Phone = Annotated[
    text(30, line=True, says=_says(30, phone_invalid=PHONE_WORDS)),
    _checked(contact_details.normalise_phone, "phone_invalid"),
    Field(description="Finnish or international; kept as E.164 (+358401234567)"),
]
Email = Annotated[
    text(254, line=True, says=_says(254, email_invalid=EMAIL_WORDS)),
    _checked(contact_details.normalise_email, "email_invalid"),
]
Web = Annotated[
    text(300, line=True, says=_says(300, web_invalid=WEB_WORDS)),
    _checked(contact_details.normalise_web, "web_invalid"),
]
CHOICE = _l("Choose one of the options.")

# -- in --------------------------------------------------------------------------------------


class ContactRequestIn(Shape):
    """A visitor asks to be contacted: by phone (a call or a text message) or by email."""

    problem = _l("Please check the form.")

    topics: Annotated[
        list[Literal[TOPICS]],
        Field(min_length=1, max_length=len(TOPICS), description="what they would like help with"),
        Says(CHOICE, missing=_l("Choose at least one."), too_short=_l("Choose at least one.")),
    ]
    name: Annotated[
        text(60, line=True, required=True), Field(description="a first name or any name they like")
    ]
    phone: Phone = None
    email: Email = None
    contact_by: Annotated[
        Literal[CONTACT_BY] | None,
        Field(
            description="call or text (needs phone), email (needs email); default: call when a phone is given"
        ),
        Says(CHOICE),
    ] = None
    times: Annotated[text(200, line=True), Field(description="times that suit")] = None
    language: Annotated[Literal["fi", "sv", "en"], Says(CHOICE)]
    message: Annotated[
        text(MESSAGE_MAX), Field(description="optional; read by the organisation's workers")
    ] = None

    @model_validator(mode="after")
    def _way_in(self) -> ContactRequestIn:
        if self.contact_by is None:
            self.contact_by = "call" if self.phone else "email"
        self.topics = list(dict.fromkeys(self.topics))
        return self


def unreachable(data: object) -> dict[str, str]:
    """The way to reach the family must be given: a phone number for a call or a text
    message, an email address for email (on the data as sent)."""
    if not isinstance(data, dict):
        return {}
    by, phone, email = data.get("contact_by"), data.get("phone"), data.get("email")
    if by not in CONTACT_BY:
        by = "call" if phone else "email"
    if by in ("call", "text") and not (isinstance(phone, str) and phone.strip()):
        return {"phone": str(_l("Give a phone number, or choose email and give an address."))}
    if by == "email" and not (isinstance(email, str) and email.strip()):
        return {"email": str(_l("Give an email address, or choose a call or a text message."))}
    return {}


def _in_reader_language(value: Any) -> Any:
    """A text given as a plain string is in the request's language (Finnish unless Swedish)."""
    if isinstance(value, str):
        return {"sv" if locale_code() == "sv" else "fi": value}
    return value


def _pair_schema(max_length: int) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": max_length, "description": "in the request's language"},
                {"$ref": f"#/components/schemas/{'NamePair' if max_length == NAME_MAX else 'TextPair'}"},
                {"type": "null"},
            ]
        }
    )


class TextPair(Shape):
    """A text in Finnish and Swedish; a language left out keeps its value, null empties it."""

    problem = _l("Please check the form.")

    fi: text(TEXT_MAX) = None
    sv: text(TEXT_MAX) = None


class NamePair(Shape):
    problem = _l("Please check the form.")

    fi: text(NAME_MAX, line=True) = None
    sv: text(NAME_MAX, line=True) = None


PAIR_WORDS = Says(_l('Give a text, or both languages as {"fi": …, "sv": …}.'))
LocalText = Annotated[
    TextPair | None, BeforeValidator(_in_reader_language), _pair_schema(TEXT_MAX), PAIR_WORDS
]
LocalName = Annotated[
    NamePair | None, BeforeValidator(_in_reader_language), _pair_schema(NAME_MAX), PAIR_WORDS
]


class MunicipalityIn(Shape):
    problem = _l("Please check the form.")

    fi: Annotated[text(80, line=True, required=True), Field(description="the Finnish name")]
    sv: Annotated[text(80, line=True), Field(description="the Swedish name, when it has its own")] = None


class OrganisationIn(Shape):
    """The coordinator's changes to their organisation's public details: fields left out
    keep their value; null or "" empties one."""

    problem = _l("Please check the form.")

    name: LocalName = None
    municipalities: Annotated[
        list[MunicipalityIn] | None,
        Field(max_length=60),
        Says(_l("Give the municipalities as a list."), too_long=_l("Give at most %(n)d.", n=60)),
    ] = None
    phone: Phone = None
    email: Email = None
    web: Web = None
    languages: Annotated[
        list[Literal[WORK_LANGUAGES]] | None, Field(max_length=len(WORK_LANGUAGES)), Says(CHOICE)
    ] = None
    hours: LocalText = None
    description: LocalText = None
    groups: LocalText = None
    volunteering: LocalText = None
    response_time: LocalText = None


class ContactRequestUpdate(Shape):
    problem = _l("Please check the form.")

    status: Annotated[Literal["contacted", "unreachable"], Says(CHOICE)]
    note: Annotated[text(CLOSE_NOTE_MAX), Field(description="internal, for the organisation's staff")] = None


def parse(model: type[Shape], data: Any):
    """The body as the model, or a 422 naming every field it refused (the way to reach
    the family included)."""
    extra = unreachable(data) if model is ContactRequestIn else {}
    try:
        parsed = schema.parse(model, data)
    except Validation as error:
        for name, message in extra.items():
            error.fields.setdefault(name, message)
        raise
    if extra:
        raise Validation(str(model.problem), extra)
    return parsed


# -- out -------------------------------------------------------------------------------------


class Service(Reply):
    """An organisation in the public directory; texts in the request's language."""

    slug: str
    name: str
    municipalities: list[str]
    phone: Annotated[str | None, Field(description="E.164, e.g. +358401234567")]
    email: str | None
    web: str | None
    hours: str | None
    languages: list[str]
    description: str | None
    groups: str | None
    volunteering: str | None
    response_time: Annotated[str | None, Field(description="how soon the organisation answers a request")]


class Services(Reply):
    services: list[Service]


class Municipality(Reply):
    fi: str
    sv: str | None


class Pair(Reply):
    fi: str | None
    sv: str | None


class Organisation(Reply):
    """The own organisation's public details in both languages."""

    slug: str
    name: Pair
    municipalities: list[Municipality]
    phone: str | None
    email: str | None
    web: str | None
    languages: list[str]
    hours: Pair
    description: Pair
    groups: Pair
    volunteering: Pair
    response_time: Pair
    active: bool
    updated_at: Stamp | None


class OrganisationBody(Reply):
    organisation: Organisation


class ContactRequest(Reply):
    """A request as the organisation's staff see it (the details null once deleted)."""

    id: int
    topics: list[str]
    name: str | None
    phone: str | None
    email: str | None
    contact_by: Literal[CONTACT_BY]
    times: str | None
    language: str
    message: str | None
    status: Literal["open", "contacted", "unreachable"]
    note: str | None
    received_at: Stamp
    closed_at: Stamp | None
    closed_by: str | None
    details_deleted_at: Stamp | None


class ContactRequests(Reply):
    contact_requests: list[ContactRequest]


class ContactRequestBody(Reply):
    contact_request: ContactRequest


class Sent(Reply):
    """Nothing to read back."""


def dump(model: type[Reply], **values: Any) -> dict[str, Any]:
    return model.model_validate(values).model_dump(mode="json")


COMPONENTS = shapes(
    sent=(ContactRequestIn, ContactRequestUpdate, OrganisationIn, TextPair, NamePair),
    answered=(Services, Sent, OrganisationBody, ContactRequests, ContactRequestBody),
)
