"""What the statistics keep, for the privacy rights (`accounts.privacy`).

Feedback is stored without the user and the grant: it is in no one's export and does
not go with an account (it cannot be found from one). Pruning removes the keys that let
a parent change an answer for its first days, and first adds to the kept monthly figures
what the grants and views about to be removed gave them.
"""

from __future__ import annotations

from typing import Any

from companion.accounts.models import User
from companion.accounts.privacy import Before, Holder
from companion.share.privacy import grants_leaving
from companion.stats import services


def export(_user: User) -> dict[str, Any]:
    return {}


def prune(before: Before) -> dict[str, int]:
    # FEEDBACK_KEYS is 0 days: its moment is the prune's own now.
    return services.keep_before_prune(grants_leaving(before), before("AUDIT"), before("FEEDBACK_KEYS"))


HOLDER = Holder("stats", {}, export, prune=prune)
