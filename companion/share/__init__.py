"""One-time share codes, grants, partner invites, worker views and the audit trail."""

from flask import Blueprint, Flask

bp = Blueprint("share", __name__, template_folder="templates")
api_bp = Blueprint("share_api", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    from companion.share import api, models, views  # noqa: F401, PLC0415

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
