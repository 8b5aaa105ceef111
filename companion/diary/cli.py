"""Command line: a demo family with a realistic diary."""

import secrets
import uuid
from datetime import timedelta

import click
from flask import Flask

#: (days back, coping 1-5, own sleep in hours) for the demo parent's check-ins.
DEMO_CHECKINS = (
    (13, 3, 6),
    (12, 2, 5),
    (10, 2, 4.5),
    (9, 3, 6),
    (8, 4, 7),
    (6, 3, 5.5),
    (5, 4, 6.5),
    (4, 3, 5),
    (2, 4, 7),
    (1, 4, 6.5),
)


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--days", default=21, show_default=True, type=click.IntRange(1, 1200))
    @click.option("--if-new", is_flag=True, help="Do nothing when the database has users already.")
    @click.option("--port", default=5000, show_default=True, type=int, help="The port the sign-in names.")
    def seed_demo(days: int, if_new: bool, port: int) -> None:
        """Create a demo parent with a baby and DAYS days of diary, and print the sign-in."""
        from sqlalchemy import func, select  # noqa: PLC0415

        from companion.accounts.models import User  # noqa: PLC0415
        from companion.accounts.services import find_user, sign_up  # noqa: PLC0415
        from companion.diary import services  # noqa: PLC0415
        from companion.diary.demo import generate  # noqa: PLC0415
        from companion.extensions import db  # noqa: PLC0415
        from companion.rhythm.clock import local_date  # noqa: PLC0415
        from companion.types import utcnow  # noqa: PLC0415

        if if_new and db.session.scalar(select(func.count(User.id))):
            click.echo("The database has accounts already; no demo family added.")
            return
        username = "demo"
        n = 1
        while find_user(username) is not None:
            n += 1
            username = f"demo{n}"
        password = "-".join(secrets.token_hex(3) for _ in range(3))
        user, _codes = sign_up(username, password, "fi")
        tz = services.family_zone(services.family_of(user))
        today = local_date(utcnow(), tz)
        baby = services.create_baby(
            user,
            "Pikku-Aino",
            birth_date=today - timedelta(days=70),
            due_date=today - timedelta(days=63),
        )
        now = utcnow()
        count = 0
        for item in generate(today - timedelta(days=days - 1), days, tz):
            if item.start > now or (item.end and item.end > now):
                continue
            services.save_entry(
                user,
                baby.id,
                str(uuid.uuid4()),
                services.EntryInput(item.kind, item.start, item.end, item.details, item.note),
                now=now,
                commit=False,
            )
            count += 1
        db.session.commit()
        from companion.diary.demo import DEMO_PLAN  # noqa: PLC0415
        from companion.rhythm.services import save_plan  # noqa: PLC0415

        plan_from = today - timedelta(days=min(days - 1, 365))
        save_plan(user, baby.id, {**DEMO_PLAN, "from": plan_from.isoformat()})
        from companion.wellbeing.services import save_checkin  # noqa: PLC0415

        # The parent's own check-ins on most of the last two weeks (gaps are fine).
        for back, coping, sleep in DEMO_CHECKINS:
            if back < days:
                save_checkin(user, (today - timedelta(days=back)).isoformat(), coping, sleep)
        click.echo(f"Demo family ready: {count} diary entries over {days} days.")
        login = f"http://127.0.0.1:{port}/login"
        click.echo(f"Sign in at {login} as '{username}' with password '{password}'.")
        from companion.accounts.services import create_organisation, create_staff_user  # noqa: PLC0415

        if find_user("demo-worker") is None:
            from companion.accounts.models import Organisation  # noqa: PLC0415

            if not db.session.scalar(select(Organisation).where(Organisation.slug == "demo")):
                create_organisation("demo", "Demo Baby blues", "Tampere")
            worker_password = "-".join(secrets.token_hex(3) for _ in range(3))
            create_staff_user("demo-worker", "worker", worker_password, "demo", "Maija (demo)")
            click.echo(
                f"A demo Baby blues worker: 'demo-worker' with password '{worker_password}' "
                "(make a share code on the parent's Share page, enter it on the worker's page)."
            )
            from flask import current_app  # noqa: PLC0415

            if current_app.config["COMPANION_STAFF_SECOND_FACTOR"] == "optional":
                click.echo(
                    "Staff second factor: OPTIONAL in this demo (COMPANION_STAFF_SECOND_FACTOR=optional): "
                    "the worker signs in with the password alone and may set up an authenticator "
                    f"app on {login.replace('/login', '/account/second-factor')}. A deployment requires it."
                )
            else:
                click.echo(
                    "Staff second factor: required. At the first sign-in the worker scans a QR code "
                    "with an authenticator app (Google Authenticator, Microsoft Authenticator, FreeOTP) "
                    "and types the 6-digit code it shows."
                )
