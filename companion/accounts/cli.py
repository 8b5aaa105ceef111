"""Command line: organisations and staff accounts."""

import click
from flask import Flask

from companion.errors import ServiceError


def register(app: Flask) -> None:
    @app.cli.command("create-organisation")
    @click.argument("slug")
    @click.argument("name")
    @click.option("--locality", default=None, help="The town or region it serves.")
    def create_organisation(slug: str, name: str, locality: str | None) -> None:
        """Create an organisation (one per Baby blues association)."""
        from companion.accounts.services import create_organisation as create  # noqa: PLC0415

        try:
            org = create(slug, name, locality)
        except ServiceError as error:
            raise click.ClickException(error.message) from None
        click.echo(f"Created organisation {org.slug}: {org.name}")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice(["worker", "admin"]), required=True)
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
        """Create a worker or admin account."""
        from companion.accounts.services import create_staff_user  # noqa: PLC0415

        try:
            user, generated = create_staff_user(username, role, password, organisation, display_name)
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
        from companion.accounts.services import find_user, issue_setup_link  # noqa: PLC0415
        from companion.extensions import db  # noqa: PLC0415

        user = find_user(username)
        if user is None or not user.is_staff:
            raise click.ClickException(f"no staff account {username!r}")
        token = issue_setup_link(user, None)
        db.session.commit()
        click.echo(f"{base_url.rstrip('/')}/setup/{token}")
