"""Running in production: health check, request log without personal data, proxy
headers, and an online backup of the SQLite database."""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from pathlib import Path

import click
from flask import Blueprint, Flask, g, jsonify, request
from sqlalchemy import text
from werkzeug.middleware.proxy_fix import ProxyFix

from companion.extensions import db

bp = Blueprint("ops", __name__)
log = logging.getLogger("companion.requests")

# Ids in paths are replaced, so the log tells what was used, not by whom or for which baby.
# UUIDs in any case, with or without braces, count as ids too.
_IDS = re.compile(
    r"/(\d+|\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?)(?=/|$)",
    re.IGNORECASE,
)


@bp.get("/healthz")
def healthz():
    """Load balancers ask here; 503 when the database does not answer."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001  (any database failure means unhealthy)
        db.session.rollback()
        return jsonify({"status": "unavailable", "database": "down"}), 503
    return jsonify({"status": "ok", "database": "ok"})


#: Paths whose last part is a secret (a staff member's set-up link).
_SECRETS = re.compile(r"^(/setup/)[^/]+")


def loggable_path(path: str) -> str:
    return _IDS.sub("/<id>", _SECRETS.sub(r"\1<token>", path))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hops = int(app.config.get("COMPANION_PROXY_HOPS", 0) or 0)
    if hops:
        # Behind a reverse proxy that sets X-Forwarded-*: trust exactly that many hops.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    if not app.testing and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    @app.before_request
    def start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        # No query strings, no ids, no addresses, no user names: nothing personal.
        started = g.get("request_started")
        elapsed = (time.perf_counter() - started) * 1000 if started else 0.0
        log.info(
            "%s %s %s %.1fms", request.method, loggable_path(request.path), response.status_code, elapsed
        )
        return response

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, writable=True))
    def backup(path: str) -> None:
        """Copy the SQLite database to PATH while the app keeps running (online backup).

        For PostgreSQL use pg_dump (see README.md).
        """
        url = db.engine.url
        if url.get_backend_name() != "sqlite" or not url.database:
            raise click.ClickException("backup works on SQLite; for PostgreSQL use pg_dump (see README.md)")
        target = Path(path)
        if target.exists():
            raise click.ClickException(f"{target} exists already; choose a new file")
        source = sqlite3.connect(url.database)
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination, pages=256)
            check = destination.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            destination.close()
            source.close()
        if check != "ok":
            raise click.ClickException(f"the copy failed its integrity check: {check}")
        click.echo(f"Backed up to {target} ({target.stat().st_size // 1024} KB, integrity ok)")
