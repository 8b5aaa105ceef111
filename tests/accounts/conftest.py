"""The staff fixtures of the sharing tests: workers and an admin, signed in."""

from tests.share.conftest import admin, make_worker, worker  # noqa: F401  (shared fixtures)
