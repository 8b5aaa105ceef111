"""Statistics from grants, diaries and feedback: the consent rule, who sees what, the API's
shape, the page, the downloads and the command line."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion import types as utc
from companion.extensions import db
from tests.conftest import PASSWORD, Api, settings_for_tests, text_of
from tests.share.conftest import add_staff, sign_in


def parent_api(app, username: str) -> Api:
    """A parent signed in through the API (parents have no second factor)."""
    api = Api(app.test_client())
    assert api.post("/api/v1/login", {"username": username, "password": PASSWORD}).status_code == 200
    return api


GRANT_AGO = 80  # days: the grants' weeks 5-8 are over


def grant_start(now: datetime) -> datetime:
    """When the made-up grants begin: GRANT_AGO days ago, or earlier in that year when
    their 62 days would run into the next one (early in a year), so that everything the
    report counts of them falls in one year."""
    start = now - timedelta(days=GRANT_AGO)
    if (start + timedelta(days=62)).year != start.year:
        start = start.replace(month=10, day=1)
    return start


def entries_for(baby_id: int, user_id: int, first_day, days: int, tz):
    """A simple diary: three night wakings and an hour of crying a day in the first week,
    one waking and half an hour later on."""
    from companion.diary.models import Entry

    rows = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        early = offset < 7
        nights = (
            [(19, 0, 22, 0), (22, 30, 1, 0), (1, 30, 4, 0), (4, 30, 6, 30)]
            if early
            else [
                (19, 0, 1, 0),
                (1, 30, 6, 30),
            ]
        )
        for h1, m1, h2, m2 in nights:
            start = datetime.combine(day, time(h1, m1), tzinfo=tz)
            end_day = day if (h2, m2) > (h1, m1) else day + timedelta(days=1)
            end = datetime.combine(end_day, time(h2, m2), tzinfo=tz)
            rows.append(("sleep", start, end))
        cry = datetime.combine(day, time(17, 0), tzinfo=tz)
        rows.append(("crying", cry, cry + timedelta(minutes=60 if early else 30)))
    now = utc.utcnow()
    return [
        Entry(
            id=str(uuid.uuid4()),
            baby_id=baby_id,
            kind=kind,
            start=start.astimezone(UTC),
            end=end.astimezone(UTC),
            details={},
            version=1,
            created_by_id=user_id,
            updated_by_id=user_id,
            created_at=now,
            updated_at=now,
        )
        for kind, start, end in rows
    ]


def build_world(app, families: int, *, consent: bool = True, org: str = "tampere", prefix: str = "p"):
    """`families` parents who shared a diary and their wellbeing with a worker of `org`
    GRANT_AGO days ago, kept the diary, checked in, and ended the sharing after 60 days."""
    from companion.accounts import services as accounts
    from companion.diary import services as diary
    from companion.share import services as share
    from companion.wellbeing.models import CheckIn

    worker_name = f"worker-{org}"
    with app.app_context():
        if accounts.find_user(worker_name) is None:
            add_staff(app, worker_name, "worker", "Worker", org)
        worker = accounts.find_user(worker_name)
        now = utc.utcnow()
        parents = []
        for number in range(families):
            user, _codes = accounts.sign_up(f"{prefix}{org}{number}", PASSWORD)
            tz = diary.family_zone(diary.family_of(user))
            start = grant_start(now)
            baby = diary.create_baby(user, "Baby", birth_date=(start - timedelta(days=40 + number)).date())
            _row, code = share.create_share_code(
                user, baby.id, scope="diary+wellbeing", statistics=consent, grant_days=120, now=start
            )
            grant = share.redeem_code(worker, code, now=start + timedelta(minutes=5))
            first_day = grant.created_at.astimezone(tz).date()
            db.session.add_all(entries_for(baby.id, user.id, first_day, 62, tz))
            for offset in range(61):
                coping = 2 if offset < 14 else 4
                db.session.add(
                    CheckIn(user_id=user.id, day=first_day + timedelta(days=offset), coping=coping)
                )
            db.session.commit()
            share.revoke_grant(user, grant.id, now=start + timedelta(days=60, hours=1))
            parents.append((user.username, grant.id))
        return parents


def report_year() -> int:
    return grant_start(utc.utcnow()).year


def stats(api, **args):
    query = "&".join(f"{k}={v}" for k, v in {"year": report_year(), **args}.items())
    return api.get(f"/api/v1/stats?{query}")


@pytest.fixture
def app_factory(tmp_path_factory):
    """Fresh apps inside one test (hypothesis runs the test body many times)."""
    from companion import create_app
    from tests.conftest import EnglishClient

    made = []

    def make():
        app = create_app(settings_for_tests(tmp_path_factory.mktemp("world")))
        app.test_client_class = EnglishClient
        with app.app_context():
            db.drop_all()
            db.create_all()
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def test_counts_are_under_count_keys_and_small_ones_are_strings(app, federation):
    build_world(app, 6)
    response = stats(federation, organisation="tampere", period="quarter")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["organisation"] == "tampere" and body["period"] == "quarter"

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, k)
        elif isinstance(value, list):
            for v in value:
                yield from walk(v, key)
        else:
            yield key, value

    for key, value in walk(body):
        if key.endswith("_count"):
            assert value in (None, "<5") or (isinstance(value, int) and (value == 0 or value >= 5)), (
                key,
                value,
            )
    total = sum(row["new_grants_count"] for row in body["rows"] if isinstance(row["new_grants_count"], int))
    assert total in (0, 6) or any(row["new_grants_count"] in ("<5", None) for row in body["rows"])
    yearly = stats(federation, organisation="tampere", period="year").get_json()["rows"][0]
    assert yearly["new_grants_count"] == 6
    assert yearly["first_share_age"]["months_0_3_count"] == 6


def test_change_over_the_work_counts_consented_diaries_only_and_follows_withdrawal(
    app, federation, make_family
):
    parents = build_world(app, 6)
    change = stats(federation, organisation="tampere").get_json()["change"]
    assert change["night_wakings"]["families_count"] == 6
    # Three wakings a night at first (the grant starts in the middle of a day), one later.
    assert 2.5 <= change["night_wakings"]["median_first_week"] <= 3.0
    assert change["night_wakings"]["median_weeks_5_8"] == 1.0
    assert -2.0 <= change["night_wakings"]["median_change"] <= -1.5
    assert change["crying_minutes"]["median_change"] == -30.0
    assert change["checkins"]["families_count"] == 6
    assert change["checkins"]["first"]["hard_count"] == 6
    assert change["checkins"]["last"]["quite_well_count"] == 6

    # One parent changes their mind: the diary is left out of every later report.
    username, grant_id = parents[0]
    api = parent_api(app, username)
    response = api._send("PATCH", f"/api/v1/grants/{grant_id}", {"statistics": False})
    assert response.status_code == 200 and response.get_json()["grant"]["statistics"] is False
    change = stats(federation, organisation="tampere").get_json()["change"]
    assert change["night_wakings"]["families_count"] == 5
    assert change["checkins"]["families_count"] == 5
    # A second one: fewer than 5 families, so no median and no change is shown.
    username, grant_id = parents[1]
    api = parent_api(app, username)
    assert api._send("PATCH", f"/api/v1/grants/{grant_id}", {"statistics": False}).status_code == 200
    change = stats(federation, organisation="tampere").get_json()["change"]
    assert change["night_wakings"]["families_count"] == "<5"
    assert change["night_wakings"]["median_change"] is None
    assert change["checkins"]["first"]["hard_count"] == "<5"
    # The grant counts themselves are the association's own records: still 6.
    yearly = stats(federation, organisation="tampere", period="year").get_json()["rows"][0]
    assert yearly["new_grants_count"] == 6


def test_without_consent_nothing_from_the_diary_is_counted(app, federation):
    build_world(app, 6, consent=False)
    change = stats(federation, organisation="tampere").get_json()["change"]
    assert change["night_wakings"]["families_count"] == 0
    assert change["checkins"]["families_count"] == 0


def test_the_share_code_asks_for_consent_and_defaults_to_no(app, family):
    from companion.share.models import Grant, ShareCode

    body = {"label": "Us"}
    assert family.api.post(f"/api/v1/babies/{family.baby_id}/share-codes", body).status_code == 201
    bad = family.api.post(f"/api/v1/babies/{family.baby_id}/share-codes", {"statistics": "yes"})
    assert bad.status_code == 422 and "statistics" in bad.get_json()["error"]["fields"]
    with app.app_context():
        assert [code.statistics for code in db.session.query(ShareCode)] == [False]
        assert db.session.query(Grant).count() == 0
    page = family.api.client.get("/share/").get_data(as_text=True)
    radios = re.findall(r'<input[^>]*name="baby\d+-statistics"[^>]*>', page)
    assert len(radios) == 2 and not any("checked" in radio for radio in radios)
    assert "never shown for fewer than 5 families" in text_of(family.api.client.get("/share/")).lower() or (
        "No figure is ever shown for fewer than 5 families" in page
    )


def test_who_sees_the_statistics(app, federation, family, make_worker):
    build_world(app, 5)
    assert stats(family.api).status_code == 403
    worker = make_worker(org="tampere")
    assert stats(worker.api).status_code == 403
    assert stats(federation, organisation="nowhere").status_code == 404
    assert stats(federation).get_json()["organisation"] is None  # the whole country
    assert stats(federation, year="1999").status_code == 422
    assert stats(federation, period="week").status_code == 422
    assert family.api.client.get("/stats/").status_code == 403
    assert federation.client.get("/stats/?year=1999").status_code == 422


def test_the_page_draws_each_chart_with_a_table_and_the_pinned_bundle(app, federation):
    build_world(app, 6)
    page = federation.client.get(f"/stats/?organisation=tampere&year={report_year()}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "vendor/plotly-basic.min.js" in html and "cdn" not in html.lower()
    figures = re.findall(r'data-figure="(fig-[a-z]+)"', html)
    assert {"fig-shared", "fig-age", "fig-length", "fig-change", "fig-checkins"} <= set(figures)
    for name in figures:
        assert f'<script type="application/json" id="{name}">' in html
    # Every chart has its table; one with nothing to draw (no opens, contact requests or
    # feedback in this world) says so instead of drawing empty axes.
    sections = html.count('class="chart-block stats-chart"')
    assert sections >= 10 and html.count("<table") == sections
    assert html.count("Nothing to draw:") == sections - len(figures) > 0
    # Beside the change over the work and the check-ins, what the figures cannot show.
    assert text_of(page).lower().count("no comparison group") == 2
    assert text_of(page).count("cannot show what caused a change") == 2


def test_downloads_as_csv_and_a_self_contained_html_file(app, federation):
    build_world(app, 6)
    year = report_year()
    response = federation.client.get(f"/stats/report.csv?organisation=tampere&year={year}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert any(row and row[0] == "Families who shared a diary" for row in rows)
    cells = [cell for row in rows for cell in row[1:]]
    assert not any(cell in {"1", "2", "3", "4"} for cell in cells)
    response = federation.client.get(f"/stats/report.html?organisation=tampere&year={year}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "attachment" in response.headers["Content-Disposition"]
    # Everything inline: the pinned bundle in a script element, nothing fetched.
    assert re.search(r"<script[^>]+src=", html) is None
    assert re.search(r"<link[^>]+href=", html) is None
    assert "Plotly.newPlot" in html and len(html) > 1_000_000
    assert html.count('class="plotly-graph-div"') == 5  # the others have nothing to draw
    finnish = federation.client.get(
        f"/stats/report.html?organisation=tampere&year={year}", headers={"Accept-Language": "fi"}
    ).get_data(as_text=True)
    assert re.search(r"Luvut laskettu \d{1,2}\.\d{1,2}\.\d{4} \d{1,2}\.\d\d\.", finnish)  # never ISO
    assert re.search(r"[1-4]\. nelj\. \d{4}", finnish) and not re.search(r"Q[1-4] \d{4}", finnish)  # quarters
    assert html.count("Nothing to draw:") == html.count("<table") - 5


def test_the_command_line_writes_the_same_report(app, tmp_path):
    build_world(app, 6)
    runner = app.test_cli_runner()
    year = report_year()
    result = runner.invoke(
        args=["stats", "--organisation", "tampere", "--year", str(year), "--format", "csv", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "Families who shared a diary" in result.output
    target = tmp_path / "report.html"
    result = runner.invoke(
        args=[
            "stats",
            "--organisation",
            "tampere",
            "--year",
            str(year),
            "--format",
            "html",
            "--output",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Plotly.newPlot" in target.read_text()
    result = runner.invoke(args=["stats", "--organisation", "nowhere", "--year", str(year)])
    assert result.exit_code != 0 and "nowhere" in result.output


def test_the_daily_prune_works_out_this_years_months(app):
    build_world(app, 5)
    with app.app_context():
        from companion.accounts.privacy import prune
        from companion.stats.models import StatsMonth

        prune()
        rows = db.session.query(StatsMonth).filter(StatsMonth.stale.is_(False)).all()
        assert rows and all(row.computed_at is not None for row in rows)


def test_kept_figures_outlive_the_grants_behind_them(app, federation):
    build_world(app, 6)
    before = stats(federation, organisation="tampere", period="year").get_json()
    with app.app_context():
        from companion.accounts.privacy import prune
        from companion.share.models import Grant

        counts = prune(utc.utcnow() + timedelta(days=200))
        assert counts["grants"] == 6
        assert db.session.query(Grant).count() == 0
    after = stats(federation, organisation="tampere", period="year").get_json()
    assert after["rows"] == before["rows"]
    assert after["change"] == before["change"]


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    sizes=st.lists(st.integers(0, 7), min_size=2, max_size=3),
    consents=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_no_coordinator_ever_sees_another_organisations_figures(app_factory, sizes, consents):
    """Small worlds of organisations with a few families each, who said yes or no to
    statistics: every coordinator gets their own organisation's figures and nothing of
    the others, whatever they ask for, and nothing from a diary without a yes."""
    app = app_factory()
    slugs = [f"org{n}" for n in range(len(sizes))]
    for slug, size, consent in zip(slugs, sizes, consents, strict=False):
        add_staff(app, f"coordinator-{slug}", "coordinator", "Coordinator", slug)
        build_world(app, size, consent=consent, org=slug, prefix=f"x{slug}")
    add_staff(app, "federation", "admin", "Federation", None)
    federation = sign_in(app, "federation")
    for slug in slugs:
        api = sign_in(app, f"coordinator-{slug}")
        own = stats(api, period="year")
        assert own.status_code == 200
        assert own.get_json()["organisation"] == slug
        assert own.get_json() == stats(federation, organisation=slug, period="year").get_json()
        for other in slugs:
            if other != slug:
                assert stats(api, organisation=other).status_code == 404
                assert api.client.get(f"/stats/?organisation={other}").status_code == 404
                assert api.client.get(f"/stats/report.csv?organisation={other}").status_code == 404
        assert stats(api, organisation="").get_json()["organisation"] == slug  # never the country
        change = own.get_json()["change"]
        size, consent = sizes[slugs.index(slug)], consents[slugs.index(slug)]
        counted = size if consent else 0
        shown = counted if counted == 0 or counted >= 5 else "<5"
        for measure in ("night_wakings", "longest_sleep_minutes", "crying_minutes"):
            assert change[measure]["families_count"] in (shown, None)  # None: hidden for another
            assert (change[measure]["median_change"] is not None) == (counted >= 5)
        assert change["checkins"]["families_count"] in (shown, None)
        page = api.client.get("/stats/").get_data(as_text=True)
        assert all(f'value="{other}"' not in page for other in slugs if other != slug)


def test_the_associations_own_work_is_counted_whatever_the_consent(app, federation):
    """Grants made and their length, the workers' opens and the contact requests are the
    association's own records: counted with or without the parents' yes."""
    from companion.accounts.models import Organisation
    from companion.directory.models import ContactRequest
    from companion.share.models import AuditEvent, Grant

    parents = build_world(app, 6, consent=False)
    with app.app_context():
        org = db.session.query(Organisation).filter_by(slug="tampere").one()
        for _username, grant_id in parents:
            grant = db.session.get(Grant, grant_id)
            for day in (1, 2):
                db.session.add(
                    AuditEvent(
                        kind="grant_viewed",
                        grant_id=grant.id,
                        baby_id=grant.baby_id,
                        created_at=grant.created_at + timedelta(days=day),
                    )
                )
            received = grant.created_at + timedelta(days=3)
            db.session.add(
                ContactRequest(
                    organisation_id=org.id,
                    topics=["sleep"],
                    language="fi",
                    contact_by="phone",
                    status="contacted",
                    received_at=received,
                    closed_at=received + timedelta(hours=20),
                )
            )
        db.session.commit()
    yearly = stats(federation, organisation="tampere", period="year").get_json()["rows"][0]
    assert yearly["new_grants_count"] == 6
    assert 60 <= yearly["grant_days_median"] <= 60.1  # each lasted 60 days and an hour
    assert yearly["opens_count"] == 12
    assert yearly["contact_requests_count"] == 6
    assert yearly["contact_close_hours_median"] == 20
    # Nothing from the diaries without the parents' yes.
    assert stats(federation, organisation="tampere").get_json()["change"]["checkins"]["families_count"] == 0


def add_feedback(app, texts: list[str], org: str = "tampere", month=None) -> None:
    from companion.accounts.models import Organisation
    from companion.stats import services
    from companion.stats.models import Feedback

    with app.app_context():
        found = db.session.query(Organisation).filter_by(slug=org).one()
        month = month or utc.utcnow().date().replace(day=1)
        for text in texts:
            db.session.add(
                Feedback(
                    organisation_id=found.id,
                    month=month,
                    helped=4,
                    what_helped=["sleep"],
                    recommend="yes",
                    text=text,
                )
            )
        services.mark_stale(found.id, month, month)  # as a parent's answer does
        db.session.commit()


def test_free_texts_come_a_quarter_at_a_time_five_or_more_in_a_random_order(app, federation):
    from companion.stats import services

    add_staff(app, "coordinator-tampere", "coordinator", "Coordinator", "tampere")
    coordinator = sign_in(app, "coordinator-tampere")
    year = utc.utcnow().year
    add_feedback(app, [f"Four of them, number {n}." for n in range(4)])
    for api in (coordinator, federation):
        body = api.get(f"/api/v1/stats?year={year}").get_json()
        assert body["feedback"]["texts"] == []
        page = text_of(api.client.get(f"/stats/?year={year}"))
        assert "Four of them" not in page
    for download in ("csv", "html"):
        data = coordinator.client.get(f"/stats/report.{download}?year={year}").get_data(as_text=True)
        assert "Four of them" not in data

    add_feedback(app, ["The fifth one."])
    body = coordinator.get(f"/api/v1/stats?year={year}").get_json()
    (batch,) = body["feedback"]["texts"]
    assert batch["quarter"].startswith(str(year)) and sorted(batch["texts"]) == sorted(
        [*(f"Four of them, number {n}." for n in range(4)), "The fifth one."]
    )
    page = text_of(coordinator.client.get(f"/stats/?year={year}"))
    assert "The fifth one." in page
    assert f"Q{(utc.utcnow().month - 1) // 3 + 1} {year}" in page  # the quarter, named for people
    assert "The fifth one." in coordinator.client.get(f"/stats/report.html?year={year}").get_data(
        as_text=True
    )
    with app.app_context():
        from companion.accounts.models import Organisation

        org_id = db.session.query(Organisation).one().id
        orders = {tuple(services.free_texts(org_id, year, f"report {n}")[0][1]) for n in range(12)}
    assert len(orders) > 1  # shuffled, not in the order they came
