"""One-time share codes, grants, partner invites, worker views and the audit trail."""

from flask import Blueprint, Flask

bp = Blueprint("share", __name__, template_folder="templates")


def register(app: Flask) -> None:
    app.register_blueprint(bp)
