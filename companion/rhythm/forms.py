"""The rhythm plan's form. The plan's own rules are checked by the service, as for the API."""

from flask_babel import lazy_gettext as _l
from wtforms import FormField, StringField, widgets
from wtforms.validators import Optional

from companion.pageutil import Form, LocalDateField, SubForm

#: Nap rows on the plan page: enough for a young baby's day, and no script needed.
PLAN_NAP_ROWS = 5


class ClockField(StringField):
    """A time input whose "HH:MM" text goes to the service as it is: the plan's rules (the
    same for the API and the page) decide what a time is."""

    widget = widgets.TimeInput()


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class NapForm(SubForm):
    """One optional nap row of the plan page (a subform: the page's form has the CSRF token)."""

    start = ClockField(_l("From"), filters=[_strip])
    end = ClockField(_l("To"), filters=[_strip])


class PlanForm(Form):
    """The rhythm plan; the plan's own rules are checked by the service, as for the API."""

    valid_from = LocalDateField(
        _l("In use from"),
        validators=[Optional()],
        description=_l("The plan is used from this day on, until a plan with a later date starts."),
    )
    wake = ClockField(_l("Wake-up"), filters=[_strip])
    bedtime = ClockField(_l("Bedtime"), filters=[_strip])
    # Nap rows nap1 ... nap5 are added below (fixed names: no index juggling as in FieldList).

    @property
    def naps(self) -> list:
        return [self[f"nap{number}"] for number in range(1, PLAN_NAP_ROWS + 1)]


for _number in range(1, PLAN_NAP_ROWS + 1):
    setattr(PlanForm, f"nap{_number}", FormField(NapForm))
