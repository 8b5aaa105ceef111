"""Limits and single use hold across processes: counters and codes live in the database."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from sqlalchemy import func, select

from companion import create_app
from companion.extensions import db
from tests.conftest import settings_for_tests
from tests.share.conftest import add_staff, make_code, redeem

ROOT = Path(__file__).resolve().parents[2]

SECOND_PROCESS = textwrap.dedent(
    """
    import sys

    from companion import create_app
    from companion.accounts.models import User
    from companion.errors import NotFound
    from companion.extensions import db
    from companion.share import services

    url, key, worker_id, tries = sys.argv[1:]
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "other-process",
            "SQLALCHEMY_DATABASE_URI": url,
            "COMPANION_CODE_KEY": key,
        }
    )
    with app.app_context():
        worker = db.session.get(User, int(worker_id))
        for attempt in range(int(tries)):
            try:
                services.redeem_code(worker, f"5555 5555 555{attempt}")
            except NotFound:
                pass
        db.engine.dispose()
    print("done")
    """
)


def run_second_process(app, worker_id: int, tries: int) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            SECOND_PROCESS,
            app.config["SQLALCHEMY_DATABASE_URI"],
            app.config["COMPANION_CODE_KEY"],
            str(worker_id),
            str(tries),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "done"


def test_failures_in_two_processes_add_up(app, family, worker):
    from companion.throttle import ThrottleCounter

    code = make_code(family)
    run_second_process(app, worker.id, 3)  # another app process on the same database
    assert redeem(worker, "5555 5555 5559").status_code == 404
    assert redeem(worker, "5555 5555 5558").status_code == 404
    blocked = redeem(worker, code)  # 3 + 2 failures: the sixth try is refused, even right
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    with app.app_context():
        counted = db.session.scalar(
            select(ThrottleCounter.count).where(ThrottleCounter.bucket == f"code:worker:{worker.id}")
        )
    assert counted == 5


def test_two_workers_racing_with_one_code_get_one_grant(app, family):
    """Two app instances on one database, two threads, one code, many rounds."""
    from companion.accounts.models import User
    from companion.errors import NotFound
    from companion.share import services
    from companion.share.models import Grant

    settings = {
        **settings_for_tests(Path(app.instance_path)),
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "COMPANION_CODE_KEY": app.config["COMPANION_CODE_KEY"],
    }
    apps = [create_app(settings), create_app(settings)]
    rounds = 6
    # A fresh pair each round: a worker losing many races would be throttled for failures.
    pairs = [
        [add_staff(app, f"racer{n}-{i}", "worker", f"Racer {n}-{i}", "tampere") for i in range(2)]
        for n in range(rounds)
    ]

    def race(
        index: int, workers: list[int], code: str, barrier: threading.Barrier, results: list[str]
    ) -> None:
        with apps[index].app_context():
            worker = db.session.get(User, workers[index])
            barrier.wait()
            try:
                services.redeem_code(worker, code)
                results.append("grant")
            except NotFound:
                results.append("refused")
            except Exception as error:  # reported by the assertion below
                results.append(f"error: {error!r}")
            db.session.remove()

    outcomes: list[list[str]] = []
    for workers in pairs:
        code = make_code(family)
        barrier = threading.Barrier(2)
        results: list[str] = []
        threads = [threading.Thread(target=race, args=(i, workers, code, barrier, results)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        outcomes.append(sorted(results))
    assert outcomes == [["grant", "refused"]] * rounds
    with app.app_context():
        assert db.session.scalar(select(func.count(Grant.id))) == rounds
    for made in apps:
        with made.app_context():
            db.engine.dispose()
