"""Feedback from families and statistics for the associations and the federation."""

from flask import Blueprint, Flask

bp = Blueprint("stats", __name__, template_folder="templates")
api_bp = Blueprint("stats_api", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    from companion.accounts import signals as account_signals  # noqa: PLC0415
    from companion.accounts.privacy import register_holder  # noqa: PLC0415
    from companion.share import signals  # noqa: PLC0415
    from companion.stats import api, cli, privacy, services, views  # noqa: F401, PLC0415

    register_holder(app, privacy.HOLDER)
    app.extensions.setdefault("companion.privacy_sections", []).append("stats/_privacy.html")
    # Grants made, ended or whose consent changed: their months are worked out again.
    signals.grant_changed.connect(services.grant_changed)
    # The daily prune works out the recent months, so the first page view is quick.
    account_signals.pruned.connect(services.refresh_after_prune)
    cli.register(app)
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
