"""Administration use cases: organisations and the workers' accounts.

The federation's administrator creates organisations, hides or shows them in the
directory, and manages every worker and coordinator. A coordinator manages the workers
of their own organisation only: adds them, issues a set-up link (a new password and
second factor, chosen by the worker: no manager ever sees a password), unlocks,
deactivates or reactivates them; anyone else's account is "not found". Every action is
recorded in the sharing audit trail; a deactivated worker's grants end at once, and the
families see that they ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from companion import types as utc
from companion.accounts import services as accounts
from companion.accounts.models import Organisation, User
from companion.directory import services as directory
from companion.errors import Forbidden, Unauthorized, Validation, not_found
from companion.extensions import db
from companion.schema import too_long_words
from companion.share import services as share

#: The roles of the accounts managed here.
MANAGED_ROLES = ("worker", "coordinator")


def _require_admin(user: User) -> None:
    if not user.is_authenticated:
        raise Unauthorized(_("Please sign in first."))
    if user.role != "admin" or not user.active:
        raise Forbidden(_("You do not have access to this."))


def _require_manager(user: User) -> int | None:
    """The organisation a manager may manage: None (every one) for the admin, their own
    for a coordinator; 403 for anyone else."""
    if not user.is_authenticated:
        raise Unauthorized(_("Please sign in first."))
    if not user.active or user.role not in ("admin", "coordinator"):
        raise Forbidden(_("You do not have access to this."))
    if user.role == "coordinator":
        if user.organisation_id is None:
            raise Forbidden(_("You do not have access to this."))
        return user.organisation_id
    return None


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == "admin"


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


def organisations(manager: User) -> list[Organisation]:
    """Every organisation for the admin; a coordinator's own."""
    own = _require_manager(manager)
    query = select(Organisation).order_by(Organisation.name)
    if own is not None:
        query = query.where(Organisation.id == own)
    return list(db.session.scalars(query))


def workers(manager: User, now: datetime | None = None) -> list[WorkerRow]:
    """The workers and coordinators a manager sees: all for the admin, a coordinator's
    own organisation's."""
    own = _require_manager(manager)
    now = now or utc.utcnow()
    rows = []
    query = select(User).where(User.role.in_(MANAGED_ROLES)).order_by(User.display_name)
    if own is not None:
        query = query.where(User.organisation_id == own)
    for user in db.session.scalars(query):
        found = [wait for wait in (share.code_lock(user.id), accounts.login_lock(user)) if wait]
        rows.append(WorkerRow(user, max(found) if found else None, share.active_grants(user.id, now)))
    return rows


def create_organisation(
    admin: User, slug: str, name: str, locality: str | None, name_sv: str | None = None
) -> Organisation:
    _require_admin(admin)
    if not (name or "").strip():
        raise Validation(_("Please check the organisation."), {"name": _("This is required.")})
    if len((name_sv or "").strip()) > 200 or len((name or "").strip()) > 200:
        raise Validation(_("Please check the organisation."), {"name": too_long_words(200)})
    if len((locality or "").strip()) > 80:
        raise Validation(_("Please check the organisation."), {"locality": too_long_words(80)})
    org = accounts.create_organisation((slug or "").strip(), name, locality)
    org.name_sv = (name_sv or "").strip() or None
    db.session.commit()
    return org


def set_organisation_visible(admin: User, org_id: object, visible: bool) -> Organisation:
    """Hide an organisation from the directory (it takes no requests), or show it again.
    Its staff keep working; nothing is deleted."""
    _require_admin(admin)
    return directory.set_organisation_active(_int_id(org_id), visible)


def create_worker(
    manager: User, username: str, display_name: str, organisation_slug: str | None, role: str = "worker"
) -> tuple[User, str]:
    """A worker (or, by the admin, a coordinator) account and its set-up link (the token,
    to be shown once): the worker chooses their own password and sets up their second
    factor; nobody else sees either. A coordinator adds workers to their own organisation
    only."""
    own = _require_manager(manager)
    if role not in MANAGED_ROLES or (role == "coordinator" and own is not None):
        raise Validation(_("Please check the worker."), {"role": _("Choose one of the options.")})
    if own is not None:
        organisation_slug = db.session.get(Organisation, own).slug
    if not (display_name or "").strip():
        raise Validation(_("Please check the worker."), {"display_name": _("This is required.")})
    user, _unusable = accounts.create_staff_user(username, role, None, organisation_slug, display_name)
    token = accounts.issue_setup_link(user, manager)
    share.audit("worker_created", manager, subject_id=user.id)
    db.session.commit()
    return user, token


def get_worker(manager: User, worker_id: object) -> User:
    """A worker the manager may manage: a coordinator manages only the workers of their
    own organisation (not other coordinators, not themselves); the admin manages every
    worker and coordinator. Anyone else's account is not found."""
    own = _require_manager(manager)
    user = db.session.get(User, _int_id(worker_id), populate_existing=True)
    if user is None or user.role not in MANAGED_ROLES:
        raise not_found()
    if own is not None and (user.organisation_id != own or user.role != "worker"):
        raise not_found()
    return user


def set_role(admin: User, worker_id: object, role: str) -> User:
    """The admin makes a worker their organisation's coordinator, or a coordinator a worker."""
    _require_admin(admin)
    user = get_worker(admin, worker_id)
    if role not in MANAGED_ROLES:
        raise Validation(_("Please check the worker."), {"role": _("Choose one of the options.")})
    if user.role != role:
        user.role = role
        share.audit("worker_role_changed", admin, subject_id=user.id)
        db.session.commit()
    return user


def issue_setup_link(manager: User, worker_id: object) -> tuple[User, str]:
    """Reset a worker's password and second factor: a single-use set-up link (24 hours),
    shown once. The old password and second factor stop working and every session of the
    worker ends; the audit trail records who did it. The admin or coordinator never sees a
    password, so cannot sign in as the worker."""
    user = get_worker(manager, worker_id)
    token = accounts.issue_setup_link(user, manager)
    share.audit("setup_link_issued", manager, subject_id=user.id)
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
