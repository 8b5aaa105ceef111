"""JSON API of the feedback and the statistics."""

from __future__ import annotations

from datetime import timedelta

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from companion import types as utc
from companion.apiutil import json_body, role_required
from companion.errors import Validation
from companion.schema import read
from companion.stats import api_bp, schemas, services
from companion.stats.figures import PERIODS

OLDEST_YEAR = 2020


def parse_year(value: object, today_year: int) -> int:
    """A year from 2020 to this year (this year when left out)."""
    if value is None or value == "":
        return today_year
    if isinstance(value, str) and value.strip().isdigit() and OLDEST_YEAR <= int(value) <= today_year:
        return int(value)
    raise Validation(
        _("Please check the year."),
        {"year": _("Choose a year from %(first)d to %(last)d.", first=OLDEST_YEAR, last=today_year)},
    )


def parse_period(value: object, default: str = "month") -> str:
    """Month, quarter or year (``default`` when left out: the API's is month)."""
    if value is None or value == "":
        return default
    if value in PERIODS:
        return str(value)
    raise Validation(_("Please check the period."), {"period": _("Choose month, quarter or year.")})


@api_bp.post("/feedback")
@role_required("parent")
def feedback_create():
    values, problems = read(schemas.FeedbackInput, json_body())
    now = utc.utcnow()
    feedback, created = services.save_feedback(
        current_user,
        values["grant"],
        values["helped"],
        values["what_helped"],
        values["recommend"],
        values["text"],
        now=now,
        problems=problems,
    )
    until = now + timedelta(days=services.FEEDBACK_DAYS) if created else None
    body = schemas.feedback_answer(feedback, until)
    return jsonify(body), 201 if created else 200


@api_bp.get("/stats")
@role_required("coordinator", "admin")
def stats_report():
    now = utc.utcnow()
    organisation = services.report_organisation(current_user, request.args.get("organisation"))
    today = now.astimezone(services.zone()).date()
    year = parse_year(request.args.get("year"), today.year)
    period = parse_period(request.args.get("period"))
    report = services.year_report(year, now)
    texts = services.free_texts(organisation.id if organisation else None, year, str(report.computed_at))
    slug = organisation.slug if organisation else None
    return jsonify(schemas.report_body(report, slug, period, texts, today))
