"""The OpenAPI 3.1 description of JSON API v1, served at /api/v1/openapi.json.

The components (every body in and out) are generated from the features' schemas, the
same pydantic models that parse the requests and write the answers; the paths are
written here. tests/test_openapi.py keeps it true: every route is described, every
description has a route, and real responses match the schemas.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify

from companion.accounts import schemas as accounts
from companion.diary import schemas as diary
from companion.directory import schemas as directory
from companion.errors import ErrorBody
from companion.rhythm import schemas as rhythm
from companion.schema import components
from companion.share import schemas as share
from companion.stats import schemas as stats
from companion.wellbeing import schemas as wellbeing

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error_ref(name: str) -> dict[str, str]:
    """One of the error answers of the components (below)."""
    return {"$ref": f"#/components/responses/{name}"}


def _answer(status: str, name: str, description: str = "OK") -> dict[str, Any]:
    """An answer whose body is the component ``name``."""
    return {status: _json(_ref(name), description)}


ERRORS = {
    "400": _error_ref("BadRequest"),
    "401": _error_ref("Unauthorized"),
    "403": _error_ref("Forbidden"),
    "404": _error_ref("NotFound"),
    "422": _error_ref("Validation"),
}
CONFLICT = {"409": _error_ref("Conflict")}
THROTTLED = {"429": _error_ref("Throttled")}
TOO_LARGE = {"413": _error_ref("TooLarge")}
NO_CONTENT = {"204": {"description": "Done"}}


def _op(
    summary: str,
    responses: dict[str, Any],
    body: dict | None = None,
    params: list | None = None,
    errors: tuple[str, ...] = ("400", "401", "403", "404", "422"),
    body_required: bool = True,
) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "responses": {**responses}}
    for code in errors:
        operation["responses"].setdefault(code, ERRORS[code])
    if body is not None:
        operation["requestBody"] = {
            "required": body_required,
            "content": {"application/json": {"schema": body}},
        }
    if params:
        operation["parameters"] = params
    return operation


def _get(summary: str, name: str, params: list | None = None, **kwargs: Any) -> dict[str, Any]:
    """A path that is only read: GET, answered with the component ``name``."""
    return {"get": _op(summary, _answer("200", name), params=params, **kwargs)}


def _post(summary: str, responses: dict[str, Any], body: dict | None = None, **kwargs: Any) -> dict[str, Any]:
    """A path that is only sent to: POST."""
    return {"post": _op(summary, responses, body, **kwargs)}


def _replace(
    summary: str, name: str, body: str, params: list, more: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A create-or-replace (PUT) of the component ``body``: 201 with ``name`` for a new one,
    200 for a change or a replay; ``more`` answers."""
    answers = {**_answer("200", name, "Updated or replayed"), **_answer("201", name, "Created")}
    return _op(summary, {**answers, **(more or {})}, _ref(body), params=params)


def _path_param(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query(name: str, schema: dict, description: str | None = None) -> dict:
    described = {"description": description} if description else {}
    return {"name": name, "in": "query", "required": False, **described, "schema": schema}


DATE = {"type": "string", "format": "date"}
WITH_OFFSET = {"type": "string", "format": "date-time"}
BABY = _path_param("baby", {"type": "integer"})
ENTRY_ID = _path_param("entry", {"type": "string", "format": "uuid"})
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": 'the version, "3" or 3',
}
GRANT = _path_param("grant", {"type": "integer"})
CHECKIN_DATE = _path_param("date", DATE)
RANGE = [
    _query("from", DATE, "first local date, inclusive"),
    _query("to", DATE, "last local date, inclusive"),
]

#: Every shape of the API, from the features' schemas: what clients send ("validation")
#: and what they get ("serialization").
SHAPES = [
    *accounts.COMPONENTS,
    *diary.COMPONENTS,
    *rhythm.COMPONENTS,
    *wellbeing.COMPONENTS,
    *share.COMPONENTS,
    *directory.COMPONENTS,
    *stats.COMPONENTS,
    (ErrorBody, "serialization"),
]
SCHEMAS: dict[str, Any] = components(*SHAPES)

PLAN_DATE = _query("date", DATE, "the local date whose plan is `plan` (default today)")
#: An entry list's window.
SINCE_UNTIL = [_query("since", WITH_OFFSET, "with an offset"), _query("until", WITH_OFFSET, "with an offset")]
SLUG = _path_param("slug", {"type": "string"})
CONTACT_REQUEST = _path_param("request", {"type": "integer"})

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/me": {
        **_get("Who is signed in, and a CSRF token", "Me", errors=()),
        "delete": _op("Delete the account and everything only it owns", NO_CONTENT, _ref("PasswordCheck")),
    },
    "/api/v1/signup": _post(
        "Create a parent account (signed in afterwards)",
        _answer("201", "SignedUp"),
        _ref("SignUp"),
        errors=("400", "422"),
    ),
    "/api/v1/login": _post(
        "Sign in: 401 `invalid_credentials`, or `otp_required` for a staff account with a "
        "second factor when `otp` is missing or wrong (counted as a failure)",
        {**_answer("200", "Me"), **THROTTLED},
        _ref("SignIn"),
        errors=("400", "401", "422"),
    ),
    "/api/v1/logout": _post(
        'Sign out this device: its session ends on every server; Clear-Site-Data: "cache", "storage"',
        NO_CONTENT,
        errors=("400", "401"),
    ),
    "/api/v1/me/second-factor": _post(
        "Staff: start TOTP enrolment; until confirmed, every staff endpoint answers 403 "
        "`second_factor_required`",
        {**_answer("201", "SecondFactorStarted"), **CONFLICT},
        errors=("400", "401", "403"),
    ),
    "/api/v1/me/second-factor/confirm": _post(
        "Staff: confirm the enrolment with a code from the app (upgrades this session)",
        {**_answer("200", "BackupCodes"), **CONFLICT, **THROTTLED},
        _ref("OtpCheck"),
        errors=("400", "401", "403", "422"),
    ),
    "/api/v1/me/sessions": _get("The signed-in devices of this account", "Sessions", errors=("401", "403")),
    "/api/v1/me/sessions/{session}": {
        "delete": _op(
            "Sign out one device (this one: as POST /logout)",
            NO_CONTENT,
            params=[_path_param("session", {"type": "integer"})],
            errors=("400", "401", "403", "404"),
        )
    },
    "/api/v1/babies": {
        **_get("The family's babies", "BabyList"),
        "post": _op("Add a baby", _answer("201", "BabyCreated"), _ref("BabyInput")),
    },
    "/api/v1/babies/{baby}/entries": _get(
        "Entries overlapping [since, until), or every change after changed_since (tombstones included)",
        "EntryList",
        [BABY, *SINCE_UNTIL, _query("changed_since", WITH_OFFSET, "with an offset")],
    ),
    "/api/v1/babies/{baby}/entries/{entry}": {
        "put": _replace(
            "Create or update an entry by its client-made UUID (idempotent)",
            "EntrySaved",
            "EntryInput",
            [BABY, ENTRY_ID, IF_MATCH],
            {**CONFLICT, "410": _error_ref("Gone"), "412": _error_ref("Stale")},
        ),
        "delete": _op("Delete (leaves a tombstone; idempotent)", NO_CONTENT, params=[BABY, ENTRY_ID]),
    },
    "/api/v1/babies/{baby}/rhythm": _get(
        "Day figures for local dates (default the last 14 days, at most 400)", "Rhythm", [BABY, *RANGE]
    ),
    "/api/v1/babies/{baby}/plan": {
        **_get(
            "The rhythm plan agreed with the worker: the one in effect and every version",
            "Plans",
            [BABY, PLAN_DATE],
        ),
        "put": _replace(
            "Create or replace the plan that starts on `from` (upsert by date)",
            "PlanSaved",
            "PlanInput",
            [BABY],
        ),
    },
    "/api/v1/babies/{baby}/share-codes": _post(
        "Make a one-time code for a Baby blues worker (voids the previous unused one)",
        _answer("201", "Code"),
        _ref("ShareCodeInput"),
        body_required=False,
        params=[BABY],
    ),
    "/api/v1/babies/{baby}/grants": _get(
        "Who can see this diary, until when, last viewed", "ParentGrants", [BABY]
    ),
    "/api/v1/grants/{grant}": {
        "delete": _op("End a worker's access at once", NO_CONTENT, params=[GRANT]),
        "patch": _op(
            "Change the consent to anonymous statistics from this diary",
            _answer("200", "GrantUpdated"),
            _ref("GrantUpdate"),
            params=[GRANT],
        ),
    },
    "/api/v1/feedback": _post(
        "A parent's feedback on the work behind one of their grants (one per grant; changeable "
        "for 7 days, then 409)",
        {
            **_answer("201", "FeedbackAnswer", "Saved"),
            **_answer("200", "FeedbackAnswer", "Changed"),
            "409": _error_ref("AlreadyAnswered"),
        },
        _ref("FeedbackInput"),
    ),
    "/api/v1/stats": _get(
        "Statistics of an organisation (coordinators: their own) or of every organisation "
        '(admin, organisation left out); counts 1-4 are "<5", hidden ones null',
        "StatsReport",
        [
            _query("organisation", {"type": "string"}),
            _query("year", {"type": "integer", "minimum": 2020}),
            _query("period", {"enum": ["month", "quarter", "year"]}),
        ],
    ),
    "/api/v1/share/redeem": _post(
        "A worker redeems a code", {**_answer("201", "Redeemed"), **THROTTLED}, _ref("CodeInput")
    ),
    "/api/v1/shared": _get("The diaries shared with the signed-in worker", "SharedDiaries"),
    "/api/v1/shared/{grant}/entries": _get(
        "A shared diary's entries (read-only)", "EntryList", [GRANT, *SINCE_UNTIL]
    ),
    "/api/v1/shared/{grant}/rhythm": _get(
        "A shared diary's day figures (read-only)", "Rhythm", [GRANT, *RANGE]
    ),
    "/api/v1/shared/{grant}/plan": _get(
        "A shared diary's rhythm plan (read-only, any scope)", "Plans", [GRANT, PLAN_DATE]
    ),
    "/api/v1/shared/{grant}/checkins": _get(
        "The wellbeing check-ins of the parent who made the code (scope diary+wellbeing only, else 404)",
        "CheckIns",
        [GRANT, *RANGE],
    ),
    "/api/v1/checkins": _get(
        "The parent's own check-ins for local dates (default the last 14 days, at most 400)",
        "CheckIns",
        RANGE,
    ),
    "/api/v1/checkins/{date}": {
        **_get(
            "The parent's own check-in for a local date (private to that parent)",
            "CheckInSaved",
            [CHECKIN_DATE],
        ),
        "put": _replace(
            "Create or replace the parent's own check-in for a local date (not in the future, "
            "at most 400 days old)",
            "CheckInSaved",
            "CheckInInput",
            [CHECKIN_DATE],
        ),
    },
    "/api/v1/family/invites": _post(
        "A code for the other parent to join the family",
        _answer("201", "Code"),
        _ref("InviteInput"),
        body_required=False,
    ),
    "/api/v1/family/join": _post(
        "Join the family of the parent who made the code",
        {**_answer("200", "Joined"), **THROTTLED},
        _ref("JoinInput"),
    ),
    "/api/v1/export": {
        "get": _op(
            "All of the caller's own data as JSON (or entries as CSV with ?format=csv)",
            {
                "200": {
                    "description": "JSON or CSV",
                    "content": {
                        "application/json": {"schema": {"type": "object"}},
                        "text/csv": {"schema": {"type": "string"}},
                    },
                }
            },
            params=[_query("format", {"enum": ["json", "csv"]})],
        )
    },
    "/api/v1/services": _get(
        "Baby blues near you: active organisations, texts in the request's language (Finnish when missing)",
        "Services",
        [
            _query(
                "municipality",
                {"type": "string"},
                "the Finnish or the Swedish name, any case; no match gives []; "
                "text that cannot be kept (NUL, a lone surrogate) is a 422",
            )
        ],
        errors=("400", "422"),
    ),
    "/api/v1/services/{slug}/contact-requests": _post(
        "Ask an organisation to get in touch (anonymous allowed); nothing to read back",
        {**_answer("201", "Sent", "Sent"), **THROTTLED, **TOO_LARGE},
        _ref("ContactRequestIn"),
        params=[SLUG],
        errors=("400", "404", "422"),
    ),
    "/api/v1/organisation": {
        **_get(
            "The own organisation's public details in both languages (workers and coordinators)",
            "OrganisationBody",
            errors=("400", "401", "403"),
        ),
        "put": _op(
            "Change the own organisation's public details (coordinators; fields left out keep their value)",
            {**_answer("200", "OrganisationBody"), **TOO_LARGE},
            _ref("OrganisationIn"),
            errors=("400", "401", "403", "422"),
        ),
    },
    "/api/v1/organisation/contact-requests": _get(
        "The own organisation's contact requests: open ones newest first, then closed ones",
        "ContactRequests",
        errors=("400", "401", "403"),
    ),
    "/api/v1/organisation/contact-requests/{request}": {
        "patch": _op(
            "Close a request: contacted or could not reach, with an internal note",
            {**_answer("200", "ContactRequestBody"), **TOO_LARGE},
            _ref("ContactRequestUpdate"),
            params=[CONTACT_REQUEST],
        )
    },
    "/api/v1/openapi.json": {"get": _op("This description", {"200": _json({"type": "object"})}, errors=())},
}


def _response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("ErrorBody")}}}


def document(routes: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """The description; `routes` (path -> methods) limits it to what this app serves."""
    chosen = {}
    for path, operations in PATHS.items():
        kept = {
            method: op
            for method, op in operations.items()
            if routes is None or method.upper() in routes.get(path, set())
        }
        if kept:
            chosen[path] = kept
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "companion API",
            "version": "1",
            "description": "Session cookie auth: the cookie carries the id of a server-side session "
            "(one per signed-in device; idle and absolute lifetimes: parents 90 days and 400 days, "
            "staff 30 minutes and 12 hours). Staff sign in with `otp`, a TOTP code. Unsafe methods "
            "send X-CSRFToken from GET /api/v1/me. Timestamps in requests carry an offset and lie "
            "between 2000-01-01 and 2100-12-31; responses are UTC with Z. Text with NUL or lone "
            "surrogates is refused (422); bodies over 64 KB get 413, JSON nested deeper than 32 "
            "levels 400.",
        },
        "paths": chosen,
        "components": {
            "schemas": SCHEMAS,
            "responses": {
                "BadRequest": _response("Bad request or missing CSRF token"),
                "Unauthorized": _response("Not signed in"),
                "Forbidden": _response(
                    "Wrong role, or `second_factor_required`: a staff session that has not enrolled"
                ),
                "NotFound": _response("Not found, or not yours"),
                "Conflict": _response("Overlaps another entry (conflicting_id)"),
                "Gone": _response("Deleted"),
                "Stale": _response("If-Match does not match the stored version"),
                "Validation": _response("Invalid input, with fields"),
                "Throttled": _response("Too many attempts; see Retry-After"),
                "AlreadyAnswered": _response("Answered already, and no longer changeable"),
                "TooLarge": _response("The request body is larger than the limit (64 KB by default)"),
            },
        },
    }


def api_routes(app) -> dict[str, set[str]]:
    """The app's /api/v1 routes in OpenAPI path form, with their methods."""
    names = {
        "baby_id": "baby",
        "entry_id": "entry",
        "grant_id": "grant",
        "session_id": "session",
        "request_id": "request",
    }
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        parts = []
        for part in rule.rule.strip("/").split("/"):
            if part.startswith("<"):
                name = part[1:-1].split(":")[-1]
                part = "{" + names.get(name, name) + "}"
            parts.append(part)
        routes.setdefault("/" + "/".join(parts), set()).update(rule.methods - {"HEAD", "OPTIONS"})
    return routes


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(document(api_routes(current_app)))
