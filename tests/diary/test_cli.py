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


def test_the_demo_worker_can_be_used_and_the_demo_says_how(app):
    """In make run's demo (optional second factor) the worker signs in with the printed
    password and is told so; with the default (required) the output says what to expect
    at the first sign-in, and the worker is led to enrolment."""
    app.config["COMPANION_STAFF_SECOND_FACTOR"] = "optional"
    result = app.test_cli_runner().invoke(args=["seed-demo", "--days", "2", "--port", "5123"])
    assert "OPTIONAL in this demo" in result.output and "http://127.0.0.1:5123/login" in result.output
    found = re.search(r"'demo-worker' with password '([\w-]+)'", result.output)
    client = app.test_client()
    token = client.get("/api/v1/me").get_json()["csrf_token"]
    login = {"username": "demo-worker", "password": found[1]}
    assert client.post("/api/v1/login", json=login, headers={"X-CSRFToken": token}).status_code == 200
    assert client.get("/api/v1/shared").status_code == 200
    app.config["COMPANION_STAFF_SECOND_FACTOR"] = "required"
    again = app.test_client()
    token = again.get("/api/v1/me").get_json()["csrf_token"]
    assert again.post("/api/v1/login", json=login, headers={"X-CSRFToken": token}).status_code == 200
    assert again.get("/worker/").headers["Location"].endswith("/account/second-factor")


def test_seed_demo_of_a_long_diary_has_a_baby_born_before_it_starts(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--days", "400"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        baby = db.session.scalar(select(Baby))
        first = db.session.scalar(select(func.min(Entry.start)))
    assert baby.birth_date <= first.date()
    assert count(app, Entry.id) > 4000
