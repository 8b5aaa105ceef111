"""What sharing tells later features, connected at start-up (blinker signals).

Sharing comes before the statistics in the layers; the statistics keep monthly figures
of the grants and connect a receiver here in their ``register``.
"""

from blinker import Namespace

_signals = Namespace()

#: A grant was made, ended, or its consent to statistics changed (not yet committed):
#: sent with ``grant``.
grant_changed = _signals.signal("grant-changed")
