from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import InputRequired

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


class SignupForm(FlaskForm):
    username = username_field(
        _l("Any name you like, not your real name: 3–40 letters, digits, dots, dashes or underscores.")
    )
    password = password_field(
        _l("Password"),
        "new-password",
        _l("At least 10 characters. A few words in a row are easy to remember."),
    )


class LoginForm(FlaskForm):
    username = username_field()
    password = password_field(_l("Password"), "current-password")


class RecoverForm(FlaskForm):
    username = username_field()
    code = StringField(
        _l("Recovery code"),
        validators=[InputRequired()],
        description=_l("One of the ten codes you saved when you signed up, like abcde-23456."),
        render_kw={"autocomplete": "off", **VERBATIM},
    )
    new_password = password_field(_l("New password"), "new-password")


class ChangePasswordForm(FlaskForm):
    current_password = password_field(_l("Current password"), "current-password")
    new_password = password_field(
        _l("New password"), "new-password", _l("At least 10 characters. Other devices will be signed out.")
    )


class PasswordConfirmForm(FlaskForm):
    password = password_field(_l("Your password"), "current-password")


class DeleteAccountForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand that this cannot be undone."),
        validators=[InputRequired(message=_l("Tick the box to confirm."))],
    )
    password = password_field(_l("Your password"), "current-password")
