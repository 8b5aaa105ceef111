"""A parent's own wellbeing check-ins: private to that parent, gently connected to help."""

from flask import Blueprint, Flask

bp = Blueprint("wellbeing", __name__, url_prefix="/wellbeing", template_folder="templates")
api_bp = Blueprint("wellbeing_api", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    from companion.accounts.privacy import register_holder  # noqa: PLC0415
    from companion.diary import signals  # noqa: PLC0415
    from companion.wellbeing import api, privacy, views  # noqa: F401, PLC0415

    register_holder(app, privacy.HOLDER)

    # The pregnancy home shows the parent's own check-in card.
    signals.parent_card.connect(views.parent_card)
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
