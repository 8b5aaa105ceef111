"""A parent's own wellbeing check-ins: private to that parent, gently connected to help."""

from flask import Blueprint, Flask

bp = Blueprint("wellbeing", __name__, url_prefix="/wellbeing", template_folder="templates")
api_bp = Blueprint("wellbeing_api", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    from companion.wellbeing import api, models, views  # noqa: F401, PLC0415

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
