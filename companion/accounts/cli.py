"""Command line: organisations, staff accounts, and pruning by the retention rules."""

import click
from flask import Flask

from companion.accounts import privacy, services
from companion.errors import ServiceError


def register(app: Flask) -> None:
    @app.cli.command("create-organisation")
    @click.argument("slug")
    @click.argument("name")
    @click.option("--locality", default=None, help="The town or region it serves.")
    def create_organisation(slug: str, name: str, locality: str | None) -> None:
        """Create an organisation (one per Baby blues association)."""
        try:
            org = services.create_organisation(slug, name, locality)
        except ServiceError as error:
            raise click.ClickException(error.message) from None
        click.echo(f"Created organisation {org.slug}: {org.name}")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice(["worker", "coordinator", "admin"]), required=True)
    @click.option("--organisation", "organisation", default=None, help="Organisation slug.")
    @click.option("--display-name", default=None, help="The name families see.")
    @click.option("--password", default=None, help="Generated and printed when left out.")
    def create_user(
        username: str,
        role: str,
        organisation: str | None,
        display_name: str | None,
        password: str | None,
    ) -> None:
        """Create a worker, coordinator (a worker who manages their organisation) or admin account."""
        try:
            user, generated = services.create_staff_user(username, role, password, organisation, display_name)
        except ServiceError as error:
            raise click.ClickException(error.message) from None
        click.echo(f"Created {user.role} {user.username}")
        if generated:
            click.echo(f"Password: {generated}")

    @app.cli.command("setup-link")
    @click.argument("username")
    @click.option(
        "--base-url", default="http://127.0.0.1:8000", show_default=True, help="Where the app is served."
    )
    def setup_link(username: str, base_url: str) -> None:
        """Print a single-use set-up link (24 hours) for a staff account: its password and
        second factor stop working, and it is signed out everywhere. For an admin who lost
        their authenticator app and has no other admin to ask."""
        try:
            token = services.setup_link_by_command(username)
        except ServiceError as error:
            raise click.ClickException(error.message) from None
        click.echo(f"{base_url.rstrip('/')}/setup/{token}")

    @app.cli.command("prune")
    def prune() -> None:
        """Remove expired codes and grants, old audit events, tombstones and counters
        (the retention of the privacy page). Safe to run daily from cron."""
        counts = privacy.prune()
        click.echo("Pruned: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
