"""Phone clocks drift: a replayed tap carries the phone's "now", and the server moves the tap
times by the measured skew when it is more than a minute (the entry PUT's client_now)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from companion.diary.models import Entry
from companion.extensions import db

NOW = datetime(2026, 1, 31, 2, 0, 0, tzinfo=UTC)  # the server's clock in these tests


@pytest.fixture
def server_now(monkeypatch):
    """A fixed server clock, so the measured skew is exact."""
    monkeypatch.setattr("companion.diary.services.utcnow", lambda: NOW)
    return NOW


def z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def put(family, entry_id: str, body: dict, **kw):
    return family.api.put(family.entry_url(entry_id), body, **kw)


def stored(app, entry_id: str) -> Entry:
    with app.app_context():
        entry = db.session.get(Entry, entry_id)
        db.session.expunge(entry)
        return entry


def test_fast_phone_tap_is_not_refused_and_lands_at_the_right_time(app, family, server_now):
    phone_now = server_now + timedelta(minutes=10)  # the phone's clock is 10 minutes ahead
    tap = phone_now - timedelta(minutes=2)  # tapped two minutes ago, by the phone's clock
    refused = put(family, str(uuid.uuid4()), {"kind": "sleep", "start": z(tap)})
    assert refused.status_code == 422  # without the phone's now it looks 8 minutes in the future
    assert "start" in refused.get_json()["error"]["fields"]

    entry_id = str(uuid.uuid4())
    saved = put(family, entry_id, {"kind": "sleep", "start": z(tap), "client_now": phone_now.isoformat()})
    assert saved.status_code == 201, saved.get_json()
    assert saved.get_json()["entry"]["start"] == z(server_now - timedelta(minutes=2))
    assert stored(app, entry_id).client_recorded_at == phone_now  # the raw value, kept


def test_slow_phone_tap_moves_forward(family, server_now):
    phone_now = server_now - timedelta(minutes=30, seconds=20)
    body = {
        "kind": "crying",
        "start": z(phone_now - timedelta(minutes=15)),
        "end": z(phone_now - timedelta(minutes=5)),
        "client_now": z(phone_now),
    }
    saved = put(family, str(uuid.uuid4()), body).get_json()["entry"]
    assert saved["start"] == z(server_now - timedelta(minutes=15))
    assert saved["end"] == z(server_now - timedelta(minutes=5))
    assert saved["duration_minutes"] == 10


def test_a_minute_of_drift_is_left_alone(app, family, server_now):
    phone_now = server_now + timedelta(seconds=55)
    entry_id = str(uuid.uuid4())
    start = phone_now - timedelta(minutes=3)
    saved = put(family, entry_id, {"kind": "feeding", "start": z(start), "client_now": z(phone_now)})
    assert saved.get_json()["entry"]["start"] == z(start)
    assert stored(app, entry_id).client_recorded_at == phone_now


def test_the_phone_may_give_its_time_in_any_offset(family, server_now):
    helsinki = timezone(timedelta(hours=2))
    phone_now = (server_now + timedelta(minutes=20)).astimezone(helsinki)
    body = {
        "kind": "note",
        "start": phone_now.isoformat(),
        "note": "bath",
        "client_now": phone_now.isoformat(),
    }
    saved = put(family, str(uuid.uuid4()), body).get_json()["entry"]
    assert saved["start"] == z(server_now)


def test_ending_a_sleep_the_server_started_keeps_its_start(family, server_now):
    entry_id = str(uuid.uuid4())
    started = put(family, entry_id, {"kind": "sleep", "start": z(server_now - timedelta(hours=2))})
    start = started.get_json()["entry"]["start"]
    phone_now = server_now + timedelta(minutes=10)
    ended = put(
        family,
        entry_id,
        {"kind": "sleep", "start": start, "end": z(phone_now), "client_now": z(phone_now)},
        headers={"If-Match": '"1"'},
    )
    assert ended.status_code == 200, ended.get_json()
    entry = ended.get_json()["entry"]
    assert entry["start"] == start  # the server's own time, not the phone's: not moved
    assert entry["end"] == z(server_now)


def test_offline_sleep_started_and_ended_on_a_fast_phone(family, server_now):
    """Both times came from the phone: the end request repeats the start as the phone had it."""
    entry_id = str(uuid.uuid4())
    phone_start = server_now + timedelta(minutes=10) - timedelta(hours=1)
    phone_end = server_now + timedelta(minutes=10) - timedelta(minutes=5)
    phone_now = server_now + timedelta(minutes=10)
    first = put(family, entry_id, {"kind": "sleep", "start": z(phone_start), "client_now": z(phone_now)})
    second = put(
        family,
        entry_id,
        {"kind": "sleep", "start": z(phone_start), "end": z(phone_end), "client_now": z(phone_now)},
    )
    assert first.status_code == 201 and second.status_code == 200
    entry = second.get_json()["entry"]
    assert entry["start"] == z(server_now - timedelta(hours=1))
    assert entry["end"] == z(server_now - timedelta(minutes=5))


def test_replayed_skewed_tap_is_stored_once(family, server_now):
    entry_id = str(uuid.uuid4())
    phone_now = server_now + timedelta(minutes=7)
    body = {"kind": "sleep", "start": z(phone_now - timedelta(minutes=1)), "client_now": z(phone_now)}
    first = put(family, entry_id, body)
    again = put(family, entry_id, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["entry"]["version"] == 1
    listed = family.api.get(f"/api/v1/babies/{family.baby_id}/entries").get_json()["entries"]
    assert [e["id"] for e in listed] == [entry_id]


def test_the_overlap_rule_sees_the_corrected_time(family, server_now):
    """Three hours slow, a crying "now" would overlap this morning's sleep; corrected, it does not."""
    sleep = {
        "kind": "sleep",
        "start": z(server_now - timedelta(hours=4)),
        "end": z(server_now - timedelta(hours=2)),
    }
    assert put(family, str(uuid.uuid4()), sleep).status_code == 201
    phone_now = server_now - timedelta(hours=3)
    crying = {"kind": "crying", "start": z(phone_now), "client_now": z(phone_now)}
    assert (
        put(family, str(uuid.uuid4()), {k: v for k, v in crying.items() if k != "client_now"}).status_code
        == 409
    )
    saved = put(family, str(uuid.uuid4()), crying)
    assert saved.status_code == 201, saved.get_json()
    assert saved.get_json()["entry"]["start"] == z(server_now)


@pytest.mark.parametrize("value", ["2026-01-31T02:00:00", "yesterday", 12])
def test_client_now_must_be_a_time_with_an_offset(family, value):
    response = put(
        family, str(uuid.uuid4()), {"kind": "note", "start": z(NOW), "note": "x", "client_now": value}
    )
    assert response.status_code == 422
    assert "client_now" in response.get_json()["error"]["fields"]
