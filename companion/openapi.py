"""The OpenAPI 3.1 description of JSON API v1, served at /api/v1/openapi.json.

Written by hand next to the code it describes; tests/test_openapi.py keeps it true:
every route is described, every description has a route, and real responses match
the schemas.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

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


def _op(
    summary: str,
    responses: dict[str, Any],
    body: dict | None = None,
    params: list | None = None,
    errors: tuple[str, ...] = ("400", "401", "403", "404", "422"),
) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "responses": {**responses}}
    for code in errors:
        operation["responses"].setdefault(code, ERRORS[code])
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if params:
        operation["parameters"] = params
    return operation


def _list_of(key: str, schema: str) -> dict[str, Any]:
    """A 200 answer `{key: [schema, ...]}`."""
    return _json({"type": "object", "properties": {key: {"type": "array", "items": _ref(schema)}}})


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
CHECKIN_BODY = {"type": "object", "required": ["checkin"], "properties": {"checkin": _ref("CheckIn")}}
RANGE = [
    _query("from", "date", "first local date, inclusive"),
    _query("to", "date", "last local date, inclusive"),
]

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string", "description": "localised for the reader"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                    "conflicting_id": {"type": "string"},
                    "current_version": {"type": "integer"},
                },
            }
        },
    },
    "User": {
        "type": "object",
        "required": ["id", "username", "role"],
        "properties": {
            "id": {"type": "integer"},
            "username": {"type": "string"},
            "role": {"enum": ["parent", "worker", "admin"]},
            "display_name": {"type": ["string", "null"]},
            "locale": {"type": ["string", "null"]},
            "family_id": {"type": ["integer", "null"]},
        },
    },
    "Me": {
        "type": "object",
        "required": ["user", "csrf_token"],
        "properties": {"user": {"oneOf": [{"type": "null"}, _ref("User")]}, "csrf_token": {"type": "string"}},
    },
    "Credentials": {
        "type": "object",
        "required": ["username", "password"],
        "properties": {
            "username": {"type": "string", "pattern": "^[A-Za-z0-9._-]{3,40}$"},
            "password": {"type": "string", "minLength": 10},
        },
    },
    "Login": {
        "type": "object",
        "required": ["username", "password"],
        "properties": {
            "username": {"type": "string"},
            "password": {"type": "string"},
            "otp": {
                "type": "string",
                "description": "staff with a second factor: a 6-digit TOTP code (RFC 6238) or a backup code",
            },
        },
    },
    "Session": {
        "type": "object",
        "required": ["id", "device", "created_at", "last_seen_at", "current"],
        "properties": {
            "id": {"type": "integer"},
            "device": {"type": "string", "description": 'such as "Chrome on Android"; may be empty'},
            "created_at": {"type": "string", "format": "date-time"},
            "last_seen_at": {"type": "string", "format": "date-time", "description": "to 5 minutes"},
            "current": {"type": "boolean", "description": "the session of this request"},
        },
    },
    "Baby": {
        "type": "object",
        "required": ["id", "name", "birth_date", "due_date"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "birth_date": {"type": ["string", "null"], "format": "date"},
            "due_date": {"type": ["string", "null"], "format": "date"},
        },
    },
    "NewBaby": {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "maxLength": 60},
            "birth_date": {"type": ["string", "null"], "format": "date"},
            "due_date": {"type": ["string", "null"], "format": "date"},
        },
    },
    "EntryInput": {
        "type": "object",
        "required": ["kind", "start"],
        "properties": {
            "kind": {"enum": ["sleep", "crying", "feeding", "note"]},
            "start": {"type": "string", "format": "date-time", "description": "with an offset"},
            "end": {"type": ["string", "null"], "format": "date-time"},
            "details": {"type": "object"},
            "note": {"type": ["string", "null"], "maxLength": 2000},
            "client_now": {
                "type": "string",
                "format": "date-time",
                "description": "the phone's clock when sending; corrects skew over a minute",
            },
        },
    },
    "Entry": {
        "type": "object",
        "required": ["id", "version", "updated_at"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "kind": {"enum": ["sleep", "crying", "feeding", "note"]},
            "start": {"type": "string", "format": "date-time"},
            "end": {"type": ["string", "null"], "format": "date-time"},
            "duration_minutes": {"type": ["integer", "null"]},
            "details": {"type": "object"},
            "note": {"type": ["string", "null"]},
            "version": {"type": "integer"},
            "updated_at": {"type": "string", "format": "date-time"},
            "deleted": {"const": True, "description": "only in changed_since answers"},
        },
    },
    "RhythmDay": {
        "type": "object",
        "required": [
            "date",
            "hours",
            "logged",
            "sleep_minutes",
            "night_sleep_minutes",
            "day_sleep_minutes",
            "naps",
            "longest_sleep_minutes",
            "night_wakings",
            "crying_minutes",
            "crying_episodes",
            "feedings",
        ],
        "properties": {
            "date": {"type": "string", "format": "date"},
            "hours": {"enum": [23, 24, 25]},
            "logged": {"type": "boolean"},
            **{
                name: {"type": "integer", "minimum": 0}
                for name in (
                    "sleep_minutes",
                    "night_sleep_minutes",
                    "day_sleep_minutes",
                    "naps",
                    "longest_sleep_minutes",
                    "night_wakings",
                    "crying_minutes",
                    "crying_episodes",
                    "feedings",
                )
            },
            "wake_windows": {"type": "array", "items": {"type": "integer"}},
        },
    },
    "Rhythm": {
        "type": "object",
        "required": ["days", "timezone", "from", "to"],
        "properties": {
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "timezone": {"type": "string"},
            "night": {"type": "object"},
            "days": {"type": "array", "items": _ref("RhythmDay"), "maxItems": 400},
            "summary": {"type": "object"},
            "week_comparison": {"type": "object"},
            "crying_by_hour": {"type": "array", "items": {"type": "number"}, "minItems": 24, "maxItems": 24},
        },
    },
    "ShareCodeInput": {
        "type": "object",
        "properties": {
            "scope": {"enum": ["diary", "diary+wellbeing"]},
            "valid_hours": {"type": "integer", "minimum": 1, "maximum": 168},
            "grant_days": {"type": "integer", "minimum": 1, "maximum": 365},
            "label": {"type": "string", "maxLength": 60},
        },
    },
    "Code": {
        "type": "object",
        "required": ["code", "expires_at"],
        "properties": {
            "code": {"type": "string", "pattern": "^[0-9]{4} [0-9]{4} [0-9]{4}$"},
            "expires_at": {"type": "string", "format": "date-time"},
        },
    },
    "CodeInput": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}},
    "Grant": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
    "CheckInInput": {
        "type": "object",
        "required": ["coping"],
        "properties": {
            "coping": {
                "type": "integer",
                "minimum": 1,
                "maximum": 5,
                "description": "1 very hard, 2 hard, 3 so-so, 4 quite well, 5 well (a whole number)",
            },
            "own_sleep_hours": {
                "type": ["number", "null"],
                "minimum": 0,
                "maximum": 24,
                "description": "the parent's own sleep last night, kept to the nearest 15 minutes",
            },
            "note": {"type": ["string", "null"], "maxLength": 1000, "description": "stripped; empty is null"},
        },
    },
    "CheckIn": {
        "type": "object",
        "required": ["date", "coping", "own_sleep_hours", "note", "updated_at"],
        "properties": {
            "date": {"type": "string", "format": "date"},
            "coping": {"type": "integer", "minimum": 1, "maximum": 5},
            "own_sleep_hours": {"type": ["number", "null"], "minimum": 0, "maximum": 24},
            "note": {"type": ["string", "null"]},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    },
    "CheckIns": {
        "type": "object",
        "required": ["checkins"],
        "properties": {
            "checkins": {"type": "array", "items": _ref("CheckIn"), "description": "oldest first"}
        },
    },
    "PlanInput": {
        "type": "object",
        "required": ["wake", "bedtime"],
        "description": "Times are local wall-clock HH:MM (00:00-23:59); bedtime is later than wake "
        "on the same day; naps lie within wake..bedtime, from < to, do not overlap, at most 8",
        "properties": {
            "wake": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
            "bedtime": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
            "naps": {
                "type": "array",
                "maxItems": 8,
                "items": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 2,
                    "items": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
                },
            },
            "from": {
                "type": ["string", "null"],
                "format": "date",
                "description": "local date the plan is used from (default today in the family's zone; "
                "within a year of today); a plan with the same date is replaced",
            },
        },
    },
    "Plan": {
        "type": "object",
        "required": ["from", "wake", "naps", "bedtime", "updated_at"],
        "properties": {
            "from": {"type": "string", "format": "date"},
            "wake": {"type": "string"},
            "naps": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
            "bedtime": {"type": "string"},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    },
    "Plans": {
        "type": "object",
        "required": ["plan", "plans"],
        "properties": {
            "plan": {
                "oneOf": [{"type": "null"}, _ref("Plan")],
                "description": "the plan in effect today (or on ?date=), null when none",
            },
            "plans": {"type": "array", "items": _ref("Plan"), "description": "every plan, newest first"},
        },
    },
}

PLAN_DATE = _query("date", "date", "the local date whose plan is `plan` (default today)")

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/me": {
        "get": _op("Who is signed in, and a CSRF token", {"200": _json(_ref("Me"))}, errors=()),
        "delete": _op(
            "Delete the account and everything only it owns",
            NO_CONTENT,
            {"type": "object", "required": ["password"], "properties": {"password": {"type": "string"}}},
        ),
    },
    "/api/v1/signup": {
        "post": _op(
            "Create a parent account (signed in afterwards)",
            {
                "201": _json(
                    {
                        "allOf": [
                            _ref("Me"),
                            {
                                "type": "object",
                                "required": ["recovery_codes"],
                                "properties": {
                                    "recovery_codes": {"type": "array", "minItems": 10, "maxItems": 10}
                                },
                            },
                        ]
                    }
                )
            },
            _ref("Credentials"),
            errors=("400", "422"),
        )
    },
    "/api/v1/login": {
        "post": _op(
            "Sign in: 401 `invalid_credentials`, or `otp_required` for a staff account with a "
            "second factor when `otp` is missing or wrong (counted as a failure)",
            {"200": _json(_ref("Me")), "429": {"$ref": "#/components/responses/Throttled"}},
            _ref("Login"),
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
                "201": _json(
                    {
                        "type": "object",
                        "required": ["secret", "otpauth_uri"],
                        "properties": {"secret": {"type": "string"}, "otpauth_uri": {"type": "string"}},
                    }
                ),
                "409": {"$ref": "#/components/responses/Conflict"},
            },
            errors=("400", "401", "403"),
        )
    },
    "/api/v1/me/second-factor/confirm": {
        "post": _op(
            "Staff: confirm the enrolment with a code from the app (upgrades this session)",
            {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["backup_codes"],
                        "properties": {
                            "backup_codes": {"type": "array", "items": {"type": "string"}, "minItems": 10}
                        },
                    }
                ),
                "409": {"$ref": "#/components/responses/Conflict"},
                "429": {"$ref": "#/components/responses/Throttled"},
            },
            {"type": "object", "required": ["otp"], "properties": {"otp": {"type": "string"}}},
            errors=("400", "401", "403", "422"),
        )
    },
    "/api/v1/me/sessions": {
        "get": _op(
            "The signed-in devices of this account",
            {"200": _list_of("sessions", "Session")},
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
            {"200": _list_of("babies", "Baby")},
        ),
        "post": _op(
            "Add a baby",
            {"201": _json({"type": "object", "properties": {"baby": _ref("Baby")}})},
            _ref("NewBaby"),
        ),
    },
    "/api/v1/babies/{baby}/entries": {
        "get": _op(
            "Entries overlapping [since, until), or every change after changed_since (tombstones included)",
            {"200": _list_of("entries", "Entry")},
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
                "200": _json(
                    {"type": "object", "properties": {"entry": _ref("Entry")}}, "Updated or replayed"
                ),
                "201": _json({"type": "object", "properties": {"entry": _ref("Entry")}}, "Created"),
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
            {
                "200": _json({"type": "object", "properties": {"plan": _ref("Plan")}}, "Updated or replayed"),
                "201": _json({"type": "object", "properties": {"plan": _ref("Plan")}}, "Created"),
            },
            _ref("PlanInput"),
            params=[BABY],
        ),
    },
    "/api/v1/babies/{baby}/share-codes": {
        "post": _op(
            "Make a one-time code for a Baby blues worker (voids the previous unused one)",
            {"201": _json(_ref("Code"))},
            _ref("ShareCodeInput"),
            params=[BABY],
        )
    },
    "/api/v1/babies/{baby}/grants": {
        "get": _op(
            "Who can see this diary, until when, last viewed",
            {"200": _list_of("grants", "Grant")},
            params=[BABY],
        )
    },
    "/api/v1/grants/{grant}": {"delete": _op("End a worker's access at once", NO_CONTENT, params=[GRANT])},
    "/api/v1/share/redeem": {
        "post": _op(
            "A worker redeems a code",
            {
                "201": _json({"type": "object", "properties": {"grant": _ref("Grant")}}),
                "429": {"$ref": "#/components/responses/Throttled"},
            },
            _ref("CodeInput"),
        )
    },
    "/api/v1/shared": {
        "get": _op(
            "The diaries shared with the signed-in worker",
            {"200": _list_of("grants", "Grant")},
        )
    },
    "/api/v1/shared/{grant}/entries": {
        "get": _op(
            "A shared diary's entries (read-only)",
            {"200": _list_of("entries", "Entry")},
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
            {"200": _json(CHECKIN_BODY)},
            params=[CHECKIN_DATE],
        ),
        "put": _op(
            "Create or replace the parent's own check-in for a local date (not in the future, "
            "at most 400 days old)",
            {"200": _json(CHECKIN_BODY, "Updated or replayed"), "201": _json(CHECKIN_BODY, "Created")},
            _ref("CheckInInput"),
            params=[CHECKIN_DATE],
        ),
    },
    "/api/v1/family/invites": {
        "post": _op("A code for the other parent to join the family", {"201": _json(_ref("Code"))})
    },
    "/api/v1/family/join": {
        "post": _op(
            "Join the family of the parent who made the code",
            {"200": _json({"type": "object"}), "429": {"$ref": "#/components/responses/Throttled"}},
            _ref("CodeInput"),
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
    "/api/v1/openapi.json": {"get": _op("This description", {"200": _json({"type": "object"})}, errors=())},
}


def _response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


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
                "TooLarge": _response("The request body is larger than the limit (64 KB by default)"),
            },
        },
    }


def api_routes(app) -> dict[str, set[str]]:
    """The app's /api/v1 routes in OpenAPI path form, with their methods."""
    names = {"baby_id": "baby", "entry_id": "entry", "grant_id": "grant", "session_id": "session"}
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
    from flask import current_app  # noqa: PLC0415

    return jsonify(document(api_routes(current_app)))
