"""Warming a new worker process before its first request (gunicorn.conf.py's
`post_worker_init` calls `warm_up`).

A worker builds the app after the fork, and without this its first requests pay for
everything done once per process: templates compiled, translations and Babel's locale
data loaded, SQLAlchemy's mappers configured and statements compiled, the database
connection opened, and the first run of each code path. Here the today page and a
year's rhythm page are rendered once per language, by their own views, for a made-up
parent, family and baby that exist only in this process: they are put into the session
as if loaded (ids below zero, which the database never gives out), so every query runs
for real on the real database and finds nothing, and nothing is ever written. The
rhythm analysis and chart code then runs once on a made-up week of diary.

Anything going wrong here is logged and the worker starts anyway: warming only saves time.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from typing import TypeVar
from zoneinfo import ZoneInfo

from flask import Flask, g
from sqlalchemy import inspect, text
from sqlalchemy.orm import configure_mappers, make_transient_to_detached

from companion.accounts.models import User
from companion.diary.demo import generate
from companion.diary.models import Baby, Family
from companion.extensions import db
from companion.rhythm import analysis, charts
from companion.rhythm.services import rhythm_settings

log = logging.getLogger("companion.warm")

#: The made-up parent's, family's and baby's id: never one the database gives out.
MADE_UP_ID = -1

Row = TypeVar("Row")


def warm_up(app: Flask) -> float:
    """Warm this process's app; returns how long it took, in ms."""
    started = time.perf_counter()
    try:
        with app.app_context():
            configure_mappers()
            db.session.execute(text("SELECT 1"))  # the pool's first connection, kept open
            db.session.rollback()
            for name in app.jinja_env.list_templates(filter_func=lambda name: name.endswith(".html")):
                app.jinja_env.get_template(name)
            _analysis(app)
        for lang in app.config["LANGUAGES"]:
            _pages(app, lang)
    except Exception:  # noqa: BLE001  (a cold worker still works)
        log.warning("warming the worker failed; it starts cold", exc_info=True)
    return (time.perf_counter() - started) * 1000


def _as_loaded(model: type[Row], **values: object) -> Row:
    """A row of ``model`` as if loaded from the database: ``values``, and every other
    column null, so that reading any of them needs no query."""
    columns = dict.fromkeys((attr.key for attr in inspect(model).column_attrs), None)
    row = model(**{**columns, **values})
    make_transient_to_detached(row)
    return row


def _made_up(app: Flask) -> User:
    """A parent with a family and a baby born 100 days ago, as if loaded from the database:
    reading them needs no query, and being unchanged they are never flushed."""
    zone = app.config["COMPANION_DEFAULT_TIMEZONE"]
    now = datetime.now(UTC)
    born = now.astimezone(ZoneInfo(zone)).date() - timedelta(days=100)
    baby = _as_loaded(
        Baby, id=MADE_UP_ID, family_id=MADE_UP_ID, name="-", birth_date=born, created_at=now, data_version=0
    )
    family = _as_loaded(
        Family,
        id=MADE_UP_ID,
        timezone=zone,
        chart_day_start=0,
        night_start=clock_time(19),
        night_end=clock_time(7),
        created_at=now,
        babies=[baby],
    )
    user = _as_loaded(
        User,
        id=MADE_UP_ID,
        username="-",
        username_key="-",
        password_hash="-",
        role="parent",
        organisation=None,
        family_id=MADE_UP_ID,
        active=True,
        created_at=now,
    )
    db.session.add_all((family, baby, user))
    return user


def _pages(app: Flask, lang: str) -> None:
    """The today page and a year's rhythm page, rendered by their views in ``lang``."""
    today = datetime.now(UTC).date()
    year = {"from": (today - timedelta(days=364)).isoformat(), "to": today.isoformat()}
    for endpoint, args in (("diary.today", {}), ("rhythm.index", year)):
        # A request context of its own (and so an app context, a `g` and a database
        # session of its own), as a real request has.
        with app.test_request_context(
            f"/diary/{MADE_UP_ID}/", query_string=args, headers={"Accept-Language": lang}
        ):
            g._login_user = _made_up(app)
            try:
                app.view_functions[endpoint](baby_id=MADE_UP_ID)
            finally:
                db.session.expunge_all()
                db.session.rollback()


def _analysis(app: Flask) -> None:
    """The rhythm analysis and the chart's spans once on a made-up week of diary."""
    zone = ZoneInfo(app.config["COMPANION_DEFAULT_TIMEZONE"])
    now = datetime.now(UTC)
    last = now.astimezone(zone).date() - timedelta(days=1)
    first = last - timedelta(days=6)
    family = Family(
        timezone=str(zone), chart_day_start=0, night_start=clock_time(19), night_end=clock_time(7)
    )
    spans = [
        analysis.Span(item.kind, int(item.start.timestamp() // 60), int(item.end.timestamp() // 60))
        for item in generate(first, 7, zone, skip_every=0)
        if item.end is not None and item.kind != "note"
    ]
    settings = rhythm_settings(family)
    days = analysis.analyse(spans, first, last, settings, now)
    analysis.summarise(days)
    analysis.crying_by_hour(spans, first, last, settings, now)
    charts.rhythm_spans(spans, first, last, zone, now, 0)
