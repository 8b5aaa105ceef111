"""Fixtures for feedback and statistics: workers, admins and grants (as for sharing)."""

from tests.share.conftest import admin, make_worker, worker  # noqa: F401
