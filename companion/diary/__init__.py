"""Babies, entries, the quick log, the entry API, rhythm analysis and charts."""

from flask import Blueprint, Flask

bp = Blueprint("diary", __name__, url_prefix="/diary", template_folder="templates")
api_bp = Blueprint("diary_api", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    from companion.diary import api, views  # noqa: F401, PLC0415
    from companion.diary.pagecache import RenderedCache  # noqa: PLC0415

    app.extensions["companion.rendered"] = RenderedCache(int(app.config["COMPANION_RHYTHM_CACHE_SIZE"]))
    app.extensions["companion.rhythm_weeks"] = RenderedCache(
        int(app.config["COMPANION_RHYTHM_WEEK_CACHE_SIZE"])
    )

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
