"""What accounts tells later features, connected at start-up (blinker signals).

Accounts comes first in the layers and imports no other feature; a feature that must act
when something happens to an account connects a receiver here in its ``register``.
"""

from blinker import Namespace

_signals = Namespace()

#: A parent account is being made (not yet flushed): sent with ``user``. The diary gives
#: the parent a family of their own.
parent_signed_up = _signals.signal("parent-signed-up")
