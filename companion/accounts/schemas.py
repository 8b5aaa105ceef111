"""The accounts' JSON shapes: who is signed in, signing up and in, deleting the account."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, Field, StringConstraints, WithJsonSchema

from companion.accounts.models import ROLES, User
from companion.accounts.services import MIN_PASSWORD, PASSWORD_MAX, USERNAME_RE
from companion.schema import Reply, Says, Shape

#: Whatever a client sends: the service answers it (a sign-in never says more than "not right").
AnyText = Annotated[Any, WithJsonSchema({"type": "string"})]


class SignUp(Shape):
    username: Annotated[
        str,
        StringConstraints(strict=True, strip_whitespace=True, pattern=USERNAME_RE.pattern),
        Says(
            _l("Use 3–40 letters, digits, dots, dashes or underscores."),
            problem=_l("Please check the username."),
        ),
    ]
    password: Annotated[
        str,
        StringConstraints(strict=True, min_length=MIN_PASSWORD, max_length=PASSWORD_MAX),
        Says(
            _l("Use at least %(n)d characters.", n=MIN_PASSWORD),
            string_too_long=_l("The password is too long."),
            problem=_l("Please check the password."),
        ),
    ]


class SignIn(Shape):
    """Any username and password: a wrong one is a 401 like every other failure."""

    model_config = ConfigDict(json_schema_extra={"required": ["username", "password"]})

    username: AnyText = ""
    password: AnyText = ""


class PasswordCheck(Shape):
    """The account's password, to confirm that its owner asks (deleting the account)."""

    model_config = ConfigDict(json_schema_extra={"required": ["password"]})

    password: AnyText = ""


class UserBody(Reply):
    id: int
    username: str
    role: Literal[ROLES]
    display_name: str | None
    locale: str | None
    family_id: int | None


class Me(Reply):
    user: UserBody | None
    csrf_token: str


class SignedUp(Me):
    recovery_codes: Annotated[list[str], Field(min_length=10, max_length=10)]


def me_body(user: User | None, csrf_token: str, **extra: Any) -> dict[str, Any]:
    user_body = UserBody.model_validate(user) if user is not None else None
    model = SignedUp if extra else Me
    return model(user=user_body, csrf_token=csrf_token, **extra).model_dump(mode="json")


COMPONENTS = [
    (SignUp, "validation"),
    (SignIn, "validation"),
    (PasswordCheck, "validation"),
    (Me, "serialization"),
    (SignedUp, "serialization"),
]
