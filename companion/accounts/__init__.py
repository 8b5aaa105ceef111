"""Users, roles, sign-in, recovery codes, organisations, and the privacy rights."""

from flask import Blueprint, Flask

bp = Blueprint("accounts", __name__, template_folder="templates")
api_bp = Blueprint("accounts_api", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    from companion.accounts import api, cli, privacy, views  # noqa: F401, PLC0415

    privacy.register_holder(app, privacy.ACCOUNT)
    cli.register(app)
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
