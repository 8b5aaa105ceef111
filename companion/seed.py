"""Command line: a demo family with a realistic diary, for `make run`'s first visitor.

It sits on top of the layers with the factory: the demo touches every feature (an
account, a baby and its diary, a rhythm plan, the parent's check-ins, a made-up
organisation with its public page, a worker and a coordinator).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from companion.accounts import services as accounts
from companion.accounts.models import Organisation, User
from companion.diary import services as diary
from companion.diary.demo import DEMO_PLAN, generate
from companion.directory import schemas as directory_schemas
from companion.directory import services as directory
from companion.extensions import db
from companion.rhythm.clock import local_date
from companion.rhythm.services import save_plan
from companion.types import utcnow
from companion.wellbeing.services import save_checkin

#: The demo organisation's public page: made up, and says so (no real association's
#: details; example.org is reserved for examples, and no phone number is invented).
DEMO_ORGANISATION = {
    "name": {
        "fi": "Kuvitteellinen Baby blues -yhdistys (demo)",
        "sv": "Fiktiva Baby blues-föreningen (demo)",
    },
    "municipalities": [{"fi": "Tampere", "sv": "Tammerfors"}, {"fi": "Nokia"}, {"fi": "Ylöjärvi"}],
    "email": "babyblues-demo@example.org",
    "web": "https://example.org/babyblues-demo",
    "languages": ["fi", "sv"],
    "hours": {"fi": "Esimerkki: arkisin klo 9–15", "sv": "Exempel: vardagar kl. 9–15"},
    "description": {
        "fi": "Tämä on kokeiluversion kuvitteellinen yhdistys. Oikea Baby blues -työntekijä auttaa "
        "vauvan unen, itkun, päivärytmin ja oman jaksamisen kysymyksissä puhelimessa, "
        "tapaamisissa ja kotikäynneillä.",
        "sv": "Det här är en påhittad förening i demoversionen. En riktig familjearbetare i Baby blues "
        "hjälper med babyns sömn, gråt, dygnsrytm och hur du själv orkar, i telefon, vid träffar "
        "och hembesök.",
    },
    "groups": {
        "fi": "Esimerkki: vauvaperheiden vertaisryhmä kokoontuu kerran viikossa.",
        "sv": "Exempel: en kamratgrupp för familjer med baby träffas en gång i veckan.",
    },
    "volunteering": {
        "fi": "Esimerkki: omasta kokemuksesta voi myöhemmin olla apua muille vanhemmille vapaaehtoisena.",
        "sv": "Exempel: senare kan din egen erfarenhet hjälpa andra föräldrar, som frivillig.",
    },
    "response_time": {
        "fi": "Esimerkki: vastaamme kahden arkipäivän kuluessa.",
        "sv": "Exempel: vi svarar inom två vardagar.",
    },
}

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


def seed_demo(days: int, port: int = 5000) -> None:
    """A demo parent with a baby and ``days`` days of diary; prints the sign-ins."""
    username = "demo"
    n = 1
    while accounts.find_user(username) is not None:
        n += 1
        username = f"demo{n}"
    password = "-".join(secrets.token_hex(3) for _ in range(3))
    user, _codes = accounts.sign_up(username, password, "fi")
    tz = diary.family_zone(diary.family_of(user))
    today = local_date(utcnow(), tz)
    # Born a week early, at least 70 days ago and before the diary's first day.
    born = today - timedelta(days=max(70, days))
    baby = diary.create_baby(user, "Pikku-Aino", birth_date=born, due_date=born + timedelta(days=7))
    now = utcnow()
    count = 0
    for item in generate(today - timedelta(days=days - 1), days, tz):
        if item.start > now or (item.end and item.end > now):
            continue
        diary.save_entry(
            user,
            baby.id,
            str(uuid.uuid4()),
            diary.EntryInput(item.kind, item.start, item.end, item.details, item.note),
            now=now,
            commit=False,
        )
        count += 1
    db.session.commit()
    plan_from = today - timedelta(days=min(days - 1, 365))
    save_plan(user, baby.id, {**DEMO_PLAN, "from": plan_from.isoformat()})
    # The parent's own check-ins on most of the last two weeks (gaps are fine).
    for back, coping, sleep in DEMO_CHECKINS:
        if back < days:
            save_checkin(user, (today - timedelta(days=back)).isoformat(), coping, sleep)
    click.echo(f"Demo family ready: {count} diary entries over {days} days.")
    site = f"http://127.0.0.1:{port}"
    click.echo(f"Sign in at {site}/login as '{username}' with password '{password}'.")
    staff = []
    if accounts.find_user("demo-worker") is None:
        if not db.session.scalar(select(Organisation).where(Organisation.slug == "demo")):
            accounts.create_organisation("demo", DEMO_ORGANISATION["name"]["fi"], "Tampere")
        worker_password = "-".join(secrets.token_hex(3) for _ in range(3))
        accounts.create_staff_user("demo-worker", "worker", worker_password, "demo", "Maija (demo)")
        staff.append("demo-worker")
        click.echo(
            f"A demo Baby blues worker: 'demo-worker' with password '{worker_password}' "
            "(make a share code on the parent's Share page, enter it on the worker's page)."
        )
    if accounts.find_user("demo-coordinator") is None:
        coordinator_password = "-".join(secrets.token_hex(3) for _ in range(3))
        coordinator, _generated = accounts.create_staff_user(
            "demo-coordinator", "coordinator", coordinator_password, "demo", "Kaisa (demo)"
        )
        staff.append("demo-coordinator")
        directory.update_organisation(
            coordinator, directory_schemas.OrganisationIn.model_validate(DEMO_ORGANISATION), "fi"
        )
        click.echo(
            f"Its coordinator: 'demo-coordinator' with password '{coordinator_password}' "
            "(the organisation's page, its workers and the contact requests sent from /services)."
        )
    if staff:
        click.echo(second_factor_note(site))


def second_factor_note(site: str) -> str:
    """What the demo's staff need besides their password (DESIGN.md, "Sessions")."""
    if current_app.config["COMPANION_STAFF_SECOND_FACTOR"] == "optional":
        return (
            "Staff second factor: OPTIONAL in this demo (COMPANION_STAFF_SECOND_FACTOR=optional): "
            "the worker and the coordinator sign in with the password alone and may set up an "
            f"authenticator app on {site}/account/second-factor. A deployment requires it."
        )
    return (
        "Staff second factor: required. At the first sign-in the worker and the coordinator scan "
        "a QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, "
        "FreeOTP) and type the 6-digit code it shows; the page then shows their backup codes."
    )


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--days", default=21, show_default=True, type=click.IntRange(1, 1200))
    @click.option("--if-new", is_flag=True, help="Do nothing when the database has users already.")
    @click.option("--port", default=5000, show_default=True, type=int, help="The port the sign-in names.")
    def seed_demo_command(days: int, if_new: bool, port: int) -> None:
        """Create a demo parent with a baby and DAYS days of diary, and print the sign-in."""
        if if_new and db.session.scalar(select(func.count(User.id))):
            click.echo("The database has accounts already; no demo family added.")
            return
        seed_demo(days, port)
