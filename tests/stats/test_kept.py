"""What the statistics keep so that a report is quick at national scale: each consented
grant's change over the work once its weeks 5-8 are settled, and the year's made-safe
report for other processes. Neither may outlive a withdrawal of consent or a change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from companion import types as utc
from companion.extensions import db
from tests.conftest import text_of
from tests.stats.test_statistics import build_world, parent_api, report_year, stats


def kept_changes(app) -> dict[int, dict | None]:
    from companion.share.models import Grant

    with app.app_context():
        return dict(db.session.execute(select(Grant.id, Grant.change_figures)).all())


def kept_report_years(app) -> list[int]:
    from companion.stats.models import StatsReport

    with app.app_context():
        return list(db.session.scalars(select(StatsReport.year)))


def another_process(app) -> None:
    """What a second worker process has: the database, none of this process's caches."""
    from companion.stats import services

    with app.app_context():
        services.kept("reports").clear()
        services.kept("views").clear()


def withdraw(app, username: str, grant_id: int, counted: bool = False) -> None:
    api = parent_api(app, username)
    response = api._send("PATCH", f"/api/v1/grants/{grant_id}", {"statistics": counted})
    assert response.status_code == 200, response.get_json()


def test_each_grants_change_is_kept_once_settled_and_the_diary_not_read_again(app, federation, monkeypatch):
    parents = build_world(app, 6)
    assert set(kept_changes(app).values()) == {None}
    first = stats(federation, organisation="tampere").get_json()["change"]
    kept = kept_changes(app)
    assert len(kept) == 6
    for figures in kept.values():
        assert figures["night_wakings"][1] == 1.0 and 2.5 <= figures["night_wakings"][0] <= 3.0
        assert figures["crying_minutes"] == [60.0, 30.0]
    # The months are worked out again (a grant changed), from the kept figures only.
    from companion.stats import services

    monkeypatch.setattr(services, "_window_spans", lambda *_a: pytest.fail("the diary was read again"))
    withdraw(app, *parents[0], counted=True)  # no change: consent stays
    with app.app_context():
        from companion.stats.models import StatsMonth

        db.session.execute(StatsMonth.__table__.update().values(stale=True))
        db.session.commit()
    another_process(app)
    assert stats(federation, organisation="tampere").get_json()["change"] == first


def test_a_grant_whose_weeks_5_8_are_recent_is_worked_out_but_not_kept(app, federation):
    from companion.share.models import Grant

    build_world(app, 6)
    now = utc.utcnow()
    with app.app_context():
        # Weeks 5-8 ended 3 days ago: entries from an offline phone may still come in.
        for grant in db.session.scalars(select(Grant)):
            grant.created_at = now - timedelta(days=59)
            grant.ended_at = now - timedelta(hours=1)
        db.session.commit()
    response = stats(federation, organisation="tampere")
    assert response.status_code == 200
    assert set(kept_changes(app).values()) == {None}


def test_withdrawing_consent_removes_the_kept_change_and_saying_yes_again_brings_it_back(app, federation):
    parents = build_world(app, 6)
    stats(federation, organisation="tampere")
    username, grant_id = parents[0]
    withdraw(app, username, grant_id)
    assert kept_changes(app)[grant_id] is None
    change = stats(federation, organisation="tampere").get_json()["change"]
    assert change["night_wakings"]["families_count"] == 5
    assert kept_changes(app)[grant_id] is None  # not worked out again without consent
    withdraw(app, username, grant_id, counted=True)
    change = stats(federation, organisation="tampere").get_json()["change"]
    assert change["night_wakings"]["families_count"] == 6
    assert kept_changes(app)[grant_id]["crying_minutes"] == [60.0, 30.0]


def test_the_parents_data_download_shows_what_is_kept(app, federation):
    parents = build_world(app, 6)
    stats(federation, organisation="tampere")
    api = parent_api(app, parents[0][0])
    body = api.get("/api/v1/export").get_json()
    text = str(body)
    assert "statistics_change_over_work" in text and "[60.0, 30.0]" in text


def test_another_process_uses_the_kept_report_without_working_it_out(app, federation, monkeypatch):
    build_world(app, 6)
    first = stats(federation, period="quarter").get_json()
    page = federation.get(f"/stats/?year={report_year()}")
    assert page.status_code == 200
    assert kept_report_years(app) == [report_year()]
    another_process(app)
    from companion.stats import figures

    monkeypatch.setattr(figures, "build_cube", lambda *_a: pytest.fail("the report was worked out again"))
    assert stats(federation, period="quarter").get_json() == first
    assert text_of(federation.get(f"/stats/?year={report_year()}")) == text_of(page)


def test_a_withdrawal_removes_the_kept_report_at_once_and_the_next_is_without_the_family(app, federation):
    parents = build_world(app, 6)
    assert stats(federation, organisation="tampere").get_json()["change"]["checkins"]["families_count"] == 6
    assert kept_report_years(app) == [report_year()]
    withdraw(app, *parents[0])
    assert kept_report_years(app) == []
    another_process(app)
    change = stats(federation, organisation="tampere").get_json()["change"]
    assert change["checkins"]["families_count"] == 5
    assert change["night_wakings"]["families_count"] == 5


def test_a_kept_report_of_other_months_or_organisations_is_not_used(app, federation):
    from companion.accounts.models import Organisation
    from companion.stats.models import StatsMonth, StatsReport

    build_world(app, 6)
    stats(federation, organisation="tampere")
    with app.app_context():
        # Months changed behind the report's back (another process worked them out).
        db.session.execute(StatsMonth.__table__.update().values(version=StatsMonth.version + 1))
        body = db.session.get(StatsReport, report_year()).body
        body["published"]["tampere"][str(report_year())]["new_grants_count"] = 999
        db.session.get(StatsReport, report_year()).body = dict(body)
        db.session.commit()
    another_process(app)
    assert (
        stats(federation, organisation="tampere", period="year").get_json()["rows"][0]["new_grants_count"]
        == 6
    )
    with app.app_context():
        db.session.scalar(select(Organisation).where(Organisation.slug == "tampere")).slug = "tre"
        db.session.commit()
    another_process(app)
    assert stats(federation, organisation="tre", period="year").get_json()["rows"][0]["new_grants_count"] == 6


def kept_report_key(app, year: int) -> str | None:
    from companion.stats.models import StatsReport

    with app.app_context():
        row = db.session.get(StatsReport, year)
        return row.key if row is not None else None


def test_the_prune_replaces_the_kept_report_of_the_years_it_keeps_figures_of(app, federation):
    from companion.accounts.privacy import prune

    build_world(app, 6)
    stats(federation, organisation="tampere")
    before = kept_report_key(app, report_year())
    assert before is not None
    with app.app_context():
        prune(utc.utcnow() + timedelta(days=200))
    assert kept_report_key(app, report_year()) != before
    yearly = stats(federation, organisation="tampere", period="year").get_json()
    assert yearly["rows"][0]["new_grants_count"] == 6
    assert yearly["change"]["night_wakings"]["families_count"] == 6


def test_the_daily_prune_makes_and_keeps_this_years_report(app):
    from companion.accounts.privacy import prune

    build_world(app, 5)
    with app.app_context():
        prune()
    assert kept_report_key(app, utc.utcnow().year) is not None
