"""Families, babies, entries, the quick log and the entry API."""

from flask import Blueprint, Flask

bp = Blueprint("diary", __name__, url_prefix="/diary", template_folder="templates")
api_bp = Blueprint("diary_api", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    from companion.accounts import signals  # noqa: PLC0415
    from companion.accounts.privacy import register_holder  # noqa: PLC0415
    from companion.diary import api, privacy, services, views  # noqa: F401, PLC0415

    signals.parent_signed_up.connect(services.family_for_new_parent)
    register_holder(app, privacy.HOLDER)
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
