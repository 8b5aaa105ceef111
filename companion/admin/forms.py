"""Forms of the administration pages. They check presence and CSRF; the services check the rules."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired

from companion.accounts.forms import VERBATIM, username_field
from companion.pageutil import Form, choices


class OrganisationForm(Form):
    slug = StringField(
        _l("Short name"),
        validators=[InputRequired()],
        description=_l("2–60 lower-case letters, digits or dashes, for example bb-tampere."),
        render_kw=dict(VERBATIM),
    )
    name = StringField(_l("Name in Finnish"), validators=[InputRequired()])
    name_sv = StringField(_l("Name in Swedish (optional)"))
    locality = StringField(
        _l("Locality"), description=_l("The first municipality it serves; its coordinator adds the others.")
    )


class WorkerForm(Form):
    username = username_field(_l("3–40 letters, digits, dots, dashes or underscores."), autocomplete="off")
    display_name = StringField(
        _l("Name families see"), validators=[InputRequired()], render_kw={"autocomplete": "off"}
    )
    organisation = SelectField(_l("Organisation"), choices=[], validate_choice=False)
    role = SelectField(
        _l("Role"),
        choices=choices(
            [
                ("worker", _l("Worker")),
                (
                    "coordinator",
                    _l("Coordinator: also manages the organisation's page, workers and requests"),
                ),
            ]
        ),
        validate_choice=False,
    )
