"""The JSON shapes of the directory, in and out (pydantic v2): the one home of each shape.

Input models collect every field's error at once; `parse` turns them into the API's
422 body `{"error": {"code": "validation", "message", "fields": {...}}}` with messages
in the reader's language. The OpenAPI components come from these models.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask_babel import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from companion.directory import contact_details
from companion.errors import Validation

Topic = Literal["sleep", "crying", "rhythm", "coping", "pregnancy", "other"]
ContactBy = Literal["call", "text", "email"]
Language = Literal["fi", "sv", "en"]
#: Languages an organisation may say it works in (ISO 639-1; Babel names them).
WORK_LANGUAGES = ("fi", "sv", "en", "ru", "et", "uk", "ar", "so", "fa", "ku", "se")
WorkLanguage = Literal["fi", "sv", "en", "ru", "et", "uk", "ar", "so", "fa", "ku", "se"]


def _clean_text(value: str) -> str:
    """No NUL, no lone surrogates, no control characters but line breaks and tabs; the
    spaces around are dropped (after the length was checked, as the schema says)."""
    if any((ord(c) < 32 and c not in "\n\t\r") or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise PydanticCustomError("text_invalid", "text has characters that cannot be kept")
    return value.strip()


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise PydanticCustomError("text_one_line", "one line only")
    return value


def _required(value: str) -> str:
    if not value:
        raise PydanticCustomError("string_too_short", "required")
    return value


Text = Annotated[str, AfterValidator(_clean_text)]
Line = Annotated[str, AfterValidator(_clean_text), AfterValidator(_one_line)]
RequiredLine = Annotated[Line, AfterValidator(_required)]
_STRICT = ConfigDict(extra="forbid")


def _phone(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        return contact_details.normalise_phone(value)
    except ValueError:
        raise PydanticCustomError("phone_invalid", "not a phone number") from None


def _email(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        return contact_details.normalise_email(value)
    except ValueError:
        raise PydanticCustomError("email_invalid", "not an email address") from None


def _web(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        return contact_details.normalise_web(value)
    except ValueError:
        raise PydanticCustomError("web_invalid", "not a web address") from None


# -- in --------------------------------------------------------------------------------------


class ContactRequestIn(BaseModel):
    """A visitor asks to be contacted. Phone (for a call or a text message) or email."""

    model_config = _STRICT

    topics: list[Topic] = Field(min_length=1, max_length=6, description="what they would like help with")
    name: RequiredLine = Field(min_length=1, max_length=60, description="a first name or any name they like")
    phone: Line | None = Field(None, max_length=30, description="Finnish or international")
    email: Line | None = Field(None, max_length=254)
    contact_by: ContactBy | None = Field(
        None,
        description="call or text (needs phone), email (needs email); default: call when a phone is given",
    )
    times: Line | None = Field(None, max_length=200, description="times that suit")
    language: Language
    message: Text | None = Field(None, max_length=1000, description="optional; read by the workers")

    _phone = field_validator("phone")(_phone)
    _email = field_validator("email")(_email)

    @field_validator("topics")
    @classmethod
    def _unique_topics(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @field_validator("times", "message")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

    @staticmethod
    def cross_check(data: object) -> dict[str, dict[str, Any]]:
        """The reachability rule on the data as sent, so that it is reported together with
        the other fields' errors (pydantic runs the model's own check only when every
        field is valid)."""
        if not isinstance(data, dict):
            return {}
        by = data.get("contact_by")
        phone, email = data.get("phone"), data.get("email")
        if by not in ("call", "text", "email"):
            by = "call" if phone else "email"
        if by in ("call", "text") and not (isinstance(phone, str) and phone.strip()):
            return {"phone": {"type": "phone_needed"}}
        if by == "email" and not (isinstance(email, str) and email.strip()):
            return {"email": {"type": "email_needed"}}
        return {}

    @model_validator(mode="after")
    def _reachable(self) -> ContactRequestIn:
        if self.contact_by is None:
            self.contact_by = "call" if self.phone else "email"
        if self.contact_by in ("call", "text") and not self.phone:
            raise PydanticCustomError("phone_needed", "a phone number is needed", {"field": "phone"})
        if self.contact_by == "email" and not self.email:
            raise PydanticCustomError("email_needed", "an email address is needed", {"field": "email"})
        return self


class MunicipalityIn(BaseModel):
    model_config = _STRICT

    fi: RequiredLine = Field(min_length=1, max_length=80, description="the Finnish name")
    sv: Line | None = Field(None, max_length=80, description="the Swedish name, when it has its own")

    @field_validator("sv")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None


class TextPair(BaseModel):
    model_config = _STRICT

    fi: Text | None = Field(None, max_length=2000)
    sv: Text | None = Field(None, max_length=2000)


#: A text field: a string in the request's language, or both languages at once.
LocalText = Annotated[Text, Field(max_length=2000)] | TextPair
LocalName = Annotated[Line, Field(max_length=200)] | TextPair


class OrganisationIn(BaseModel):
    """The coordinator's changes to their organisation's public details (fields left out
    keep their value; null or "" empties a field)."""

    model_config = _STRICT

    name: LocalName | None = None
    municipalities: list[MunicipalityIn] | None = Field(None, max_length=60)
    phone: Line | None = Field(None, max_length=30, description="Finnish or international")
    email: Line | None = Field(None, max_length=254)
    web: Line | None = Field(None, max_length=300)
    languages: list[WorkLanguage] | None = Field(None, max_length=len(WORK_LANGUAGES))
    hours: LocalText | None = None
    description: LocalText | None = None
    groups: LocalText | None = None
    volunteering: LocalText | None = None
    response_time: LocalText | None = None

    _phone = field_validator("phone")(_phone)
    _email = field_validator("email")(_email)
    _web = field_validator("web")(_web)


class ContactRequestUpdate(BaseModel):
    model_config = _STRICT

    status: Literal["contacted", "unreachable"]
    note: Text | None = Field(None, max_length=500, description="internal, for the organisation's staff")


# -- out -------------------------------------------------------------------------------------


class Service(BaseModel):
    """An organisation in the public directory; texts in the request's language."""

    slug: str
    name: str
    municipalities: list[str]
    phone: str | None = Field(description="E.164, e.g. +358401234567")
    email: str | None
    web: str | None
    hours: str | None
    languages: list[str]
    description: str | None
    groups: str | None
    volunteering: str | None
    response_time: str | None = Field(description="how soon the organisation answers a contact request")


class Services(BaseModel):
    services: list[Service]


class Municipality(BaseModel):
    fi: str
    sv: str | None


class Pair(BaseModel):
    fi: str | None
    sv: str | None


class Organisation(BaseModel):
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
    updated_at: str | None


class OrganisationBody(BaseModel):
    organisation: Organisation


class ContactRequest(BaseModel):
    """A request as the organisation's staff see it (details null once deleted)."""

    id: int
    topics: list[Topic]
    name: str | None
    phone: str | None
    email: str | None
    contact_by: ContactBy
    times: str | None
    language: str
    message: str | None
    status: Literal["open", "contacted", "unreachable"]
    note: str | None
    received_at: str
    closed_at: str | None
    closed_by: str | None
    details_deleted_at: str | None


class ContactRequests(BaseModel):
    contact_requests: list[ContactRequest]


class ContactRequestBody(BaseModel):
    contact_request: ContactRequest


class Empty(BaseModel):
    model_config = ConfigDict(extra="forbid")


#: The models that appear in the OpenAPI document, by component name.
COMPONENTS: dict[str, type[BaseModel]] = {
    "Empty": Empty,
    "ContactRequestInput": ContactRequestIn,
    "ContactRequestUpdate": ContactRequestUpdate,
    "OrganisationInput": OrganisationIn,
    "Services": Services,
    "OrganisationBody": OrganisationBody,
    "ContactRequests": ContactRequests,
    "ContactRequestBody": ContactRequestBody,
}


# -- errors ----------------------------------------------------------------------------------


def _message(error: dict[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in ("too_long", "string_too_long") and isinstance(error.get("input"), str):
        kind = "string_too_long"
    texts = {
        "missing": lambda: _("This is required."),
        "string_too_short": lambda: _("This is required."),
        "string_too_long": lambda: _("Use at most %(n)d characters.", n=ctx.get("max_length", 0)),
        "too_short": lambda: _("Choose at least one."),
        "too_long": lambda: _("Give at most %(n)d.", n=ctx.get("max_length", 0)),
        "literal_error": lambda: _("Choose one of the options."),
        "extra_forbidden": lambda: _("This field is not known."),
        "phone_invalid": lambda: _(
            "Give a phone number, Finnish (040 123 4567) or international (+46 8 123 456 78)."
        ),
        "email_invalid": lambda: _("Give an email address like name@example.fi."),
        "web_invalid": lambda: _("Give a web address like https://www.example.fi."),
        "phone_needed": lambda: _("Give a phone number, or choose email and give an address."),
        "email_needed": lambda: _("Give an email address, or choose a call or a text message."),
        "text_invalid": lambda: _("This text has characters that cannot be kept."),
        "text_one_line": lambda: _("Write this on one line."),
    }
    return texts[kind]() if kind in texts else _("Please check this value.")


def _branch(part: object) -> bool:
    """A name pydantic gives a union's branch in an error's location (not a field)."""
    return isinstance(part, str) and (
        part in ("str", "TextPair", "constrained-str") or part.startswith("function-")
    )


def _field(error: dict[str, Any]) -> str:
    """The field an error belongs to: "phone", "municipalities.2.sv", "description.fi"."""
    loc = [part for part in error["loc"] if not _branch(part)]
    if not loc and error.get("ctx", {}).get("field"):
        return error["ctx"]["field"]
    return ".".join(str(part) for part in loc) or "body"


def errors_of(error: ValidationError) -> dict[str, str]:
    """Every field's first error, in the reader's language. Where a text may be a string
    or both languages, the error of the form that was sent is kept ("description.sv"
    rather than "description")."""
    fields: dict[str, str] = {}
    for item in error.errors(include_url=False):
        fields.setdefault(_field(item), _message(item))
    return {
        key: message
        for key, message in fields.items()
        if not any(other.startswith(key + ".") for other in fields)
    }


def parse(model: type[BaseModel], data: object):
    """The model made from request data, or a 422 naming every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        fields = errors_of(error)
        cross_check = getattr(model, "cross_check", None)
        if cross_check is not None:
            for name, item in cross_check(data).items():
                fields.setdefault(name, _message(item))
        raise Validation(_("Please check the form."), fields) from None
