"""Server-time benchmarks on a realistic diary (one baby, a year by default), SQLite.

Measures in-process request time through Flask's test client (no network): the median
and 95th percentile of repeated runs. Run with `make bench` or
`.venv/bin/python bench/run.py [--days 365] [--repeat 200]`.
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import logging  # noqa: E402

from companion import create_app  # noqa: E402
from companion.extensions import db  # noqa: E402


def diary_rows(user, baby, first, days: int, tz, now, keep_clear: timedelta) -> list:
    """Made-up diary entries (companion/diary/demo.py) from `first` for `days` days, as
    rows to insert in bulk; nothing within `keep_clear` of now (the caller may add a
    running timer there)."""
    from companion.diary.demo import generate
    from companion.diary.services import made_up_rows

    items = [
        item
        for item in generate(first, days, tz, skip_every=0)
        if item.start < now - keep_clear and not (item.end and item.end >= now - keep_clear)
    ]
    return made_up_rows(items, baby.id, user.id, now)


def seed(app, days: int) -> tuple[int, str, str]:
    """A parent with one baby and `days` of diary, inserted in bulk."""
    from companion.accounts.services import sign_up
    from companion.diary import services
    from companion.rhythm.clock import local_date
    from companion.types import utcnow

    with app.app_context():
        db.create_all()
        user, _codes = sign_up("bench", "bench-password-1")
        tz = services.family_zone(services.family_of(user))
        today = local_date(utcnow(), tz)
        baby = services.create_baby(user, "Bench", birth_date=today - timedelta(days=days + 30))
        now = utcnow()
        # The last day is today (up to two hours ago): the today page lists its entries.
        rows = diary_rows(user, baby, today - timedelta(days=days - 1), days, tz, now, timedelta(hours=2))
        db.session.add_all(rows)
        db.session.commit()
        counts = {k: sum(1 for r in rows if r.kind == k) for k in ("sleep", "crying", "feeding")}
        print(f"seeded {len(rows)} entries over {days} days: {counts}")
        return baby.id, "bench", "bench-password-1"


def percentile(samples: list[float], share: float) -> float:
    """The smallest sample at or above ``share`` of the sorted samples (nearest rank)."""
    return samples[max(0, math.ceil(len(samples) * share) - 1)]


def timed(fn, repeat: int, prepare=None) -> tuple[float, float, float, float]:
    """Median, 95th and 99th percentile of ``fn()`` in ms after five warm-up calls, and the
    median of the CPU time it took (this thread's: on a busy machine it moves less than
    the wall clock); ``prepare()``, when given, runs before each call and is not timed."""
    samples, cpu = [], []
    for _ in range(repeat + 5):
        if prepare is not None:
            prepare()
        start, start_cpu = time.perf_counter(), time.thread_time()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    samples = sorted(samples[5:])
    return (
        statistics.median(samples),
        percentile(samples, 0.95),
        percentile(samples, 0.99),
        statistics.median(cpu[5:]),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite",
            "SECRET_KEY": "bench-" + "k" * 32,
            "SESSION_COOKIE_SECURE": False,
        }
    )
    # Measure the work, not a terminal: the request log goes nowhere here.
    logging.getLogger("companion.requests").disabled = True
    baby_id, username, password = seed(app, args.days)
    # As gunicorn.conf.py does in each worker once the app is loaded.
    gc.collect()
    gc.freeze()
    client = app.test_client()
    token = client.get("/api/v1/me").get_json()["csrf_token"]
    client.post(
        "/api/v1/login", json={"username": username, "password": password}, headers={"X-CSRFToken": token}
    )
    token = client.get("/api/v1/me").get_json()["csrf_token"]
    headers = {"X-CSRFToken": token, "Accept-Language": "fi"}

    # Writes land a month back, so they do not crowd the today page measured next.
    moment = [datetime.now(UTC) - timedelta(days=30)]

    def put_entry():
        moment[0] += timedelta(seconds=1)
        response = client.put(
            f"/api/v1/babies/{baby_id}/entries/{uuid.uuid4()}",
            json={"kind": "feeding", "start": moment[0].isoformat()},
            headers=headers,
        )
        assert response.status_code == 201, response.get_json()

    def today_page():
        response = client.get(f"/diary/{baby_id}/", headers=headers)
        assert response.status_code == 200

    results = {}
    results["entry PUT"] = timed(put_entry, args.repeat)
    results["today page"] = timed(today_page, args.repeat)

    extra = Path(__file__).with_name("rhythm_bench.py")
    if extra.exists():
        import importlib.util

        spec = importlib.util.spec_from_file_location("rhythm_bench", extra)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        results.update(module.run(client, baby_id, headers, timed, args.repeat))

    print(f"{'what':<40} {'median ms':>10} {'p95 ms':>8} {'p99 ms':>8} {'CPU ms':>8}")
    for name, (median, p95, p99, cpu) in results.items():
        print(f"{name:<40} {median:>10.2f} {p95:>8.2f} {p99:>8.2f} {cpu:>8.2f}")


if __name__ == "__main__":
    main()
