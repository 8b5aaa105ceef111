"""Fixtures for sharing: signed-in workers and admins, and a share code for a family."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from companion.extensions import db
from tests.conftest import Api, Family, staff_sign_in

WORKER_PASSWORD = "worker password 1"


@dataclass
class Staff:
    api: Api
    username: str
    id: int
    display_name: str


def add_staff(app: Flask, username: str, role: str, display_name: str, org: str | None) -> int:
    from sqlalchemy import select

    from companion.accounts.models import Organisation
    from companion.accounts.services import create_organisation, create_staff_user

    with app.app_context():
        if org and db.session.scalar(select(Organisation).where(Organisation.slug == org)) is None:
            create_organisation(org, f"Baby blues {org.title()}", org.title())
        user, _generated = create_staff_user(username, role, WORKER_PASSWORD, org, display_name)
        return user.id


def sign_in(app: Flask, username: str, password: str = WORKER_PASSWORD) -> Api:
    """A staff member signed in with their second factor (enrolled the first time)."""
    return staff_sign_in(app, username, password)


@pytest.fixture
def make_worker(app: Flask):
    counter = iter(range(1, 1000))

    def make(username: str | None = None, display_name: str | None = None, org: str = "tampere") -> Staff:
        number = next(counter)
        name = username or f"worker{number}"
        shown = display_name or f"Worker Number{number}"
        user_id = add_staff(app, name, "worker", shown, org)
        return Staff(sign_in(app, name), name, user_id, shown)

    return make


@pytest.fixture
def worker(make_worker) -> Staff:
    return make_worker("maija", "Maija Mäkinen")


@pytest.fixture
def admin(app: Flask) -> Staff:
    user_id = add_staff(app, "boss", "admin", "Admin Person", None)
    return Staff(sign_in(app, "boss"), "boss", user_id, "Admin Person")


def make_code(family: Family, **settings) -> str:
    body = {"label": "Aino's family", **settings}
    response = family.api.post(f"/api/v1/babies/{family.baby_id}/share-codes", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["code"]


def redeem(staff: Staff, code: str):
    return staff.api.post("/api/v1/share/redeem", {"code": code})


def grant_for(family: Family, staff: Staff, **settings) -> int:
    response = redeem(staff, make_code(family, **settings))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["grant"]["id"]
