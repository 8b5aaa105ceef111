"""Privacy rights: take all your data with you, delete your account, and retention.

Accounts comes first in the layers and knows no other feature's tables. Each feature
that keeps something about a person says so at start-up with a `Holder` (in its package's
``register``): which tables, how they are exported, what deleting the account does to
them, and what the retention rules remove. The export is every holder's part; deleting
the account asks every holder (the last feature first) and then removes the account;
pruning asks every holder (the last feature first, as it may keep figures of what an
earlier one removes) and clears old failure counters.

Deleting relies on the foreign keys as well: a family's babies, entries, codes, grants
and audit events go with the family; entries written by a parent who leaves a shared
family stay with the other parent, only without their author.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select

from companion import throttle
from companion.accounts import signals
from companion.accounts.models import SetupLink, User, UserSession
from companion.accounts.services import check_password, login_limits
from companion.errors import Throttled, Validation
from companion.extensions import db
from companion.types import stamp, utcnow

#: ``before(name)``: the moment before which `COMPANION_RETENTION_<name>_DAYS` has passed.
Before = Callable[[str], datetime]


@dataclass(frozen=True)
class Holder:
    """What one feature keeps about people, and what the privacy rights do with it."""

    name: str
    #: The tables holding a person's data, each with the key of a parent's export that
    #: holds its rows; all of them are covered by `export` and `delete`.
    tables: dict[str, str]
    #: The person's part of the export: top-level keys and their JSON.
    export: Callable[[User], dict[str, Any]]
    #: Deletes or hands over the person's data before the account row goes (same transaction).
    delete: Callable[[User, datetime], None] | None = None
    #: Removes what the retention rules no longer keep; counts by what was removed.
    prune: Callable[[Before], dict[str, int]] | None = None
    #: The diary's entries as CSV (one feature gives it).
    entries_csv: Callable[[User], str] | None = None


def register_holder(app: Flask, holder: Holder) -> None:
    app.extensions.setdefault("companion.privacy", []).append(holder)


def holders() -> list[Holder]:
    """The holders, in the order the features were registered (the layers' order)."""
    return list(current_app.extensions.get("companion.privacy", []))


def account_part(user: User) -> dict[str, Any]:
    """The account's own part of the export (the recovery codes without the codes)."""
    codes = sorted(user.recovery_codes, key=lambda code: code.id)
    return {
        "recovery_codes": [
            {"created_at": stamp(code.created_at), "used_at": stamp(code.used_at)} for code in codes
        ],
        "account": {
            "username": user.username,
            "role": user.role,
            "display_name": user.display_name,
            "organisation": user.organisation.name if user.organisation else None,
            "locale": user.locale,
            "created_at": stamp(user.created_at),
        },
        "signed_in_devices": [
            {
                "device": row.device,
                "created_at": stamp(row.created_at),
                "last_seen_at": stamp(row.last_seen_at),
            }
            for row in db.session.scalars(
                select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
            )
        ],
        # Staff only; the links themselves are never stored.
        "setup_links": [
            {
                "created_at": stamp(row.created_at),
                "expires_at": stamp(row.expires_at),
                "used_at": stamp(row.used_at),
            }
            for row in db.session.scalars(
                select(SetupLink).where(SetupLink.user_id == user.id).order_by(SetupLink.id)
            )
        ],
    }


def account_prune(before: Before) -> dict[str, int]:
    """Sessions no one can use any longer (past the longest idle time or lifetime), set-up
    links gone by the codes' retention, and old failure counters."""
    cfg = current_app.config
    now = utcnow()
    idle = max(
        timedelta(days=float(cfg["COMPANION_PARENT_IDLE_DAYS"])),
        timedelta(minutes=float(cfg["COMPANION_STAFF_IDLE_MINUTES"])),
    )
    absolute = max(
        timedelta(days=float(cfg["COMPANION_PARENT_ABSOLUTE_DAYS"])),
        timedelta(hours=float(cfg["COMPANION_STAFF_ABSOLUTE_HOURS"])),
    )
    sessions = db.session.execute(
        delete(UserSession).where(
            or_(UserSession.last_seen_at < now - idle, UserSession.created_at < now - absolute)
        )
    ).rowcount
    links = db.session.execute(delete(SetupLink).where(SetupLink.expires_at < before("CODES"))).rowcount
    return {
        "user_sessions": sessions,
        "setup_links": links,
        "throttle_counters": throttle.prune(before("THROTTLE")),
    }


#: The account itself: users, its recovery codes, sessions and set-up links go with it.
ACCOUNT = Holder(
    "accounts",
    {
        "users": "account",
        "recovery_codes": "recovery_codes",
        "user_sessions": "signed_in_devices",
        "setup_links": "setup_links",
    },
    account_part,
    prune=account_prune,
)


def export_data(user: User) -> dict[str, Any]:
    """Everything stored about the caller and their family's diary, as plain JSON."""
    data: dict[str, Any] = {"exported_at": stamp(utcnow())}
    for holder in holders():
        data.update(holder.export(user))
    return data


def export_entries_csv(user: User) -> str:
    """The family's diary entries as CSV (empty when no feature gives them)."""
    found = next((holder.entries_csv for holder in holders() if holder.entries_csv), None)
    return found(user) if found else ""


def delete_account(user: User, password: object, address: str | None = None) -> None:
    """Delete the account and everything only it owns: every holder acts first (codes and
    invites it made stop working, grants it made end), then the account and its sessions
    go. Wrong passwords count like sign-in failures."""
    limits = login_limits(user.username, address)
    wait = throttle.take(limits)
    if wait:
        raise Throttled(_("Too many attempts. Please wait a while and try again."), retry_after=wait)
    user_id = user.id
    if not check_password(user, password):
        raise Validation(_("The password is not right."), {"password": _("The password is not right.")})
    user = db.session.get(User, user_id)
    throttle.give_back(limits)
    now = utcnow()
    for holder in reversed(holders()):
        if holder.delete is not None:
            holder.delete(user, now)
    db.session.delete(user)
    db.session.commit()


def prune(now: datetime | None = None) -> dict[str, int]:
    """Remove what the privacy page says is not kept any longer. Safe to run daily."""
    now = now or utcnow()
    cfg = current_app.config

    def before(name: str) -> datetime:
        return now - timedelta(days=int(cfg[f"COMPANION_RETENTION_{name}_DAYS"]))

    counts: dict[str, int] = {}
    # Later features first: one may keep figures of what an earlier one is about to remove.
    for holder in reversed(holders()):
        if holder.prune is not None:
            counts.update(holder.prune(before))
    db.session.commit()
    signals.pruned.send(None, now=now)
    return counts
