"""The check-in form. Only the CSRF token is checked here: the values are checked by the
service, so the page and the API give the same answers in the same words."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from companion.pageutil import Form, RadiosField, TextBoxField
from companion.wellbeing.services import COPING_LABELS, NOTE_MAX


class CheckInForm(Form):
    coping = RadiosField(_l("How are you coping?"), COPING_LABELS.items())
    own_sleep_hours = SelectField(
        _l("Your own sleep last night"),
        choices=[],
        validate_choice=False,
        default="",
        description=_l("Roughly, all the pieces together. You can leave it out."),
    )
    note = TextBoxField(
        _l("A note for yourself"),
        _l(
            "Optional. Only you see it, and your Baby blues worker if you chose to share "
            "your wellbeing with them."
        ),
        max_length=NOTE_MAX,
        rows=3,
    )
