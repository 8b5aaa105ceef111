"""The web app manifest, the service worker route and the offline page."""

from flask import Blueprint, Flask

bp = Blueprint("pwa", __name__, template_folder="templates")


def register(app: Flask) -> None:
    from companion.pwa import views  # noqa: PLC0415

    app.register_blueprint(bp)
    # Registered before the app's own after_request hooks, so it runs after them (Flask
    # runs them in reverse): the manifest's ?lang= is the page's language, not a choice.
    app.after_request(views.keep_manifest_cookieless)
