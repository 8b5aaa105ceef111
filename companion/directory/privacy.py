"""What the directory keeps about people, for the privacy rights (`accounts.privacy`).

A contact request is linked to no account, so it has no part in an account's export or
deletion; its contact details are emptied when the request has been closed for the
retention period (`COMPANION_RETENTION_CONTACT_DAYS`, 30 by default).
"""

from __future__ import annotations

from companion.accounts.models import User
from companion.accounts.privacy import Before, Holder
from companion.directory import services


def _nothing(_user: User) -> dict:
    return {}


def prune(before: Before) -> dict[str, int]:
    return {"contact_details": services.prune_contact_details(before("CONTACT"))}


HOLDER = Holder("directory", {}, _nothing, prune=prune)
