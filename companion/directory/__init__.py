"""Baby blues near you: the organisations' public pages, contact requests, and each
organisation's own page kept by its coordinator."""

from flask import Blueprint, Flask, abort, current_app, request

bp = Blueprint("directory", __name__, template_folder="templates")
api_bp = Blueprint("directory_api", __name__, url_prefix="/api/v1")


@bp.before_request
@api_bp.before_request
def limit_body() -> None:
    """Contact requests and organisation pages are small: refuse big bodies early (413)."""
    if request.method in ("POST", "PUT", "PATCH"):
        limit = int(current_app.config["COMPANION_DIRECTORY_MAX_BODY"])
        if (request.content_length or 0) > limit:
            abort(413)
        request.max_content_length = limit


def register(app: Flask) -> None:
    from companion.accounts.privacy import register_holder  # noqa: PLC0415
    from companion.directory import api, privacy, views  # noqa: F401, PLC0415
    from companion.share.panels import add_worker_panel  # noqa: PLC0415

    register_holder(app, privacy.HOLDER)
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    add_worker_panel(app, views.worker_panel)
