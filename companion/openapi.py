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


ERRORS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "403": {"$ref": "#/components/responses/Forbidden"},
    "404": {"$ref": "#/components/responses/NotFound"},
    "422": {"$ref": "#/components/responses/Validation"},
}
NO_CONTENT = {"204": {"description": "Done"}}


def _upserted(name: str) -> dict[str, Any]:
    """A create-or-replace's answers: 201 for a new one, 200 for a change or a replay."""
    return {"200": _json(_ref(name), "Updated or replayed"), "201": _json(_ref(name), "Created")}


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


def _path_param(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query(name: str, fmt: str, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", "format": fmt},
    }


BABY = _path_param("baby", {"type": "integer"})
ENTRY_ID = _path_param("entry", {"type": "string", "format": "uuid"})
GRANT = _path_param("grant", {"type": "integer"})
CHECKIN_DATE = _path_param("date", {"type": "string", "format": "date"})
RANGE = [
    _query("from", "date", "first local date, inclusive"),
    _query("to", "date", "last local date, inclusive"),
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

PLAN_DATE = _query("date", "date", "the local date whose plan is `plan` (default today)")
SLUG = _path_param("slug", {"type": "string"})
CONTACT_REQUEST = _path_param("request", {"type": "integer"})
THROTTLED = {"429": {"$ref": "#/components/responses/Throttled"}}
TOO_LARGE = {"413": {"$ref": "#/components/responses/TooLarge"}}

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/me": {
        "get": _op("Who is signed in, and a CSRF token", {"200": _json(_ref("Me"))}, errors=()),
        "delete": _op(
            "Delete the account and everything only it owns",
            NO_CONTENT,
            _ref("PasswordCheck"),
        ),
    },
    "/api/v1/signup": {
        "post": _op(
            "Create a parent account (signed in afterwards)",
            {
                "201": _json(_ref("SignedUp")),
            },
            _ref("SignUp"),
            errors=("400", "422"),
        )
    },
    "/api/v1/login": {
        "post": _op(
            "Sign in: 401 `invalid_credentials`, or `otp_required` for a staff account with a "
            "second factor when `otp` is missing or wrong (counted as a failure)",
            {"200": _json(_ref("Me")), **THROTTLED},
            _ref("SignIn"),
            errors=("400", "401", "422"),
        )
    },
    "/api/v1/logout": {
        "post": _op(
            'Sign out this device: its session ends on every server; Clear-Site-Data: "cache", "storage"',
            NO_CONTENT,
            errors=("400", "401"),
        )
    },
    "/api/v1/me/second-factor": {
        "post": _op(
            "Staff: start TOTP enrolment; until confirmed, every staff endpoint answers 403 "
            "`second_factor_required`",
            {
                "201": _json(_ref("SecondFactorStarted")),
                "409": {"$ref": "#/components/responses/Conflict"},
            },
            errors=("400", "401", "403"),
        )
    },
    "/api/v1/me/second-factor/confirm": {
        "post": _op(
            "Staff: confirm the enrolment with a code from the app (upgrades this session)",
            {
                "200": _json(_ref("BackupCodes")),
                "409": {"$ref": "#/components/responses/Conflict"},
                "429": {"$ref": "#/components/responses/Throttled"},
            },
            _ref("OtpCheck"),
            errors=("400", "401", "403", "422"),
        )
    },
    "/api/v1/me/sessions": {
        "get": _op(
            "The signed-in devices of this account",
            {"200": _json(_ref("Sessions"))},
            errors=("401", "403"),
        )
    },
    "/api/v1/me/sessions/{session}": {
        "delete": _op(
            "Sign out one device (this one: as POST /logout)",
            NO_CONTENT,
            params=[_path_param("session", {"type": "integer"})],
            errors=("400", "401", "403", "404"),
        )
    },
    "/api/v1/babies": {
        "get": _op(
            "The family's babies",
            {"200": _json(_ref("BabyList"))},
        ),
        "post": _op(
            "Add a baby",
            {"201": _json(_ref("BabyCreated"))},
            _ref("BabyInput"),
        ),
    },
    "/api/v1/babies/{baby}/entries": {
        "get": _op(
            "Entries overlapping [since, until), or every change after changed_since (tombstones included)",
            {"200": _json(_ref("EntryList"))},
            params=[
                BABY,
                _query("since", "date-time", "with an offset"),
                _query("until", "date-time", "with an offset"),
                _query("changed_since", "date-time", "with an offset"),
            ],
        )
    },
    "/api/v1/babies/{baby}/entries/{entry}": {
        "put": _op(
            "Create or update an entry by its client-made UUID (idempotent)",
            {
                **_upserted("EntrySaved"),
                "409": {"$ref": "#/components/responses/Conflict"},
                "410": {"$ref": "#/components/responses/Gone"},
                "412": {"$ref": "#/components/responses/Stale"},
            },
            _ref("EntryInput"),
            params=[
                BABY,
                ENTRY_ID,
                {
                    "name": "If-Match",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": 'the version, "3" or 3',
                },
            ],
        ),
        "delete": _op("Delete (leaves a tombstone; idempotent)", NO_CONTENT, params=[BABY, ENTRY_ID]),
    },
    "/api/v1/babies/{baby}/rhythm": {
        "get": _op(
            "Day figures for local dates (default the last 14 days, at most 400)",
            {"200": _json(_ref("Rhythm"))},
            params=[BABY, *RANGE],
        )
    },
    "/api/v1/babies/{baby}/plan": {
        "get": _op(
            "The rhythm plan agreed with the worker: the one in effect and every version",
            {"200": _json(_ref("Plans"))},
            params=[BABY, PLAN_DATE],
        ),
        "put": _op(
            "Create or replace the plan that starts on `from` (upsert by date)",
            _upserted("PlanSaved"),
            _ref("PlanInput"),
            params=[BABY],
        ),
    },
    "/api/v1/babies/{baby}/share-codes": {
        "post": _op(
            "Make a one-time code for a Baby blues worker (voids the previous unused one)",
            {"201": _json(_ref("Code"))},
            _ref("ShareCodeInput"),
            body_required=False,
            params=[BABY],
        )
    },
    "/api/v1/babies/{baby}/grants": {
        "get": _op(
            "Who can see this diary, until when, last viewed",
            {"200": _json(_ref("ParentGrants"))},
            params=[BABY],
        )
    },
    "/api/v1/grants/{grant}": {
        "delete": _op("End a worker's access at once", NO_CONTENT, params=[GRANT]),
        "patch": _op(
            "Change the consent to anonymous statistics from this diary",
            {"200": _json(_ref("GrantUpdated"))},
            _ref("GrantUpdate"),
            params=[GRANT],
        ),
    },
    "/api/v1/feedback": {
        "post": _op(
            "A parent's feedback on the work behind one of their grants (one per grant; changeable "
            "for 7 days, then 409)",
            {
                "201": _json(_ref("FeedbackAnswer"), "Saved"),
                "200": _json(_ref("FeedbackAnswer"), "Changed"),
                "409": {"$ref": "#/components/responses/AlreadyAnswered"},
            },
            _ref("FeedbackInput"),
        )
    },
    "/api/v1/stats": {
        "get": _op(
            "Statistics of an organisation (coordinators: their own) or of every organisation "
            '(admin, organisation left out); counts 1-4 are "<5", hidden ones null',
            {"200": _json(_ref("StatsReport"))},
            params=[
                {"name": "organisation", "in": "query", "required": False, "schema": {"type": "string"}},
                {
                    "name": "year",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 2020},
                },
                {
                    "name": "period",
                    "in": "query",
                    "required": False,
                    "schema": {"enum": ["month", "quarter", "year"]},
                },
            ],
        )
    },
    "/api/v1/share/redeem": {
        "post": _op(
            "A worker redeems a code",
            {
                "201": _json(_ref("Redeemed")),
                "429": {"$ref": "#/components/responses/Throttled"},
            },
            _ref("CodeInput"),
        )
    },
    "/api/v1/shared": {
        "get": _op(
            "The diaries shared with the signed-in worker",
            {"200": _json(_ref("SharedDiaries"))},
        )
    },
    "/api/v1/shared/{grant}/entries": {
        "get": _op(
            "A shared diary's entries (read-only)",
            {"200": _json(_ref("EntryList"))},
            params=[
                GRANT,
                _query("since", "date-time", "with an offset"),
                _query("until", "date-time", "with an offset"),
            ],
        )
    },
    "/api/v1/shared/{grant}/rhythm": {
        "get": _op(
            "A shared diary's day figures (read-only)", {"200": _json(_ref("Rhythm"))}, params=[GRANT, *RANGE]
        )
    },
    "/api/v1/shared/{grant}/plan": {
        "get": _op(
            "A shared diary's rhythm plan (read-only, any scope)",
            {"200": _json(_ref("Plans"))},
            params=[GRANT, PLAN_DATE],
        )
    },
    "/api/v1/shared/{grant}/checkins": {
        "get": _op(
            "The wellbeing check-ins of the parent who made the code (scope diary+wellbeing only, else 404)",
            {"200": _json(_ref("CheckIns"))},
            params=[GRANT, *RANGE],
        )
    },
    "/api/v1/checkins": {
        "get": _op(
            "The parent's own check-ins for local dates (default the last 14 days, at most 400)",
            {"200": _json(_ref("CheckIns"))},
            params=RANGE,
        )
    },
    "/api/v1/checkins/{date}": {
        "get": _op(
            "The parent's own check-in for a local date (private to that parent)",
            {"200": _json(_ref("CheckInSaved"))},
            params=[CHECKIN_DATE],
        ),
        "put": _op(
            "Create or replace the parent's own check-in for a local date (not in the future, "
            "at most 400 days old)",
            _upserted("CheckInSaved"),
            _ref("CheckInInput"),
            params=[CHECKIN_DATE],
        ),
    },
    "/api/v1/family/invites": {
        "post": _op(
            "A code for the other parent to join the family",
            {"201": _json(_ref("Code"))},
            _ref("InviteInput"),
            body_required=False,
        )
    },
    "/api/v1/family/join": {
        "post": _op(
            "Join the family of the parent who made the code",
            {"200": _json(_ref("Joined")), "429": {"$ref": "#/components/responses/Throttled"}},
            _ref("JoinInput"),
        )
    },
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
            params=[
                {"name": "format", "in": "query", "required": False, "schema": {"enum": ["json", "csv"]}}
            ],
        )
    },
    "/api/v1/services": {
        "get": _op(
            "Baby blues near you: active organisations, texts in the request's language "
            "(Finnish when missing)",
            {"200": _json(_ref("Services"))},
            params=[
                {
                    "name": "municipality",
                    "in": "query",
                    "required": False,
                    "description": "the Finnish or the Swedish name, any case; no match gives []; "
                    "text that cannot be kept (NUL, a lone surrogate) is a 422",
                    "schema": {"type": "string"},
                }
            ],
            errors=("400", "422"),
        )
    },
    "/api/v1/services/{slug}/contact-requests": {
        "post": _op(
            "Ask an organisation to get in touch (anonymous allowed); nothing to read back",
            {"201": _json(_ref("Sent"), "Sent"), **THROTTLED, **TOO_LARGE},
            _ref("ContactRequestIn"),
            params=[SLUG],
            errors=("400", "404", "422"),
        )
    },
    "/api/v1/organisation": {
        "get": _op(
            "The own organisation's public details in both languages (workers and coordinators)",
            {"200": _json(_ref("OrganisationBody"))},
            errors=("400", "401", "403"),
        ),
        "put": _op(
            "Change the own organisation's public details (coordinators; fields left out keep their value)",
            {"200": _json(_ref("OrganisationBody")), **TOO_LARGE},
            _ref("OrganisationIn"),
            errors=("400", "401", "403", "422"),
        ),
    },
    "/api/v1/organisation/contact-requests": {
        "get": _op(
            "The own organisation's contact requests: open ones newest first, then closed ones",
            {"200": _json(_ref("ContactRequests"))},
            errors=("400", "401", "403"),
        )
    },
    "/api/v1/organisation/contact-requests/{request}": {
        "patch": _op(
            "Close a request: contacted or could not reach, with an internal note",
            {"200": _json(_ref("ContactRequestBody")), **TOO_LARGE},
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
