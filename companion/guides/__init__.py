"""Guidance articles: loading, rendering, index, search, help page, suggestions."""

from flask import Blueprint, Flask

bp = Blueprint("guides", __name__, template_folder="templates")


def register(app: Flask) -> None:
    from companion.diary import signals  # noqa: PLC0415
    from companion.guides import reading, views  # noqa: F401, PLC0415
    from companion.guides.content import LANGUAGES, cached_library, default_content_dir  # noqa: PLC0415
    from companion.guides.search import index_for  # noqa: PLC0415

    # Every article is read and checked now: a broken file stops the start, naming the file.
    library = cached_library(app.config.get("CONTENT_DIR") or default_content_dir())
    for lang in LANGUAGES:
        index_for(library, lang)  # built once per process, not on a reader's first search
    app.extensions["companion.guides"] = library
    # A baby's pages (diary, rhythm) show the reading suggested for the baby.
    signals.baby_reading.connect(reading.baby_reading)
    signals.pregnancy_reading.connect(reading.pregnancy_reading)
    app.register_blueprint(bp)
