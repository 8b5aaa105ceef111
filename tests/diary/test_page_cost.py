"""What a page reads does not grow with the diary: the today page and the 14-day rhythm
page run the same statements, and the database does about the same work, for a diary of
a few days and for one of a year (a parent who has kept the diary for a year must not
wait longer for the page opened at every feed)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import event, text

from companion.extensions import db

LONG = 365


def add_history(app, family, days: int) -> None:
    """``days`` of made-up diary (four sleeps, a few cryings, seven feeds a day) ending two
    days ago, written straight into the database as an old diary would be."""
    from companion.accounts.services import find_user
    from companion.diary import services
    from companion.diary.demo import generate
    from companion.rhythm.clock import local_date
    from companion.types import utcnow

    with app.app_context():
        user = find_user(family.username)
        baby = services.get_baby(user, family.baby_id)
        tz = services.family_zone(baby.family)
        now = utcnow()
        first = local_date(now, tz) - timedelta(days=days + 2)
        rows = services.made_up_rows(generate(first, days, tz, skip_every=0), baby.id, user.id, now)
        db.session.add_all(rows)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # As autovacuum would soon after: the planner's figures of the filled table.
            db.session.execute(text("ANALYZE entries"))
            db.session.commit()


def today_of(family) -> None:
    """Today as a parent logs it: a sleep that ended an hour ago, a feed, a crying running."""
    from tests.conftest import post_form

    client = family.api.client
    for action in ("sleep-start", "sleep-end", "feeding-left", "crying-start"):
        done = post_form(client, f"/diary/{family.baby_id}/log", {"action": action})
        assert done.status_code == 302, action


def _rows_of(plan: dict) -> int:
    """Rows a PostgreSQL plan node and the nodes under it produced or filtered away."""
    loops = plan.get("Actual Loops", 1)
    rows = (plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)) * loops
    return rows + sum(_rows_of(child) for child in plan.get("Plans", []))


def cost_of(app, client, path: str) -> tuple[list[str], int]:
    """The statements a view of ``path`` runs (after one view to warm up) and the work the
    database does for them: SQLite's virtual machine steps, or the rows PostgreSQL's
    plans touch (each statement explained with ANALYZE afterwards)."""
    assert client.get(path).status_code == 200
    with app.app_context():
        engine = db.engine
    statements: list[tuple[str, object]] = []
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))
        if engine.dialect.name == "sqlite":
            conn.connection.driver_connection.set_progress_handler(tick, 10)

    event.listen(engine, "before_cursor_execute", before)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", before)
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                conn.connection.driver_connection.set_progress_handler(None, 10)
    work = steps[0]
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            for statement, parameters in statements:
                if statement.lstrip().upper().startswith("SELECT"):
                    found = conn.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
                    plan = found.scalar()
                    plan = json.loads(plan) if isinstance(plan, str) else plan
                    work += _rows_of(plan[0]["Plan"])
            conn.rollback()
    return [" ".join(statement.split()) for statement, _ in statements], work


@pytest.mark.parametrize("page", ["/diary/{baby}/", "/diary/{baby}/rhythm", "/api/v1/babies/{baby}/rhythm"])
def test_a_year_of_diary_costs_a_page_what_a_few_days_cost(app, make_family, page):
    short, long = make_family("short-diary"), make_family("long-diary")
    add_history(app, short, 3)
    add_history(app, long, LONG)
    for family in (short, long):
        today_of(family)
    short_statements, short_work = cost_of(app, short.api.client, page.format(baby=short.baby_id))
    long_statements, long_work = cost_of(app, long.api.client, page.format(baby=long.baby_id))
    assert long_statements == short_statements
    # A deeper index costs a step or two per lookup; reading the history would cost
    # thousands (the latest sleep's end once read every sleep the baby ever had).
    assert long_work <= short_work * 1.2 + 20, (short_work, long_work)
