"""Memory of each gunicorn worker after real use: the statistics page for a year (the
whole country and one coordinator), a parent's today and rhythm pages.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:55432/national_2000 \
        .venv/bin/python bench/worker_memory.py

Uses the made-up accounts of bench/national.py. Prints each worker's resident memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import ROOT, free_port, signed_in, start_gunicorn  # noqa: E402
from national import PASSWORD  # noqa: E402


def session(base: str, username: str):
    return signed_in(base, username, PASSWORD)[0]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    port = free_port()
    env = {**os.environ, "SECRET_KEY": "memory", "FLASK_SESSION_COOKIE_SECURE": "false"}
    server = start_gunicorn(ROOT, port, env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        workers = [
            int(p)
            for p in subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
        ]
        before = {pid: rss_kb(pid) for pid in workers}
        year = date.today().year
        admin = session(base, "federation")
        coordinator = session(base, "tampere-coordinator")
        parent = session(base, "parent01234")
        baby = json.load(parent.open(base + "/api/v1/babies"))["babies"][0]["id"]
        for _round in range(6):  # both workers get every kind of request
            admin.open(f"{base}/stats/?year={year}").read()
            admin.open(f"{base}/stats/?year={year}&period=quarter").read()
            coordinator.open(f"{base}/stats/?year={year}").read()
            parent.open(f"{base}/diary/{baby}/").read()
            parent.open(f"{base}/diary/{baby}/rhythm").read()
        after = {pid: rss_kb(pid) for pid in workers}
        for pid in workers:
            print(
                f"worker {pid}: {before[pid] / 1024:.0f} MB after start-up, "
                f"{after[pid] / 1024:.0f} MB after use"
            )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
