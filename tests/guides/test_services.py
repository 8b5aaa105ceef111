"""Suggestions for a real baby: age from the baby's dates, crying from entries made through the API."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from companion.diary.models import Baby
from companion.extensions import db
from companion.guides.reading import suggestions_for_baby

HEL = ZoneInfo("Europe/Helsinki")


def log_crying(family, day, minutes: int, at: time = time(12, 0)) -> None:
    start = datetime.combine(day, at, HEL)
    body = {
        "kind": "crying",
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=minutes)).isoformat(),
    }
    response = family.api.put(family.entry_url(str(uuid.uuid4())), body)
    assert response.status_code == 201, response.get_json()


def suggestions(app, family, lang: str = "en"):
    today = datetime.now(HEL).date()
    with app.test_request_context("/", headers={"Accept-Language": lang}):
        baby = db.session.get(Baby, family.baby_id)
        return suggestions_for_baby(baby, today)


@pytest.fixture
def today():
    return datetime.now(HEL).date()


def test_long_crying_on_three_days_and_a_young_baby(app, make_family, today):
    family = make_family("crying", birth_date=(today - timedelta(days=40)).isoformat())
    for back in (1, 2, 4):
        log_crying(family, today - timedelta(days=back), 200)
    got = suggestions(app, family)
    assert [(s.article_id, s.reason_key) for s in got] == [
        ("crying-baby", "long_crying"),
        ("colic", "long_crying"),
        ("safe-sleep", "young_baby"),
    ]
    first = got[0]
    assert first.title == "Itkuinen vauva" and first.lang == "fi"  # English readers: Finnish articles
    assert first.url == "/guides/crying-baby" and first.summary
    assert "neuvola" in first.reason and "Baby blues worker" in first.reason


def test_exactly_three_hours_of_crying_is_not_long(app, make_family, today):
    family = make_family("three-hours", birth_date=(today - timedelta(days=200)).isoformat())
    for back in (1, 2, 3):
        log_crying(family, today - timedelta(days=back), 180)
    assert suggestions(app, family) == []
    log_crying(family, today - timedelta(days=5), 181)
    assert suggestions(app, family) == []  # one long day is not several
    for back in (1, 2):  # five more minutes makes these two days long too
        log_crying(family, today - timedelta(days=back), 5, at=time(16, 0))
    assert [s.article_id for s in suggestions(app, family)] == ["crying-baby", "colic"]


def test_crying_older_than_a_week_does_not_count(app, make_family, today):
    family = make_family("old-crying", birth_date=(today - timedelta(days=300)).isoformat())
    for back in (8, 9, 10):
        log_crying(family, today - timedelta(days=back), 300)
    assert suggestions(app, family) == []


def test_a_baby_born_early_is_young_by_corrected_age(app, make_family, today):
    family = make_family(
        "early",
        birth_date=(today - timedelta(days=150)).isoformat(),
        due_date=(today - timedelta(days=90)).isoformat(),
    )
    got = suggestions(app, family, "sv")
    assert [s.article_id for s in got] == ["safe-sleep", "newborn-sleep"]
    assert got[0].lang == "sv" and got[0].title == "Tryggt sovande för babyn"


def test_an_expecting_family_gets_pregnancy_reading(app, make_family, today):
    family = make_family("waiting", due_date=(today + timedelta(days=70)).isoformat())
    got = suggestions(app, family, "fi")
    assert [s.article_id for s in got] == ["pregnancy-feelings", "preparing-for-baby"]
    assert all(s.reason for s in got)


def test_a_baby_without_dates_or_diary_gets_nothing(app, family):
    assert suggestions(app, family) == []
