"""The statistics page for a year the first time, on a national-scale database (bench/national.py):
with nothing kept, with each grant's change over the work kept, and in another process (the
year's report kept in the database), several rounds in one process after one untimed view.

    .venv/bin/python bench/stats_first_view.py --rounds 3 \
        --url postgresql+psycopg://postgres@127.0.0.1:55432/national_2000

Prints, per round, the wall clock and in parentheses the CPU time of the request's thread in
ms (PostgreSQL's own is not in it), and the 1-minute load average in brackets. Run it from two
checkouts in turn (a second worktree at the base commit) to compare code.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from national_bench import bench_app, signed_in  # noqa: E402

from companion.extensions import db  # noqa: E402
from companion.share.models import Grant  # noqa: E402
from companion.stats import models, services  # noqa: E402

CASES = (("nothing kept", True, True), ("changes kept", True, False), ("another process", False, False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", help="write a cProfile of the first 'nothing kept' view here")
    args = parser.parse_args()
    app = bench_app(args.url)
    admin, headers = signed_in(app, "federation")
    path = f"/stats/?year={date.today().year}"
    assert admin.get(path, headers=headers).status_code == 200  # untimed: imports, caches

    def forget(months: bool, changes: bool) -> None:
        with app.app_context():
            if months:
                db.session.query(models.StatsMonth).delete()
                db.session.query(models.StatsReport).delete()
            if changes:
                db.session.query(Grant).update({"change_figures": None})
            db.session.commit()
            services.kept("reports").clear()
            services.kept("views").clear()

    gc.collect()
    gc.freeze()
    for number in range(args.rounds):
        out = []
        for name, months, changes in CASES:
            forget(months, changes)
            load = os.getloadavg()[0]
            profile = cProfile.Profile() if args.profile and number == 0 and months and changes else None
            start, start_cpu = time.perf_counter(), time.thread_time()
            if profile:
                profile.enable()
            response = admin.get(path, headers=headers)
            if profile:
                profile.disable()
                profile.dump_stats(args.profile)
            wall, cpu = (time.perf_counter() - start) * 1000, (time.thread_time() - start_cpu) * 1000
            assert response.status_code == 200
            out.append(f"{name}: {wall:.0f} ({cpu:.0f}) [{load:.1f}]")
        print(" | ".join(out), flush=True)


if __name__ == "__main__":
    main()
