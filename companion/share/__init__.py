"""One-time share codes, grants, partner invites, worker views and the audit trail."""

import os
from collections.abc import Callable

from flask import Blueprint, Flask, current_app

bp = Blueprint("share", __name__, template_folder="templates")
api_bp = Blueprint("share_api", __name__, url_prefix="/api/v1")


def add_worker_panel(app: Flask, render: Callable[[object], str]) -> None:
    """A later feature adds a panel to the worker's home page: `render(user)` gives its
    HTML, or "" for nothing (registered at start-up, so sharing imports no later feature)."""
    app.extensions.setdefault("companion.worker_panels", []).append(render)


def worker_panels(user) -> list[str]:
    """The HTML of every panel for the worker's home page, in the order they were added."""
    rendered = (render(user) for render in current_app.extensions.get("companion.worker_panels", []))
    return [html for html in rendered if html]


def register(app: Flask) -> None:
    from companion.share import api, models, views  # noqa: F401, PLC0415

    key = app.config.get("COMPANION_CODE_KEY")
    if key and not isinstance(key, str):
        # COMPANION_* settings are read as JSON: an all-digit key would arrive as a number.
        key = os.environ.get("COMPANION_CODE_KEY") or str(key)
    if not key:
        from companion.keys import load_or_create_key  # noqa: PLC0415

        # Kept outside the database: a copy of the database alone cannot test codes.
        key = load_or_create_key(os.path.join(app.instance_path, "code_key"))
    app.config["COMPANION_CODE_KEY"] = key
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
