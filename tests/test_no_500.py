"""Property-based: the edges of input thrown at every endpoint and every page, by an
anonymous visitor, a parent and a worker, find no server error.

Hypothesis draws query arguments (the names the app reads and any others, url_for's own
such as ``_method``), JSON bodies and form fields from edge values: years 0001 and 9999,
NUL and lone surrogates, huge and negative numbers, deep and odd shapes. SQLite only;
CSRF is off in this app (it is tested elsewhere) so that bodies reach the code under test.
"""

from __future__ import annotations

import functools
import json
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import quote_plus

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion import create_app
from companion.extensions import db
from tests.conftest import FAST_HASH, PASSWORD

pytestmark = pytest.mark.slow

EDGE_TEXT = [
    "",
    " ",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59+14:00",
    "2026-02-30",
    "2026-03-29T03:30:00",
    "1999-12-31T23:59:59Z",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "null",
    "true",
    "POST",
    "../../etc/passwd",
    "%00",
    "<script>alert(1)</script>",
    '=HYPERLINK("x")',
    "fi",
    "sv",
    "csv",
    "sleep",
    "crying",
    "1234 5678 9012",
    "x" * 3000,
]
QUERY_NAMES = [
    "from",
    "to",
    "day",
    "date",
    "since",
    "until",
    "changed_since",
    "q",
    "lang",
    "next",
    "format",
    "kind",
    "v",
    "_method",
    "_external",
    "_anchor",
    "_scheme",
]
BODY_NAMES = [
    "kind",
    "start",
    "end",
    "note",
    "details",
    "client_now",
    "recorded_at",
    "name",
    "birth_date",
    "due_date",
    "code",
    "password",
    "username",
    "otp",
    "coping",
    "own_sleep_hours",
    "wake",
    "naps",
    "bedtime",
    "from",
    "scope",
    "valid_hours",
    "grant_days",
    "label",
    "statistics",
    "new_password",
]
# Ends the caller's own session: the rest of the run would be anonymous.
SKIP_ENDPOINTS = {
    "accounts.logout",
    "accounts_api.logout",
    "accounts.sign_out_everywhere",
    "accounts.session_end",
    "accounts_api.sessions_delete",
    "accounts_api.delete_me",
    "accounts.account_delete",
    "share.family_leave",
    "static",
}

edge_text = st.sampled_from(EDGE_TEXT) | st.text(max_size=40)
scalars = (
    edge_text
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.none()
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(edge_text, inner, max_size=4),
    max_leaves=12,
)
query_args = st.dictionaries(
    st.sampled_from(QUERY_NAMES) | st.text(min_size=1, max_size=8), edge_text, max_size=4
)
json_bodies = st.dictionaries(st.sampled_from(BODY_NAMES) | edge_text, json_values, max_size=6) | json_values
form_bodies = st.dictionaries(
    st.sampled_from(BODY_NAMES) | st.text(min_size=1, max_size=8), edge_text, max_size=6
)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("no500")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "no-500",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/no500.sqlite",
            "SESSION_COOKIE_SECURE": False,
            "WTF_CSRF_ENABLED": False,
            "COMPANION_LOGIN_LIMIT_USER": 100_000,
            "COMPANION_LOGIN_LIMIT_ADDRESS": 100_000,
            "COMPANION_CODE_LIMIT_USER": 100_000,
            "COMPANION_CODE_LIMIT_USER_DAY": 100_000,
            "COMPANION_CODE_LIMIT_ADDRESS": 100_000,
            "COMPANION_SIGNUP_LIMIT": 100_000,
            **FAST_HASH,
        }
    )
    with app.app_context():
        db.create_all()
        from companion.accounts.services import create_organisation, create_staff_user

        create_organisation("org", "Org")
        create_staff_user("fuzzworker", "worker", "worker password 1", "org", "Fuzz Worker")
    parent = app.test_client()
    assert (
        parent.post("/api/v1/signup", json={"username": "fuzzparent", "password": PASSWORD}).status_code
        == 201
    )
    baby = parent.post("/api/v1/babies", json={"name": "Aino"}).get_json()["baby"]["id"]
    entry = str(uuid.uuid4())
    start = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
    assert (
        parent.put(
            f"/api/v1/babies/{baby}/entries/{entry}", json={"kind": "sleep", "start": start}
        ).status_code
        == 201
    )
    code = parent.post(f"/api/v1/babies/{baby}/share-codes", json={"label": "F"}).get_json()["code"]
    worker = app.test_client()
    worker.post("/api/v1/login", json={"username": "fuzzworker", "password": "worker password 1"})
    secret = worker.post("/api/v1/me/second-factor").get_json()["secret"]
    import pyotp

    worker.post("/api/v1/me/second-factor/confirm", json={"otp": pyotp.TOTP(secret).now()})
    grant = worker.post("/api/v1/share/redeem", json={"code": code}).get_json()["grant"]["id"]
    values = {
        "baby_id": baby,
        "entry_id": entry,
        "grant_id": grant,
        "worker_id": 1,
        "member_id": 1,
        "session_id": 1,
        "org_id": 1,
        "request_id": 1,
        "slug": "bb-tampere",
        "date": "2026-01-01",
        "day": "2026-01-01",
        "article_id": "crying",
        "token": "not-a-token",
    }
    yield {"app": app, "clients": [app.test_client(), parent, worker], "values": values}
    with app.app_context():
        db.engine.dispose()


@functools.cache
def routes(*methods: str) -> list[str]:
    """ "METHOD endpoint /rule" for every route with one of these methods."""
    app = create_app({"TESTING": True, "SECRET_KEY": "list", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    found = []
    for rule in app.url_map.iter_rules():
        for method in methods:
            if method in rule.methods and rule.endpoint not in SKIP_ENDPOINTS:
                found.append(f"{method} {rule.endpoint} {rule.rule}")
    return sorted(found)


def build(world, route: str) -> str:
    path = route.split(" ")[2]
    for name, value in world["values"].items():
        for converter in ("", "int:"):
            path = path.replace(f"<{converter}{name}>", str(value))
    assert "<" not in path, path
    return path


def encoded(pairs: dict[str, str]) -> str:
    """A query or form body as a browser would send it: text with lone surrogates becomes
    the bytes a careless client would produce (UTF-8 with surrogatepass)."""

    def one(text: str) -> str:
        return quote_plus(text.encode("utf-8", "surrogatepass"))

    return "&".join(f"{one(key)}={one(value)}" for key, value in pairs.items())


def check(response, what) -> None:
    assert response.status_code < 500, (what, response.status_code, response.get_data(as_text=True)[:300])
    assert "Content-Security-Policy" in response.headers


SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.mark.parametrize("route", routes("GET"))
@SETTINGS
@given(query=query_args, who=st.integers(0, 2))
def test_pages_and_reads_never_answer_500(world, route, query, who):
    client = world["clients"][who]
    response = client.get(f"{build(world, route)}?{encoded(query)}")
    check(response, (route, query))


@pytest.mark.parametrize("route", [r for r in routes("POST", "PUT", "PATCH", "DELETE") if " /api/" in r])
@SETTINGS
@given(body=json_bodies, query=query_args, who=st.integers(0, 2))
def test_api_writes_never_answer_500(world, route, body, query, who):
    client = world["clients"][who]
    path = build(world, route)
    method = route.split(" ")[0]
    raw = json.dumps(body).encode()
    response = client.open(
        f"{path}?{encoded(query)}", method=method, data=raw, content_type="application/json"
    )
    check(response, (route, body))


@pytest.mark.parametrize("route", [r for r in routes("POST") if " /api/" not in r])
@SETTINGS
@given(form=form_bodies, who=st.integers(0, 2))
def test_page_forms_never_answer_500(world, route, form, who):
    client = world["clients"][who]
    body = encoded(form).encode()
    response = client.post(build(world, route), data=body, content_type="application/x-www-form-urlencoded")
    check(response, (route, form))
