"""The directory's services: retention of contact details, and the coordinator's role."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from companion.directory.models import ContactRequest
from companion.extensions import db
from companion.types import utcnow
from tests.directory.conftest import send_request, visitor


def test_contact_details_go_30_days_after_closing_and_the_times_stay(
    app, coordinator, tampere_worker, runner=None
):
    from companion.accounts.privacy import prune

    send_request(visitor(app))
    send_request(visitor(app), name="Still open")
    rows = tampere_worker.api.get("/api/v1/organisation/contact-requests").get_json()["contact_requests"]
    closed_id = next(r["id"] for r in rows if r["name"] == "Sanna")
    tampere_worker.api.client.open(
        f"/api/v1/organisation/contact-requests/{closed_id}",
        method="PATCH",
        json={"status": "contacted", "note": "Soitettu"},
        headers={"X-CSRFToken": tampere_worker.api.token()},
    )
    with app.app_context():
        row = db.session.get(ContactRequest, closed_id)
        closed_at, received_at = row.closed_at, row.received_at
        assert prune(now=closed_at + timedelta(days=29))["contact_details"] == 0
        assert prune(now=closed_at + timedelta(days=30, seconds=1))["contact_details"] == 1
        row = db.session.get(ContactRequest, closed_id, populate_existing=True)
        assert (row.name, row.phone, row.email, row.times, row.message, row.note) == (None,) * 6
        # What the statistics count stays: when, what about, which organisation, how it ended.
        assert row.received_at == received_at and row.closed_at == closed_at
        assert row.topics == ["sleep", "coping"] and row.status == "contacted" and row.organisation_id
        open_row = db.session.scalar(select(ContactRequest).where(ContactRequest.status == "open"))
        assert open_row.name == "Still open"
    # The staff no longer see the emptied request; the open one stays.
    names = [
        r["name"]
        for r in tampere_worker.api.get("/api/v1/organisation/contact-requests").get_json()[
            "contact_requests"
        ]
    ]
    assert names == ["Still open"]


def test_a_request_nobody_closed_is_closed_and_emptied_after_half_a_year(app, coordinator, tampere_worker):
    from companion.accounts.privacy import prune

    send_request(visitor(app), name="Never called")
    with app.app_context():
        row = db.session.scalar(select(ContactRequest))
        received_at = row.received_at
        assert prune(now=received_at + timedelta(days=179))["contact_details"] == 0
        assert db.session.get(ContactRequest, row.id, populate_existing=True).name == "Never called"
        assert prune(now=received_at + timedelta(days=180, seconds=1))["contact_details"] == 1
        row = db.session.get(ContactRequest, row.id, populate_existing=True)
        assert (row.name, row.phone, row.email, row.times, row.message) == (None,) * 5
        assert row.status == "unreachable" and row.closed_at is not None and row.received_at == received_at
        assert row.topics == ["sleep", "coping"]
    # Nobody is shown as still waiting, and nothing of them is left to show.
    home = tampere_worker.api.get("/api/v1/organisation/contact-requests").get_json()["contact_requests"]
    assert home == []


def test_flask_prune_names_contact_details(app, coordinator):
    result = app.test_cli_runner().invoke(args=["prune"])
    assert result.exit_code == 0 and "contact_details 0" in result.output


def test_create_user_makes_a_coordinator_of_an_organisation(app):
    runner = app.test_cli_runner()
    assert (
        runner.invoke(
            args=["create-organisation", "bb-kotka", "Baby blues Kotka (testi)", "--locality", "Kotka"]
        ).exit_code
        == 0
    )
    made = runner.invoke(
        args=["create-user", "kotkan-koordinaattori", "--role", "coordinator", "--organisation", "bb-kotka"]
    )
    assert made.exit_code == 0, made.output
    assert "Created coordinator kotkan-koordinaattori" in made.output and "Password:" in made.output
    without = runner.invoke(args=["create-user", "yksin", "--role", "coordinator"])
    assert without.exit_code != 0 and "organisaatio" in without.output  # the CLI speaks Finnish by default
    with app.app_context():
        from companion.accounts.models import User

        user = db.session.scalar(select(User).where(User.username == "kotkan-koordinaattori"))
        assert (
            user.is_coordinator and user.is_worker and user.is_staff and user.organisation.slug == "bb-kotka"
        )


def test_received_at_is_when_the_request_came(app, coordinator):
    before = utcnow()
    send_request(visitor(app))
    with app.app_context():
        row = db.session.scalar(select(ContactRequest))
        assert before <= row.received_at <= utcnow() and row.closed_at is None
