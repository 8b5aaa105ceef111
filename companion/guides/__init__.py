"""Guidance articles: loading, rendering, index, search, help page, suggestions."""

from flask import Blueprint, Flask

bp = Blueprint("guides", __name__, template_folder="templates")


def register(app: Flask) -> None:
    from companion.guides import views  # noqa: F401, PLC0415

    app.register_blueprint(bp)
