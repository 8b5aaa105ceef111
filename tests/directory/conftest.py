"""Organisations with public pages, their coordinators and workers, signed in."""

from __future__ import annotations

import pytest
from flask import Flask

from companion.extensions import db
from tests.conftest import Api
from tests.share.conftest import Staff, add_staff, admin, make_worker, sign_in, worker  # noqa: F401

TAMPERE_PAGE = {
    "name": {"fi": "Baby blues Tampere (testi)", "sv": "Baby blues Tammerfors (test)"},
    "municipalities": [{"fi": "Tampere", "sv": "Tammerfors"}, {"fi": "Nokia"}],
    "phone": "040 123 4567",
    "email": "babyblues@example.fi",
    "web": "www.example.fi/babyblues",
    "languages": ["fi", "sv"],
    "hours": {"fi": "ma–pe klo 9–15", "sv": "mån–fre kl. 9–15"},
    "description": {"fi": "Tukea vauvaperheille.", "sv": "Stöd för familjer med baby."},
    "groups": {"fi": "Vertaisryhmä torstaisin.", "sv": "Kamratgrupp på torsdagar."},
    "volunteering": {"fi": "Tule mukaan vapaaehtoiseksi.", "sv": "Bli frivillig hos oss."},
    "response_time": {"fi": "Vastaamme kahden arkipäivän kuluessa.", "sv": "Vi svarar inom två vardagar."},
}


def make_staff(app: Flask, username: str, role: str, org: str, name: str | None = None) -> Staff:
    user_id = add_staff(app, username, role, name or username.title(), org)
    return Staff(sign_in(app, username), username, user_id, name or username.title())


def fill_page(app: Flask, slug: str, **changes) -> None:
    """An organisation's public details, saved through its coordinator's service."""
    from companion.accounts.models import Organisation, User
    from companion.directory import schemas, services

    with app.app_context():
        from sqlalchemy import select

        org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        coordinator = db.session.scalar(
            select(User).where(User.organisation_id == org.id, User.role == "coordinator")
        )
        body = {**TAMPERE_PAGE, **changes}
        services.update_organisation(coordinator, schemas.OrganisationIn.model_validate(body), "fi")


@pytest.fixture
def coordinator(app: Flask) -> Staff:
    """The coordinator of bb-tampere, whose page is filled in."""
    staff = make_staff(app, "kaisa", "coordinator", "bb-tampere", "Kaisa Koordinaattori")
    fill_page(app, "bb-tampere")
    return staff


@pytest.fixture
def tampere_worker(app: Flask, coordinator) -> Staff:
    return make_staff(app, "tiina", "worker", "bb-tampere", "Tiina Työntekijä")


@pytest.fixture
def other_coordinator(app: Flask) -> Staff:
    """The coordinator of another organisation (bb-oulu), with its page filled in."""
    staff = make_staff(app, "olli", "coordinator", "bb-oulu", "Olli Oulusta")
    fill_page(
        app,
        "bb-oulu",
        name={"fi": "Baby blues Oulu (testi)", "sv": None},
        municipalities=[{"fi": "Oulu", "sv": "Uleåborg"}],
        phone="+358 8 123 4567",
    )
    return staff


@pytest.fixture
def other_worker(app: Flask, other_coordinator) -> Staff:
    return make_staff(app, "onni", "worker", "bb-oulu", "Onni Oulusta")


def visitor(app: Flask, lang: str = "en") -> Api:
    """An anonymous visitor speaking the API (with a CSRF token from /api/v1/me)."""
    client = app.test_client()
    api = Api(client)
    original = client.open

    def open_in(*args, **kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        headers["Accept-Language"] = lang
        return original(*args, headers=headers, **kwargs)

    client.open = open_in
    return api


REQUEST = {
    "topics": ["sleep", "coping"],
    "name": "Sanna",
    "phone": "0401234567",
    "contact_by": "text",
    "times": "aamupäivisin",
    "language": "fi",
    "message": "Vauva heräilee öisin.",
}


def send_request(api: Api, slug: str = "bb-tampere", **changes):
    return api.post(f"/api/v1/services/{slug}/contact-requests", {**REQUEST, **changes})
