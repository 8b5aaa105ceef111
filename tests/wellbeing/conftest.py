"""Fixtures for check-ins: local dates, a partner in the same family, and helpers."""

from __future__ import annotations

import html
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from tests.conftest import PASSWORD, Api, Family, text_of
from tests.share.conftest import admin, make_worker, worker  # noqa: F401  (shared fixtures)

HELSINKI = ZoneInfo("Europe/Helsinki")


def local_today() -> date:
    return datetime.now(HELSINKI).date()


def day(back: int = 0) -> str:
    """The ISO date `back` days before today in the family's zone."""
    return (local_today() - timedelta(days=back)).isoformat()


def put_checkin(api: Api, when: str, coping=3, **fields):
    return api.put(f"/api/v1/checkins/{when}", {"coping": coping, **fields})


def saved(api: Api, first: str | None = None, last: str | None = None) -> list[dict]:
    query = "&".join(f"{k}={v}" for k, v in (("from", first), ("to", last)) if v)
    response = api.get("/api/v1/checkins" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["checkins"]


def join_family(app: Flask, family: Family, username: str = "partner") -> Api:
    """The other parent: signs up and joins the family with an invite code."""
    code = family.api.post("/api/v1/family/invites", {}).get_json()["code"]
    api = Api(app.test_client())
    assert api.post("/api/v1/signup", {"username": username, "password": PASSWORD}).status_code == 201
    assert api.post("/api/v1/family/join", {"code": code}).status_code == 200
    return api


@pytest.fixture
def partner(app: Flask, family: Family) -> Api:
    return join_family(app, family)


def visible(response) -> str:
    """The text a reader sees: tags removed and entities (&#39;) read as characters."""
    return html.unescape(text_of(response))
