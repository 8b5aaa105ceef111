"""Forms of the directory's pages. They carry the fields and CSRF; the schemas and
services check the rules, so the pages and the API refuse the same things."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField

from companion.directory.schemas import CLOSE_NOTE_MAX, CONTACT_BY, MESSAGE_MAX, TOPICS, WORK_LANGUAGES
from companion.pageutil import CheckboxesField, Form, RadiosField, TextBoxField, choices
from companion.templating import LANGUAGE_NAMES

#: What a family may ask help with (`schemas.TOPICS`), in words.
TOPIC_LABELS = {
    "sleep": _l("Sleep"),
    "crying": _l("Crying"),
    "rhythm": _l("Day rhythm"),
    "coping": _l("My own coping"),
    "pregnancy": _l("Pregnancy"),
    "other": _l("Something else"),
}
CONTACT_BY_LABELS = {"call": _l("Call me"), "text": _l("Send me a text message"), "email": _l("Email me")}
STATUS_LABELS = {"contacted": _l("Contacted"), "unreachable": _l("Could not reach")}


class ContactForm(Form):
    topics = CheckboxesField(
        _l("What would you like help with?"),
        choices=choices((topic, TOPIC_LABELS[topic]) for topic in TOPICS),
        validate_choice=False,
    )
    name = StringField(
        _l("Your name"),
        description=_l("A first name or any name you like. At most 60 characters."),
        render_kw={"autocomplete": "given-name", "maxlength": "60"},
    )
    contact_by = RadiosField(
        _l("How should we reach you?"), [(way, CONTACT_BY_LABELS[way]) for way in CONTACT_BY], default="call"
    )
    phone = StringField(
        _l("Phone number"),
        description=_l("For a call or a text message. Finnish, or international with +."),
        render_kw={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "maxlength": "30"},
    )
    email = StringField(
        _l("Email address"),
        description=_l("Only if you chose email."),
        render_kw={"type": "email", "autocomplete": "email", "maxlength": "254"},
    )
    times = StringField(
        _l("Times that suit you (optional)"),
        description=_l('For example "weekday mornings" or "after 4 pm".'),
        render_kw={"maxlength": "200"},
    )
    # The app's languages, each in its own name, as the language menu shows them.
    language = RadiosField(_l("Language"), LANGUAGE_NAMES.items())
    message = TextBoxField(
        _l("A short message (optional)"),
        _l("The organisation's workers read this. Do not write anything you would not want them to read."),
        max_length=MESSAGE_MAX,
    )
    # The honeypot: hidden from people (and from screen readers); only robots fill it.
    website = StringField(_l("Leave this empty"), render_kw={"autocomplete": "off", "tabindex": "-1"})


class CloseRequestForm(Form):
    status = RadiosField(_l("What happened?"), STATUS_LABELS.items())
    note = TextBoxField(
        _l("Internal note (optional)"),
        _l("Only your organisation's staff see it."),
        max_length=CLOSE_NOTE_MAX,
        rows=2,
    )


class OrganisationPageForm(Form):
    name_fi = StringField(_l("Name in Finnish"), render_kw={"maxlength": "200", "lang": "fi"})
    name_sv = StringField(_l("Name in Swedish"), render_kw={"maxlength": "200", "lang": "sv"})
    municipalities = TextAreaField(
        _l("Municipalities you serve"),
        description=_l(
            "One a line: the Finnish name, and the Swedish name after a slash when it has its own, "
            'for example "Tampere / Tammerfors" or "Kuopio".'
        ),
        render_kw={"rows": "4"},
    )
    phone = StringField(
        _l("Phone number"),
        description=_l("Finnish (040 123 4567) or international (+46 8 123 456 78)."),
        render_kw={"type": "tel", "inputmode": "tel", "maxlength": "30"},
    )
    email = StringField(_l("Email address"), render_kw={"type": "email", "maxlength": "254"})
    web = StringField(_l("Web address"), render_kw={"type": "url", "maxlength": "300"})
    languages = CheckboxesField(_l("Languages you work in"), choices=[], validate_choice=False)
    hours_fi = TextAreaField(_l("Contact hours, in Finnish"), render_kw={"rows": "2", "lang": "fi"})
    hours_sv = TextAreaField(_l("Contact hours, in Swedish"), render_kw={"rows": "2", "lang": "sv"})
    description_fi = TextAreaField(_l("Short description, in Finnish"), render_kw={"rows": "4", "lang": "fi"})
    description_sv = TextAreaField(_l("Short description, in Swedish"), render_kw={"rows": "4", "lang": "sv"})
    groups_fi = TextAreaField(_l("Groups, in Finnish"), render_kw={"rows": "3", "lang": "fi"})
    groups_sv = TextAreaField(_l("Groups, in Swedish"), render_kw={"rows": "3", "lang": "sv"})
    volunteering_fi = TextAreaField(
        _l("Taking part as a volunteer, in Finnish"), render_kw={"rows": "3", "lang": "fi"}
    )
    volunteering_sv = TextAreaField(
        _l("Taking part as a volunteer, in Swedish"), render_kw={"rows": "3", "lang": "sv"}
    )
    response_time_fi = TextAreaField(
        _l("When families hear from you after asking, in Finnish"), render_kw={"rows": "2", "lang": "fi"}
    )
    response_time_sv = TextAreaField(
        _l("When families hear from you after asking, in Swedish"), render_kw={"rows": "2", "lang": "sv"}
    )

    #: Text fields shown in pairs, Finnish and Swedish side by side.
    PAIRS = ("name", "hours", "description", "groups", "volunteering", "response_time")
    LANGUAGES = WORK_LANGUAGES
