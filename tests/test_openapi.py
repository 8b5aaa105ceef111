"""The OpenAPI description stays true to the API: both ways, and against real answers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jsonschema
import pytest

from companion.openapi import PATHS, api_routes


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_every_route_is_described(app, spec):
    routes = api_routes(app)
    missing = [
        f"{method} {path}"
        for path, methods in routes.items()
        for method in methods
        if method.lower() not in spec["paths"].get(path, {})
    ]
    assert missing == []


def test_every_description_has_a_route(app, spec):
    routes = api_routes(app)
    for path, operations in spec["paths"].items():
        for method in operations:
            assert method.upper() in routes.get(path, set()), f"{method} {path}"


def test_the_description_is_valid_openapi(spec):
    from openapi_spec_validator import validate

    validate(spec)
    assert spec["openapi"].startswith("3.1")


def _schema(spec, path, method, status):
    response = spec["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    schema = response["content"]["application/json"]["schema"]
    return {**schema, "components": spec["components"]}


def _check(spec, path, method, response):
    schema = _schema(spec, path, method, response.status_code)
    resolver_schema = {"$defs": {}, **schema}
    jsonschema.validate(response.get_json(), resolver_schema)


def test_real_answers_match_the_schemas(spec, family):
    api = family.api
    base = f"/api/v1/babies/{family.baby_id}"
    _check(spec, "/api/v1/me", "get", api.get("/api/v1/me"))
    _check(spec, "/api/v1/babies", "get", api.get("/api/v1/babies"))
    start = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
    end = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    put = api.put(f"{base}/entries/{uuid.uuid4()}", {"kind": "sleep", "start": start, "end": end})
    _check(spec, "/api/v1/babies/{baby}/entries/{entry}", "put", put)
    _check(spec, "/api/v1/babies/{baby}/entries", "get", api.get(f"{base}/entries"))
    _check(spec, "/api/v1/babies/{baby}/rhythm", "get", api.get(f"{base}/rhythm"))
    bad = api.put(f"{base}/entries/{uuid.uuid4()}", {"kind": "nap", "start": start})
    _check(spec, "/api/v1/babies/{baby}/entries/{entry}", "put", bad)
    clash = api.put(f"{base}/entries/{uuid.uuid4()}", {"kind": "sleep", "start": start, "end": end})
    _check(spec, "/api/v1/babies/{baby}/entries/{entry}", "put", clash)


def test_paths_table_matches_the_contract_entry_points():
    assert "/api/v1/babies/{baby}/entries/{entry}" in PATHS
    assert set(PATHS["/api/v1/babies/{baby}/entries/{entry}"]) == {"put", "delete"}


def test_session_and_second_factor_answers_match_the_schemas(app, spec, family):
    import pyotp

    from tests.conftest import Api
    from tests.share.conftest import WORKER_PASSWORD, add_staff

    _check(spec, "/api/v1/me/sessions", "get", family.api.get("/api/v1/me/sessions"))
    add_staff(app, "schemaworker", "worker", "Schema Worker", "org")
    staff = Api(app.test_client())
    staff.post("/api/v1/login", {"username": "schemaworker", "password": WORKER_PASSWORD})
    held = staff.get("/api/v1/shared")
    assert held.get_json()["error"]["code"] == "second_factor_required"
    _check(spec, "/api/v1/shared", "get", held)
    started = staff.post("/api/v1/me/second-factor")
    _check(spec, "/api/v1/me/second-factor", "post", started)
    code = pyotp.TOTP(started.get_json()["secret"]).now()
    _check(
        spec,
        "/api/v1/me/second-factor/confirm",
        "post",
        staff.post("/api/v1/me/second-factor/confirm", {"otp": code}),
    )
    again = Api(app.test_client()).post(
        "/api/v1/login", {"username": "schemaworker", "password": WORKER_PASSWORD}
    )
    assert again.get_json()["error"]["code"] == "otp_required"
    _check(spec, "/api/v1/login", "post", again)
