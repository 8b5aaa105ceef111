"""The manifest, the service worker and the offline page.

The service worker's version is a hash of everything it precaches, computed when /sw.js
is served: a deploy that changes any shell file changes sw.js byte for byte, so browsers
install the new worker, which fetches the new files under new hashed URLs and deletes the
old caches. Old and new files are never mixed, because every shell URL names its content.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from flask import Response, current_app, render_template, request, url_for
from flask_babel import gettext as _

from companion.i18n import LANG_COOKIE, locale_code
from companion.pwa import bp
from companion.templating import asset_url

#: Static files the pages need to open offline (CSS, JS, the icon they show), as hashed URLs.
#: The PNG icons are the installer's, fetched when the app is installed: precaching them
#: would cost a first visit 17 KB of its 50 KB budget for nothing offline.
SHELL_FILES = (
    "css/app.css",
    "js/theme.js",
    "js/app.js",
    "js/outbox.js",
    "js/sending.js",
    "js/today.js",
    "js/quicklog.js",
    "icons/icon.svg",
)
#: Templates whose output the worker keeps (the offline page), and the service worker itself.
SHELL_TEMPLATES = ("pwa/sw.js", "pwa/offline.html", "base.html")

LIGHT = "#f6f3ee"
DARK = "#15171c"


@lru_cache(maxsize=64)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def _digest(path: str) -> str:
    try:
        stat = os.stat(path)
    except OSError:
        return "missing"
    return _file_digest(path, stat.st_mtime_ns, stat.st_size)


def shell_urls() -> list[str]:
    return [asset_url(name) for name in SHELL_FILES] + [url_for("pwa.offline")]


def shell_version(urls: list[str]) -> str:
    """A hash of the shell: the hashed URLs name the static files' content; templates and
    catalogs (the offline page's text) are hashed here."""
    env = current_app.jinja_env
    parts = list(urls)
    for name in SHELL_TEMPLATES:
        _source, filename, _uptodate = env.loader.get_source(env, name)  # type: ignore[union-attr]
        parts.append(_digest(filename))
    translations = Path(current_app.root_path) / "translations"
    parts.extend(_digest(str(mo)) for mo in sorted(translations.glob("*/LC_MESSAGES/messages.mo")))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@bp.get("/sw.js")
def service_worker():
    urls = shell_urls()
    body = render_template(
        "pwa/sw.js", version=shell_version(urls), shell=urls, offline=url_for("pwa.offline")
    )
    response = Response(body, mimetype="application/javascript")
    # Browsers check for a new worker on navigation; no-cache makes them ask every time.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """Localised by ?lang= or Accept-Language: browsers fetch the manifest without cookies."""
    icons = [
        {"src": asset_url(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ] + [
        {
            "src": asset_url(f"icons/icon-maskable-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for size in (192, 512)
    ]
    body = {
        "id": "/diary/",
        "name": _("Baby diary"),
        "short_name": _("Diary"),
        "description": _("A sleep and crying diary, day rhythm and guidance for families with a baby."),
        "lang": locale_code(),
        "dir": "ltr",
        "start_url": url_for("diary.home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": LIGHT,
        "background_color": LIGHT,
        # The W3C manifest's dark-scheme colours; browsers without it use the ones above.
        "color_scheme_dark": {"theme_color": DARK, "background_color": DARK},
        "icons": icons,
    }
    response = Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Accept-Language")
    return response


@bp.get("/offline")
def offline():
    """What the service worker shows for a page it cannot fetch and has not kept."""
    response = Response(render_template("pwa/offline.html"))
    response.headers["Cache-Control"] = "no-cache"
    return response


def keep_manifest_cookieless(response: Response) -> Response:
    """The manifest link carries the page's language; it is not a choice to remember."""
    if request.endpoint == "pwa.manifest":
        cookies = [c for c in response.headers.getlist("Set-Cookie") if not c.startswith(f"{LANG_COOKIE}=")]
        response.headers.setlist("Set-Cookie", cookies)
    return response
