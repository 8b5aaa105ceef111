"""gunicorn settings for companion: `gunicorn 'companion:create_app()'` reads this file."""

import multiprocessing
import os

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
