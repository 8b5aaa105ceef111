"""Pages of the directory: Baby blues near you (public), asking to be contacted, the
staff's contact requests, and the coordinator's page of their organisation."""

from __future__ import annotations

from datetime import datetime

from babel import Locale
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from companion.directory import bp, contact_details, schemas, services
from companion.directory.forms import TOPIC_LABELS, CloseRequestForm, ContactForm, OrganisationPageForm
from companion.errors import ServiceError, Validation
from companion.i18n import format_duration, format_moment, locale_code
from companion.pageutil import Page, choices, default_zone, no_store, pages_for
from companion.types import utcnow

STAFF_ENDPOINTS = {
    "directory.requests",
    "directory.request_close",
    "directory.organisation_edit",
    "directory.contact",
}


@bp.after_request
def private_pages_are_not_kept(response):
    """Staff pages and forms (their CSRF tokens) are never kept in a cache."""
    if request.endpoint in STAFF_ENDPOINTS:
        no_store(response)
    return response


def language_name(code: str) -> str:
    """A language's name in the reader's language ("ruotsi", "svenska", "Swedish")."""
    return Locale.parse(locale_code()).languages.get(code, code)


def topic_label(topic: str) -> str:
    return str(TOPIC_LABELS.get(topic, topic))


def _context() -> dict:
    return {
        "language_name": language_name,
        "topic_label": topic_label,
        "phone": contact_details.display_phone,
        "status_label": status_label,
    }


# -- public ----------------------------------------------------------------------------------


@bp.get("/services")
def services_index():
    wanted = " ".join(request.args.get("municipality", "")[:80].split())
    locale = locale_code()
    cards = services.find_services(wanted, locale)
    return render_template(
        "directory/services.html",
        cards=cards,
        wanted=services.municipality_name(wanted) if wanted else "",
        names=services.municipality_names(locale),
        **_context(),
    )


@bp.get("/services/<slug>")
def service(slug: str):
    org = services.public_organisation(slug)
    return render_template("directory/service.html", card=services.card_of(org, locale_code()), **_context())


def _form_errors(form, error: ServiceError) -> None:
    for name, message in error.fields.items():
        target = getattr(form, name.split(".")[0], None) or getattr(form, name.replace(".", "_"), None)
        if target is not None and message not in target.errors:
            target.errors = [*target.errors, message]


def _contact_data(form: ContactForm) -> dict:
    contact_by = form.contact_by.data or None
    return {
        "topics": form.topics.data or [],
        "name": form.name.data or "",
        "phone": (form.phone.data or None) if contact_by != "email" else None,
        "email": (form.email.data or None) if contact_by == "email" else None,
        "contact_by": contact_by,
        "times": form.times.data or None,
        "language": form.language.data or "",
        "message": form.message.data or None,
    }


@bp.route("/services/<slug>/contact", methods=["GET", "POST"])
def contact(slug: str):
    org = services.public_organisation(slug)
    card = services.card_of(org, locale_code())
    form = ContactForm()
    if request.method == "GET":
        form.language.data = locale_code()
    status = 200
    if form.validate_on_submit():
        try:
            data = schemas.parse(schemas.ContactRequestIn, _contact_data(form))
            services.request_contact(slug, data, request.remote_addr, honeypot=bool(form.website.data))
        except ServiceError as error:
            _form_errors(form, error)
            flash(error.message, "error")
            status = error.status
            headers = (
                {"Retry-After": str(int(error.extra["retry_after"]))} if "retry_after" in error.extra else {}
            )
            return render_template("directory/contact.html", card=card, form=form), status, headers
        return redirect(url_for("directory.contact_sent", slug=slug))
    elif request.method == "POST":
        status = 400
    return render_template("directory/contact.html", card=card, form=form), status


@bp.get("/services/<slug>/contact/sent")
def contact_sent(slug: str):
    org = services.public_organisation(slug)
    return render_template("directory/contact_sent.html", card=services.card_of(org, locale_code()))


# -- staff -----------------------------------------------------------------------------------


def waiting_text(since: datetime, now: datetime) -> str:
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes >= 2 * 24 * 60:
        return _("%(n)d days", n=minutes // (24 * 60))
    return format_duration(minutes)


def worker_panel(user) -> str:
    """The worker's home page: how many contact requests wait for the organisation."""
    if not user.is_authenticated or not user.is_worker or user.organisation_id is None:
        return ""
    return Markup(
        render_template(
            "directory/_worker_panel.html",
            count=services.open_request_count(user),
            coordinator=user.is_coordinator,
        )
    )


def _requests_page(forms: dict[int, CloseRequestForm] | None = None, status: int = 200):
    rows = services.contact_requests(current_user)
    now = utcnow()
    tz = default_zone()
    retention = int(current_app.config["COMPANION_RETENTION_CONTACT_DAYS"])
    return render_template(
        "directory/requests.html",
        open_rows=[r for r in rows if r.is_open],
        closed_rows=[r for r in rows if not r.is_open],
        forms=forms or {},
        blank=lambda row: CloseRequestForm(formdata=None, prefix=f"r{row.id}"),
        waiting=lambda row: waiting_text(row.received_at, now),
        # With the year: the list spans months, and a request may wait across New Year.
        when=lambda moment: format_moment(moment, tz, year=True),
        retention=retention,
        organisation=services.own_organisation(current_user),
        **_context(),
    ), status


requests_page = Page(bp, "/organisation/requests", "requests", _requests_page, "worker")


@requests_page.form("/organisation/requests/<int:request_id>")
def request_close(request_id: int):
    form = CloseRequestForm(prefix=f"r{request_id}")
    if form.validate_on_submit():
        try:
            data = schemas.parse(
                schemas.ContactRequestUpdate,
                {"status": form.status.data or "", "note": form.note.data or None},
            )
            row = services.close_request(current_user, request_id, data)
        except Validation as error:
            # Said at the top too, as the other pages say it; the script then brings the
            # first invalid answer into view and focus (a #fragment would take the focus).
            _form_errors(form, error)
            flash(error.message, "error")
            return _requests_page({request_id: form}, 422)
        flash(
            _(
                "The request from %(name)s was marked: %(status)s.",
                name=row.name,
                status=status_label(row.status),
            ),
            "info",
        )
        return redirect(url_for("directory.requests"))
    return _requests_page({request_id: form}, 422)


def status_label(status: str) -> str:
    return {"contacted": _("contacted"), "unreachable": _("could not reach"), "open": _("waiting")}[status]


# -- the coordinator's page of their organisation --------------------------------------------


def _municipality_lines(text: str) -> tuple[list[dict], dict[str, str]]:
    items, errors = [], {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("/")]
        if len(parts) > 2 or not parts[0]:
            errors["municipalities"] = _(
                "Line %(n)d: write the Finnish name, then the Swedish name after a slash "
                '("Tampere / Tammerfors").',
                n=number,
            )
            continue
        items.append({"fi": parts[0], "sv": parts[1] if len(parts) == 2 else None})
    return items, errors


def _page_changes(form: OrganisationPageForm) -> schemas.OrganisationIn:
    municipalities, errors = _municipality_lines(form.municipalities.data)
    data: dict = {
        "municipalities": municipalities,
        "phone": form.phone.data or None,
        "email": form.email.data or None,
        "web": form.web.data or None,
        "languages": form.languages.data or [],
    }
    for name in OrganisationPageForm.PAIRS:
        data[name] = {
            "fi": getattr(form, f"{name}_fi").data or None,
            "sv": getattr(form, f"{name}_sv").data or None,
        }
    try:
        changes = schemas.parse(schemas.OrganisationIn, data)
    except Validation as error:
        fields = {**error.fields, **errors}
        raise Validation(error.message, _line_numbers(fields)) from None
    if errors:
        raise Validation(_("Please check the form."), errors)
    return changes


def _line_numbers(fields: dict[str, str]) -> dict[str, str]:
    """Errors by the form's fields: "municipalities.2.fi" becomes a message on the
    municipalities box naming the line, "description.sv" the field description_sv."""
    out = {}
    for key, message in fields.items():
        parts = key.split(".")
        if parts[0] == "municipalities" and len(parts) > 1 and parts[1].isdigit():
            out.setdefault(
                "municipalities", _("Line %(n)d: %(problem)s", n=int(parts[1]) + 1, problem=message)
            )
        elif len(parts) > 1 and parts[1].isdigit():  # one of a list's items: the list's field
            out.setdefault(parts[0], message)
        else:
            out.setdefault(key.replace(".", "_"), message)
    return out


def _fill(form: OrganisationPageForm, state: services.State) -> None:
    form.name_fi.data, form.name_sv.data = state.name_fi, state.name_sv
    form.municipalities.data = "\n".join(f"{fi} / {sv}" if sv else fi for fi, sv in state.municipalities)
    form.phone.data = contact_details.display_phone(state.phone) if state.phone else ""
    form.email.data, form.web.data = state.email, state.web
    form.languages.data = list(state.languages)
    for name in OrganisationPageForm.PAIRS[1:]:
        getattr(form, f"{name}_fi").data = state.texts.get(f"{name}_fi")
        getattr(form, f"{name}_sv").data = state.texts.get(f"{name}_sv")


@bp.route("/organisation/page", methods=["GET", "POST"])
@pages_for("coordinator")
def organisation_edit():
    org = services.own_organisation(current_user)
    form = OrganisationPageForm()
    form.languages.choices = choices((code, language_name(code)) for code in OrganisationPageForm.LANGUAGES)
    previews = None
    status = 200
    if request.method == "GET":
        _fill(form, services.state_of(org))
    elif form.validate_on_submit():
        try:
            changes = _page_changes(form)
            if request.form.get("action") == "preview":
                state = services.preview_organisation(current_user, changes, locale_code())
                previews = {"fi": state.card("fi"), "sv": state.card("sv")}
            else:
                services.update_organisation(current_user, changes, locale_code())
                flash(_("The page was saved. Families see it now."), "info")
                return redirect(url_for("directory.organisation_edit"))
        except Validation as error:
            _form_errors(form, Validation(error.message, _line_numbers(error.fields)))
            flash(error.message, "error")
            status = 422
    else:
        status = 400
    return render_template(
        "directory/organisation_edit.html",
        form=form,
        organisation=org,
        previews=previews,
        **_context(),
    ), status
