"""`flask seed-demo`: what `make run` shows a first-time visitor."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from companion.diary.models import Baby, Entry
from companion.extensions import db
from companion.rhythm.models import RhythmPlan
from companion.wellbeing.models import CheckIn


def count(app, column) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(column)))


def test_seed_demo_makes_a_family_to_look_at_and_says_how_to_sign_in(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--days", "14"])
    assert result.exit_code == 0, result.output
    found = re.search(r"as '(\w+)' with password '([\w-]+)'", result.output)
    assert found, result.output
    assert "demo-worker" in result.output and "demo-coordinator" in result.output
    # One clearly made-up organisation, listed with its page, found by the Swedish name.
    services = client_services = app.test_client().get("/api/v1/services?municipality=tammerfors").get_json()
    assert [s["name"] for s in client_services["services"]] == ["Kuvitteellinen Baby blues -yhdistys (demo)"]
    assert (
        services["services"][0]["email"].endswith("@example.org") and services["services"][0]["phone"] is None
    )
    assert count(app, Entry.id) > 100
    assert count(app, RhythmPlan.id) == 1
    assert 5 <= count(app, CheckIn.id) < 14  # most days, not all

    client = app.test_client()
    token = client.get("/api/v1/me").get_json()["csrf_token"]
    login = {"username": found[1], "password": found[2]}
    assert client.post("/api/v1/login", json=login, headers={"X-CSRFToken": token}).status_code == 200
    with app.app_context():
        baby_id = db.session.scalar(select(Baby.id))
    page = client.get(f"/diary/{baby_id}/rhythm").get_data(as_text=True)
    assert "Nukkumaanmeno" in page  # the demo parent reads Finnish; the plan is shown
    chart = client.get("/wellbeing/chart")
    assert chart.status_code == 200
    assert "Aika hyvin" in chart.get_data(as_text=True)  # the demo parent's own answers


def test_seed_demo_if_new_leaves_a_used_database_alone(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo", "--days", "3"]).exit_code == 0
    again = runner.invoke(args=["seed-demo", "--days", "3", "--if-new"])
    assert again.exit_code == 0
    assert "no demo family added" in again.output
    assert count(app, Baby.id) == 1
