"""Server time on a national-scale database (bench/national.py) against one family on the
same PostgreSQL: an entry PUT, the today page, the 14-day rhythm page, and the statistics
page for a year (the first time, from nothing worked out, and after).

    .venv/bin/python bench/national_bench.py --url postgresql+psycopg://postgres@127.0.0.1:55432/national_2000

In-process requests through Flask's test client, medians and 95th percentiles (bench/run.py's
`timed`). The parent is one of the made-up families; the statistics are read as the
federation (every organisation and the whole country) and as one coordinator.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from national import PASSWORD  # noqa: E402
from run import entry_writer, timed  # noqa: E402

from companion import create_app  # noqa: E402
from companion.extensions import db  # noqa: E402


def signed_in(app, username: str):
    client = app.test_client()
    token = client.get("/api/v1/me").get_json()["csrf_token"]
    response = client.post(
        "/api/v1/login", json={"username": username, "password": PASSWORD}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200, response.get_json()
    token = client.get("/api/v1/me").get_json()["csrf_token"]
    return client, {"X-CSRFToken": token, "Accept-Language": "fi"}


def bench_app(url: str):
    """The app on the benchmark's database, without its request log."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-" + "k" * 32,
            "SESSION_COOKIE_SECURE": False,
            "COMPANION_STAFF_SECOND_FACTOR": "optional",
        }
    )
    logging.getLogger("companion.requests").disabled = True
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--parent", default="parent00001")
    parser.add_argument("--skip-stats", action="store_true")
    args = parser.parse_args()
    app = bench_app(args.url)
    gc.collect()
    gc.freeze()
    client, headers = signed_in(app, args.parent)
    baby_id = client.get("/api/v1/babies").get_json()["babies"][0]["id"]
    start = datetime.now(UTC) - timedelta(days=30, seconds=uuid.uuid4().int % 86400)
    put_entry = entry_writer(client, baby_id, headers, start)

    def page(path, who=client, extra=None):
        def fetch():
            response = who.get(path, headers=extra or headers)
            assert response.status_code == 200, (path, response.status_code)

        return fetch

    results = {
        "entry PUT": timed(put_entry, args.repeat),
        "today page": timed(page(f"/diary/{baby_id}/"), args.repeat),
        "rhythm page, 14 days": timed(page(f"/diary/{baby_id}/rhythm"), args.repeat),
    }
    # A change a week back before each request: the 14-day page worked out again.
    write = entry_writer(client, baby_id, headers, datetime.now(UTC) - timedelta(days=7))

    results["rhythm page, 14 days, after a change"] = timed(
        page(f"/diary/{baby_id}/rhythm"), max(20, args.repeat // 4), write
    )
    if not args.skip_stats:
        year = date.today().year
        admin, admin_headers = signed_in(app, "federation")
        coordinator, coordinator_headers = signed_in(app, "tampere-coordinator")
        from companion.share.models import Grant
        from companion.stats import models, services

        def forget(months: bool, changes: bool) -> None:
            """Forgets what is kept: the months' figures, each grant's change over the work,
            the kept report; always this process's caches (another process has none)."""
            with app.app_context():
                if months:
                    db.session.query(models.StatsMonth).delete()
                    if hasattr(models, "StatsReport"):
                        db.session.query(models.StatsReport).delete()
                if changes and hasattr(Grant, "change_figures"):
                    db.session.query(Grant).update({"change_figures": None})
                db.session.commit()
                services.kept("reports").clear()
                services.kept("views").clear()

        def first_view() -> tuple[float, float]:
            """Wall clock and this process's CPU time (PostgreSQL's own is not in it)."""
            start, start_cpu = time.perf_counter(), time.thread_time()
            page(f"/stats/?year={year}", admin, admin_headers)()
            return (time.perf_counter() - start) * 1000, (time.thread_time() - start_cpu) * 1000

        firsts = {}
        forget(months=True, changes=True)
        firsts["the first time, nothing kept"] = first_view()
        if hasattr(Grant, "change_figures"):
            forget(months=True, changes=False)
            firsts["the first time, each grant's change over the work kept"] = first_view()
        # A second process (gunicorn's other worker) has what the database keeps.
        forget(months=False, changes=False)
        firsts["first in another process (months kept)"] = first_view()
        results["statistics page, year, whole country, after"] = timed(
            page(f"/stats/?year={year}", admin, admin_headers), 20
        )
        results["statistics page, year, one coordinator, after"] = timed(
            page(f"/stats/?year={year}", coordinator, coordinator_headers), 20
        )
        results["statistics API, year by month, after"] = timed(
            page(f"/api/v1/stats?year={year}", admin, admin_headers), 20
        )
        for name, (ms, cpu) in firsts.items():
            print(f"statistics page, year, {name}: {ms:.0f} ms (CPU {cpu:.0f} ms)")
    print(f"{'what':<52} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>8}")
    for name, (median, p95, _p99, cpu) in results.items():
        print(f"{name:<52} {median:>10.2f} {p95:>8.2f} {cpu:>8.2f}")


if __name__ == "__main__":
    main()
