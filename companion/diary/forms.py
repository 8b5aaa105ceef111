"""Forms for babies, family settings and diary entries."""

from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from companion.diary.labels import (
    INTENSITY_LABELS,
    KIND_LABELS,
    METHOD_LABELS,
    PLACE_LABELS,
    SIDE_LABELS,
    SOOTHING_LABELS,
)
from companion.i18n import format_hour_clock
from companion.pageutil import CheckboxesField, Form, LocalDateField, choices

FOLD_CHOICES = choices(
    [
        ("0", _l("The first time (summer time)")),
        ("1", _l("The second time (winter time)")),
    ]
)
ZONES = [
    "Europe/Helsinki",
    "Europe/Stockholm",
    "Europe/Tallinn",
    "Europe/Berlin",
    "Europe/London",
    "UTC",
]


class BabyForm(Form):
    name = StringField(
        _l("Name or nickname"),
        validators=[InputRequired(), Length(max=60)],
        description=_l("Only your family sees it. A nickname is fine."),
    )
    birth_date = LocalDateField(_l("Birth date"), validators=[Optional()])
    due_date = LocalDateField(
        _l("Due date"),
        validators=[Optional()],
        description=_l("Keep it after the birth: for a baby born early the corrected age is used."),
    )


class BirthForm(Form):
    """The baby is born: the one field that turns a pregnancy home into the diary."""

    birth_date = LocalDateField(_l("Birth date"), validators=[InputRequired(_l("Give the birth date."))])
    # Set by the confirmation step: a birth more than two weeks before the due date is asked again.
    confirmed = HiddenField(default="")


#: Where the rhythm chart's rows may start: midnight, the evening, the morning.
CHART_DAY_STARTS = (0, 18, 6)


class FamilySettingsForm(Form):
    timezone = SelectField(
        _l("Time zone"),
        choices=choices((zone, zone) for zone in ZONES),
    )
    chart_day_start = SelectField(
        _l("The rhythm chart's rows start at"),
        choices=[],
        coerce=int,
    )
    night_start = TimeField(_l("Night starts"), validators=[InputRequired()], default=time(19, 0))
    night_end = TimeField(_l("Night ends"), validators=[InputRequired()], default=time(7, 0))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The hours in the reader's clock: 0.00, 18.00 and 6.00 in Finnish and Swedish.
        self.chart_day_start.choices = choices((hour, format_hour_clock(hour)) for hour in CHART_DAY_STARTS)


class EntryForm(Form):
    kind = SelectField(_l("What"), choices=choices(KIND_LABELS.items()))
    start_date = LocalDateField(_l("Start date"), validators=[InputRequired()])
    start_time = TimeField(_l("Start time"), validators=[InputRequired()])
    start_fold = SelectField(
        _l("If the start falls in the repeated hour of the autumn clock change"),
        choices=FOLD_CHOICES,
        default="0",
    )
    end_date = LocalDateField(_l("End date"), validators=[Optional()])
    end_time = TimeField(
        _l("End time"),
        validators=[Optional()],
        description=_l("Leave empty while it is still going on."),
    )
    end_fold = SelectField(
        _l("If the end falls in the repeated hour of the autumn clock change"),
        choices=FOLD_CHOICES,
        default="0",
    )
    place = SelectField(_l("Where"), choices=choices(blank=True, pairs=PLACE_LABELS.items()), default="")
    intensity = SelectField(
        _l("How hard"), choices=choices(blank=True, pairs=INTENSITY_LABELS.items()), default=""
    )
    soothing = CheckboxesField(_l("What helped or was tried"), choices=choices(SOOTHING_LABELS.items()))
    method = SelectField(_l("How"), choices=choices(blank=True, pairs=METHOD_LABELS.items()), default="")
    side = SelectField(_l("Side"), choices=choices(blank=True, pairs=SIDE_LABELS.items()), default="")
    amount_ml = IntegerField(_l("Amount (ml)"), validators=[Optional(), NumberRange(1, 1000)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class EndTimeForm(Form):
    end_date = LocalDateField(_l("End date"), validators=[InputRequired()])
    end_time = TimeField(_l("End time"), validators=[InputRequired()])
