"""The migration of existing data: organisations become findable by their locality, and
coordinators become workers again on the way down (SQLite, and PostgreSQL when given)."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import create_engine, text

from tests.test_app import ROOT, _fresh_database

BEFORE = "7c1d2e3f4a5b"
THIS = "e215deed1b6b"


def test_existing_organisations_and_users_are_carried_over_and_back(tmp_path):
    url = _fresh_database(tmp_path)
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin", "SECRET_KEY": "m" * 64}

    def db(*args):
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "companion", "db", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr

    db("upgrade", BEFORE)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO organisations (slug, name, locality, created_at) VALUES "
                "('bb-old', 'Vanha yhdistys', '  Pori ', '2026-01-01 00:00:00'), "
                "('bb-nowhere', 'Ei paikkaa', NULL, '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO users (username, username_key, password_hash, role, organisation_id, "
                "session_version, active, created_at) VALUES "
                "('old-worker', 'old-worker', 'x', 'worker', 1, 1, true, '2026-01-01 00:00:00')"
            )
        )
        # Rows that refer to the users table, as every real database has.
        connection.execute(
            text(
                "INSERT INTO recovery_codes (user_id, code_hash, created_at) "
                "VALUES (1, 'x', '2026-01-01 00:00:00')"
            )
        )
    db("upgrade", THIS)
    with engine.begin() as connection:
        rows = connection.execute(
            text(
                "SELECT o.slug, m.name_fi, m.name_fi_key, m.position FROM organisations o "
                "JOIN organisation_municipalities m ON m.organisation_id = o.id"
            )
        ).all()
        assert [tuple(row) for row in rows] == [("bb-old", "Pori", "pori", 0)]
        orgs = connection.execute(
            text("SELECT slug, active, languages FROM organisations ORDER BY slug")
        ).all()
        assert [(slug, bool(active)) for slug, active, _languages in orgs] == [
            ("bb-nowhere", True),
            ("bb-old", True),
        ]
        assert all("fi" in str(languages) for _slug, _active, languages in orgs)
        connection.execute(text("UPDATE users SET role = 'coordinator' WHERE username = 'old-worker'"))
    db("downgrade", BEFORE)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT role FROM users")).scalar_one() == "worker"
        assert (
            connection.execute(text("SELECT locality FROM organisations WHERE slug = 'bb-old'")).scalar_one()
            == "  Pori "
        )
    engine.dispose()
