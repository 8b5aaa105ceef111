from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import InputRequired


class SignupForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[InputRequired()],
        description=_l(
            "Any name you like, not your real name: 3–40 letters, digits, dots, dashes or underscores."  # noqa: E501
        ),
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired()],
        description=_l("At least 10 characters. A few words in a row are easy to remember."),
        render_kw={"autocomplete": "new-password"},
    )


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[InputRequired()],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired()], render_kw={"autocomplete": "current-password"}
    )
    otp = StringField(
        _l("Code from the authenticator app"),
        description=_l("Staff: 6 digits from the app, or one of your backup codes."),
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"},
    )


class OtpForm(FlaskForm):
    otp = StringField(
        _l("Code from the authenticator app"),
        validators=[InputRequired()],
        description=_l("6 digits; a new one every 30 seconds."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )


class SetupForm(FlaskForm):
    new_password = PasswordField(
        _l("New password"),
        validators=[InputRequired()],
        description=_l("At least 10 characters. A few words in a row are easy to remember."),
        render_kw={"autocomplete": "new-password"},
    )


class RecoverForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[InputRequired()],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    code = StringField(
        _l("Recovery code"),
        validators=[InputRequired()],
        description=_l("One of the ten codes you saved when you signed up, like abcde-23456."),
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
    new_password = PasswordField(
        _l("New password"), validators=[InputRequired()], render_kw={"autocomplete": "new-password"}
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[InputRequired()],
        description=_l("At least 10 characters. Other devices will be signed out."),
        render_kw={"autocomplete": "new-password"},
    )


class PasswordConfirmForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired()],
        render_kw={"autocomplete": "current-password"},
    )


class DeleteAccountForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand that this cannot be undone."),
        validators=[InputRequired(message=_l("Tick the box to confirm."))],
    )
    password = PasswordField(
        _l("Your password"), validators=[InputRequired()], render_kw={"autocomplete": "current-password"}
    )
