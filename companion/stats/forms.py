"""The feedback form. It checks CSRF; the services check the answers, every problem at once."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from companion.pageutil import CheckboxesField, RadiosField, TextBoxField, choices
from companion.stats.services import TEXT_MAX

#: "Did the work help our family": five words, like the check-in; never numbers on screen.
HELPED_LABELS = {
    1: _l("Not at all"),
    2: _l("A little"),
    3: _l("Somewhat"),
    4: _l("Quite a lot"),
    5: _l("A lot"),
}
WHAT_HELPED_LABELS = {
    "sleep": _l("Sleep"),
    "crying": _l("Crying"),
    "rhythm": _l("Day rhythm"),
    "coping": _l("My own coping"),
    "relationship": _l("Our relationship"),
    "other": _l("Something else"),
}
RECOMMEND_LABELS = {"yes": _l("Yes"), "no": _l("No"), "not_sure": _l("Not sure")}


class FeedbackForm(FlaskForm):
    # Answering is up to the family; an answer needs these two (the services say so), and
    # the questions say it before anyone sends, as the optional ones say they are optional.
    helped = RadiosField(_l("Did the work help our family? (required)"), HELPED_LABELS.items())
    what_helped = CheckboxesField(
        _l("What helped? Choose any, or none."),
        choices=choices(WHAT_HELPED_LABELS.items()),
        validate_choice=False,
    )
    recommend = RadiosField(
        _l("Would you recommend it to another family? (required)"), RECOMMEND_LABELS.items()
    )
    text = TextBoxField(
        _l("Anything else you want to say (optional)"),
        _l(
            "Please do not write names, yours, the baby's or the worker's. "
            "The association reads the texts only in batches of at least 5, in a random order."
        ),
        max_length=TEXT_MAX,
    )
