"""Forms of the sharing pages. They check presence and CSRF; the services check the rules."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import AnyOf, InputRequired
from wtforms.widgets import NumberInput

from companion.pageutil import Form, RadiosField, choices
from companion.share.models import SCOPES, WELLBEING

#: How long a new code works: the menu's hours.
VALID_HOURS_CHOICES = choices(
    {1: _l("1 hour"), 4: _l("4 hours"), 24: _l("24 hours"), 72: _l("3 days"), 168: _l("7 days")}.items()
)
#: What a worker may see (`models.SCOPES`), in words.
SCOPE_LABELS = {"diary": _l("The diary"), WELLBEING: _l("The diary and my own wellbeing check-ins")}
CHOOSE_YES_OR_NO = _l("Choose yes or no.")
CODE_INPUT = {
    "inputmode": "numeric",
    "autocomplete": "off",
    "autocapitalize": "off",
    "autocorrect": "off",
    "spellcheck": "false",
    "enterkeyhint": "go",
    "maxlength": "30",
    "class": "code-input",
    "placeholder": "1234 5678 9012",
}


def yes_or_no(label) -> RadiosField:
    """A yes or a no, and one message for anything else (the services take a bool)."""
    return RadiosField(
        label,
        [("yes", _l("Yes")), ("no", _l("No"))],
        required=CHOOSE_YES_OR_NO,
        validators=[AnyOf(["yes", "no"], message=CHOOSE_YES_OR_NO)],
    )


class ShareCodeForm(Form):
    label = StringField(
        _l("Name the worker sees for your family"),
        validators=[InputRequired(message=_l("Give a name the worker will recognise."))],
        description=_l(
            'For example "Aino\'s family" or a nickname. Not your username. At most 60 characters.'
        ),
        render_kw={"maxlength": "60", "autocomplete": "off"},
    )
    scope = RadiosField(
        _l("What the worker may see"), [(scope, SCOPE_LABELS[scope]) for scope in SCOPES], default="diary"
    )
    valid_hours = SelectField(
        _l("The code works for"), choices=VALID_HOURS_CHOICES, default="24", validate_choice=False
    )
    grant_days = StringField(
        _l("The worker may see the diary for (days)"),
        default="90",
        description=_l("1–365 days. You can end the access at any time."),
        widget=NumberInput(min=1, max=365),
        render_kw={"inputmode": "numeric"},
    )
    # No default: the parent picks yes or no.
    statistics = yes_or_no(
        _l("May anonymous figures from this diary be counted in the association's statistics?")
    )


class StatisticsForm(Form):
    """Changing one's mind about statistics on a grant."""

    statistics = yes_or_no(_l("Counted in the statistics"))


class InviteForm(Form):
    valid_hours = SelectField(
        _l("The code works for"), choices=VALID_HOURS_CHOICES, default="24", validate_choice=False
    )


class CodeForm(Form):
    """Typing a code: a numeric keypad on phones; spaces and dashes are fine."""

    code = StringField(
        _l("Code"),
        validators=[InputRequired(message=_l("Type the 12 digits of the code, for example 1234 5678 9012."))],
        description=_l("12 digits. Spaces and dashes do not matter."),
        render_kw=CODE_INPUT,
    )
