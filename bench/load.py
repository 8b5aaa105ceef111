"""Load on loopback: gunicorn with 2 workers, wrk as the client (Debian package `wrk`).

1. entry writes: wrk PUTs new entries (each its own UUID) for --seconds; afterwards the
   database must hold exactly as many entries as were answered 201 (nothing lost);
2. the 14-day rhythm page with 4 clients.

Run: `.venv/bin/python bench/load.py` (SQLite) or with DATABASE_URL set for PostgreSQL.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def signed_in(base: str, username: str, password: str):
    """An opener with the session cookie of `username` (and its cookie jar), once the
    server answers."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    for _ in range(300):
        try:
            token = json.load(opener.open(base + "/api/v1/me"))["csrf_token"]
            break
        except OSError:
            time.sleep(0.1)
    login = urllib.request.Request(
        base + "/api/v1/login",
        method="POST",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json", "X-CSRFToken": token},
    )
    opener.open(login)
    return opener, jar


def start_gunicorn(checkout: Path, port: int, env: dict, log=subprocess.DEVNULL) -> subprocess.Popen:
    """gunicorn serving the checkout with its own gunicorn.conf.py, 2 workers, on loopback."""
    return subprocess.Popen(
        [
            str(checkout / ".venv" / "bin" / "gunicorn"),
            "-c",
            str(checkout / "gunicorn.conf.py"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "companion:create_app()",
        ],
        env=env,
        cwd=checkout,
        stdout=log,
        stderr=log,
    )


def worker_cpu_ticks(server: subprocess.Popen) -> tuple[int, int]:
    """(number of gunicorn workers, CPU ticks they have used so far)."""
    children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    ticks = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return len(children), ticks


def wait_until_idle(server: subprocess.Popen, workers: int = 2, timeout: float = 60.0) -> None:
    """Wait until every worker has started and warmed (their CPU use stops for half a second),
    so that no worker still warming shares the cores with the one measured."""
    deadline = time.monotonic() + timeout
    count, ticks = worker_cpu_ticks(server)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now_count, now_ticks = worker_cpu_ticks(server)
        if now_count == workers and count == workers and now_ticks - ticks <= 2:
            return
        count, ticks = now_count, now_ticks


def wrk(script: str, url: str, headers: dict, connections: int, seconds: int, env: dict) -> dict:
    args = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(ROOT / "bench" / script),
    ]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, env={**os.environ, **env}, check=True)
    line = next(line for line in out.stdout.splitlines() if line.startswith("RESULT"))
    return {k: float(v) for k, v in (item.split("=") for item in line.split()[1:])}


def sign_up_family(base: str, number: int) -> tuple[str, str, int]:
    """A new parent with a baby, through the API; returns (session cookie, CSRF token, baby)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def send(path, body, token):
        request = urllib.request.Request(
            base + path,
            method="POST",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": token},
        )
        return json.load(opener.open(request))

    token = json.load(opener.open(base + "/api/v1/me"))["csrf_token"]
    send("/api/v1/signup", {"username": f"family-{number}", "password": "load test family password"}, token)
    token = json.load(opener.open(base + "/api/v1/me"))["csrf_token"]
    baby = send("/api/v1/babies", {"name": f"Baby {number}"}, token)["baby"]["id"]
    cookie = next(c.value for c in jar if c.name == "companion_session")
    return cookie, token, baby


def mixed(base: str, args, start: str) -> None:
    """Many families at once: 4 in 5 requests log an entry, 1 in 5 reads a rhythm page."""
    families = [sign_up_family(base, n) for n in range(args.families)]
    result = wrk(
        "mixed.lua",
        base,
        {},
        max(args.connections, 8),
        args.seconds,
        {"FAMILIES": ";".join(f"{c}|{t}|{b}" for c, t, b in families), "START": start},
    )
    print(
        f"{args.families} families at once (4/5 writes, 1/5 rhythm pages): "
        f"{result['requests'] / result['duration_s']:.0f} requests/s, p50 {result['p50']:.1f} ms, "
        f"p95 {result['p95']:.1f} ms, p99 {result['p99']:.1f} ms, non-2xx {int(result['non2xx'])}, "
        f"socket errors {int(result['errors'])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--families", type=int, default=0, help="also run a mixed load of this many families")
    parser.add_argument(
        "--fault", action="store_true", help="kill one gunicorn worker (SIGKILL) in the middle of the writes"
    )
    parser.add_argument("--checkout", type=Path, default=ROOT, help="serve this checkout (with its .venv)")
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    tmp = tempfile.mkdtemp()
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp}/load.sqlite"),
        "SECRET_KEY": "load-test-" + "k" * 32,
        "FLASK_SESSION_COOKIE_SECURE": "false",
    }
    flask = [str(checkout / ".venv" / "bin" / "flask"), "--app", "companion"]
    run = {"env": env, "check": True, "capture_output": True, "text": True, "cwd": checkout}
    subprocess.run([*flask, "db", "upgrade"], **run)
    seeded = subprocess.run([*flask, "seed-demo", "--days", "14"], **run)
    username, password = re.search(r"as '([^']+)' with password '([^']+)'", seeded.stdout).groups()

    port = free_port()
    server = start_gunicorn(checkout, port, env)
    base = f"http://127.0.0.1:{port}"
    try:
        opener, jar = signed_in(base, username, password)
        me = json.load(opener.open(base + "/api/v1/me"))
        baby = json.load(opener.open(base + "/api/v1/babies"))["babies"][0]["id"]
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        headers = {"Cookie": cookie, "X-CSRFToken": me["csrf_token"], "Content-Type": "application/json"}

        wait_until_idle(server)
        # The page a parent opens most, one request at a time as one phone would ask; first,
        # while both workers are fresh (the writes below bring them to gunicorn's max_requests,
        # and a worker starting up then shares the cores with the one measured).
        today = wrk("get.lua", f"{base}/diary/{baby}/", {"Cookie": cookie}, 1, args.seconds, {})
        print(
            f"today page, 1 client: {today['requests'] / today['duration_s']:.0f} pages/s, "
            f"p50 {today['p50']:.1f} ms, p95 {today['p95']:.1f} ms, p99 {today['p99']:.1f} ms, "
            f"non-2xx {int(today['non2xx'])}"
        )

        before = len(json.load(opener.open(f"{base}/api/v1/babies/{baby}/entries"))["entries"])
        start = (date.today() - timedelta(days=30)).isoformat() + "T10:00:00+02:00"
        killer = None
        if args.fault:
            import signal  # noqa: PLC0415
            import threading  # noqa: PLC0415

            def kill_one_worker():
                time.sleep(args.seconds / 2)
                children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True)
                victim = int(children.stdout.split()[0])
                os.kill(victim, signal.SIGKILL)
                print(f"killed gunicorn worker {victim} mid-run; the master starts a new one", flush=True)

            killer = threading.Thread(target=kill_one_worker)
            killer.start()
        writes = wrk(
            "put.lua", base, headers, args.connections, args.seconds, {"BABY": str(baby), "START": start}
        )
        if killer:
            killer.join()
        after = len(json.load(opener.open(f"{base}/api/v1/babies/{baby}/entries"))["entries"])
        answered = int(writes["requests"] - writes["non2xx"])
        print(
            f"entry writes: {writes['requests'] / writes['duration_s']:.0f}/s, p50 {writes['p50']:.1f} ms, "
            f"p95 {writes['p95']:.1f} ms, p99 {writes['p99']:.1f} ms, non-2xx {int(writes['non2xx'])}, "
            f"socket errors {int(writes['errors'])}; {answered} answered 201, {after - before} stored "
            f"(the difference: requests still in flight when the run stopped)"
        )

        if args.families:
            mixed(base, args, start)
        pages = wrk("get.lua", f"{base}/diary/{baby}/rhythm", {"Cookie": cookie}, 4, args.seconds, {})
        print(
            f"14-day rhythm page, 4 clients: {pages['requests'] / pages['duration_s']:.0f} pages/s, "
            f"p50 {pages['p50']:.1f} ms, p95 {pages['p95']:.1f} ms, p99 {pages['p99']:.1f} ms, "
            f"non-2xx {int(pages['non2xx'])}"
        )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
