"""One report put together for the page, the API, the downloads and the command line."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from companion import types as utc
from companion.accounts.models import Organisation
from companion.i18n import format_clock, format_day, locale_code
from companion.stats import charts, schemas, services

#: The period the pages, the downloads and the command line show unless asked.
PAGE_PERIOD = "quarter"


def report_body(
    organisation: Organisation | None, year: int, period: str, now: datetime | None = None
) -> dict[str, Any]:
    """The report as the API gives it (every count made safe to show)."""
    now = now or utc.utcnow()
    report = services.year_report(year, now)
    texts = services.free_texts(organisation.id if organisation else None, year, str(report.computed_at))
    today = now.astimezone(services.zone()).date()
    return schemas.report_body(report, organisation.slug if organisation else None, period, texts, today)


def report_view(
    organisation: Organisation | None, year: int, period: str, now: datetime | None = None
) -> tuple[dict[str, Any], list]:
    """The report and its charts, kept per process while the year's months are unchanged
    (building a dozen Plotly figures costs more than the rest of the page)."""
    now = now or utc.utcnow()
    report = services.year_report(year, now)
    today = now.astimezone(services.zone()).date()
    key = (report.key, organisation.id if organisation else None, period, locale_code(), today)
    views = services.kept("views")
    found = views.get(key)
    if found is None:
        body = report_body(organisation, year, period, now)
        found = (body, charts.report_charts(body))
        if len(views) > 64:
            views.clear()
        views[key] = found
    return found


def report_title(organisation: Organisation | None, year: int) -> str:
    name = organisation.name_in(locale_code()) if organisation else _("All associations")
    return _("Baby blues statistics %(year)d: %(name)s", year=year, name=name)


def report_subtitle(body: dict[str, Any], period: str) -> str:
    """What the downloaded file says under its title: by which period, and when the
    figures were worked out (31.1.2026 13.05, in the reader's language)."""
    by = {
        "month": _("Figures by month."),
        "quarter": _("Figures by quarter."),
        "year": _("Figures for the whole year."),
    }[period]
    if not body["computed_at"]:
        return by
    when = datetime.fromisoformat(body["computed_at"])
    tz = services.zone()
    moment = f"{format_day(when.astimezone(tz).date())} {format_clock(when, tz)}"
    worked_out = _("Figures worked out %(when)s.", when=moment)  # as the page says it
    return f"{by} {worked_out}"


def text_batches(body: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The families' free texts, a quarter at a time, with the quarter named for people."""
    return [(charts.period_label(batch["quarter"]), batch["texts"]) for batch in body["feedback"]["texts"]]
