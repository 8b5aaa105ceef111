"""Command line: a demo family with a realistic diary, for `make run`'s first visitor.

It sits on top of the layers with the factory: the demo touches every feature (an
account, a baby and its diary, a rhythm plan, the parent's check-ins, a made-up
organisation with its public page, a worker and a coordinator).
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from companion.accounts import services as accounts
from companion.accounts.models import Organisation, User
from companion.diary import services as diary
from companion.diary.demo import DEMO_PLAN, generate
from companion.diary.models import Entry
from companion.directory import schemas as directory_schemas
from companion.directory import services as directory
from companion.extensions import db
from companion.rhythm.clock import local_date
from companion.rhythm.services import save_plan
from companion.share import services as share
from companion.stats import services as stats
from companion.types import utcnow
from companion.wellbeing.models import CheckIn
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
        worker, _generated = accounts.create_staff_user(
            "demo-worker", "worker", worker_password, "demo", "Maija (demo)"
        )
        staff.append("demo-worker")
        click.echo(
            f"A demo Baby blues worker: 'demo-worker' with password '{worker_password}' "
            "(make a share code on the parent's Share page, enter it on the worker's page)."
        )
        made = seed_statistics(worker)
        admin_password = "-".join(secrets.token_hex(3) for _ in range(3))
        accounts.create_staff_user("demo-federation", "admin", admin_password, None, "Liitto (demo)")
        staff.append("demo-federation")
        click.echo(
            f"{made} made-up families shared their diaries with the demo worker for the statistics. "
            f"The federation's demo admin: 'demo-federation' with password '{admin_password}' "
            f"(/stats/?year={demo_year()})."
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
        seed_contact_requests(coordinator)
    if staff:
        click.echo(second_factor_note(site))


#: Made-up families of the statistics demo: clearly fictional, enough for every chart.
DEMO_FAMILIES = 40
DEMO_TEXTS = (
    "Esimerkkipalaute: iltarytmi rauhoittui, kiitos.",
    "Esimerkkipalaute: oli helpompi jaksaa, kun joku kuunteli.",
    "Esimerkkipalaute: unikoulun vinkit auttoivat.",
    "Exempelrespons: kvällarna blev lugnare.",
    "Esimerkkipalaute: kotikäynnit olivat tärkeitä.",
    "Esimerkkipalaute: itkuisiin iltoihin tuli keinoja.",
)


def entry_rows(user_id: int, baby_id: int, items: Iterable, now: datetime, before: datetime) -> list[Entry]:
    """Made-up diary entries (companion/diary/demo.py) as rows to insert in bulk, those
    over by `before` (a running timer may come after)."""
    over = (item for item in items if item.start < before and not (item.end and item.end >= before))
    return diary.made_up_rows(over, baby_id, user_id, now)


def demo_window(now: datetime) -> tuple[datetime, datetime]:
    """When the made-up sharings start. Everything they bring (views, endings, feedback,
    contact requests) falls within one calendar year and before the quarter of `now`, so
    that one year's report has something in every chart and no small numbers at its
    end, each of its quarters with several new sharings: this year from October (the
    first half), else last year (the first three quarters)."""
    if now.month >= 10:
        return datetime(now.year, 1, 3, 9, tzinfo=UTC), datetime(now.year, 6, 27, 9, tzinfo=UTC)
    return datetime(now.year - 1, 1, 3, 9, tzinfo=UTC), datetime(now.year - 1, 9, 26, 9, tzinfo=UTC)


def demo_year(now: datetime | None = None) -> int:
    """The year whose statistics the demo fills."""
    return demo_window(now or utcnow())[0].year


def seed_statistics(worker: User) -> int:
    """Made-up families who shared their diaries with the demo worker (`demo_window`):
    grants of different lengths, babies of different ages, consent, diaries around the
    sharing, check-ins, workers' views and feedback, so that every chart of the
    statistics shows something. Returns how many families were made."""

    rng = random.Random(18)
    now = utcnow()
    first_start, last_start = demo_window(now)
    step = (last_start - first_start) / (DEMO_FAMILIES - 1)
    for number in range(DEMO_FAMILIES):
        user, _codes = accounts.sign_up(f"esimerkkiperhe-{number + 1}", secrets.token_hex(12), "fi")
        tz = diary.family_zone(diary.family_of(user))
        start = first_start + step * number + timedelta(hours=rng.randint(0, 8))
        # Most babies are 0-3 months old when their family first shares, as in the work.
        born = start.date() - timedelta(days=rng.choice([-40, 20, 45, 75, 20, 45, 100, 150, 250, 400]))
        baby = diary.create_baby(
            user, f"Esimerkki {number + 1}", birth_date=born if born < now.date() else None, due_date=born
        )
        wellbeing = number % 3 != 2
        # Half of the families keep the diary around the sharing (enough for the change
        # over the work); the others share an empty one, which is quick to make.
        keeps_diary = number % 2 == 0
        _row, code = share.create_share_code(
            user,
            baby.id,
            scope="diary+wellbeing" if wellbeing else "diary",
            statistics=number % 6 != 5,
            grant_days=rng.choice([60, 90, 90, 120]),
            label=f"Esimerkkiperhe {number + 1}",
            now=start,
        )
        grant = share.redeem_code(worker, code, now=start + timedelta(minutes=30))
        first = grant.created_at.astimezone(tz).date()
        shared_days = min(62, (now.astimezone(tz).date() - first).days)
        span = shared_days if keeps_diary else 0
        items = generate(first, span, tz, seed=number, skip_every=11)
        db.session.add_all(entry_rows(user.id, baby.id, items, now, before=now))
        if wellbeing:
            for offset in range(shared_days):
                if rng.random() < 0.7:
                    coping = max(1, min(5, round(2 + offset / 25 + rng.uniform(-1, 1))))
                    db.session.add(
                        CheckIn(user_id=user.id, day=first + timedelta(days=offset), coping=coping)
                    )
        db.session.commit()
        for visit in range(1, 9):
            moment = start + timedelta(days=7 * visit)
            if moment < min(now, grant.expires_at):
                share.view_grant(worker, grant.id, "page", now=moment)
        ends = start + timedelta(days=rng.randint(58, 75))
        if ends < now:
            share.revoke_grant(user, grant.id, now=ends)
            answered = ends + timedelta(days=1)
            # Answers from the second quarter on: a first quarter of a few answers
            # would hide the others' figures with it.
            if number % 5 != 4 and answered.month > 3:
                stats.save_feedback(
                    user,
                    grant.id,
                    # Answers spread so that each one given is given by 5 or more: the
                    # charts of the answers show bars, not only "fewer than 5".
                    4 if number % 2 else 5,
                    rng.sample(["sleep", "crying", "rhythm", "coping", "relationship"], 2),
                    "not_sure" if number % 3 == 0 else "yes",
                    DEMO_TEXTS[number % len(DEMO_TEXTS)],
                    now=answered,
                )
    return DEMO_FAMILIES


def seed_contact_requests(coordinator: User, count: int = 30) -> None:
    """Made-up contact requests over the past months, most of them answered, for the
    statistics' contact figures (no real person's details)."""
    rng = random.Random(19)
    now = utcnow()
    first, last = demo_window(now)
    last += timedelta(days=60)  # before the next quarter, in the same year
    for number in range(count):
        received = first + (last - first) * rng.random()
        data = directory_schemas.ContactRequestIn.model_validate(
            {
                "topics": [rng.choice(["sleep", "crying", "rhythm", "coping"])],
                "name": f"Esimerkki {number + 1}",
                "email": f"esimerkki{number + 1}@example.org",
                "language": "fi",
            }
        )
        row = directory.request_contact("demo", data, None, now=received)
        if row is not None and number % 7 != 6:
            closed = received + timedelta(hours=rng.randint(3, 60))
            directory.close_request(
                coordinator, row.id, directory_schemas.ContactRequestUpdate(status="contacted"), now=closed
            )


def second_factor_note(site: str) -> str:
    """What the demo's staff need besides their password (DESIGN.md, "Sessions")."""
    if current_app.config["COMPANION_STAFF_SECOND_FACTOR"] == "optional":
        return (
            "Staff second factor: OPTIONAL in this demo (COMPANION_STAFF_SECOND_FACTOR=optional): "
            "the demo's staff sign in with the password alone and may set up an "
            f"authenticator app on {site}/account/second-factor. A deployment requires it."
        )
    return (
        "Staff second factor: required. At the first sign-in each of the demo's staff scans "
        "a QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, "
        "FreeOTP) and types the 6-digit code it shows; the page then shows the backup codes."
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
