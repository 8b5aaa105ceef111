"""`flask seed-demo`: what `make run` shows a first-time visitor."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from companion.accounts.services import find_user
from companion.diary.models import Baby, Entry
from companion.extensions import db
from companion.rhythm.models import RhythmPlan
from companion.seed import demo_year
from companion.wellbeing.models import CheckIn
from tests.conftest import staff_sign_in


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
    with app.app_context():
        demo = find_user(found[1])
        own = db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.user_id == demo.id))
        baby_id = db.session.scalar(select(Baby.id).where(Baby.family_id == demo.family_id))
    assert 5 <= own < 14  # most days, not all

    client = app.test_client()
    token = client.get("/api/v1/me").get_json()["csrf_token"]
    login = {"username": found[1], "password": found[2]}
    assert client.post("/api/v1/login", json=login, headers={"X-CSRFToken": token}).status_code == 200
    page = client.get(f"/diary/{baby_id}/rhythm").get_data(as_text=True)
    assert "Nukkumaanmeno" in page  # the demo parent reads Finnish; the plan is shown
    chart = client.get("/wellbeing/chart")
    assert chart.status_code == 200
    assert "Aika hyvin" in chart.get_data(as_text=True)  # the demo parent's own answers


def test_seed_demo_gives_every_statistics_chart_something_to_show(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--days", "3"])
    assert result.exit_code == 0, result.output
    found = re.search(r"'demo-federation' with password '([\w-]+)'", result.output)
    assert found, result.output
    client = staff_sign_in(app, "demo-federation", found[1]).client
    year = demo_year()  # the year the made-up work falls in
    assert f"/stats/?year={year}" in result.output
    body = client.get(f"/api/v1/stats?organisation=demo&year={year}&period=year").get_json()
    row = body["rows"][0]
    assert row["new_grants_count"] >= 5 and row["grant_days_median"] is not None
    assert row["opens_count"] >= 5 and isinstance(row["feedback_count"], int)
    assert row["contact_requests_count"] >= 5 and row["contact_close_hours_median"] is not None
    for measure in ("night_wakings", "longest_sleep_minutes", "crying_minutes"):
        assert body["change"][measure]["median_change"] is not None
    assert body["change"]["checkins"]["families_count"] >= 5
    assert body["feedback"]["texts"], "a quarter with at least 5 texts"
    # The page (by quarter) draws every chart, for the association and the whole country.
    for organisation in ("demo", ""):
        page = client.get(f"/stats/?organisation={organisation}&year={year}").get_data(as_text=True)
        assert page.count("data-figure=") >= 10 and "Nothing to draw" not in page


def test_seed_demo_if_new_leaves_a_used_database_alone(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo", "--days", "3"]).exit_code == 0
    again = runner.invoke(args=["seed-demo", "--days", "3", "--if-new"])
    assert again.exit_code == 0
    assert "no demo family added" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Baby.id)).where(Baby.name == "Pikku-Aino")) == 1


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
        baby = db.session.scalar(select(Baby).where(Baby.name == "Pikku-Aino"))
        first = db.session.scalar(select(func.min(Entry.start)).where(Entry.baby_id == baby.id))
        entries = db.session.scalar(select(func.count(Entry.id)).where(Entry.baby_id == baby.id))
    assert baby.birth_date <= first.date()
    assert entries > 4000
