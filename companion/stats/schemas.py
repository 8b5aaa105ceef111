"""The JSON shapes of the feedback and statistics API (pydantic v2): the one home of each
shape, in and out; the OpenAPI components come from them (`components`).

A count is a whole number, ``"<5"`` for 1-4, or null where it is hidden so that a small
one cannot be worked out from the others; every count's key ends in ``_count``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from flask_babel import lazy_gettext as _l
from pydantic import Field, StrictInt, create_model

from companion.schema import Reply, Says, Shape, free_text, shapes
from companion.stats import figures
from companion.stats.figures import (
    AGE_BANDS,
    ALL,
    COPING,
    HELPED,
    MEASURES,
    RECOMMEND,
    ROW_COUNTS,
    WHAT_HELPED,
)
from companion.stats.services import TEXT_MAX
from companion.types import stamp

Count = int | Literal["<5"] | None
WhatHelped = Literal["sleep", "crying", "rhythm", "coping", "relationship", "other"]
assert WhatHelped.__args__ == WHAT_HELPED  # type: ignore[attr-defined]


FeedbackText = free_text(TEXT_MAX, _l("The text must be text."), "optional; please no names")


class FeedbackInput(Shape):
    """A parent's answer about the work of the organisation behind one grant."""

    problem = _l("Please check your answers.")

    grant: Annotated[
        StrictInt,
        Field(description="the id of a grant the parent made the code for"),
        Says(_l("Not found.")),
    ]
    helped: Annotated[
        StrictInt,
        Field(ge=1, le=len(HELPED), description="1 not at all … 5 a lot; shown as words, never numbers"),
        Says(_l("Choose one of the five answers.")),
    ]
    what_helped: Annotated[
        list[WhatHelped],
        Field(description="what helped; may be empty"),
        Says(_l("Choose from the listed things, or none.")),
    ]
    recommend: Annotated[Literal[RECOMMEND], Says(_l("Answer yes, no or not sure."))]
    text: FeedbackText = None


class FeedbackOut(Reply):
    helped: int
    what_helped: list[str]
    recommend: str
    text: str | None
    changeable_until: str | None = Field(description="after this the answer can no longer be found")


class FeedbackAnswer(Reply):
    feedback: FeedbackOut


def _group(name: str, keys: tuple[str, ...]) -> type[Reply]:
    fields: dict[str, Any] = {f"{key}_count": (Count, ...) for key in keys}
    return create_model(name, __base__=Reply, **fields)


AgeCounts = _group("AgeCounts", AGE_BANDS)
HelpedCounts = _group("HelpedCounts", HELPED)
WhatHelpedCounts = _group("WhatHelpedCounts", WHAT_HELPED)
RecommendCounts = _group("RecommendCounts", RECOMMEND)
CopingCounts = _group("CopingCounts", COPING)


class StatsRow(Reply):
    period: str = Field(description='"2026-01", "2026-Q1" or "2026"')
    new_grants_count: Count
    active_grants_count: Count
    grant_days_median: float | None = Field(description="grants that ended in the period; null under 5")
    opens_count: Count = Field(description="how often workers opened the shared diaries")
    contact_requests_count: Count
    contact_close_hours_median: float | None
    first_share_age: AgeCounts  # type: ignore[valid-type]
    feedback_count: Count
    helped: HelpedCounts  # type: ignore[valid-type]
    what_helped: WhatHelpedCounts  # type: ignore[valid-type]
    recommend: RecommendCounts  # type: ignore[valid-type]


class ChangeMeasure(Reply):
    families_count: Count
    median_first_week: float | None
    median_weeks_5_8: float | None
    median_change: float | None = Field(description="null for fewer than 5 families")


class ChangeCheckIns(Reply):
    families_count: Count
    first: CopingCounts  # type: ignore[valid-type]
    last: CopingCounts  # type: ignore[valid-type]


class StatsChange(Reply):
    night_wakings: ChangeMeasure
    longest_sleep_minutes: ChangeMeasure
    crying_minutes: ChangeMeasure
    checkins: ChangeCheckIns


class TextBatch(Reply):
    quarter: str
    texts: list[str] = Field(description="at least 5, in a random order")


class FeedbackSummary(Reply):
    count: Count = Field(alias="feedback_count")
    helped: HelpedCounts  # type: ignore[valid-type]
    what_helped: WhatHelpedCounts  # type: ignore[valid-type]
    recommend: RecommendCounts  # type: ignore[valid-type]
    texts: list[TextBatch]

    model_config = {**Reply.model_config, "populate_by_name": True}


class StatsReport(Reply):
    organisation: str | None
    year: int
    period: Literal["month", "quarter", "year"]
    computed_at: str | None = Field(description="when the figures were last worked out")
    rows: list[StatsRow]
    feedback: FeedbackSummary
    change: StatsChange


def feedback_answer(feedback, changeable_until: datetime | None) -> dict[str, Any]:
    return FeedbackAnswer(
        feedback=FeedbackOut(
            helped=feedback.helped,
            what_helped=list(feedback.what_helped or []),
            recommend=feedback.recommend,
            text=feedback.text,
            changeable_until=stamp(changeable_until),
        )
    ).model_dump()


def _counts(published: dict, org: str, period: str, group: str | None, keys: tuple[str, ...]) -> dict:
    return {
        f"{key}_count": published[(org, period, figures.cube_name(group, f"{key}_count"))] for key in keys
    }


def row(published: dict, medians: dict, org: str, period: str) -> dict[str, Any]:
    """One period's row of the report, as the API gives it."""
    values: dict[str, Any] = {"period": period}
    for _source, group, name in ROW_COUNTS:
        if group is None:
            values[name] = published[(org, period, name)]
    values["active_grants_count"] = published[(org, period, figures.ACTIVE)]
    values["grant_days_median"] = medians[(org, period, "grant_days_median")]
    values["contact_close_hours_median"] = medians[(org, period, "contact_close_hours_median")]
    values["first_share_age"] = _counts(published, org, period, "first_share_age", AGE_BANDS)
    values["helped"] = _counts(published, org, period, "helped", HELPED)
    values["what_helped"] = _counts(published, org, period, "what_helped", WHAT_HELPED)
    values["recommend"] = _counts(published, org, period, "recommend", RECOMMEND)
    return StatsRow(**values).model_dump()


def change(published: dict, medians: dict, org: str, year: int) -> dict[str, Any]:
    key = str(year)
    out: dict[str, Any] = {}
    for measure in MEASURES:
        out[measure] = {
            "families_count": published[(org, key, f"change.{measure}.families_count")],
            "median_first_week": medians[(org, key, f"change.{measure}.before")],
            "median_weeks_5_8": medians[(org, key, f"change.{measure}.after")],
            "median_change": medians[(org, key, f"change.{measure}.delta")],
        }
    out["checkins"] = {
        "families_count": published[(org, key, "checkins.families_count")],
        **{
            window: {
                f"{word}_count": published[(org, key, f"checkins.{window}.{word}_count")] for word in COPING
            }
            for window in ("first", "last")
        },
    }
    return StatsChange(**out).model_dump()


def report_body(
    report, organisation: str | None, period: str, texts: list[tuple[str, list[str]]], today
) -> dict[str, Any]:
    """The whole answer of GET /api/v1/stats for one organisation (None: the whole country)."""
    org = organisation or ALL
    year = report.year
    rows = [
        row(report.published, report.medians, org, key)
        for key in figures.periods_of(year, period)
        if figures.period_started(key, today)
    ]
    whole = row(report.published, report.medians, org, str(year))
    feedback = {
        "feedback_count": whole["feedback_count"],
        "helped": whole["helped"],
        "what_helped": whole["what_helped"],
        "recommend": whole["recommend"],
        "texts": [{"quarter": quarter, "texts": batch} for quarter, batch in texts],
    }
    body = StatsReport(
        organisation=organisation,
        year=year,
        period=period,  # type: ignore[arg-type]
        computed_at=stamp(report.computed_at),
        rows=rows,
        feedback=FeedbackSummary(**feedback),
        change=change(report.published, report.medians, org, year),
    )
    return body.model_dump(by_alias=True)


#: The models whose JSON Schema the OpenAPI description shows (companion.openapi).
COMPONENTS = shapes(
    sent=(FeedbackInput,),
    answered=(FeedbackAnswer, StatsReport),
)
