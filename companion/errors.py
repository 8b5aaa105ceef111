"""Errors raised by services and how the API and the pages answer them.

Services raise these with localised messages; the JSON API turns them into the
contracted error body, and the pages show the message next to the form.
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from pydantic import BaseModel, ConfigDict, Field
from werkzeug.exceptions import HTTPException

from companion.extensions import db


class ServiceError(Exception):
    """A rule a request broke; each kind below has its HTTP status and the API's error code."""

    status = 400
    code = "bad_request"

    def __init_subclass__(cls, status: int | None = None, code: str | None = None, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        cls.status, cls.code = status or cls.status, code or cls.code

    def __init__(
        self,
        message: str,
        fields: dict[str, str] | None = None,
        code: str | None = None,
        **extra: Any,
    ):
        super().__init__(message)
        if code:
            self.code = code
        self.message = message
        self.fields = fields or {}
        self.extra = extra


class Unauthorized(ServiceError, status=401, code="unauthorized"):
    """Not signed in, or the session has ended."""


class Forbidden(ServiceError, status=403, code="forbidden"):
    """Signed in, but this account may not do this."""


class NotFound(ServiceError, status=404, code="not_found"):
    """Nothing of that id that this account may see (also for what exists but is not theirs)."""


class Conflict(ServiceError, status=409, code="overlap"):
    """An entry overlaps one of the same kind."""


class Gone(ServiceError, status=410, code="deleted"):
    """The entry was deleted."""


class PreconditionFailed(ServiceError, status=412, code="stale"):
    """If-Match does not match the stored version."""


class Validation(ServiceError, status=422, code="validation"):
    """Bad input, with a message for each bad field."""


class Throttled(ServiceError, status=429, code="throttled"):
    """Too many attempts; ``retry_after`` says for how many seconds."""


def not_found() -> NotFound:
    return NotFound(_("Not found."))


def is_api_request() -> bool:
    return request.path.startswith("/api/")


class Problem(BaseModel):
    """What went wrong, in the reader's language; ``fields`` names each bad field."""

    model_config = ConfigDict(extra="allow")

    code: str
    message: Annotated[str, Field(description="localised for the reader")]
    fields: dict[str, str] | None = None
    conflicting_id: Annotated[str | None, Field(description="409: the entry this one overlaps")] = None
    current_version: Annotated[int | None, Field(description="412: the version stored now")] = None


class ErrorBody(BaseModel):
    """Every error of the JSON API (contract)."""

    error: Problem


def api_error(status: int, code: str, message: str, fields: dict[str, str] | None = None, **extra: Any):
    problem = Problem(code=code, message=message, fields=fields or None, **extra)
    response = jsonify(ErrorBody(error=problem).model_dump(mode="json", exclude_none=True))
    response.status_code = status
    return response


def error_headers(error: ServiceError) -> dict[str, str]:
    """Headers an error's answer carries, on pages as on the API (Retry-After on a 429)."""
    if "retry_after" in error.extra:
        return {"Retry-After": str(int(error.extra["retry_after"]))}
    return {}


def service_error_response(error: ServiceError):
    response = api_error(
        error.status,
        error.code,
        error.message,
        error.fields,
        **{k: v for k, v in error.extra.items() if k != "retry_after"},
    )
    response.headers.update(error_headers(error))
    return response


_HTTP_MESSAGES = {
    400: lambda: _("The request could not be understood."),
    401: lambda: _("Please sign in first."),
    403: lambda: _("You do not have access to this."),
    404: lambda: _("Not found."),
    405: lambda: _("This method is not allowed here."),
    413: lambda: _("The request is too large."),
    429: lambda: _("Too many attempts. Please wait a moment and try again."),
    500: lambda: _("Something went wrong on our side. Your entries are safe; please try again."),
}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def handle_service_error(error: ServiceError):
        if is_api_request():
            return service_error_response(error)
        page = render_template(
            "error.html", status=error.status, message=error.message, details=list(error.fields.values())
        )
        return page, error.status, error_headers(error)

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error: CSRFError):
        message = _("Your session has expired or the form was not sent correctly. Please try again.")
        if is_api_request():
            return api_error(400, "csrf", message)
        return render_template("error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        message = _HTTP_MESSAGES.get(status, _HTTP_MESSAGES[400])()
        if is_api_request():
            codes = {
                404: "not_found",
                405: "method_not_allowed",
                401: "unauthorized",
                403: "forbidden",
                413: "too_large",
                429: "throttled",
            }
            response = api_error(status, codes.get(status, "bad_request"), message)
        else:
            response = make_response(render_template("error.html", status=status, message=message), status)
        # Keep what the exception says about itself, such as Allow on a 405 (RFC 9110).
        for name, value in error.get_headers():
            if name.lower() not in ("content-type", "content-length"):
                response.headers[name] = value
        return response

    @app.errorhandler(500)
    def handle_server_error(error):
        """Nothing half-done is kept, and this answer cannot fail itself: when even the
        error page cannot be made, a plain one is sent (the security headers are added
        to it like to any answer)."""
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001  (the database may be what failed)
            app.logger.exception("rollback after an error failed")
        try:
            message = _HTTP_MESSAGES[500]()
            if is_api_request():
                return api_error(500, "server_error", message)
            return render_template("error.html", status=500, message=message), 500
        except Exception:  # noqa: BLE001
            app.logger.exception("the error page failed")
            return make_response(_PLAIN_500, 500, {"Content-Type": "text/html; charset=utf-8"})


_PLAIN_500 = (
    "<!doctype html><html lang=fi><meta charset=utf-8><title>500</title>"
    "<h1>Jokin meni vikaan. Något gick fel. Something went wrong.</h1>"
    '<p><a href="/">companion</a></p></html>'
)
