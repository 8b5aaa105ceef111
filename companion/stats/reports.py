"""One report put together for the page, the API, the downloads and the command line."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from companion import types as utc
from companion.accounts.models import Organisation
from companion.stats import schemas, services


def report_body(
    organisation: Organisation | None, year: int, period: str, now: datetime | None = None
) -> dict[str, Any]:
    """The report as the API gives it (every count made safe to show)."""
    now = now or utc.utcnow()
    report = services.year_report(year, now)
    texts = services.free_texts(organisation.id if organisation else None, year, str(report.computed_at))
    today = now.astimezone(services.zone()).date()
    return schemas.report_body(report, organisation.slug if organisation else None, period, texts, today)


def report_title(organisation: Organisation | None, year: int) -> str:
    name = organisation.name if organisation else _("All associations")
    return _("Baby blues statistics %(year)d: %(name)s", year=year, name=name)
