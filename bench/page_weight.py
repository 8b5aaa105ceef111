"""Page weight of the today page: what a phone downloads on its first visit, compressed.

Starts the app on loopback with a parent, one baby and 30 days of realistic diary (today's
entries shown, a sleep running), signs in through the API (so no other page warms the
cache), then opens the today page in Debian's Chromium through Playwright with an empty
cache and sums what went over the wire:

- as Chromium counts it (CDP Network.loadingFinished encodedDataLength: compressed body
  plus headers) for every request the page itself made, by type;
- as the server sent it (bytes of body and headers, counted in a WSGI wrapper), which also
  sees what the service worker fetched for its precache after the page had loaded.

Then a repeat visit (HTTP cache and service worker warm). Prints the figures; the budget
(DESIGN.md) is 50 KB for a first visit, HTML, CSS, JS and icons together, and no plotting
library.

With --lighthouse it also runs Lighthouse 11 (mobile, its default simulated throttling)
on the same page through npx, with Debian's Chromium headless and the browser tests' flags,
signed in by a session cookie header, and prints the scores.

    .venv/bin/python bench/page_weight.py [--repeat 3] [--lighthouse]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

from companion import create_app  # noqa: E402
from companion.extensions import db  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
USERNAME, PASSWORD = "weigh", "weigh-password-1"


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


BUDGET = 50 * 1024


class ByteCounter:
    """WSGI wrapper: bytes of status line, headers and body of every response, by path."""

    def __init__(self, app):
        self.app = app
        self.sent: list[tuple[str, int]] = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "") + (
            "?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""
        )
        head = [0]

        def counting_start(status, headers, exc_info=None):
            head[0] = len(f"HTTP/1.1 {status}\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in headers) + 2
            return start_response(status, headers, exc_info)

        body = 0
        for chunk in self.app(environ, counting_start):
            body += len(chunk)
            yield chunk
        with self.lock:
            self.sent.append((path, head[0] + body))

    def take(self) -> list[tuple[str, int]]:
        with self.lock:
            taken, self.sent = self.sent, []
        return taken


def seed(app) -> int:
    from run import diary_rows  # bench/run.py, beside this script

    from companion.accounts.services import sign_up
    from companion.diary import services
    from companion.diary.models import Entry
    from companion.rhythm.clock import local_date
    from companion.types import utcnow

    with app.app_context():
        db.create_all()
        user, _codes = sign_up(USERNAME, PASSWORD)
        tz = services.family_zone(services.family_of(user))
        today = local_date(utcnow(), tz)
        baby = services.create_baby(user, "Aino", birth_date=today - timedelta(days=60))
        now = utcnow()
        rows = diary_rows(user, baby, today - timedelta(days=30), 31, tz, now, timedelta(minutes=40))
        rows.append(
            Entry(
                id=str(uuid.uuid4()),
                baby_id=baby.id,
                kind="sleep",
                start=now - timedelta(minutes=25),
                created_by_id=user.id,
                created_at=now,
                updated_at=now,
            )
        )
        db.session.add_all(rows)
        db.session.commit()
        return baby.id


def sign_in(context, base: str) -> None:
    token = context.request.get(base + "/api/v1/me").json()["csrf_token"]
    response = context.request.post(
        base + "/api/v1/login",
        data=json.dumps({"username": USERNAME, "password": PASSWORD}),
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
    )
    assert response.ok, response.text()


def kind_of(url: str, mime: str) -> str:
    path = urlsplit(url).path
    if path.startswith("/api/"):
        return "api"
    if "javascript" in mime or path.endswith(".js"):
        return "js"
    if "css" in mime:
        return "css"
    if mime.startswith("image/"):
        return "icons"
    if "manifest" in mime or path.endswith(".webmanifest"):
        return "manifest"
    return "html"


def visit(context, url: str) -> dict:
    """One page load; what Chromium received for each request the page made."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    seen: dict[str, dict] = {}
    cdp.on(
        "Network.responseReceived",
        lambda e: seen.setdefault(e["requestId"], {}).update(
            url=e["response"]["url"],
            mime=e["response"].get("mimeType", ""),
            encoding=e["response"]["headers"].get(
                "content-encoding", e["response"]["headers"].get("Content-Encoding", "")
            ),
            cached=e["response"].get("fromDiskCache") or e["response"].get("fromServiceWorker"),
        ),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: seen.setdefault(e["requestId"], {}).update(bytes=e["encodedDataLength"]),
    )
    page.goto(url, wait_until="load")
    page.wait_for_selector("#today-data[data-ready]", state="attached")
    deadline = time.monotonic() + 10
    while not page.evaluate("navigator.serviceWorker.controller !== null"):
        assert time.monotonic() < deadline, "the service worker never took over"
        page.wait_for_timeout(25)
    page.wait_for_timeout(300)  # let the worker finish its precache
    plotting = page.evaluate("typeof window.Plotly !== 'undefined'")
    page.close()
    return {"requests": [r for r in seen.values() if "url" in r], "plotting": plotting}


def run_once(browser, base: str, today: str, counter: ByteCounter) -> dict:
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="fi-FI")
    sign_in(context, base)
    counter.take()
    first = visit(context, today)
    server_first = counter.take()
    repeat = visit(context, today)
    server_repeat = counter.take()
    context.close()
    return {"first": first, "server_first": server_first, "repeat": repeat, "server_repeat": server_repeat}


def summarise(visit_result: dict) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for request in visit_result["requests"]:
        if request.get("cached"):
            continue
        totals[kind_of(request["url"], request["mime"])] += int(request.get("bytes", 0))
    return dict(totals)


def lighthouse(app, url: str, runs: int) -> None:
    """Lighthouse 11 on the today page, signed in through a cookie header."""
    client = app.test_client()
    token = client.get("/api/v1/me").get_json()["csrf_token"]
    client.post(
        "/api/v1/login", json={"username": USERNAME, "password": PASSWORD}, headers={"X-CSRFToken": token}
    )
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    scores: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        with tempfile.NamedTemporaryFile(suffix=".json") as report:
            subprocess.run(
                [
                    "npx",
                    "--yes",
                    "lighthouse@11",
                    url,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report.name}",
                    "--only-categories=performance,accessibility,best-practices,pwa",
                    "--chrome-flags=--headless=new " + " ".join(FLAGS),
                    "--extra-headers="
                    + json.dumps({"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"}),
                ],
                check=True,
                env={**os.environ, "CHROME_PATH": CHROMIUM},
                timeout=300,
            )
            result = json.load(report)
        for name, category in result["categories"].items():
            scores[name].append(category["score"])
        scores["installable"].append(result["audits"]["installable-manifest"]["score"])
        for audit in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time"):
            scores[audit].append(result["audits"][audit]["numericValue"])
    print(f"\nLighthouse {result['lighthouseVersion']}, mobile, {runs} runs (median, min-max):")
    for name, values in scores.items():
        print(f"  {name:<26} {statistics.median(values):>8.2f}  ({min(values):.2f}-{max(values):.2f})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse 11 through npx")
    parser.add_argument(
        "--page", default="today", choices=["today", "rhythm", "wellbeing"], help="the page to audit"
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from companion.assets import precompress

    tmp = tempfile.mkdtemp()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/weight.sqlite",
            "SECRET_KEY": "weight-" + "k" * 32,
            "SESSION_COOKIE_SECURE": False,
        }
    )
    precompress(app.static_folder)
    baby_id = seed(app)
    counter = ByteCounter(app.wsgi_app)
    app.wsgi_app = counter
    logging.disable(logging.INFO)  # no access log lines among the figures
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    today = f"{base}/diary/{baby_id}/"

    runs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        version = browser.version
        for _ in range(args.repeat):
            runs.append(run_once(browser, base, today, counter))
        browser.close()

    last = runs[-1]
    print(f"Chromium {version}, today page {today.replace(base, '')}, {args.repeat} runs (median)\n")
    print("First visit, requests the page made (compressed body + headers, as Chromium counted):")
    for request in sorted(last["first"]["requests"], key=lambda r: r["url"]):
        path = request["url"].replace(base, "")
        print(f"  {request.get('bytes', 0):>7,} B  {request['encoding'] or '-':<4} {path}")
    kinds = sorted({k for run in runs for k in summarise(run["first"])})
    medians = {k: statistics.median(summarise(run["first"]).get(k, 0) for run in runs) for k in kinds}
    page_total = sum(v for k, v in medians.items())
    shell = sum(v for k, v in medians.items() if k != "api")
    print("\nFirst visit by type:")
    for kind in kinds:
        print(f"  {kind:<9} {medians[kind]:>8,.0f} B")
    print(f"  {'page':<9} {page_total:>8,.0f} B  ({page_total / 1024:.1f} KB)")
    print(f"  {'shell':<9} {shell:>8,.0f} B  (HTML, CSS, JS and icons: {shell / 1024:.1f} KB)")

    server_totals = [sum(n for _p, n in run["server_first"]) for run in runs]
    server_first = statistics.median(server_totals)
    worker_only = statistics.median(
        sum(n for _p, n in run["server_first"]) - sum(summarise(run["first"]).values()) for run in runs
    )
    print("\nFirst visit as the server sent it, service worker included:")
    for path, size in sorted(last["server_first"]):
        print(f"  {size:>7,} B  {path}")
    print(
        f"  total {server_first:,.0f} B ({server_first / 1024:.1f} KB, runs {min(server_totals) / 1024:.1f}-"
        f"{max(server_totals) / 1024:.1f} KB); the worker's own share about {worker_only / 1024:.1f} KB"
    )
    repeat = statistics.median(sum(n for _p, n in run["server_repeat"]) for run in runs)
    print(f"\nRepeat visit, all sent by the server: {repeat:,.0f} B ({repeat / 1024:.1f} KB)")
    print(f"Plotting library on the page: {'yes' if last['first']['plotting'] else 'no'}")
    verdict = "within" if server_first <= BUDGET and not last["first"]["plotting"] else "OVER"
    print(f"Budget 50 KB (first visit, everything): {verdict}")
    if args.lighthouse:
        audited = {"today": today, "rhythm": f"{today}rhythm", "wellbeing": f"{base}/wellbeing/"}
        lighthouse(app, audited[args.page], args.repeat)
    server.shutdown()


if __name__ == "__main__":
    main()
