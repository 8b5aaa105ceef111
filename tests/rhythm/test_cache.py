"""The rendered rhythm figures are kept per data version: a change shows at once."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup

from companion.rhythm.cache import RenderedCache
from tests.conftest import PASSWORD, Api, Family, post_form, text_of
from tests.rhythm.test_rhythm_page import figure


def year_path(family) -> str:
    today = date.today()
    first = today - timedelta(days=364)
    return f"/diary/{family.baby_id}/rhythm?from={first.isoformat()}&to={today.isoformat()}"


def put_sleep(family, start: datetime, minutes: int, entry_id: str | None = None, **extra):
    body = {
        "kind": "sleep",
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=minutes)).isoformat(),
    }
    response = family.api.put(family.entry_url(entry_id or str(uuid.uuid4())), {**body, **extra})
    assert response.status_code in (200, 201), response.get_json()
    return response


def version(app, family) -> int:
    from companion.diary.models import Baby
    from companion.extensions import db

    with app.app_context():
        return db.session.get(Baby, family.baby_id).data_version


def cache(app) -> RenderedCache:
    return app.extensions["companion.rendered"]


def test_the_data_version_moves_with_every_change_and_not_with_reading(app, family):
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
    before = version(app, family)
    entry = str(uuid.uuid4())
    put_sleep(family, start, 90, entry)
    created = version(app, family)
    assert created > before
    put_sleep(family, start, 120, entry)
    updated = version(app, family)
    assert updated > created
    family.api.get(f"/api/v1/babies/{family.baby_id}/entries")
    family.api.client.get(year_path(family))
    assert version(app, family) == updated
    assert family.api.delete(family.entry_url(entry)).status_code == 204
    assert version(app, family) > updated


def _midday(days_ago: int) -> datetime:
    """10:00 UTC (noon or 1 PM in Helsinki): a sleep of a few hours from then lies in one
    daytime, so its length shows whole whatever the time the test runs."""
    return datetime.combine(date.today() - timedelta(days=days_ago), time(10), tzinfo=UTC)


def test_a_repeat_visit_is_served_from_the_cache_until_the_diary_changes(app, family):
    start = _midday(2)
    put_sleep(family, start, 95)
    client = family.api.client
    first = client.get(year_path(family))
    assert first.status_code == 200
    hits = cache(app).hits
    again = client.get(year_path(family))
    assert cache(app).hits == hits + 1
    assert "1 hr 35 min" in first.get_data(as_text=True)
    assert again.get_data(as_text=True).count("1 hr 35 min") == first.get_data(as_text=True).count(
        "1 hr 35 min"
    )

    # A new sleep of an unusual length shows at once, in the chart and in the table.
    put_sleep(family, start - timedelta(days=1), 173)
    after = client.get(year_path(family)).get_data(as_text=True)
    assert "2 hr 53 min" in after
    assert cache(app).hits == hits + 1


def test_an_edit_and_a_deletion_show_at_once(app, family):
    start = _midday(4)
    entry = str(uuid.uuid4())
    put_sleep(family, start, 131, entry)
    client = family.api.client
    assert "2 hr 11 min" in client.get(year_path(family)).get_data(as_text=True)
    put_sleep(family, start, 137, entry)
    page = client.get(year_path(family)).get_data(as_text=True)
    assert "2 hr 17 min" in page and "2 hr 11 min" not in page
    family.api.delete(family.entry_url(entry))
    assert "2 hr 17 min" not in client.get(year_path(family)).get_data(as_text=True)


def test_the_other_parent_sees_the_first_parents_new_entry(app, family):
    invite = family.api.post("/api/v1/family/invites", {}).get_json()["code"]
    api = Api(app.test_client())
    api.post("/api/v1/signup", {"username": "partner-parent", "password": PASSWORD})
    assert api.post("/api/v1/family/join", {"code": invite}).status_code == 200
    partner = Family(api, "partner-parent", family.baby_id, [])
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=5)
    put_sleep(family, start, 61)
    assert "1 hr 1 min" in partner.api.client.get(year_path(partner)).get_data(as_text=True)
    put_sleep(family, start - timedelta(days=1), 247)
    assert "4 hr 7 min" in partner.api.client.get(year_path(partner)).get_data(as_text=True)


def test_languages_and_settings_are_kept_apart(app, family):
    put_sleep(family, datetime.now(UTC).replace(microsecond=0) - timedelta(days=2), 60)
    client = family.api.client
    english = text_of(client.get(year_path(family)))
    swedish = text_of(client.get(year_path(family), headers={"Accept-Language": "sv"}))
    assert "Daily totals" in english and "Daily totals" not in swedish
    finnish = text_of(client.get(year_path(family), headers={"Accept-Language": "fi"}))
    assert finnish != swedish

    html = client.get(year_path(family)).get_data(as_text=True)
    assert figure(html, "fig-rhythm")["layout"]["xaxis"]["ticktext"][:2] == ["12\u202fAM", "3\u202fAM"]
    response = post_form(
        client,
        "/diary/settings",
        {
            "timezone": "Europe/Helsinki",
            "chart_day_start": "18",
            "night_start": "19:00",
            "night_end": "07:00",
        },
    )
    assert response.status_code in (200, 302)
    shifted = figure(client.get(year_path(family)).get_data(as_text=True), "fig-rhythm")
    assert shifted["layout"]["xaxis"]["ticktext"][:2] == ["6\u202fPM", "9\u202fPM"]


def test_a_running_sleep_is_drawn_again_each_minute(app, family, monkeypatch):
    from companion import types

    now = datetime.now(UTC).replace(second=0, microsecond=0)
    start = now - timedelta(minutes=40)
    body = {"kind": "sleep", "start": start.isoformat(), "end": None}
    assert family.api.put(family.entry_url(str(uuid.uuid4())), body).status_code == 201
    client = family.api.client
    path = f"/diary/{family.baby_id}/rhythm"
    monkeypatch.setattr(types, "utcnow", lambda: now + timedelta(seconds=10))
    assert "40 min" in client.get(path).get_data(as_text=True)
    monkeypatch.setattr(types, "utcnow", lambda: now + timedelta(minutes=3, seconds=10))
    assert "43 min" in client.get(path).get_data(as_text=True)


def test_the_cache_keeps_the_newest_and_forgets_the_oldest():
    made = []

    def render(name, by_minute=False):
        def make():
            made.append(name)
            return Markup(name), by_minute

        return make

    kept = RenderedCache(2)
    assert kept.get_or_render("a", 1, render("a")) == "a"
    assert kept.get_or_render("a", 2, render("a")) == "a"
    kept.get_or_render("b", 2, render("b"))
    kept.get_or_render("c", 2, render("c"))  # "a" was used least recently: it goes
    kept.get_or_render("a", 2, render("a"))
    assert made == ["a", "b", "c", "a"]

    kept.get_or_render("run", 5, render("run", by_minute=True))
    kept.get_or_render("run", 5, render("run", by_minute=True))
    kept.get_or_render("run", 6, render("run", by_minute=True))
    assert made[-2:] == ["run", "run"]

    off = RenderedCache(0)
    off.get_or_render("x", 1, render("x"))
    off.get_or_render("x", 1, render("x"))
    assert made[-2:] == ["x", "x"]


def test_a_plan_compared_with_today_is_worked_out_again_as_the_evening_passes(app, family, monkeypatch):
    from companion import types

    plan = {"wake": "07:00", "naps": [["12:00", "13:30"]], "bedtime": "19:30"}
    assert family.api.put(f"/api/v1/babies/{family.baby_id}/plan", plan).status_code in (200, 201)
    # Midday in the family's zone: two minutes later is still the same day, whenever the test runs.
    helsinki = ZoneInfo("Europe/Helsinki")
    now = datetime.combine(datetime.now(helsinki).date(), time(12), helsinki).astimezone(UTC)
    client = family.api.client
    path = f"/diary/{family.baby_id}/rhythm"
    monkeypatch.setattr(types, "utcnow", lambda: now)
    client.get(path)
    misses = cache(app).misses
    client.get(path)
    assert cache(app).misses == misses  # the same minute: kept
    monkeypatch.setattr(types, "utcnow", lambda: now + timedelta(minutes=1))
    client.get(path)
    assert cache(app).misses == misses + 1

    # A period that ended before yesterday does not wait for any evening.
    first, last = date.today() - timedelta(days=30), date.today() - timedelta(days=20)
    old = f"{path}?from={first.isoformat()}&to={last.isoformat()}"
    client.get(old)
    misses = cache(app).misses
    monkeypatch.setattr(types, "utcnow", lambda: now + timedelta(minutes=2))
    client.get(old)
    assert cache(app).misses == misses


def test_the_kept_part_holds_nothing_of_the_session(app, family):
    """Both parents (and workers) are served the same kept HTML: no token, no name in it."""
    put_sleep(family, datetime.now(UTC).replace(microsecond=0) - timedelta(days=1), 45)
    family.api.client.get(year_path(family))
    kept = list(cache(app)._items.values())
    assert kept
    token = family.api.client.get("/api/v1/me").get_json()["csrf_token"]
    for html, _minute in kept:
        assert "csrf" not in html and token not in html
        assert family.username not in html


def api_sleep_minutes(family, day: date) -> tuple[int | None, int | None]:
    """The rhythm API's sleep of a date over the year: its calendar day's and its family's day's."""
    today = date.today()
    year = f"from={(today - timedelta(days=364)).isoformat()}&to={today.isoformat()}"
    path = f"/api/v1/babies/{family.baby_id}/rhythm?{year}"
    body = family.api.get(path).get_json()
    calendar = next(d for d in body["days"] if d["date"] == day.isoformat())
    by_family = next(d for d in body["family_day"]["days"] if d["date"] == day.isoformat())
    return calendar["day_sleep_minutes"], by_family["day_sleep_minutes"]


def test_the_apis_kept_days_follow_every_change_at_once(app, family):
    """The API writes each week's days once and keeps them with the week: an edit and a
    deletion show in the next answer, and a week not touched answers as before."""
    helsinki = ZoneInfo("Europe/Helsinki")
    day = date.today() - timedelta(days=9)
    noon = datetime.combine(day, time(12), tzinfo=helsinki)
    entry = str(uuid.uuid4())
    put_sleep(family, noon, 41, entry)
    put_sleep(family, noon - timedelta(days=21), 77)
    assert api_sleep_minutes(family, day) == (41, 41)
    assert api_sleep_minutes(family, day - timedelta(days=21)) == (77, 77)
    put_sleep(family, noon, 58, entry)
    assert api_sleep_minutes(family, day) == (58, 58)
    assert family.api.delete(family.entry_url(entry)).status_code == 204
    # Nothing logged that day any more: the family's day says so (null), never a made-up 0.
    assert api_sleep_minutes(family, day) == (0, None)
    assert api_sleep_minutes(family, day - timedelta(days=21)) == (77, 77)
