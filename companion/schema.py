"""What every feature's JSON shapes (its ``schemas.py``, pydantic models) are built on.

One model is the one home of a shape: it parses a request body, it serialises an answer,
and the OpenAPI description's components are generated from it (`components`; each
feature names what clients send and what they get with `shapes`).

Reading a body (`read`, `parse`): every problem of every field is named at once, in the
contracted 422 ``{"error": {"code": "validation", "message", "fields": {...}}}``, in our
own localised words: a field says them with `Says` in its annotation (by pydantic's error
type, or one message for all), the model says its headline with ``problem``. Pydantic's
English never reaches a client. A field inside a list or an object reports at the field
itself, unless a `Says` in between is a place of its own (``at=True``: "naps.0").

The services check the rules of what they are given (the pages call them too, with
values from forms); `read` hands them the values it parsed, the ones it could not as
they were sent (the service then names the same problem in the same words), and what it
found, which the service reports together with its own. So a client still sees every
mistake at once, and a request for something that does not exist is a 404 first.

Time: `Instant` is an ISO 8601 time with an offset (naive times are refused, not
guessed; the offset rule lives here only), given to the services in UTC; `Stamp` writes
an instant as every answer does: UTC, whole seconds, with Z (`types.stamp`).

The rules every input obeys live in these shared types, so no endpoint can forget one
(the page forms get them through `pageutil.Form` and `pageutil.LocalDateField`):

- Dates and times lie between 2000-01-01 and 2100-12-31 (`Instant`, `Day`): a diary has
  nothing older, and arithmetic on years such as 1 or 9999 overflows. An instant's own
  calendar date is checked before it is converted to UTC, which could overflow.
- Text holds no NUL, no lone surrogate and no control character but line breaks and tabs
  (`Text`, `MaybeText`, `STORABLE`): PostgreSQL refuses NUL, a lone surrogate cannot be
  encoded as UTF-8, and nobody types the others.

Their words come with the rule (`RULE_WORDS`), whichever field breaks it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import UnionType
from typing import Annotated, Any, ClassVar, TypeVar, Union, get_args, get_origin

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)
from pydantic.json_schema import GenerateJsonSchema, models_json_schema
from pydantic_core import PydanticCustomError

from companion.errors import Validation
from companion.i18n import NUMERIC_DATE, date_hint, format_count, format_day, parse_local_date
from companion.types import stamp

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, eq=False)  # hashed by identity: its words may be lazy
class Says:
    """A field's words for its problems: ``default`` for any, or by pydantic's error type
    (``missing``, ``timezone_aware``, ``string_too_long``...). ``problem`` is the 422's
    headline when this field is the first one wrong; ``at`` makes a list item or a tuple
    a place of its own in ``fields``."""

    default: Any = None
    by_type: dict[str, Any] = field(default_factory=dict)
    problem: Any = None
    at: bool = False

    def __init__(self, default: Any = None, *, problem: Any = None, at: bool = False, **by_type: Any):
        object.__setattr__(self, "default", default)
        object.__setattr__(self, "by_type", by_type)
        object.__setattr__(self, "problem", problem)
        object.__setattr__(self, "at", at)

    def text(self, kind: str) -> Any:
        if kind in self.by_type:
            return self.by_type[kind]
        return RULE_WORDS.get(kind, self.default)


class Shape(BaseModel):
    """A request body. Fields not in the shape are ignored, as they always were."""

    model_config = ConfigDict(extra="ignore")
    #: The 422's headline ("Please check the entry.").
    problem: ClassVar[Any] = None
    #: Words for what belongs to no field (an unknown key where none is allowed).
    says: ClassVar[Says | None] = None


class Reply(BaseModel):
    """An answer. Built from the app's objects (their attributes), written as JSON."""

    model_config = ConfigDict(from_attributes=True)


# -- the rules of every input ------------------------------------------------------------------

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
OUT_OF_RANGE = "date_out_of_range"
UNSTORABLE = "text_invalid"
#: NUL and the other control characters but tab and line breaks, and UTF-16 surrogates,
#: which are never characters on their own.
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def date_in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def date_range_words() -> str:
    return gettext(
        "Use a date between %(first)s and %(last)s.",
        first=format_day(EARLIEST, NUMERIC_DATE),
        last=format_day(LATEST, NUMERIC_DATE),
    )


def one_kind_of_line_break(text: str) -> str:
    """Line breaks as LF only. Browsers send a text box's line breaks as CRLF, and its
    ``maxlength`` counts each as one character: so do the limits here, and text is kept
    with LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _lf(value: Any) -> Any:
    return one_kind_of_line_break(value) if isinstance(value, str) else value


#: Line breaks made LF before a text's length is checked (`one_kind_of_line_break`).
LINE_BREAKS = BeforeValidator(_lf)


def storable(text: str) -> bool:
    """Whether a text can be kept as it is (see the module's docstring)."""
    return _BAD_TEXT.search(text) is None


#: The words of each rule, whichever field breaks it (a field's `Says` may still say its own).
RULE_WORDS: dict[str, Any] = {
    OUT_OF_RANGE: LazyString(date_range_words),
    UNSTORABLE: _l("This text has characters that cannot be kept."),
}


def _in_range(value: Any) -> Any:
    """A date, or an instant by its own calendar date, within the bounds."""
    if value is not None and not date_in_range(value.date() if isinstance(value, datetime) else value):
        raise PydanticCustomError(OUT_OF_RANGE, "date out of range")
    return value


def _storable(value: Any) -> Any:
    if isinstance(value, str) and not storable(value):
        raise PydanticCustomError(UNSTORABLE, "text has characters that cannot be kept")
    return value


#: Text that can be kept: on any text field of a request (on `Any` it checks only text).
STORABLE = AfterValidator(_storable)
Text = Annotated[str, STORABLE]
MaybeText = Annotated[str | None, STORABLE]
#: Free text's words, for a value read on its own (`value`).
TEXT = Says(_l("Write text."))


def too_long_words(max_length: int) -> str:
    """ "Use at most 1 000 characters.", the number as the reader writes it."""
    return gettext("Use at most %(n)s characters.", n=format_count(max_length))


def too_long(max_length: int) -> LazyString:
    """`too_long_words`, said in the language of the request that reads it."""
    return LazyString(too_long_words, max_length)


def free_text(max_length: int, words: Any, description: str | None = None) -> Any:
    """An optional free text, such as a note: strict text, stripped, at most ``max_length``
    characters (a line break is one); ``words`` say what is wrong with anything but text."""
    return Annotated[
        str | None,
        StringConstraints(strict=True, strip_whitespace=True, max_length=max_length),
        LINE_BREAKS,
        *([Field(description=description)] if description else []),
        Says(words, string_too_long=too_long(max_length)),
    ]


# -- time -------------------------------------------------------------------------------------


def _text_only(value: Any) -> Any:
    """JSON has no times: a number is not one (pydantic would read seconds since 1970)."""
    if value is not None and not isinstance(value, str):
        raise ValueError("not text")
    return value


def _blank_is_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
    return None if value == "" else value


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


_TIME_TEXT = (
    BeforeValidator(_text_only),
    BeforeValidator(_blank_is_none),
    AfterValidator(_in_range),
    AfterValidator(_utc),
)
#: An ISO 8601 time with an offset, given in UTC; "" or null is no time (`MaybeInstant`).
Instant = Annotated[AwareDatetime, *_TIME_TEXT]
MaybeInstant = Annotated[AwareDatetime | None, *_TIME_TEXT]
#: What an instant's problems are called.
INSTANT = Says(
    _l("Use an ISO 8601 time with an offset."),
    missing=_l("This is required."),
    datetime_type=_l("This is required."),
    timezone_aware=_l("Give the time with its offset from UTC, for example +02:00."),
)


def _typed_date(value: Any) -> Any:
    """A date as a date input sends it (2026-01-31) or as people type it (31.1.2026)."""
    if isinstance(value, str):
        parsed = parse_local_date(value)
        if parsed is None:
            raise ValueError("not a date")
        return parsed
    return value


#: A date ("2026-01-31", or typed "31.1.2026"); "" or null is no date. (Before-validators
#: run last to first: blanks go, then anything but text, then the text is read.)
Day = Annotated[
    date | None,
    BeforeValidator(_typed_date),
    BeforeValidator(_text_only),
    BeforeValidator(_blank_is_none),
    AfterValidator(_in_range),
]
DATE = Says(LazyString(date_hint), problem=_l("Please check the dates."))
#: An instant in an answer: "2026-01-31T19:15:00Z".
Stamp = Annotated[
    datetime,
    PlainSerializer(stamp, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


# -- reading a body ---------------------------------------------------------------------------


def _saying(annotation: Any) -> tuple[Any, list[Says]]:
    """The type inside ``Annotated`` and ``X | None``, and the `Says` on the way."""
    found: list[Says] = []
    while True:
        if get_origin(annotation) is Annotated:
            base, *meta = get_args(annotation)
            found += [item for item in meta if isinstance(item, Says)]
            annotation = base
            continue
        args = get_args(annotation)
        if get_origin(annotation) in (Union, UnionType) and type(None) in args:
            rest = [arg for arg in args if arg is not type(None)]
            if len(rest) == 1:
                annotation = rest[0]
                continue
        return annotation, found


def _field(model: type[BaseModel], key: str) -> Any:
    """A model's field by its name in JSON (its alias, if it has one)."""
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return info
    return None


def _place_and_words(model: type[BaseModel], loc: tuple[Any, ...], kind: str) -> tuple[str, Any, Any]:
    """Where an error is reported ("naps.0"), its words and its headline."""
    place: list[str] = []
    reported: list[str] = []
    words = problem = None
    current: Any = model
    for part in loc:
        path_part = str(part)
        says: list[Says] = []
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = _field(current, str(part))
            if info is None:
                place.append(path_part)
                reported = list(place)
                if isinstance(current, type) and issubclass(current, Shape) and current.says:
                    words = current.says.text(kind) or words
                break
            annotation, says = _saying(
                Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            )
            place.append(path_part)
            reported = list(place)
            current = annotation
        else:
            origin, args = get_origin(current), get_args(current)
            place.append(path_part)
            if origin is tuple and isinstance(part, int) and args:
                current, says = _saying(args[min(part, len(args) - 1)])
            elif origin in (list, set, frozenset) and args:
                current, says = _saying(args[0])
            elif origin is dict and len(args) == 2:
                current, says = _saying(args[1])
            else:
                current = Any
        for item in says:
            if item.at:
                reported = list(place)
            text = item.text(kind)
            if text is not None:
                words = text
            if item.problem is not None:
                problem = item.problem
    return ".".join(reported), words, problem


def value(kind: Any, says: Says, raw: Any, field: str, problem: Any) -> Any:
    """One value (a query parameter, a path segment) read as ``kind``, or a 422 for it."""
    reader = _ADAPTERS.get(kind)
    if reader is None:
        reader = _ADAPTERS[kind] = TypeAdapter(kind)
    try:
        return reader.validate_python(raw)
    except ValidationError as error:
        kind_of = error.errors(include_url=False)[0]["type"]
        raise Validation(str(problem), {field: str(says.text(kind_of))}) from None


_ADAPTERS: dict[Any, TypeAdapter] = {}


def problems(model: type[BaseModel], error: ValidationError, prefix: str = "") -> tuple[dict[str, str], Any]:
    """A localised message per field, and the headline of the first one."""
    fields: dict[str, str] = {}
    headline = None
    for item in error.errors(include_url=False, include_context=False, include_input=False):
        place, words, problem = _place_and_words(model, tuple(item["loc"]), item["type"])
        if words is None:  # every field has its words (tests/test_schemas.py): never pydantic's
            words = RULE_WORDS.get(item["type"]) or getattr(model, "problem", None) or ""
        key = f"{prefix}{place}" if place else prefix.rstrip(".")
        fields.setdefault(key, str(words))
        if headline is None:
            headline = problem
    return fields, headline


def _headline(model: type[BaseModel], first: Any) -> str:
    chosen = first if first is not None else getattr(model, "problem", None)
    return str(chosen) if chosen is not None else ""


def parse(model: type[M], data: Mapping[str, Any], prefix: str = "") -> M:
    """The body as the model, or a 422 that names every field it refused."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        fields, first = problems(model, error, prefix)
        raise Validation(_headline(model, first), fields) from None


_FIELD_READERS: dict[tuple[type[BaseModel], str], TypeAdapter] = {}


def _reader(model: type[BaseModel], name: str) -> TypeAdapter:
    key = (model, name)
    found = _FIELD_READERS.get(key)
    if found is None:
        info = model.model_fields[name]
        kind = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        found = _FIELD_READERS[key] = TypeAdapter(kind)
    return found


def read(model: type[Shape], data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The body's fields (by their names in JSON) as the model reads them, and a message
    for each it refused.

    A field that parses has its parsed value; one that does not keeps the value as sent,
    for the service to name in the same words (see the module's docstring). A field left
    out has its default.
    """
    try:
        parsed = model.model_validate(data)
    except ValidationError as error:
        fields, _first = problems(model, error)
    else:
        return {info.alias or name: getattr(parsed, name) for name, info in model.model_fields.items()}, {}
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in data:
            values[key] = None if info.is_required() else info.get_default(call_default_factory=True)
            continue
        try:
            values[key] = _reader(model, name).validate_python(data[key])
        except ValidationError:
            values[key] = data[key]
    return values, fields


# -- the OpenAPI components -------------------------------------------------------------------


class _Components(GenerateJsonSchema):
    """Plain JSON Schema: no generated titles."""

    def field_title_should_be_set(self, schema) -> bool:  # noqa: ANN001
        return False

    def generate(self, schema, mode="validation"):  # noqa: ANN001
        generated = super().generate(schema, mode)
        generated.pop("title", None)
        return generated


def shapes(
    sent: tuple[type[BaseModel], ...], answered: tuple[type[BaseModel], ...]
) -> list[tuple[type[BaseModel], str]]:
    """A feature's shapes for `components`: what clients send, and what they get."""
    return [*((model, "validation") for model in sent), *((model, "serialization") for model in answered)]


def components(*models: tuple[type[BaseModel], str]) -> dict[str, Any]:
    """JSON Schemas of the models, as OpenAPI components ((model, "validation") for what a
    client sends, (model, "serialization") for what it gets)."""
    _refs, schema = models_json_schema(
        list(models), ref_template="#/components/schemas/{model}", schema_generator=_Components
    )
    defs = schema.get("$defs", {})
    for definition in defs.values():
        definition.pop("title", None)
        _drop_null_defaults(definition)
    return defs


def _drop_null_defaults(node: Any) -> None:
    """A field left out is null: said by the field not being required, not by a default."""
    if isinstance(node, dict):
        if "default" in node and node["default"] is None:
            del node["default"]
        for child in node.values():
            _drop_null_defaults(child)
    elif isinstance(node, list):
        for child in node:
            _drop_null_defaults(child)
