"""Fixtures for feedback and statistics: workers, admins and grants (as for sharing)."""

import pytest

from tests.share.conftest import add_staff, admin, make_worker, sign_in, worker  # noqa: F401


@pytest.fixture
def federation(app):
    """The federation's admin, signed in."""
    add_staff(app, "federation", "admin", "Federation", None)
    return sign_in(app, "federation")
