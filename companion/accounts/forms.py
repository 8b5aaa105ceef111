from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import InputRequired

from companion.pageutil import Form

#: Typed as it is: a phone neither capitalises nor corrects it.
VERBATIM = {"autocapitalize": "none", "spellcheck": "false"}


def username_field(description=None, autocomplete: str = "username") -> StringField:
    return StringField(
        _l("Username"),
        validators=[InputRequired()],
        description=description or "",
        render_kw={"autocomplete": autocomplete, **VERBATIM},
    )


def password_field(label, autocomplete: str, description=None) -> PasswordField:
    """A password; ``autocomplete`` tells a password manager whether it is new or current."""
    return PasswordField(
        label,
        validators=[InputRequired()],
        description=description or "",
        render_kw={"autocomplete": autocomplete},
    )


def otp_field(description, *, required: bool, digits_only: bool) -> StringField:
    """A code from the authenticator app (staff); one that may also be a backup code
    (letters too) does not ask for the number keypad."""
    keypad = {"inputmode": "numeric"} if digits_only else {}
    return StringField(
        _l("Code from the authenticator app"),
        validators=[InputRequired()] if required else [],
        description=description,
        render_kw={"autocomplete": "one-time-code", **keypad, **VERBATIM},
    )


#: A new password's advice, where a password is chosen for the first time.
NEW_PASSWORD_ADVICE = _l("At least 10 characters. A few words in a row are easy to remember.")


class SignupForm(Form):
    username = username_field(
        _l("Any name you like, not your real name: 3–40 letters, digits, dots, dashes or underscores.")
    )
    password = password_field(_l("Password"), "new-password", NEW_PASSWORD_ADVICE)


class LoginForm(Form):
    username = username_field()
    password = password_field(_l("Password"), "current-password")
    otp = otp_field(
        _l("Staff: 6 digits from the app, or one of your backup codes."), required=False, digits_only=False
    )


class OtpForm(Form):
    otp = otp_field(_l("6 digits; a new one every 30 seconds."), required=True, digits_only=True)


class SetupForm(Form):
    new_password = password_field(_l("New password"), "new-password", NEW_PASSWORD_ADVICE)


class RecoverForm(Form):
    username = username_field()
    code = StringField(
        _l("Recovery code"),
        validators=[InputRequired()],
        description=_l("One of the ten codes you saved when you signed up, like abcde-23456."),
        render_kw={"autocomplete": "off", **VERBATIM},
    )
    new_password = password_field(_l("New password"), "new-password")


class ChangePasswordForm(Form):
    current_password = password_field(_l("Current password"), "current-password")
    new_password = password_field(
        _l("New password"), "new-password", _l("At least 10 characters. Other devices will be signed out.")
    )


class PasswordConfirmForm(Form):
    password = password_field(_l("Your password"), "current-password")


class DeleteAccountForm(Form):
    confirm = BooleanField(
        _l("I understand that this cannot be undone."),
        validators=[InputRequired(message=_l("Tick the box to confirm."))],
    )
    password = password_field(_l("Your password"), "current-password")
