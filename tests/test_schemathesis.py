"""Property-based API testing from the OpenAPI description (schemathesis), bounded.

It must find no server error, no response that contradicts the description and no
invalid input that is accepted. CSRF is off in this app only: it is tested elsewhere, and
here every request would otherwise be refused before reaching the code under test.
Schema-valid input may still be refused by rules a schema cannot express (a guessable
password, an overlapping sleep, a time in the future), so that one check is left out.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from companion import create_app
from companion.extensions import db
from tests.conftest import FAST_HASH

_app = create_app(
    {
        "TESTING": True,
        "SECRET_KEY": "schemathesis",
        "SQLALCHEMY_DATABASE_URI": "sqlite:///:memory:",
        "SESSION_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False,
        "COMPANION_LOGIN_LIMIT_USER": 10_000,
        "COMPANION_LOGIN_LIMIT_ADDRESS": 10_000,
        "COMPANION_CONTACT_LIMIT_ADDRESS": 10_000,
        "COMPANION_CONTACT_LIMIT_ORGANISATION": 10_000,
        # 413 is not among the answers the tool counts as refusing bad input; body limits
        # are tested with the features that set them.
        "COMPANION_DIRECTORY_MAX_BODY": 10_000_000,
        **FAST_HASH,
    }
)
with _app.app_context():
    db.create_all()
    from companion.accounts.services import create_organisation

    # A listed organisation, so that contact requests reach their checks.
    create_organisation("fuzz", "Baby blues (fuzz)", "Tampere")
_client = _app.test_client()
assert (
    _client.post(
        "/api/v1/signup", json={"username": "fuzzer", "password": "correct horse battery"}
    ).status_code
    == 201
)
assert _client.post("/api/v1/babies", json={"name": "Aino"}).status_code == 201
_cookie = _client.get_cookie("companion_session").value

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _app)


@schema.exclude(path="/api/v1/me", method="DELETE").parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_against_its_description(case):
    with _app.app_context():
        case.call_and_validate(
            headers={"Cookie": f"companion_session={_cookie}", "Accept-Language": "en"},
            excluded_checks=[checks.positive_data_acceptance],
        )


def _signed_in_coordinator() -> str:
    """The cookie of the fuzz organisation's coordinator (the organisation's own API)."""
    from companion.accounts.services import create_staff_user

    with _app.app_context():
        create_staff_user("fuzz-coordinator", "coordinator", "correct horse battery", "fuzz", "Fuzz")
    client = _app.test_client()
    response = client.post(
        "/api/v1/login", json={"username": "fuzz-coordinator", "password": "correct horse battery"}
    )
    assert response.status_code == 200
    return client.get_cookie("companion_session").value


_staff_cookie = _signed_in_coordinator()


@schema.include(path_regex="^/api/v1/organisation").parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_organisations_api_against_its_description(case):
    with _app.app_context():
        case.call_and_validate(
            headers={"Cookie": f"companion_session={_staff_cookie}", "Accept-Language": "en"},
            excluded_checks=[checks.positive_data_acceptance],
        )
