"""Families, babies, entries, the quick log and the entry API."""

from flask import Blueprint, Flask

bp = Blueprint("diary", __name__, url_prefix="/diary", template_folder="templates")
api_bp = Blueprint("diary_api", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    from companion.diary import api, views  # noqa: F401, PLC0415

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
