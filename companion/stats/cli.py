"""`flask --app companion stats`: a report as CSV or HTML on the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from companion.accounts.models import Organisation
from companion.extensions import db
from companion.stats import charts, export, reports
from companion.stats.figures import PERIODS


def write_report(slug: str | None, year: int, fmt: str, lang: str, period: str = reports.PAGE_PERIOD) -> str:
    organisation = None
    if slug:
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        if organisation is None:
            raise click.BadParameter(f"no organisation {slug!r}", param_hint="--organisation")
    with force_locale(lang):
        body = reports.report_body(organisation, year, period)
        made = charts.report_charts(body)
        title = reports.report_title(organisation, year)
        if fmt == "csv":
            return export.as_csv(title, made)
        return export.as_html(title, reports.report_subtitle(body, period), made, reports.text_batches(body))


def register(app: Flask) -> None:
    @app.cli.command("stats")
    @click.option(
        "--organisation", "slug", help="the organisation's short name; the whole country when left out"
    )
    @click.option("--year", type=click.IntRange(2020, 2100), required=True)
    @click.option("--period", type=click.Choice(PERIODS), default=reports.PAGE_PERIOD, show_default=True)
    @click.option("--format", "fmt", type=click.Choice(["csv", "html"]), default="csv", show_default=True)
    @click.option(
        "--output", type=click.Path(dir_okay=False, writable=True), help="a file (standard output by default)"
    )
    @click.option("--lang", type=click.Choice(["fi", "sv", "en"]), default="fi", show_default=True)
    def stats_command(
        slug: str | None, year: int, period: str, fmt: str, output: str | None, lang: str
    ) -> None:
        """Write an organisation's statistics for a year as CSV or one self-contained HTML file."""
        text = write_report(slug, year, fmt, lang, period)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            click.echo(f"Wrote {output}.", err=True)
        else:
            click.echo(text, nl=False)
