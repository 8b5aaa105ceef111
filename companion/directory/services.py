"""The directory's use cases: Baby blues near you, contact requests, the organisation's
own page. The only code that writes these; access is checked here.

Who sees what: everyone sees active organisations; a request is seen only by the staff
(workers and coordinators) of the organisation it was sent to, never by the federation's
admin and never by a family; an organisation's public page is changed only by its own
coordinators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from companion import throttle
from companion.accounts.models import ORGANISATION_TEXTS, Municipality, Organisation, User
from companion.directory import contact_details, schemas
from companion.directory.models import ContactRequest
from companion.errors import Forbidden, Throttled, Unauthorized, Validation, not_found
from companion.extensions import db
from companion.types import utcnow

# -- reading the directory -----------------------------------------------------------------


@dataclass
class ServiceCard:
    """What the public sees of an organisation, in one language (also a preview)."""

    slug: str
    name: str
    municipalities: list[str]
    phone: str | None
    email: str | None
    web: str | None
    languages: list[str]
    hours: str | None
    description: str | None
    groups: str | None
    volunteering: str | None
    response_time: str | None

    @property
    def phone_display(self) -> str | None:
        return contact_details.display_phone(self.phone) if self.phone else None

    @property
    def phone_tel(self) -> str | None:
        return contact_details.tel_link(self.phone) if self.phone else None

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in schemas.Service.model_fields}


def municipality_key(name: str) -> str:
    return " ".join(name.split()).lower()


@dataclass
class State:
    """An organisation's editable public details in both languages (saved or not)."""

    slug: str
    name_fi: str | None = None
    name_sv: str | None = None
    municipalities: list[tuple[str, str | None]] = field(default_factory=list)
    phone: str | None = None
    email: str | None = None
    web: str | None = None
    languages: list[str] = field(default_factory=list)
    texts: dict[str, str | None] = field(default_factory=dict)  # "description_fi": ...

    def text(self, name: str, locale: str) -> str | None:
        if locale == "sv":
            return self.texts.get(f"{name}_sv") or self.texts.get(f"{name}_fi")
        return self.texts.get(f"{name}_fi")

    def card(self, locale: str) -> ServiceCard:
        return ServiceCard(
            slug=self.slug,
            name=(self.name_sv if locale == "sv" and self.name_sv else None) or self.name_fi or "",
            municipalities=[(sv if locale == "sv" and sv else None) or fi for fi, sv in self.municipalities],
            phone=self.phone,
            email=self.email,
            web=self.web,
            languages=list(self.languages),
            **{name: self.text(name, locale) for name in ORGANISATION_TEXTS},
        )


def state_of(org: Organisation) -> State:
    return State(
        slug=org.slug,
        name_fi=org.name,
        name_sv=org.name_sv,
        municipalities=[(m.name_fi, m.name_sv) for m in org.municipalities],
        phone=org.phone,
        email=org.email,
        web=org.web,
        languages=list(org.languages or []),
        texts={
            f"{name}_{lang}": getattr(org, f"{name}_{lang}")
            for name in ORGANISATION_TEXTS
            for lang in ("fi", "sv")
        },
    )


def card_of(org: Organisation, locale: str) -> ServiceCard:
    return state_of(org).card(locale)


def find_services(municipality: str | None, locale: str) -> list[ServiceCard]:
    """Active organisations, by name; those serving a municipality (its Finnish or Swedish
    name, any case) when one is asked for."""
    query = select(Organisation).where(Organisation.active.is_(True))
    wanted = municipality_key(municipality or "")
    if wanted:
        serving = select(Municipality.organisation_id).where(
            or_(Municipality.name_fi_key == wanted, Municipality.name_sv_key == wanted)
        )
        query = query.where(Organisation.id.in_(serving))
    orgs = db.session.scalars(query).all()
    cards = [card_of(org, locale) for org in orgs]
    return sorted(cards, key=lambda card: card.name.lower())


def municipality_name(asked: str) -> str:
    """A municipality as its organisation wrote it ("tammerfors" asked: "Tammerfors")."""
    wanted = municipality_key(asked)
    for fi, sv, fi_key, sv_key in db.session.execute(
        select(Municipality.name_fi, Municipality.name_sv, Municipality.name_fi_key, Municipality.name_sv_key)
    ):
        if wanted == fi_key:
            return fi
        if wanted == sv_key:
            return sv
    typed = " ".join(asked.split())
    return typed[:1].upper() + typed[1:]


def municipality_names(locale: str) -> list[str]:
    """Every municipality name served, in both languages (the search's suggestions)."""
    rows = db.session.execute(
        select(Municipality.name_fi, Municipality.name_sv)
        .join(Organisation)
        .where(Organisation.active.is_(True))
    ).all()
    names = {name for row in rows for name in row if name}
    return sorted(names, key=str.lower)


def public_organisation(slug: str) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None or not org.active:
        raise not_found()
    return org


# -- contact requests ------------------------------------------------------------------------


def _limit(name: str) -> int:
    return int(current_app.config[name])


def request_contact(
    slug: str,
    data: schemas.ContactRequestIn,
    address: str | None,
    honeypot: bool = False,
    now: datetime | None = None,
) -> ContactRequest | None:
    """Store a request for the organisation's staff. Limited per address and per
    organisation; a filled honeypot is answered like a success and stores nothing."""
    org = public_organisation(slug)
    per_org = throttle.Limit(
        f"contact:org:{org.id}", _limit("COMPANION_CONTACT_LIMIT_ORGANISATION"), timedelta(days=1)
    )
    limits = [per_org]
    if address:
        limits.append(
            throttle.Limit(
                f"contact:addr:{address[:60]}", _limit("COMPANION_CONTACT_LIMIT_ADDRESS"), timedelta(hours=1)
            )
        )
    wait = throttle.take(limits)
    if wait:
        raise Throttled(
            _(
                "Too many requests have been sent from here or to this organisation. Please try again "
                "later, or call or email the organisation."
            ),
            retry_after=wait,
        )
    if honeypot:
        # Counted against the address only: a robot does not fill the organisation's quota.
        throttle.give_back([per_org])
        db.session.commit()
        return None
    row = ContactRequest(
        organisation_id=org.id,
        **data.model_dump(),
        status="open",
        received_at=now or utcnow(),
    )
    db.session.add(row)
    db.session.commit()
    return row


def _staff_organisation(user: User) -> Organisation:
    """The organisation of a signed-in worker or coordinator; 403 for everyone else."""
    if not user.is_authenticated:
        raise Unauthorized(_("Please sign in first."))
    if not user.is_worker or not user.active or user.organisation_id is None:
        raise Forbidden(_("You do not have access to this."))
    return db.session.get(Organisation, user.organisation_id)


def contact_requests(user: User) -> list[ContactRequest]:
    """The own organisation's requests whose details are still kept: open ones first,
    newest first, then the closed ones, latest closed first."""
    org = _staff_organisation(user)
    rows = db.session.scalars(
        select(ContactRequest).where(
            ContactRequest.organisation_id == org.id, ContactRequest.details_deleted_at.is_(None)
        )
    ).all()
    open_rows = sorted((r for r in rows if r.is_open), key=lambda r: (r.received_at, r.id), reverse=True)
    closed = sorted(
        (r for r in rows if not r.is_open), key=lambda r: (r.closed_at or r.received_at, r.id), reverse=True
    )
    return open_rows + closed


def open_request_count(user: User) -> int:
    """How many requests wait for the user's organisation (0 for anyone else)."""
    if not user.is_authenticated or not user.is_worker or user.organisation_id is None:
        return 0
    return (
        db.session.scalar(
            select(func.count(ContactRequest.id)).where(
                ContactRequest.organisation_id == user.organisation_id, ContactRequest.status == "open"
            )
        )
        or 0
    )


def _own_request(user: User, request_id: object) -> ContactRequest:
    org = _staff_organisation(user)
    try:
        number = int(request_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise not_found() from None
    row = db.session.get(ContactRequest, number)
    if row is None or row.organisation_id != org.id or row.details_deleted_at is not None:
        raise not_found()
    return row


def close_request(
    user: User, request_id: object, data: schemas.ContactRequestUpdate, now: datetime | None = None
) -> ContactRequest:
    """Mark a request contacted or unreachable, with a short internal note. The time it was
    first closed stays (the statistics measure it); the status and note may change."""
    row = _own_request(user, request_id)
    row.status = data.status
    row.note = data.note or None
    if row.closed_at is None:
        row.closed_at = now or utcnow()
    row.closed_by = user.display_name or user.username
    db.session.commit()
    return row


_NO_DETAILS = {
    "name": None,
    "phone": None,
    "email": None,
    "times": None,
    "message": None,
    "note": None,
    "closed_by": None,
}


def prune_contact_details(
    before: datetime, open_before: datetime | None = None, now: datetime | None = None
) -> int:
    """Empty the contact details of requests closed before `before` (the retention period
    ago), and close as not reached, emptied at once, the requests still open that came
    before `open_before`; each request stays with its times, topics, status and
    organisation. Gives how many requests were emptied."""
    now = now or utcnow()
    closed = db.session.execute(
        update(ContactRequest)
        .where(ContactRequest.closed_at < before, ContactRequest.details_deleted_at.is_(None))
        .values(**_NO_DETAILS, details_deleted_at=now)
    ).rowcount
    waited = 0
    if open_before is not None:
        waited = db.session.execute(
            update(ContactRequest)
            .where(
                ContactRequest.status == "open",
                ContactRequest.received_at < open_before,
                ContactRequest.details_deleted_at.is_(None),
            )
            .values(**_NO_DETAILS, status="unreachable", closed_at=now, details_deleted_at=now)
        ).rowcount
    return (closed or 0) + (waited or 0)


# -- the organisation's own page -------------------------------------------------------------


def _coordinator_organisation(user: User) -> Organisation:
    org = _staff_organisation(user)
    if not user.is_coordinator:
        raise Forbidden(_("You do not have access to this."))
    return org


def own_organisation(user: User) -> Organisation:
    """The organisation of a worker or coordinator (for reading its details)."""
    return _staff_organisation(user)


def _text_pair(value, current_fi: str | None, current_sv: str | None):
    """A text in both languages: a language left out keeps its value (a plain string was
    made the request language's by the schema); null empties both."""
    if value is None:
        return None, None
    fields = value.model_fields_set
    return (value.fi if "fi" in fields else current_fi, value.sv if "sv" in fields else current_sv)


def apply_changes(state: State, changes: schemas.OrganisationIn, locale: str) -> State:
    """The state with the changes given (fields left out keep their value)."""
    given = changes.model_fields_set
    if "name" in given:
        state.name_fi, state.name_sv = _text_pair(changes.name, state.name_fi, state.name_sv)
    if "municipalities" in given:
        state.municipalities = [(m.fi, m.sv) for m in changes.municipalities or []]
    for name in ("phone", "email", "web"):
        if name in given:
            setattr(state, name, getattr(changes, name))
    if "languages" in given:
        state.languages = list(dict.fromkeys(changes.languages or []))
    for name in ORGANISATION_TEXTS:
        if name in given:
            fi, sv = _text_pair(
                getattr(changes, name), state.texts.get(f"{name}_fi"), state.texts.get(f"{name}_sv")
            )
            state.texts[f"{name}_fi"], state.texts[f"{name}_sv"] = fi, sv
    return state


def check_state(state: State) -> None:
    """What a public page needs: a Finnish name and description, a municipality, a way in."""
    fields: dict[str, str] = {}
    if not state.name_fi:
        fields["name.fi"] = _("Give the name in Finnish.")
    if not state.municipalities:
        fields["municipalities"] = _("Give at least one municipality you serve.")
    keys = [municipality_key(fi) for fi, _sv in state.municipalities]
    if len(set(keys)) != len(keys):
        fields["municipalities"] = _("A municipality is listed twice.")
    if not state.phone and not state.email:
        fields["phone"] = _("Give a phone number or an email address, so that families can reach you.")
    if not state.texts.get("description_fi"):
        fields["description.fi"] = _("Give a short description in Finnish.")
    if not state.languages:
        fields["languages"] = _("Choose at least one language.")
    if fields:
        raise Validation(_("Please check the form."), fields)


def preview_organisation(user: User, changes: schemas.OrganisationIn, locale: str) -> State:
    """The page as it would be with the changes, checked but not saved."""
    org = _coordinator_organisation(user)
    state = apply_changes(state_of(org), changes, locale)
    check_state(state)
    return state


def update_organisation(
    user: User, changes: schemas.OrganisationIn, locale: str, now: datetime | None = None
) -> Organisation:
    """Save the coordinator's changes to their own organisation's public page."""
    org = _coordinator_organisation(user)
    state = apply_changes(state_of(org), changes, locale)
    check_state(state)
    org.name = state.name_fi or org.name
    org.name_sv = state.name_sv
    rows = list(org.municipalities)
    while len(rows) < len(state.municipalities):
        rows.append(Municipality())
    for position, ((fi, sv), item) in enumerate(zip(state.municipalities, rows, strict=False)):
        item.position, item.name_fi, item.name_sv = position, fi, sv
        item.name_fi_key = municipality_key(fi)
        item.name_sv_key = municipality_key(sv) if sv else None
    org.municipalities = rows[: len(state.municipalities)]
    org.phone, org.email, org.web = state.phone, state.email, state.web
    org.languages = list(state.languages)
    for key, value in state.texts.items():
        setattr(org, key, value)
    org.updated_at = now or utcnow()
    db.session.commit()
    return org


def set_organisation_active(org_id: int, active: bool) -> Organisation:
    """Show or hide an organisation in the directory (the caller checks the federation role)."""
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise not_found()
    org.active = active
    db.session.commit()
    return org
