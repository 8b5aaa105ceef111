"""A new worker's first requests, over HTTP: gunicorn with 2 workers on loopback, SQLite,
one baby with a year of diary (bench/run.py's made-up diary).

Each round sends the gunicorn master HUP (a graceful reload, as after a deployment or
gunicorn's `max_requests` recycling), waits until both new workers have started and are
idle, then times each new worker's very first request: one worker gets the whole-year
rhythm page first, the other the today page (swapped every round), then each gets the
other page as its second request. Which worker a connection reached is read from /proc
(the worker process holding the accepted socket), so every figure is one worker's own.

Run from any checkout with its .venv: `.venv/bin/python bench/warm.py` (this checkout), or
`--checkout /tmp/base` to measure another one (for before and after).
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

from load import free_port, start_gunicorn

ROOT = Path(__file__).resolve().parent.parent

SEED = """
import sys
sys.path.insert(0, {bench!r})
import run
from companion import create_app
app = create_app({{"SQLALCHEMY_DATABASE_URI": {url!r}, "SECRET_KEY": "warm-" + "k" * 32}})
print(run.seed(app, {days})[0])
"""


def workers(master: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True)
    return {int(pid) for pid in out.stdout.split()}


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def wait_for_new_workers(master: int, old: set[int], count: int, timeout: float = 120) -> list[int]:
    """The new workers, once there are ``count`` of them and none has used CPU for a second
    (started: imports done, app built and whatever it warms done)."""
    deadline = time.monotonic() + timeout
    while True:
        assert time.monotonic() < deadline, "the new workers did not start"
        new = workers(master) - old
        if len(new) == count and not (workers(master) & old):
            break
        time.sleep(0.1)
    ticks = {pid: cpu_ticks(pid) for pid in new}
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 1.0:
        assert time.monotonic() < deadline, "the new workers did not settle"
        time.sleep(0.2)
        now = {pid: cpu_ticks(pid) for pid in new}
        if now != ticks:
            ticks, quiet_since = now, time.monotonic()
    return sorted(new)


def socket_inode(server_port: int, client_port: int) -> int:
    """The inode of the server side of a loopback connection (0 until a worker accepted it)."""
    local = f"0100007F:{server_port:04X}"
    remote = f"0100007F:{client_port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        if parts[1] == local and parts[2] == remote:
            return int(parts[9])
    return 0


def owner(pids: list[int], inode: int) -> int | None:
    target = f"socket:[{inode}]"
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == target:
                    return pid
            except OSError:
                continue
    return None


def connection_to(port: int, pid: int, pids: list[int]) -> http.client.HTTPConnection:
    """A connection accepted by worker ``pid``; one that reached another worker is closed
    before it sends anything (that worker serves no request for it)."""
    for _ in range(200):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.connect()
        client_port = conn.sock.getsockname()[1]
        deadline = time.monotonic() + 5
        found = None
        while found is None and time.monotonic() < deadline:
            inode = socket_inode(port, client_port)
            found = owner(pids, inode) if inode else None
            if found is None:
                time.sleep(0.002)
        if found == pid:
            return conn
        conn.close()
    raise RuntimeError(f"no connection reached worker {pid}")


def timed_get(conn: http.client.HTTPConnection, path: str, cookie: str) -> float:
    start = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "fi"})
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status == 200, (path, response.status)
    return elapsed


def sign_in(base: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = json.load(opener.open(base + "/api/v1/me"))["csrf_token"]
    request = urllib.request.Request(
        base + "/api/v1/login",
        method="POST",
        data=json.dumps({"username": "bench", "password": "bench-password-1"}).encode(),
        headers={"Content-Type": "application/json", "X-CSRFToken": token},
    )
    opener.open(request).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def summary(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):6.1f}  min {min(values):6.1f}  max {max(values):6.1f}"
        f"  ({', '.join(f'{v:.0f}' for v in values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    python = checkout / ".venv" / "bin" / "python"

    tmp = tempfile.mkdtemp()
    url = f"sqlite:///{tmp}/warm.sqlite"
    seeded = subprocess.run(
        [str(python), "-c", SEED.format(bench=str(ROOT / "bench"), url=url, days=args.days)],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    )
    baby = int(seeded.stdout.split()[-1])
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "warm-" + "k" * 32,
        "COMPANION_CODE_KEY": "warm-code-" + "k" * 32,
        "FLASK_SESSION_COOKIE_SECURE": "false",
    }
    port = free_port()
    log = open(Path(tmp) / "gunicorn.log", "w")  # noqa: SIM115
    master = start_gunicorn(checkout, port, env, log)
    base = f"http://127.0.0.1:{port}"
    today = date.today()
    pages = {
        "year page": f"/diary/{baby}/rhythm?from={today - timedelta(days=364)}&to={today}",
        "today page": f"/diary/{baby}/",
    }
    first: dict[str, list[float]] = {name: [] for name in pages}
    second: dict[str, list[float]] = {name: [] for name in pages}
    try:
        pids = wait_for_new_workers(master.pid, set(), 2)
        for _ in range(50):
            try:
                cookie = sign_in(base)
                break
            except OSError:
                time.sleep(0.2)
        print(f"{checkout}: {args.days} days of diary, {args.rounds} rounds of HUP")
        for number in range(args.rounds):
            master.send_signal(signal.SIGHUP)
            pids = wait_for_new_workers(master.pid, set(pids), 2)
            order = list(pages) if number % 2 == 0 else list(reversed(pages))
            for times, names in ((first, order), (second, reversed(order))):
                for pid, name in zip(pids, names, strict=True):
                    conn = connection_to(port, pid, pids)
                    times[name].append(timed_get(conn, pages[name], cookie))
                    conn.close()
        for name in pages:
            print(f"a new worker's first request, {name:<11} {summary(first[name])} ms")
        for name in pages:
            print(f"its second request,          {name:<11} {summary(second[name])} ms")
    finally:
        master.terminate()
        master.wait(timeout=30)
        log.close()
        print(f"gunicorn's log: {tmp}/gunicorn.log")


if __name__ == "__main__":
    main()
