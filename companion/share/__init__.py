"""One-time share codes, grants, partner invites, the worker's views and the audit trail."""

from flask import Blueprint, Flask

bp = Blueprint("share", __name__, template_folder="templates")
api_bp = Blueprint("share_api", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    from companion.accounts.privacy import register_holder  # noqa: PLC0415
    from companion.share import api, privacy, services, views  # noqa: F401, PLC0415
    from companion.wellbeing import services as wellbeing  # noqa: PLC0415

    register_holder(app, privacy.HOLDER)
    # The wellbeing pages say who can read a parent's check-ins; the grants are here.
    wellbeing.CHECKIN_READERS["share"] = services.wellbeing_readers

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
