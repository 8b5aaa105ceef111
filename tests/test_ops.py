"""Health check, the request log, proxy headers and the SQLite backup command."""

from __future__ import annotations

import logging
import sqlite3

from companion import create_app
from tests.conftest import settings_for_tests


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_says_when_the_database_is_down(tmp_path):
    app = create_app(
        {**settings_for_tests(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite:////nonexistent/dir/x.db"}
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "down"


def test_request_log_has_no_ids_queries_or_names(family, caplog):
    caplog.set_level(logging.INFO, logger="companion.requests")
    family.api.get(f"/api/v1/babies/{family.baby_id}/entries?since=2026-01-01T00:00:00Z")
    family.api.put(family.entry_url("6f1c7b8e-2b1a-4c3d-9e8f-0a1b2c3d4e5f"), {"kind": "note"})
    lines = [r.getMessage() for r in caplog.records if r.name == "companion.requests"]
    assert any(line.startswith("GET /api/v1/babies/<id>/entries 200") for line in lines)
    assert any(line.startswith("PUT /api/v1/babies/<id>/entries/<id> 422") for line in lines)
    text = "\n".join(lines)
    assert "2026-01-01" not in text and "6f1c7b8e" not in text and family.username not in text


def test_proxy_headers_only_when_configured(tmp_path):
    plain = create_app(settings_for_tests(tmp_path))
    assert (
        plain.test_client()
        .get("/", headers={"X-Forwarded-Proto": "https"})
        .headers.get("Strict-Transport-Security")
        is None
    )
    proxied = create_app({**settings_for_tests(tmp_path), "COMPANION_PROXY_HOPS": 1})
    response = proxied.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_backup_copies_a_live_sqlite_database(app, family, tmp_path):
    target = tmp_path / "backup.sqlite"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        result = app.test_cli_runner().invoke(args=["backup", str(target)])
        assert result.exit_code == 0, result.output
        assert "integrity ok" in result.output
        with sqlite3.connect(target) as copy:
            assert copy.execute("SELECT username FROM users").fetchall() == [(family.username,)]
        again = app.test_cli_runner().invoke(args=["backup", str(target)])
        assert again.exit_code != 0 and "exists already" in again.output
    else:
        result = app.test_cli_runner().invoke(args=["backup", str(target)])
        assert result.exit_code != 0 and "pg_dump" in result.output
