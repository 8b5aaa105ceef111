"""A national-scale database on PostgreSQL: families with a year of diary each, ten
organisations, grants for 2 in 5 families, workers' views, check-ins, feedback and
contact requests. Rows go in with COPY (psycopg); the schema comes from the migrations.

Run against an empty database (it is made afresh):

    .venv/bin/python bench/national.py --families 2000 \
        --url postgresql+psycopg://postgres@127.0.0.1:55432/national_2000

Prints the time to generate and the size on disk. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from companion.diary.demo import generate  # noqa: E402

PASSWORD = "national bench password"
ORGANISATIONS = [
    ("espoo", "Espoon Ensikoti"),
    ("helsinki", "Helsingin Ensikoti"),
    ("joensuu", "Joensuun Ensikoti"),
    ("jyvaskyla", "Jyväskylän Ensikoti"),
    ("kuopio", "Kuopion Ensikoti"),
    ("lahti", "Lahden Ensikoti"),
    ("oulu", "Oulun Ensikoti"),
    ("pori", "Porin Ensikoti"),
    ("tampere", "Tampereen Ensikoti"),
    ("turku", "Turun Ensikoti"),
]
TZ = ZoneInfo("Europe/Helsinki")


def plain_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def recreate(url: str) -> None:
    base, name = plain_url(url).rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def upgrade(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "national"}
    subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "companion", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
    )


def password_hash() -> str:
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--url", required=True)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    recreate(args.url)
    upgrade(args.url)
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.astimezone(TZ).date()
    first_day = today - timedelta(days=args.days)
    hashed = password_hash()
    counts: dict[str, int] = {}
    with psycopg.connect(plain_url(args.url)) as conn:
        cur = conn.cursor()
        # Organisations, their workers (three each) and one coordinator, the federation.
        org_ids = []
        for slug, name in ORGANISATIONS:
            org_ids.append(
                cur.execute(
                    "INSERT INTO organisations (slug, name, locality, created_at) "
                    "VALUES (%s, %s, %s, %s) RETURNING id",
                    (slug, name, slug.title(), now),
                ).fetchone()[0]
            )
        workers: dict[int, list[int]] = {}
        for org_id, (slug, _name) in zip(org_ids, ORGANISATIONS, strict=True):
            workers[org_id] = []
            for number in range(3):
                workers[org_id].append(_user(cur, f"{slug}-worker{number}", "worker", hashed, now, org_id))
            _user(cur, f"{slug}-coordinator", "coordinator", hashed, now, org_id)
        _user(cur, "federation", "admin", hashed, now, None)

        # Families, their parents and babies.
        families = []
        for number in range(args.families):
            family_id = cur.execute(
                "INSERT INTO families (timezone, chart_day_start, night_start, night_end, created_at) "
                "VALUES ('Europe/Helsinki', 0, '19:00', '07:00', %s) RETURNING id",
                (now - timedelta(days=args.days + 30),),
            ).fetchone()[0]
            user_id = _user(cur, f"parent{number:05d}", "parent", hashed, now, None, family_id)
            born = first_day - timedelta(days=rng.randint(0, 200))
            baby_id = cur.execute(
                "INSERT INTO babies (family_id, name, birth_date, due_date, created_at, data_version) "
                "VALUES (%s, %s, %s, %s, %s, 0) RETURNING id",
                (family_id, f"Vauva {number}", born, born + timedelta(days=rng.randint(-10, 10)), now),
            ).fetchone()[0]
            families.append((family_id, user_id, baby_id, born))
        conn.commit()
        counts["families"] = len(families)
        print(f"accounts and babies: {time.perf_counter() - started:.1f} s", flush=True)

        # A year of diary for each baby, with COPY.
        entry_count = 0
        columns = (
            'id, baby_id, kind, start, "end", details, note, version, created_by_id, updated_by_id, '
            "created_at, updated_at"
        )
        # Indexes and foreign-key checks are made once after the load, not row by row.
        indexes = [
            row[0]
            for row in cur.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'entries' AND indexname <> 'pk_entries'"
            )
        ]
        for name in [
            row[0]
            for row in cur.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'entries' AND indexname <> 'pk_entries'"
            )
        ]:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute("ALTER TABLE entries DROP CONSTRAINT pk_entries")
        cur.execute("SET session_replication_role = replica")
        with cur.copy(f"COPY entries ({columns}) FROM STDIN") as copy:
            for number, (_family, user_id, baby_id, _born) in enumerate(families):
                for item in generate(first_day, args.days, TZ, seed=number, skip_every=0):
                    if item.start >= now or (item.end and item.end >= now):
                        continue
                    copy.write_row(
                        (
                            str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                            baby_id,
                            item.kind,
                            item.start.replace(tzinfo=None),
                            item.end.replace(tzinfo=None) if item.end else None,
                            json.dumps(item.details),
                            item.note,
                            1,
                            user_id,
                            user_id,
                            now.replace(tzinfo=None),
                            now.replace(tzinfo=None),
                        )
                    )
                    entry_count += 1
                if number % 200 == 199:
                    print(
                        f"  {number + 1} diaries, {entry_count} entries: "
                        f"{time.perf_counter() - started:.0f} s",
                        flush=True,
                    )
        cur.execute("SET session_replication_role = DEFAULT")
        cur.execute("ALTER TABLE entries ADD CONSTRAINT pk_entries PRIMARY KEY (id)")
        for definition in indexes:
            cur.execute(definition)
        conn.commit()
        counts["entries"] = entry_count
        print(f"diaries and their indexes: {time.perf_counter() - started:.0f} s", flush=True)

        # Grants for 2 in 5 families, views, check-ins, feedback.
        grants = views = checkins = feedback = 0
        for number, (_family, user_id, baby_id, _born) in enumerate(families):
            if number % 5 >= 2:
                continue
            org_id = org_ids[number % len(org_ids)]
            worker_id = rng.choice(workers[org_id])
            start = now - timedelta(days=rng.randint(10, args.days - 5), hours=rng.randint(0, 23))
            length = rng.choice([30, 60, 90, 90, 120, 180])
            expires = start + timedelta(days=length)
            ended = None
            if rng.random() < 0.3:
                ended = start + timedelta(days=rng.randint(7, length))
            if ended and ended > now:
                ended = None
            scope = "diary+wellbeing" if rng.random() < 0.5 else "diary"
            counted = rng.random() < 0.7
            answered = (ended or expires) < now and rng.random() < 0.6
            grant_id = cur.execute(
                "INSERT INTO grants (baby_id, worker_id, granted_by_id, scope, label, created_at, "
                "expires_at, ended_at, end_reason, organisation_id, first_share, statistics, feedback) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, true, %s, %s) RETURNING id",
                (
                    baby_id,
                    worker_id,
                    user_id,
                    scope,
                    f"Perhe {number}",
                    start.replace(tzinfo=None),
                    expires.replace(tzinfo=None),
                    ended.replace(tzinfo=None) if ended else None,
                    "revoked" if ended else None,
                    org_id,
                    counted,
                    "answered" if answered else None,
                ),
            ).fetchone()[0]
            grants += 1
            stop = min(ended or expires, now)
            with cur.copy(
                "COPY audit_events (created_at, kind, actor_id, baby_id, grant_id, detail) FROM STDIN"
            ) as copy:
                moment = start + timedelta(hours=2)
                while moment < stop:
                    copy.write_row(
                        (moment.replace(tzinfo=None), "grant_viewed", worker_id, baby_id, grant_id, "page")
                    )
                    views += 1
                    moment += timedelta(days=rng.randint(3, 10), hours=rng.randint(0, 5))
            if scope == "diary+wellbeing":
                with cur.copy(
                    "COPY checkins (user_id, day, coping, created_at, updated_at) FROM STDIN"
                ) as copy:
                    day = start.astimezone(TZ).date()
                    while day <= stop.astimezone(TZ).date():
                        if rng.random() < 0.6:
                            progress = (day - start.astimezone(TZ).date()).days / max(length, 1)
                            coping = max(1, min(5, round(2 + 2 * progress + rng.uniform(-1, 1))))
                            copy.write_row(
                                (user_id, day, coping, now.replace(tzinfo=None), now.replace(tzinfo=None))
                            )
                            checkins += 1
                        day += timedelta(days=1)
            if answered:
                month = (ended or expires).astimezone(TZ).date().replace(day=1)
                cur.execute(
                    "INSERT INTO feedback (id, organisation_id, month, helped, what_helped, recommend, text) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    (
                        uuid.uuid4().hex,
                        org_id,
                        month,
                        rng.choice([3, 4, 4, 5, 5, 2]),
                        json.dumps(rng.sample(["sleep", "crying", "rhythm", "coping", "relationship"], 2)),
                        rng.choice(["yes", "yes", "yes", "not_sure", "no"]),
                        rng.choice([None, None, "Kiitos avusta.", "Uni parani.", "Hyvä työntekijä."]),
                    ),
                )
                feedback += 1
        conn.commit()
        counts.update(grants=grants, views=views, checkins=checkins, feedback=feedback)
        counts["contact_requests"] = _contact_requests(cur, org_ids, now, args.days, rng)
        conn.commit()
        cur.execute("ANALYZE")
        conn.commit()
        size = cur.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        tables = cur.execute(
            "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC LIMIT 4"
        ).fetchall()
    elapsed = time.perf_counter() - started
    print(json.dumps({"counts": counts, "seconds": round(elapsed, 1), "size_mb": round(size / 2**20, 1)}))
    print("largest tables:", ", ".join(f"{name} {bytes_ / 2**20:.0f} MB" for name, bytes_ in tables))


def _contact_requests(cur, org_ids: list[int], now: datetime, days: int, rng: random.Random) -> int:
    """Contact requests, where the directory's table exists."""
    exists = cur.execute("SELECT to_regclass('public.contact_requests')").fetchone()[0]
    if exists is None:
        return 0
    columns = {
        row[0]
        for row in cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'contact_requests'"
        )
    }
    made = 0
    for org_id in org_ids:
        for _number in range(rng.randint(20, 40)):
            received = now - timedelta(days=rng.randint(1, days - 1), hours=rng.randint(0, 23))
            closed = received + timedelta(hours=rng.randint(2, 96))
            values = {
                "organisation_id": org_id,
                "topics": json.dumps(["sleep"]),
                "language": "fi",
                "contact_by": "phone",
                "name": "Testi",
                "phone": "+358401234567",
                "status": "contacted" if closed < now else "open",
                "received_at": received.replace(tzinfo=None),
                "closed_at": closed.replace(tzinfo=None) if closed < now else None,
            }
            values = {k: v for k, v in values.items() if k in columns}
            marks = ", ".join(["%s"] * len(values))
            cur.execute(
                f"INSERT INTO contact_requests ({', '.join(values)}) VALUES ({marks})",
                list(values.values()),
            )
            made += 1
    return made


def _user(cur, username, role, hashed, now, org_id, family_id=None) -> int:
    return cur.execute(
        "INSERT INTO users (username, username_key, password_hash, role, display_name, organisation_id, "
        "family_id, locale, session_version, active, created_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, 'fi', 1, true, %s) RETURNING id",
        (
            username,
            username.lower(),
            hashed,
            role,
            username.title() if role != "parent" else None,
            org_id,
            family_id,
            now,
        ),
    ).fetchone()[0]


if __name__ == "__main__":
    main()
