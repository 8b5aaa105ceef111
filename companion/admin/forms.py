"""Forms of the administration pages. They check presence and CSRF; the services check the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired

from companion.accounts.forms import VERBATIM, username_field


class OrganisationForm(FlaskForm):
    slug = StringField(
        _l("Short name"),
        validators=[InputRequired()],
        description=_l("2–60 lower-case letters, digits or dashes, for example bb-tampere."),
        render_kw=dict(VERBATIM),
    )
    name = StringField(_l("Name"), validators=[InputRequired()])
    locality = StringField(_l("Locality"))


class WorkerForm(FlaskForm):
    username = username_field(_l("3–40 letters, digits, dots, dashes or underscores."), autocomplete="off")
    display_name = StringField(
        _l("Name families see"), validators=[InputRequired()], render_kw={"autocomplete": "off"}
    )
    organisation = SelectField(_l("Organisation"), choices=[], validate_choice=False)
