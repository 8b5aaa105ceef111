"""The accounts' JSON shapes: who is signed in, signing up and in, the staff's second
factor, signed-in devices, deleting the account."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, Field, StringConstraints, WithJsonSchema

from companion.accounts.models import ROLES, User, UserSession
from companion.accounts.services import MIN_PASSWORD, PASSWORD_MAX, RECOVERY_CODE_COUNT, USERNAME_RE
from companion.schema import Reply, Says, Shape, Stamp, shapes

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
    """Any username and password: a wrong one is a 401 like every other failure. Staff
    with a second factor add ``otp``: a missing or wrong one is a 401 ``otp_required``."""

    model_config = ConfigDict(json_schema_extra={"required": ["username", "password"]})

    username: AnyText = ""
    password: AnyText = ""
    otp: Annotated[
        AnyText, Field(description="staff: the 6-digit code of the authenticator app, or a backup code")
    ] = None


class OtpCheck(Shape):
    """The first code of the authenticator app, which confirms the second factor."""

    model_config = ConfigDict(json_schema_extra={"required": ["otp"]})

    otp: Annotated[AnyText, Field(description="6 digits")] = None


class PasswordCheck(Shape):
    """The account's password, to confirm that its owner asks (deleting the account)."""

    model_config = ConfigDict(json_schema_extra={"required": ["password"]})

    password: AnyText = ""


class UserBody(Reply):
    id: int
    username: str
    #: One of ROLES (documented as such; a role added to the staff set needs no change here).
    role: Annotated[str, WithJsonSchema({"enum": list(ROLES)})]
    display_name: str | None
    locale: str | None
    family_id: int | None


class Me(Reply):
    user: UserBody | None
    csrf_token: str


class SignedUp(Me):
    recovery_codes: Annotated[list[str], Field(min_length=10, max_length=10)]


class SecondFactorStarted(Reply):
    secret: Annotated[str, Field(description="base32, for typing into the app by hand")]
    otpauth_uri: Annotated[str, Field(description="otpauth://totp/... (RFC 6238: 6 digits, 30 s, SHA-1)")]


class BackupCodes(Reply):
    backup_codes: Annotated[list[str], Field(min_length=RECOVERY_CODE_COUNT, max_length=RECOVERY_CODE_COUNT)]


class SessionBody(Reply):
    """A signed-in device."""

    id: int
    device: Annotated[str, Field(description='such as "Chrome on Android"; empty when unknown')]
    created_at: Stamp
    last_seen_at: Annotated[Stamp, Field(description="written at most every 5 minutes")]
    current: Annotated[bool, Field(description="the device that asks")]


class Sessions(Reply):
    sessions: list[SessionBody]


def sessions_body(rows: Iterable[UserSession], current_id: int | None) -> dict[str, Any]:
    return Sessions(
        sessions=[
            SessionBody(
                id=row.id,
                device=row.device,
                created_at=row.created_at,
                last_seen_at=row.last_seen_at,
                current=row.id == current_id,
            )
            for row in rows
        ]
    ).model_dump(mode="json")


def me_body(user: User | None, csrf_token: str, **extra: Any) -> dict[str, Any]:
    user_body = UserBody.model_validate(user) if user is not None else None
    model = SignedUp if extra else Me
    return model(user=user_body, csrf_token=csrf_token, **extra).model_dump(mode="json")


COMPONENTS = shapes(
    sent=(SignUp, SignIn, PasswordCheck, OtpCheck),
    answered=(Me, SignedUp, SecondFactorStarted, BackupCodes, Sessions),
)
