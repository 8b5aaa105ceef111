"""Small helpers shared by the HTML pages of every feature (the API's are in apiutil)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms import Form as WTForm
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.validators import InputRequired, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from companion import schema
from companion.errors import ServiceError, error_headers
from companion.extensions import login_manager
from companion.i18n import date_hint, format_count, parse_local_date

T = TypeVar("T")


def storable_text(_form, field) -> None:
    """A text field's value obeys `schema.Text`'s rule, in its words."""
    if isinstance(field.data, str) and not schema.storable(field.data):
        raise StopValidation(str(schema.RULE_WORDS[schema.UNSTORABLE]))


def line_breaks(data):
    """A text box's line breaks as LF (`schema.one_kind_of_line_break`): its length is
    then what the box's ``maxlength`` counted."""
    return schema.one_kind_of_line_break(data) if isinstance(data, str) else data


class _TextRule:
    """A form's Meta that gives each of its text fields (passwords, text areas...)
    `storable_text` first, and its text boxes `line_breaks`."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, StringField):
            field.validators = [storable_text, *field.validators]
        if isinstance(field, TextAreaField):
            field.filters = (line_breaks, *field.filters)
        return field


class Form(FlaskForm):
    """Every page's form: its text fields hold only text that can be kept, by the rule of
    the JSON schemas' `schema.Text`."""

    class Meta(_TextRule, FlaskForm.Meta):
        pass


class SubForm(WTForm):
    """A part of a page's form (`FormField`; the page's form carries the CSRF token), with
    the same rule for its text fields."""

    class Meta(_TextRule, DefaultMeta):
        pass


class EmptyForm(Form):
    """A form with only the CSRF token, for one-button actions."""


class CheckboxesField(SelectMultipleField):
    """Several choices, each a checkbox, listed without bullets."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RadiosField(RadioField):
    """One choice of a label table's (value, words) pairs, as radios.

    The value is the services' to check, in their own words rather than WTForms' "Not a
    valid choice", so a page and the API refuse the same answer alike. ``required`` is
    the message when nothing is chosen; without it, choosing nothing is the services'
    to judge too. ``pairs`` is read again for every form made (a list or a dict's items,
    never a generator: only the first form would have choices)."""

    def __init__(self, label, pairs: Iterable[tuple[Any, Any]], *, required: Any = None, **kwargs):
        if required is not None:
            kwargs["validators"] = [InputRequired(message=required), *kwargs.get("validators", ())]
        super().__init__(label, choices=choices(pairs), validate_choice=False, **kwargs)


class TextBoxField(TextAreaField):
    """Free text of at most ``max_length`` characters, ``rows`` lines high. The box stops
    typing at the limit, and the hint (``description``) ends by saying so, from the same
    number the services check."""

    def __init__(self, label, description, *, max_length: int, rows: int = 4, **kwargs):
        super().__init__(
            label,
            description=LazyString(_with_limit, description, max_length),
            render_kw={
                "maxlength": str(max_length),
                "rows": str(rows),
                # Near the limit, the page script says what is left; when full, it says so
                # (a paste longer than the box is cut where the box ends).
                "data-left": LazyString(_left),
                "data-full": LazyString(_full, max_length),
            },
            **kwargs,
        )


def _with_limit(description, max_length: int) -> str:
    limit = gettext("At most %(n)s characters.", n=format_count(max_length))
    return f"{description} {limit}"


def _left() -> str:
    return gettext("%(n)s characters left.", n="%(n)s")  # the page script puts the number in


def _full(max_length: int) -> str:
    return gettext("The box is full: it takes at most %(n)s characters.", n=format_count(max_length))


def choices(pairs: Iterable[tuple[Any, Any]], blank: bool = False) -> list[SelectChoice]:
    """A field's choices from (value, words) pairs, a label table's items for one; with
    ``blank``, "Not given" first."""
    items = [SelectChoice(str(value), label) for value, label in pairs]
    return ([SelectChoice("", _l("Not given"))] if blank else []) + items


class LocalDateField(DateField):
    """A date typed as people write it (31.1.2026) or sent by a date input (2026-01-31),
    within `schema.Day`'s bounds.

    The field's value is written back in ISO form, as a date input needs; the browser
    shows it in the reader's own way."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = parse_local_date(" ".join(valuelist))
        if self.data is None:
            raise ValueError(date_hint())
        if not schema.date_in_range(self.data):
            raise ValueError(schema.date_range_words())


def pages_for(*roles: str):
    """Sign-in page for anonymous visitors, 403 for another role (a coordinator is a worker)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not any(current_user.has_role(role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def form_address(page: str):
    """A form's address answers a GET (a language link, a reload of the answer to a form)
    by going back to the form's page, the endpoint ``page``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if request.method == "GET":
                return redirect(url_for(page))
            return view(*args, **kwargs)

        return wrapped

    return decorator


class Page:
    """A page for some roles, and the forms on it.

    The page answers a GET at ``rule`` with ``render()`` (the endpoint ``endpoint`` of
    ``bp``); a form's view renders it again with the form and its errors. Each form posts
    to an address of its own (`form`), for the page's roles or fewer, where a GET goes back
    to the page (`form_address`)."""

    def __init__(self, bp: Blueprint, rule: str, endpoint: str, render: Callable, *roles: str) -> None:
        self.bp, self.roles = bp, roles
        self.endpoint = f"{bp.name}.{endpoint}"
        #: Each form's endpoint, and the roles that may post it.
        self.forms: dict[str, tuple[str, ...]] = {}
        bp.add_url_rule(rule, endpoint, pages_for(*roles)(render), methods=["GET"])

    def form(self, rule: str, *roles: str):
        """The view of a form posted to ``rule``; ``roles`` when fewer may post it than see
        the page."""

        def decorator(view):
            wrapped = pages_for(*(roles or self.roles))(form_address(self.endpoint)(view))
            self.bp.add_url_rule(rule, view_func=wrapped, methods=["GET", "POST"])
            self.forms[f"{self.bp.name}.{view.__name__}"] = roles or self.roles
            return wrapped

        return decorator

    def button(self, rule: str, *roles: str):
        """The view of a one-button form (the CSRF token only): it does what the button
        says and tells how it went (`flash`); the answer is the page."""

        def decorator(view):
            @functools.wraps(view)
            def pressed(*args, **kwargs):
                if EmptyForm().validate_on_submit():
                    view(*args, **kwargs)
                return redirect(url_for(self.endpoint))

            return self.form(rule, *roles)(pressed)

        return decorator


@login_required
def parents_only():
    """A before-request hook of the parents' own pages: sign in first, 403 for staff."""
    if not current_user.is_parent:
        abort(403)


def no_store(response):
    """An after-request hook for pages that must never be kept in a browser's or proxy's
    cache (codes, passwords, diaries, how a parent is coping)."""
    response.headers["Cache-Control"] = "no-store"
    return response


def form_int(value: str | None) -> object:
    """Whole numbers from a form; anything else goes to the service as is (and is refused)."""
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 7 else (text or None)


def form_problems(form) -> dict[str, str]:
    """What a form's own checks found, a message per field, for a service to name with
    its own (its ``problems``, as the API's `schema.read` gives them)."""
    return {name: errors[0] for name, errors in form.errors.items() if name != "csrf_token" and errors}


def apply_errors(form, error: ServiceError, fallback: str | None = None) -> None:
    """A service's field errors next to the form's fields of the same names (once: the
    form may have found the same); an error without fields goes next to the
    ``fallback`` field, when one is named."""
    fields = error.fields or ({fallback: error.message} if fallback else {})
    for name, message in fields.items():
        field = getattr(form, name, None)
        if field is not None and message not in field.errors:
            field.errors = [*field.errors, message]


@dataclass(frozen=True)
class Sent(Generic[T]):
    """What came of a page's form (`submit`): done, with what the service gave back;
    refused, with the service's error; or neither (not sent, or not valid)."""

    done: bool = False
    value: T | None = None
    error: ServiceError | None = None

    def __bool__(self) -> bool:
        return self.done

    def status(self) -> tuple[int, dict[str, str]]:
        """The status and headers of the form's page shown again: the refusal's (a 429
        says when to try again), 422 for a form sent but not valid, 200 when not sent."""
        if self.error is not None:
            return self.error.status, error_headers(self.error)
        return (422 if request.method == "POST" else 200), {}


def submit(
    form: FlaskForm, action: Callable[[], T], *, fallback: str | None = None, say: bool = False
) -> Sent[T]:
    """A page's form: when it was sent and is valid, ``action()`` (a service's use case)
    does what it asks. A refusal (`ServiceError`) is shown on the form (`apply_errors`,
    with ``fallback``), and its message at the top of the page too when ``say``."""
    if not form.validate_on_submit():
        return Sent()
    try:
        return Sent(done=True, value=action())
    except ServiceError as error:
        apply_errors(form, error, fallback)
        if say:
            flash(error.message, "error")
        return Sent(error=error)


def wants_confirmation() -> bool:
    """A destructive form asks once: a JS dialog (data-confirm), or this page without JS.

    Without JS, the form's <noscript> field `ask` arrives and the confirmation page is shown.
    """
    return request.method == "GET" or bool(request.form.get("ask"))


def confirm(title: str, message: str, button: str, cancel: str) -> str:
    """The confirmation page of a destructive action (``confirm.html``)."""
    return render_template(
        "confirm.html", title=title, message=message, button=button, cancel=cancel, form=EmptyForm()
    )


def default_zone() -> ZoneInfo:
    """The zone of staff pages, which show no family's diary."""
    return ZoneInfo(current_app.config["COMPANION_DEFAULT_TIMEZONE"])
