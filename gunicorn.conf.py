"""gunicorn settings for companion: `gunicorn 'companion:create_app()'` reads this file."""

import fcntl
import multiprocessing
import os
import shutil
import tempfile
import time
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
# Each worker builds its own app after the fork (database connections are not shared).
preload_app = False
accesslog = None  # the app logs requests itself, without personal data
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


# -- workers retire one at a time ----------------------------------------------------------
#
# A worker retires after `max_requests` (plus up to the jitter) and the master starts a new
# one, which takes a few seconds to import, build and warm the app before it accepts. The
# workers share the load evenly, so they reach their limits close together; should all of
# them be starting at once, nobody takes requests for those seconds (requests waited up to
# 1.4 s under load). So a worker about to retire first looks whether another worker is
# starting or retiring, and if one is, serves `RETIRE_LATER` more requests before it looks
# again. The workers tell each other through files named by their pid in a directory of
# the master's (`<pid>.starting` from the fork until warm, `<pid>.retiring` until it exits),
# read and written under a file lock.

#: How many more requests a worker serves when another is starting or retiring.
RETIRE_LATER = 50
#: A retiring worker counts as retiring this long after it exited (the master needs a
#: moment to start its successor, which then counts as starting).
RETIRED_GRACE_S = 2.0


def _turns(worker) -> Path:
    path = Path(tempfile.gettempdir()) / f"companion-gunicorn-{worker.ppid}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _busy(turns: Path, me: int) -> bool:
    """Whether another worker is starting or retiring (stale files are removed)."""
    now = time.time()
    for mark in turns.glob("*.*"):
        pid_text, _, state = mark.name.partition(".")
        if not pid_text.isdigit() or int(pid_text) == me:
            continue
        try:
            recent = now - mark.stat().st_mtime < RETIRED_GRACE_S
        except FileNotFoundError:
            continue
        if _alive(int(pid_text)) or (state == "retiring" and recent):
            return True
        mark.unlink(missing_ok=True)
    return False


def post_fork(server, worker):
    """The new worker counts as starting until it is warm (`post_worker_init`)."""
    (_turns(worker) / f"{worker.pid}.starting").touch()


def pre_request(worker, req):
    """A worker about to retire waits while another is starting or retiring."""
    if worker.nr + 1 < worker.max_requests:
        return
    turns = _turns(worker)
    with open(turns / "lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _busy(turns, worker.pid):
            worker.max_requests = worker.nr + 1 + RETIRE_LATER
        else:
            (turns / f"{worker.pid}.retiring").touch()


def worker_exit(server, worker):
    """A worker that dies while starting no longer counts as starting; one that retires
    counts as retiring for `RETIRED_GRACE_S` from now."""
    turns = _turns(worker)
    (turns / f"{worker.pid}.starting").unlink(missing_ok=True)
    if (turns / f"{worker.pid}.retiring").exists():
        (turns / f"{worker.pid}.retiring").touch()


def on_exit(server):
    shutil.rmtree(Path(tempfile.gettempdir()) / f"companion-gunicorn-{server.pid}", ignore_errors=True)


def post_worker_init(worker):
    """Warm the worker's app before it takes a request, then move it out of the garbage
    collector's sight.

    Each worker builds the app after the fork; `companion.warm.warm_up` then does what its
    first requests would otherwise pay for (templates, catalogs, the database connection,
    the pages' code paths). Everything made while loading and warming lives as long as the
    worker; frozen, it is no longer traversed by every collection, which a year's rhythm
    page (thousands of short-lived objects) otherwise pays for.
    """
    import gc  # noqa: PLC0415

    from flask import Flask  # noqa: PLC0415

    from companion.warm import warm_up  # noqa: PLC0415

    if isinstance(worker.wsgi, Flask):
        worker.log.info("worker %s warmed in %.0f ms", worker.pid, warm_up(worker.wsgi))
    gc.collect()
    gc.freeze()
    (_turns(worker) / f"{worker.pid}.starting").unlink(missing_ok=True)
