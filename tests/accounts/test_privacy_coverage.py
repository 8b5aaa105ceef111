"""Every table that holds a person's data is covered by the export and by deleting the
account: found from the database's own foreign keys, so a new table cannot slip past."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from companion.accounts.models import User
from companion.accounts.privacy import holders
from companion.diary.models import Baby
from companion.extensions import db
from tests.conftest import PASSWORD, Api
from tests.share.conftest import WORKER_PASSWORD, grant_for

#: Whose rows these are: the person, their family, their babies.
OWNERS = ("users", "families", "babies")


def personal_tables() -> set[str]:
    """Tables with a foreign key to a person, a family or a baby, and theirs."""
    tables = set(OWNERS)
    for table in db.metadata.sorted_tables:
        if any(key.column.table.name in OWNERS for key in table.foreign_keys):
            tables.add(table.name)
    return tables


#: Tables only staff accounts have rows in (a parent's export has the key, empty).
STAFF_ONLY = {"setup_links"}


def declared(app) -> dict[str, str]:
    with app.app_context():
        found: dict[str, str] = {}
        for holder in holders():
            for table, key in holder.tables.items():
                assert table not in found, f"{table} is declared twice"
                found[table] = key
        return found


def test_every_personal_table_is_declared_by_one_feature(app):
    with app.app_context():
        tables = personal_tables()
    assert {"entries", "checkins", "grants", "rhythm_plans", "recovery_codes"} <= tables
    assert set(declared(app)) == tables


def rows_referring_to(ids: dict[str, set[int]]) -> list[str]:
    """Every row, in any table, whose foreign key points at one of the given owners."""
    found = []
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            owner = key.column.table.name
            if ids.get(owner):
                column = key.parent
                count = len(db.session.execute(select(column).where(column.in_(ids[owner]))).all())
                if count:
                    found.append(f"{table.name}.{column.name}: {count}")
    return found


@pytest.fixture
def full_family(app, family, worker):
    """A parent with something in every table: entries (one deleted), a plan, a check-in,
    a code a worker used, a partner invite, recovery codes, audit events."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=5)
    for offset in (0, 2):
        at = start + timedelta(hours=offset)
        body = {"kind": "sleep", "start": at.isoformat(), "end": (at + timedelta(hours=1)).isoformat()}
        assert family.api.put(family.entry_url(str(uuid.uuid4())), body).status_code == 201
    entry = family.api.get(f"/api/v1/babies/{family.baby_id}/entries").get_json()["entries"][0]
    assert family.api.delete(family.entry_url(entry["id"])).status_code == 204
    plan = {"wake": "07:00", "naps": [["12:00", "13:30"]], "bedtime": "19:30"}
    assert family.api.put(f"/api/v1/babies/{family.baby_id}/plan", plan).status_code == 201
    today = datetime.now(UTC).date().isoformat()
    assert family.api.put(f"/api/v1/checkins/{today}", {"coping": 3}).status_code in (200, 201)
    grant_for(family, worker)
    assert family.api.post("/api/v1/family/invites").status_code == 201
    return family


def owners_of(username: str) -> dict[str, set[int]]:
    user = db.session.scalar(select(User).where(User.username == username))
    babies = set()
    if user.family_id is not None:
        babies = set(db.session.scalars(select(Baby.id).where(Baby.family_id == user.family_id)))
    return {"users": {user.id}, "families": {user.family_id} - {None}, "babies": babies}


def test_the_export_has_every_personal_table(app, full_family):
    data = full_family.api.get("/api/v1/export").get_json()
    with app.app_context():
        owners = owners_of(full_family.username)
        referring = {line.split(".")[0] for line in rows_referring_to(owners)} | set(OWNERS)
    keys = {table: key for table, key in declared(app).items() if table not in STAFF_ONLY}
    assert referring == set(keys)  # the fixture has rows in every personal table a parent has
    for table, key in keys.items():
        assert data.get(key), f"{table}: nothing under {key!r} in the export"


def test_deleting_a_lone_parent_leaves_no_row_about_them(app, full_family):
    with app.app_context():
        owners = owners_of(full_family.username)
        assert rows_referring_to(owners)
    assert full_family.api.delete("/api/v1/me", {"password": PASSWORD}).status_code == 204
    with app.app_context():
        assert rows_referring_to(owners) == []
        assert db.session.get(User, next(iter(owners["users"]))) is None


def test_deleting_a_parent_of_a_shared_diary_leaves_no_row_about_them(app, full_family):
    partner = Api(app.test_client())
    assert partner.post("/api/v1/signup", {"username": "partner", "password": PASSWORD}).status_code == 201
    code = full_family.api.post("/api/v1/family/invites").get_json()["code"]
    assert partner.post("/api/v1/family/join", {"code": code}).status_code == 200
    with app.app_context():
        mine = owners_of(full_family.username)
    assert full_family.api.delete("/api/v1/me", {"password": PASSWORD}).status_code == 204
    with app.app_context():
        assert rows_referring_to({"users": mine["users"]}) == []
        assert rows_referring_to({"babies": mine["babies"]})  # the diary stays with the partner


def test_deleting_a_worker_leaves_no_row_about_them(app, full_family, worker):
    with app.app_context():
        mine = owners_of(worker.username)
        assert rows_referring_to(mine)
    assert worker.api.delete("/api/v1/me", {"password": WORKER_PASSWORD}).status_code == 204
    with app.app_context():
        assert rows_referring_to(mine) == []
