"""The day rhythm: figures, charts and sentences of a period of the diary, the rhythm
pages and API, and the rhythm plan agreed with the Baby blues worker."""

from flask import Blueprint, Flask

bp = Blueprint("rhythm", __name__, url_prefix="/diary", template_folder="templates")
api_bp = Blueprint("rhythm_api", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    from companion.accounts.privacy import register_holder  # noqa: PLC0415
    from companion.rhythm import api, privacy, views  # noqa: F401, PLC0415
    from companion.rhythm.cache import RenderedCache  # noqa: PLC0415

    register_holder(app, privacy.HOLDER)

    app.extensions["companion.rendered"] = RenderedCache(int(app.config["COMPANION_RHYTHM_CACHE_SIZE"]))
    app.extensions["companion.rhythm_weeks"] = RenderedCache(
        int(app.config["COMPANION_RHYTHM_WEEK_CACHE_SIZE"])
    )
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
