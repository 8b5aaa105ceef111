"""Administration use cases: organisations and the workers' accounts.

The federation's administrator creates organisations and worker accounts, issues a
worker's set-up link (a new password and second factor, chosen by the worker), unlocks a
worker locked out by failed codes or sign-ins, and
deactivates or reactivates a worker. Every action is recorded in the sharing audit
trail; a deactivated worker's grants end at once, and the families see that they ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from companion import types as utc
from companion.accounts import services as accounts
from companion.accounts.models import Organisation, User
from companion.errors import Forbidden, Unauthorized, Validation, not_found
from companion.extensions import db
from companion.share import services as share


def _require_admin(user: User) -> None:
    if not user.is_authenticated:
        raise Unauthorized(_("Please sign in first."))
    if user.role != "admin" or not user.active:
        raise Forbidden(_("You do not have access to this."))


def _int_id(value: object) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise not_found() from None


@dataclass
class WorkerRow:
    user: User
    locked_for: int | None  # seconds until the worker may try codes (or sign in) again
    active_grants: int


def organisations(admin: User) -> list[Organisation]:
    _require_admin(admin)
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def workers(admin: User, now: datetime | None = None) -> list[WorkerRow]:
    _require_admin(admin)
    now = now or utc.utcnow()
    rows = []
    for user in db.session.scalars(select(User).where(User.role == "worker").order_by(User.display_name)):
        found = [wait for wait in (share.code_lock(user.id), accounts.login_lock(user)) if wait]
        rows.append(WorkerRow(user, max(found) if found else None, share.active_grants(user.id, now)))
    return rows


def create_organisation(admin: User, slug: str, name: str, locality: str | None) -> Organisation:
    _require_admin(admin)
    if not (name or "").strip():
        raise Validation(_("Please check the organisation."), {"name": _("This is required.")})
    return accounts.create_organisation((slug or "").strip(), name, locality)


def create_worker(admin: User, username: str, display_name: str, organisation_slug: str) -> tuple[User, str]:
    """A worker account and its set-up link (the token, to be shown once): the worker
    chooses their own password and sets up their second factor; nobody else sees either."""
    _require_admin(admin)
    if not (display_name or "").strip():
        raise Validation(_("Please check the worker."), {"display_name": _("This is required.")})
    user, _generated = accounts.create_staff_user(username, "worker", None, organisation_slug, display_name)
    token = accounts.issue_setup_link(user, admin)
    share.audit("worker_created", admin, subject_id=user.id)
    db.session.commit()
    return user, token


def get_worker(admin: User, worker_id: object) -> User:
    _require_admin(admin)
    user = db.session.get(User, _int_id(worker_id), populate_existing=True)
    if user is None or user.role != "worker":
        raise not_found()
    return user


def issue_setup_link(admin: User, worker_id: object) -> tuple[User, str]:
    """Reset a worker's password and second factor: a single-use set-up link (24 hours),
    shown once. The old password and second factor stop working and every session of the
    worker ends; the audit trail records who did it. The administrator never sees a
    password, so cannot sign in as the worker."""
    user = get_worker(admin, worker_id)
    token = accounts.issue_setup_link(user, admin)
    share.audit("setup_link_issued", admin, subject_id=user.id)
    db.session.commit()
    return user, token


def deactivate_worker(admin: User, worker_id: object, now: datetime | None = None) -> User:
    """Sign-in refused, sessions end and every grant ends at once (families see it ended)."""
    user = get_worker(admin, worker_id)
    now = (now or utc.utcnow()).replace(microsecond=0)
    user.active = False
    accounts.sessions_end(user.id)
    share.end_worker_grants(user, admin, now)
    share.audit("worker_deactivated", admin, subject_id=user.id, now=now)
    db.session.commit()
    return user


def reactivate_worker(admin: User, worker_id: object) -> User:
    """The account works again; ended grants stay ended (families give new codes)."""
    user = get_worker(admin, worker_id)
    user.active = True
    share.audit("worker_reactivated", admin, subject_id=user.id)
    db.session.commit()
    return user


def unlock_worker(admin: User, worker_id: object) -> User:
    """Clear the worker's failure counters (codes and sign-in)."""
    user = get_worker(admin, worker_id)
    share.clear_code_failures(user.id)
    accounts.clear_login_failures(user)
    share.audit("worker_unlocked", admin, subject_id=user.id)
    db.session.commit()
    return user
