"""Template globals and filters: hashed asset URLs and locale-aware formatting."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from urllib.parse import urlencode

from flask import Flask, current_app, has_request_context, request, url_for
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup
from werkzeug.routing import BuildError

from companion import helplines, i18n
from companion.types import stamp

LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
#: The languages' formatting the templates call, by the same names as in `companion.i18n`.
I18N_GLOBALS = (
    i18n.locale_code,
    i18n.format_duration,
    i18n.format_age,
    i18n.format_day,
    i18n.format_clock,
    i18n.format_hour_clock,
    i18n.clock_pattern,
    i18n.format_moment,
    i18n.zone_city,
)


@lru_cache(maxsize=512)
def _file_hash(path: str, mtime: float) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """A content-hashed URL: the file can be cached for a year and changes its URL.

    Worked out again only when the file's modification time changes: a page names a dozen
    files, and building each URL costs more than looking at the file."""
    path = os.path.join(current_app.static_folder or "", filename)
    try:
        mtime = os.path.getmtime(path)
    except OSError:
        return url_for("static", filename=filename)
    kept = current_app.extensions.setdefault("companion.asset_urls", {})
    key = (path, request.script_root if has_request_context() else "")
    found = kept.get(key)
    if found is None or found[0] != mtime:
        found = kept[key] = (mtime, url_for("static", filename=filename, v=_file_hash(path, mtime)))
    return found[1]


def lang_url(lang: str) -> str:
    """This page in another language. The query is copied as it came, never handed to
    url_for, which would take arguments such as ``_method`` or ``_external`` for its own."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    args.append(("lang", lang))
    try:
        path = url_for(request.endpoint or "accounts.index", **(request.view_args or {}))
    except BuildError:  # an error page of a URL that matched no route
        path = url_for("accounts.index")
    return f"{path}?{urlencode(args)}"


def _catalog_gettext(catalog):
    """The templates' ``_()`` and ``gettext()`` for one catalog: what Jinja's new-style
    gettext does (escaped as the template is, always a format string) in one call instead
    of three. A string without variables is worked out once and kept: a page asks for a
    hundred, and each cost more than its row of markup."""
    kept: dict = {}

    @pass_eval_context  # not the whole context: Jinja would copy it for each call in a block
    def gettext(eval_ctx, string: str, **variables) -> str:
        autoescape = eval_ctx.autoescape
        if variables:
            found = catalog.ugettext(string)
            return (Markup(found) if autoescape else found) % variables
        key = (string, autoescape)
        found = kept.get(key)
        if found is None:
            found = catalog.ugettext(string)
            found = kept[key] = (Markup(found) if autoescape else found) % {}
        return found

    return gettext


def catalog_gettext():
    """The request's catalog's ``_()``, made once per catalog (each render gets it from a
    context processor, so a call does not look the catalog up again)."""
    return i18n.kept_per_language("template_gettext", lambda: _catalog_gettext(i18n.translations()))


@pass_eval_context
def template_gettext(eval_ctx, string: str, **variables) -> str:
    """``_()`` where a template has no render context of its own (macros imported without
    context): the request's catalog looked up for the call."""
    return catalog_gettext()(eval_ctx, string, **variables)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        asset_url=asset_url,
        lang_url=lang_url,
        language_names=LANGUAGE_NAMES,
        helplines=helplines,
        **{function.__name__: function for function in I18N_GLOBALS},
    )
    # The templates' _() through the request's catalog, looked up once (Flask-Babel's
    # callables look it up again for every string).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: i18n.translations().ugettext(s),
        ngettext=lambda s, p, n: i18n.translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: i18n.translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: i18n.translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)
    app.jinja_env.filters["duration"] = i18n.format_duration
    app.jinja_env.filters["stamp"] = stamp
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject_user():
        gettext = catalog_gettext()
        return {
            "_": gettext,
            "gettext": gettext,
            "current_user": current_user,
            "quick_exit_url": app.config["COMPANION_QUICK_EXIT_URL"],
        }

    @app.after_request
    def cache_hashed_assets(response):
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 31536000
            response.cache_control.immutable = True
        return response
