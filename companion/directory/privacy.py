"""What the directory keeps about people, for the privacy rights (`accounts.privacy`).

A contact request is linked to no account, so it has no part in an account's export or
deletion; its contact details are emptied when the request has been closed for the
retention period (`COMPANION_RETENTION_CONTACT_DAYS`, 30 by default). A request nobody
closed is closed as not reached, its details emptied at once, when it has waited for
`COMPANION_RETENTION_CONTACT_OPEN_DAYS` (180 by default): nothing is kept for ever.
"""

from __future__ import annotations

from companion.accounts.models import User
from companion.accounts.privacy import Before, Holder
from companion.directory import services


def _nothing(_user: User) -> dict:
    return {}


def prune(before: Before) -> dict[str, int]:
    return {"contact_details": services.prune_contact_details(before("CONTACT"), before("CONTACT_OPEN"))}


HOLDER = Holder("directory", {}, _nothing, prune=prune)
