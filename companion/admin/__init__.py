"""Administration: organisations and the workers' accounts, for the federation's admin."""

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def register(app: Flask) -> None:
    from companion.admin import views  # noqa: F401, PLC0415

    app.register_blueprint(bp)
