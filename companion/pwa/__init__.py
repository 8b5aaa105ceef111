"""The web app manifest, the service worker route and the offline page."""

from flask import Blueprint, Flask

bp = Blueprint("pwa", __name__, template_folder="templates")


def register(app: Flask) -> None:
    app.register_blueprint(bp)
