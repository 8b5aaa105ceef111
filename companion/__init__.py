"""companion: sleep and crying diary, day rhythm, guidance and sharing for Baby blues work."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The application factory: defaults, then the environment, then the test settings."""
    from companion import config  # noqa: PLC0415  (importing the package does nothing)

    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.DEFAULTS)
    if app.debug:
        app.config["SESSION_COOKIE_SECURE"] = False
    app.config.from_mapping(config.from_environment(app.instance_path))
    app.config.from_prefixed_env()
    if test_config:
        app.config.from_mapping(test_config)
    load_keys(app)

    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_commands(app)
    from companion import ops  # noqa: PLC0415
    from companion.errors import register_error_handlers  # noqa: PLC0415

    ops.init_app(app)
    register_error_handlers(app)
    return app


def load_keys(app: Flask) -> None:
    """SECRET_KEY and COMPANION_CODE_KEY: from the settings, or created once in instance/.
    Outside debug a given key shorter than 32 bytes stops the start with a message that
    says how to make one."""
    from companion.keys import check_secret, load_or_create_key  # noqa: PLC0415

    for name, filename in (("SECRET_KEY", "secret_key"), ("COMPANION_CODE_KEY", "code_key")):
        key = app.config.get(name)
        if key and not isinstance(key, str):
            # COMPANION_* settings are read as JSON: an all-digit key would arrive as a number.
            key = os.environ.get(name) or str(key)
        if not key:
            # Kept outside the database: a copy of the database alone cannot test codes.
            key = load_or_create_key(os.path.join(app.instance_path, filename))
        elif not (app.debug or app.testing):
            check_secret(name, key)
        app.config[name] = key


def register_extensions(app: Flask) -> None:
    from sqlalchemy import event  # noqa: PLC0415

    from companion.accounts.sessions import load_session_user  # noqa: PLC0415
    from companion.extensions import babel, compress, csrf, db, login_manager, migrate  # noqa: PLC0415
    from companion.i18n import select_locale  # noqa: PLC0415

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    login_manager.user_loader(load_session_user)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    compress.init_app(app)

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import redirect, request, url_for  # noqa: PLC0415
        from flask_babel import gettext as _  # noqa: PLC0415

        from companion.errors import Unauthorized, is_api_request  # noqa: PLC0415

        if is_api_request():
            raise Unauthorized(_("Please sign in first."))
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":

            @event.listens_for(engine, "connect")
            def sqlite_pragmas(dbapi_connection, _record):
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA busy_timeout=5000")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.close()


def register_blueprints(app: Flask) -> None:
    from companion import (  # noqa: PLC0415
        accounts,
        admin,
        diary,
        directory,
        guides,
        openapi,
        pwa,
        rhythm,
        share,
        stats,
        wellbeing,
    )

    for module in (accounts, diary, rhythm, guides, wellbeing, share, directory, stats, admin, pwa):
        module.register(app)
    app.register_blueprint(openapi.bp)


def register_request_hooks(app: Flask) -> None:
    from companion.accounts.sessions import SessionInterface, load_session, session_headers  # noqa: PLC0415
    from companion.accounts.views import require_second_factor  # noqa: PLC0415
    from companion.apiutil import refuse_deep_json, refuse_unstorable_fields  # noqa: PLC0415
    from companion.i18n import remember_choice  # noqa: PLC0415
    from companion.security import set_security_headers  # noqa: PLC0415

    app.session_interface = SessionInterface()
    # What is no field: too deep a JSON body (a body too large is Flask's 413 already), and
    # text that cannot be kept in any query argument or form field.
    app.before_request(refuse_deep_json)
    app.before_request(refuse_unstorable_fields)
    app.before_request(load_session)
    app.before_request(require_second_factor)
    app.after_request(remember_choice)
    app.after_request(session_headers)
    app.after_request(set_security_headers)


def register_template_helpers(app: Flask) -> None:
    from companion import assets, templating  # noqa: PLC0415

    templating.init_app(app)
    assets.init_app(app)


def register_commands(app: Flask) -> None:
    from companion import seed  # noqa: PLC0415

    seed.register(app)
