"""Trust figures on loopback, gunicorn with 2 workers (2 threads each), SQLite, the
production Argon2 cost:

1. recovery: the time of a wrong recovery code for an existing and for an unknown
   username (alternating); the difference is a username oracle;
2. entry PUTs under sign-up load: three sign-up loops (the per-address sign-up limit
   raised so that they keep signing up) while one parent PUTs entries one after another;
   latency of the PUTs and how many failed;
3. throttle bursts: BURST parallel wrong passwords for one username (limit 10) and wrong
   share codes for one worker (limit 5); how many were tried (answered 401/404) rather
   than refused (429). More than the limit is an overshoot.

Run from any checkout with its .venv: `.venv/bin/python bench/trust_bench.py` (this
checkout), or `--checkout /tmp/base` to measure another one (for before and after).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """A browser-like client: a cookie jar and the CSRF token of the session."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token = ""

    def refresh(self) -> None:
        self.token = self.call("GET", "/api/v1/me")[1]["csrf_token"]

    def call(self, method: str, path: str, body=None, form=None) -> tuple[int, dict, float]:
        headers = {"X-CSRFToken": self.token, "Accept-Language": "en"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if form is not None:
            data = urllib.parse.urlencode({"csrf_token": self.token, **form}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=120) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        elapsed = time.perf_counter() - started
        try:
            parsed = json.loads(raw) if raw else {}
        except ValueError:
            parsed = {}
        return status, parsed, elapsed


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def start_server(checkout: Path, env: dict, port: int, tmp: Path) -> subprocess.Popen:
    settings = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite",
        "SECRET_KEY": "b" * 64,
        "COMPANION_CODE_KEY": "c" * 64,
        "FLASK_SESSION_COOKIE_SECURE": "false",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
        "GUNICORN_LOGLEVEL": "warning",
        **env,
    }
    flask = checkout / ".venv" / "bin" / "flask"

    def flask_command(*args: str) -> None:
        subprocess.run(
            [str(flask), "--app", "companion", *args],
            cwd=checkout,
            env=settings,
            check=True,
            capture_output=True,
        )

    flask_command("db", "upgrade")
    flask_command("create-organisation", "bench", "Bench ry")
    flask_command(
        "create-user", "benchworker", "--role", "worker", "--organisation", "bench", "--password", PASSWORD
    )
    server = subprocess.Popen(
        [str(checkout / ".venv" / "bin" / "gunicorn"), "-b", f"127.0.0.1:{port}", "companion:create_app()"],
        cwd=checkout,
        env=settings,
        stdout=subprocess.DEVNULL,
        stderr=(tmp / "server.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


def sign_up(base: str, name: str) -> tuple[Client, int]:
    client = Client(base)
    client.refresh()
    status, body, _ = client.call("POST", "/api/v1/signup", {"username": name, "password": PASSWORD})
    assert status == 201, (status, body)
    client.refresh()
    status, body, _ = client.call("POST", "/api/v1/babies", {"name": "Aino"})
    return client, body["baby"]["id"]


def recovery(base: str, rounds: int) -> dict:
    sign_up(base, "timing-parent")
    times: dict[str, list[float]] = {"existing": [], "unknown": []}
    for round_number in range(rounds):
        for kind, name in (("existing", "timing-parent"), ("unknown", f"nobody-{round_number}")):
            client = Client(base)
            client.opener.add_handler(NoRedirect())
            client.refresh()
            form = {"username": name, "code": "abcde-fghjk", "new_password": "a brand new passphrase"}
            status, _body, elapsed = client.call("POST", "/recover", form=form)
            assert status == 401, status
            times[kind].append(elapsed * 1000)
    return {kind: (min(v), statistics.median(v), max(v)) for kind, v in times.items()}


def puts_under_signup_load(base: str, seconds: float) -> dict:
    parent, baby = sign_up(base, "busy-parent")
    stop = threading.Event()
    signups = {"done": 0, "failed": 0}

    def loop(number: int) -> None:
        count = 0
        while not stop.is_set():
            client = Client(base)
            try:
                client.refresh()
                status, _b, _e = client.call(
                    "POST", "/api/v1/signup", {"username": f"load{number}x{count}", "password": PASSWORD}
                )
            except OSError:
                status = 0
            signups["done" if status == 201 else "failed"] += 1
            count += 1

    loops = [threading.Thread(target=loop, args=(n,)) for n in range(3)]
    for thread in loops:
        thread.start()
    time.sleep(1)
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds
    start = datetime.now(UTC) - timedelta(days=2)
    while time.monotonic() < deadline:
        start += timedelta(minutes=3)
        body = {"kind": "feeding", "start": start.isoformat()}
        status, _b, elapsed = parent.call("PUT", f"/api/v1/babies/{baby}/entries/{uuid.uuid4()}", body)
        if status != 201:
            errors += 1
        latencies.append(elapsed * 1000)
        time.sleep(0.05)
    stop.set()
    for thread in loops:
        thread.join()
    latencies.sort()
    return {
        "puts": len(latencies),
        "failed_puts": errors,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1],
        "max_ms": latencies[-1],
        "signups": signups["done"],
        "signup_failures": signups["failed"],
    }


def enrolled_worker(base: str) -> Client:
    """The bench worker signed in (enrolling TOTP where the app asks for it)."""
    client = Client(base)
    client.refresh()
    status, body, _ = client.call("POST", "/api/v1/login", {"username": "benchworker", "password": PASSWORD})
    assert status == 200, (status, body)
    client.refresh()
    status, body, _ = client.call("POST", "/api/v1/me/second-factor")
    if status == 201:
        import pyotp  # noqa: PLC0415

        code = pyotp.TOTP(body["secret"]).now()
        status, body, _ = client.call("POST", "/api/v1/me/second-factor/confirm", {"otp": code})
        assert status == 200, (status, body)
    return client


def burst(size: int, prepare, send) -> list[int]:
    """``size`` requests at once, each from its own thread and client."""
    barrier = threading.Barrier(size)
    results: list[int] = []

    def run(index: int) -> None:
        client = prepare()
        barrier.wait()
        results.append(send(client, index))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def throttle_bursts(base: str, size: int, rounds: int) -> dict:
    out: dict[str, list[int]] = {"login (limit 10)": [], "share code (limit 5)": []}

    def fresh() -> Client:
        client = Client(base)
        client.refresh()
        return client

    for round_number in range(rounds):
        target = f"burst-target-{round_number}"
        sign_up(base, target)

        def login(client: Client, index: int, target: str = target) -> int:
            return client.call("POST", "/api/v1/login", {"username": target, "password": f"wrong {index}"})[0]

        out["login (limit 10)"].append(burst(size, fresh, login).count(401))
    worker = enrolled_worker(base)

    def as_worker() -> Client:
        client = Client(base)
        for cookie in worker.jar:
            client.jar.set_cookie(cookie)
        client.token = worker.token
        return client

    def redeem(client: Client, index: int) -> int:
        return client.call("POST", "/api/v1/share/redeem", {"code": f"9999 9999 {index:04d}"})[0]

    for _round in range(rounds):
        out["share code (limit 5)"].append(burst(size, as_worker, redeem).count(404))
        # The next round: the worker's failures forgotten (as an administrator's unlock).
        subprocess.run(
            [sys.executable, "-c", CLEAR_WORKER_FAILURES, DB_URL[0]], check=True, capture_output=True
        )
    return out


DB_URL: list[str] = []
CLEAR_WORKER_FAILURES = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1].removeprefix("sqlite:///"))
for table in ("throttle_counters", "throttle_events"):
    try:
        db.execute(f"DELETE FROM {table} WHERE bucket LIKE 'code:%'")
    except sqlite3.OperationalError:
        pass
db.commit()
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--burst", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        DB_URL.append(f"sqlite:///{tmp}/bench.sqlite")
        env = {
            "COMPANION_LOGIN_LIMIT_USER": "10",
            "COMPANION_CODE_LIMIT_USER": "5",
            "COMPANION_SIGNUP_LIMIT": "100000",
            "COMPANION_LOGIN_LIMIT_ADDRESS": "100000",
            "COMPANION_CODE_LIMIT_ADDRESS": "100000",
            "COMPANION_CODE_LIMIT_TOTAL": "100000",
        }
        server = start_server(args.checkout, env, port, Path(tmp))
        base = f"http://127.0.0.1:{port}"
        try:
            figures = {
                "recovery_ms (min, median, max)": recovery(base, args.rounds),
                "entry_puts_under_signup_load": puts_under_signup_load(base, args.seconds),
                "burst_tries_per_round": throttle_bursts(base, args.burst, args.rounds),
            }
            errors = (Path(tmp) / "server.log").read_text().count("OperationalError) database is locked")
        finally:
            server.terminate()
            server.wait(timeout=30)
    figures["server errors 'database is locked'"] = errors
    print(json.dumps({"checkout": str(args.checkout), **figures}))


if __name__ == "__main__":
    main()
