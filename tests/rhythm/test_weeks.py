"""The rhythm of a period put together from kept weeks is the period worked out at once,
and a change to the diary works out again only the weeks it touches."""

from __future__ import annotations

import json
import random
import uuid
from bisect import bisect_left
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from companion.accounts.models import User
from companion.diary.models import Baby, DiaryDay, Entry
from companion.extensions import db
from companion.rhythm import pages, weeks
from tests.chart_spans import with_spans

HELSINKI = ZoneInfo("Europe/Helsinki")
# Around the autumn clock change (2026-10-25), across several week boundaries.
FIRST, LAST = date(2026, 9, 28), date(2026, 11, 8)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def made_up_diary(baby_id: int, user_id: int, seed: int) -> list[Entry]:
    """Sleeps, cryings and feeds at random, many across midnights and week ends, some
    touching or overlapping, a few long ones and a gap of several days."""
    chance = random.Random(seed)
    entries = []
    moment = datetime.combine(FIRST - timedelta(days=2), time(0), tzinfo=HELSINKI).astimezone(UTC)
    stop = datetime.combine(LAST + timedelta(days=2), time(0), tzinfo=HELSINKI).astimezone(UTC)
    while moment < stop:
        kind = chance.choice(("sleep", "sleep", "sleep", "crying", "feeding", "feeding", "note"))
        minutes = {"sleep": chance.choice((20, 45, 90, 200, 400, 700)), "crying": chance.choice((5, 30, 95))}
        end = moment + timedelta(minutes=minutes[kind]) if kind in minutes else None
        entries.append(
            Entry(
                id=str(uuid.UUID(int=chance.getrandbits(128))),
                baby_id=baby_id,
                kind=kind,
                start=moment,
                end=end,
                details={},
                version=1,
                created_by_id=user_id,
                updated_by_id=user_id,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        step = chance.choice((0, 10, 40, 90, 180, 300))
        if chance.random() < 0.01:
            step += 4 * 24 * 60  # days not logged
        moment = (end or moment) + timedelta(minutes=step) - timedelta(minutes=chance.choice((0, 0, 0, 15)))
    return entries


def seeded(app, family, seed: int, chart_day_start: int = 0, night=(time(19), time(7))) -> None:
    with app.app_context():
        baby = db.session.get(Baby, family.baby_id)
        baby.family.chart_day_start = chart_day_start
        baby.family.night_start, baby.family.night_end = night
        user_id = db.session.scalar(db.select(User.id).where(User.username == family.username))
        db.session.add_all(made_up_diary(baby.id, user_id, seed))
        db.session.commit()


def model(app, family, one_piece: bool) -> dict:
    with app.test_request_context(headers={"Accept-Language": "fi"}):
        baby = db.session.get(Baby, family.baby_id)
        if one_piece:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(weeks, "week_ranges", lambda first, last: [(first, last)])
                weeks._weeks_and_windows.cache_clear()
                result, _by_minute = pages.page_model(baby, FIRST, LAST, NOW)
            weeks._weeks_and_windows.cache_clear()
        else:
            result, _by_minute = pages.page_model(baby, FIRST, LAST, NOW)
        return result


def bars(rhythm_json: str) -> dict[str, Counter]:
    """Each trace's bars or marks as a multiset (the order of bars does not show)."""
    chart = with_spans(json.loads(str(rhythm_json)))
    out = {}
    for trace in chart["data"]:
        fields = [trace[name] for name in ("y", "base", "x", "customdata") if name in trace]
        out[trace["meta"]] = Counter(zip(*fields, strict=True))
    return out


@pytest.mark.parametrize(
    ("seed", "chart_day_start", "night"),
    [
        (1, 0, (time(19), time(7))),
        (2, 18, (time(19), time(7))),
        (3, 6, (time(0), time(6))),
        (4, 18, (time(20, 30), time(6, 15))),
    ],
)
def test_weeks_put_together_are_the_period_worked_out_at_once(
    app, family, monkeypatch, seed, chart_day_start, night
):
    seeded(app, family, seed, chart_day_start, night)
    whole = model(app, family, one_piece=True)
    put_together = model(app, family, one_piece=False)
    assert_same(put_together, whole)

    # Each week worked out on its own, as when one week changed, is the same again.
    original = weeks._work_out

    def separately(baby, ranges, windows, spans, *rest):
        starts = [span.start for span in spans]
        return [
            week
            for one, (low, high) in zip(ranges, windows, strict=True)
            for week in original(
                baby, [one], [(low, high)], spans[bisect_left(starts, low) : bisect_left(starts, high)], *rest
            )
        ]

    app.extensions["companion.rhythm_weeks"]._items.clear()
    monkeypatch.setattr(weeks, "_work_out", separately)
    assert_same(model(app, family, one_piece=False), whole)


def assert_same(put_together: dict, whole: dict) -> None:
    assert put_together["days"] == whole["days"]
    assert any(day.logged for day in whole["days"]) and not all(day.logged for day in whole["days"])
    assert str(put_together["table"]) == str(whole["table"])
    assert put_together["hourly"] == pytest.approx(whole["hourly"])
    assert put_together["sentences"] == whole["sentences"] and put_together["week"] == whole["week"]
    assert put_together["figures"] == whole["figures"]
    drawn = bars(put_together["rhythm_figure"])
    assert drawn == bars(whole["rhythm_figure"])
    assert sum(drawn["sleep"].values()) > 60 and sum(drawn["feeding"].values()) > 30
    layout = json.loads(str(put_together["rhythm_figure"]))["layout"]
    assert layout == json.loads(str(whole["rhythm_figure"]))["layout"]
    assert len(layout["yaxis"]["ticktext"]) == (LAST - FIRST).days + 1


def test_the_last_row_reaches_the_next_evening_when_rows_start_in_the_evening(app, family):
    """Rows from 18:00: the last day's row ends at 18:00 the day after, in the past too."""
    seeded(app, family, 5, chart_day_start=18)
    with app.app_context():
        baby = db.session.get(Baby, family.baby_id)
        noon = datetime.combine(LAST + timedelta(days=1), time(12), tzinfo=HELSINKI).astimezone(UTC)
        db.session.query(Entry).filter(Entry.start >= noon - timedelta(hours=6)).delete()
        user_id = db.session.scalar(db.select(User.id).where(User.username == family.username))
        db.session.add(
            Entry(
                id=str(uuid.uuid4()),
                baby_id=baby.id,
                kind="sleep",
                start=noon,
                end=noon + timedelta(minutes=77),
                details={},
                created_by_id=user_id,
                updated_by_id=user_id,
            )
        )
        db.session.commit()
    drawn = bars(model(app, family, one_piece=False)["rhythm_figure"])
    last_row = (LAST - FIRST).days
    assert any(y == last_row and text.endswith("1 t 17 min") for y, _b, _x, text in drawn["sleep"]), drawn


def test_a_change_works_out_again_only_the_weeks_it_touches(app, family, monkeypatch):
    seeded(app, family, 6)
    wednesday = datetime.combine(date(2026, 10, 14), time(13), tzinfo=HELSINKI)
    with app.app_context():  # room for the sleep below, on both Wednesdays
        for day in (wednesday, wednesday + timedelta(days=7)):
            db.session.query(Entry).filter(
                Entry.start >= (day - timedelta(hours=13)).astimezone(UTC),
                Entry.start < (day + timedelta(hours=6)).astimezone(UTC),
            ).delete()
        db.session.commit()
    worked = []
    original = weeks._work_out
    # The weeks of the period shown (the week comparison reads the last two weeks besides).
    shown = set(weeks.week_ranges(FIRST, LAST))
    monkeypatch.setattr(
        weeks,
        "_work_out",
        lambda baby, ranges, *rest: (
            worked.extend(a for a, b in ranges if (a, b) in shown) or original(baby, ranges, *rest)
        ),
    )
    before = model(app, family, one_piece=False)
    assert len(worked) == len(weeks.week_ranges(FIRST, LAST)) == 6

    worked.clear()
    assert model(app, family, one_piece=False)["days"] == before["days"]
    assert worked == []  # nothing changed: every week kept

    # A long sleep on a Wednesday (through the API, as a parent writes it).
    response = family.api.put(
        family.entry_url(str(uuid.uuid4())),
        {
            "kind": "sleep",
            "start": wednesday.isoformat(),
            "end": (wednesday + timedelta(minutes=333)).isoformat(),
        },
    )
    assert response.status_code == 201, response.get_json()
    after = model(app, family, one_piece=False)
    assert worked == [date(2026, 10, 12)]
    assert drawn_on(after) == [(date(2026, 10, 14), 13.0)]

    # Moved to the next week: the week it left changes too.
    worked.clear()
    entry_id = next(iter(_entries_at(app, family, wednesday)))
    later = wednesday + timedelta(days=7)
    response = family.api.put(
        family.entry_url(entry_id),
        {"kind": "sleep", "start": later.isoformat(), "end": (later + timedelta(minutes=333)).isoformat()},
    )
    assert response.status_code == 200, response.get_json()
    moved = model(app, family, one_piece=False)
    assert sorted(worked) == [date(2026, 10, 12), date(2026, 10, 19)]
    assert moved == model(app, family, one_piece=True) | {"rhythm_figure": moved["rhythm_figure"]}
    assert bars(moved["rhythm_figure"]) == bars(model(app, family, one_piece=True)["rhythm_figure"])
    assert drawn_on(moved) == [(date(2026, 10, 21), 13.0)]

    # Deleted: shows at once as well.
    worked.clear()
    assert family.api.delete(family.entry_url(entry_id)).status_code == 204
    gone = model(app, family, one_piece=False)
    assert worked == [date(2026, 10, 19)]
    assert drawn_on(gone) == []


def drawn_on(result: dict) -> list[tuple[date, float]]:
    """The rows and hours where the chart draws a sleep of 5 h 33 min."""
    found = bars(result["rhythm_figure"])["sleep"]
    return [(FIRST + timedelta(days=y), base) for y, base, _x, text in found if text.endswith("5 t 33 min")]


def _entries_at(app, family, start: datetime) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(Entry.id).where(
                    Entry.baby_id == family.baby_id, Entry.start == start.astimezone(UTC)
                )
            )
        )


def test_the_dates_an_entry_starts_on_keep_a_version(app, family):
    def versions() -> dict[date, int]:
        with app.app_context():
            rows = db.session.execute(
                db.select(DiaryDay.day, DiaryDay.version).where(DiaryDay.baby_id == family.baby_id)
            )
            return dict(rows.all())

    start = datetime(2026, 11, 2, 23, 30, tzinfo=UTC)
    entry = str(uuid.uuid4())
    body = {"kind": "sleep", "start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}
    assert family.api.put(family.entry_url(entry), body).status_code == 201
    assert versions() == {date(2026, 11, 2): 1}  # the UTC date it starts on
    moved = {
        **body,
        "start": (start + timedelta(hours=1)).isoformat(),
        "end": (start + timedelta(hours=3)).isoformat(),
    }
    assert family.api.put(family.entry_url(entry), moved).status_code == 200
    assert versions() == {date(2026, 11, 2): 2, date(2026, 11, 3): 1}  # left one date, came to another
    assert family.api.delete(family.entry_url(entry)).status_code == 204
    assert versions() == {date(2026, 11, 2): 2, date(2026, 11, 3): 2}
    family.api.get(f"/diary/{family.baby_id}/rhythm")
    assert versions() == {date(2026, 11, 2): 2, date(2026, 11, 3): 2}  # reading changes nothing
