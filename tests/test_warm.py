"""Warming a new worker (companion/warm.py, gunicorn.conf.py's post_worker_init): it runs
the today and rhythm pages once for a made-up family, writes nothing, and leaves the real
families' pages as they were."""

from __future__ import annotations

import gc
import importlib.util
import logging
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from companion.accounts.models import User, UserSession
from companion.diary.models import Baby, DiaryDay, Entry, Family
from companion.extensions import db
from companion.warm import warm_up

TABLES = (User, UserSession, Family, Baby, Entry, DiaryDay)


def counts(app) -> dict[str, int]:
    with app.app_context():
        count = func.count()
        return {model.__name__: db.session.scalar(select(count).select_from(model)) for model in TABLES}


def test_warming_renders_the_pages_once_and_writes_nothing(app, make_family, caplog):
    family = make_family(birth_date=(datetime.now(UTC) - timedelta(days=30)).date().isoformat())
    start = (datetime.now(UTC) - timedelta(hours=2)).replace(microsecond=0)
    put = family.api.put(family.entry_url(str(uuid.uuid4())), {"kind": "sleep", "start": start.isoformat()})
    assert put.status_code == 201
    before = counts(app)
    with caplog.at_level(logging.WARNING, logger="companion.warm"):
        assert warm_up(app) > 0
    # Every step ran: a failure is logged as a warning.
    assert not [record for record in caplog.records if record.name == "companion.warm"]
    assert counts(app) == before
    # The family's own pages are as they were: their sleep, running, in Finnish too.
    today = family.api.client.get(f"/diary/{family.baby_id}/")
    assert today.status_code == 200 and 'data-action="sleep-end"' in today.get_data(as_text=True)
    rhythm = family.api.client.get(f"/diary/{family.baby_id}/rhythm", headers={"Accept-Language": "fi"})
    assert rhythm.status_code == 200 and "Uni" in rhythm.get_data(as_text=True)


def test_a_worker_that_cannot_be_warmed_still_starts(app, caplog, monkeypatch):
    monkeypatch.setitem(app.view_functions, "diary.today", lambda baby_id: 1 / 0)
    with caplog.at_level(logging.WARNING, logger="companion.warm"):
        warm_up(app)
    assert "starts cold" in caplog.text
    assert app.test_client().get("/healthz").status_code == 200


def gunicorn_conf():
    path = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    return conf


def test_gunicorn_warms_each_worker_after_the_fork(app, tmp_path, monkeypatch):
    conf = gunicorn_conf()
    assert conf.preload_app is False  # each worker builds (and so warms) its own app
    warmed = []
    monkeypatch.setattr("companion.warm.warm_up", lambda wsgi: warmed.append(wsgi) or 1.0)
    monkeypatch.setattr(conf.tempfile, "gettempdir", lambda: str(tmp_path))

    class Worker:
        wsgi, pid, ppid = app, 1234, 98
        log = logging.getLogger("test.gunicorn")

    try:
        conf.post_worker_init(Worker())
    finally:
        gc.unfreeze()
    assert warmed == [app]


def test_workers_retire_one_at_a_time_never_all_starting_at_once(app, tmp_path, monkeypatch):
    """Two workers reach their request limit together: the second goes on serving until the
    first one's successor is warm (else nobody would take requests while both start)."""
    conf = gunicorn_conf()
    monkeypatch.setattr(conf.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr("companion.warm.warm_up", lambda wsgi: 1.0)
    living: set[int] = set()
    monkeypatch.setattr(conf, "_alive", lambda pid: pid in living)

    class Worker:
        ppid, wsgi = 99, app
        log = logging.getLogger("test.gunicorn")

        def __init__(self, pid: int, served: int) -> None:
            self.pid, self.nr, self.max_requests = pid, served, 5000
            living.add(pid)
            conf.post_fork(None, self)

        def warm(self) -> None:
            try:
                conf.post_worker_init(self)
            finally:
                gc.unfreeze()

        def serve(self) -> bool:
            """One request; whether the worker retires after it (as gunicorn decides)."""
            conf.pre_request(self, None)
            self.nr += 1
            return self.nr >= self.max_requests

        def exit(self) -> None:
            conf.worker_exit(None, self)
            living.discard(self.pid)

    first, second = Worker(101, 4998), Worker(102, 4990)
    first.warm()
    # The second is still starting: the first waits for it.
    assert not first.serve()
    assert not first.serve() and first.max_requests > 5000
    second.warm()
    second.nr = 4999
    while not first.serve():
        pass
    # The first retires; the second, at its limit too, goes on serving.
    assert not second.serve() and not second.serve()
    first.exit()
    successor = Worker(103, 0)
    assert not any(second.serve() for _ in range(conf.RETIRE_LATER * 3))
    successor.warm()
    monkeypatch.setattr(conf, "RETIRED_GRACE_S", 0.0)
    # The successor is warm and the first is gone: the second may retire now.
    assert any(second.serve() for _ in range(conf.RETIRE_LATER + 1))
    second.exit()
    conf.on_exit(type("Server", (), {"pid": 99})())
    assert not (tmp_path / "companion-gunicorn-99").exists()
