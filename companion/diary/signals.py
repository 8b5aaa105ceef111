"""What later features add to a baby's pages, connected at start-up (blinker signals).

The diary comes before the rhythm, guides and wellbeing in the layers (README, "What is
where"): it cannot import them, yet its pages show their reading suggestions and the
parent's own check-in card. Those features connect a receiver to these signals in their
``register``; a page sends the signal and shows what the receivers give back. Nothing is
shown for a signal no feature answers.
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace, Signal

_signals = Namespace()

#: Reading suggested for a baby: sent with ``baby`` and ``today`` (the family's local
#: date); a receiver gives a list of suggestions (``guides/_suggestions.html``).
baby_reading = _signals.signal("baby-reading")
#: Reading for a family expecting a baby: sent with ``locale``; a receiver gives articles.
pregnancy_reading = _signals.signal("pregnancy-reading")
#: The parent's own check-in card on the pregnancy home: sent with ``user``; a receiver
#: gives the card (``wellbeing/_checkin_card.html``'s ``checkin``).
parent_card = _signals.signal("parent-card")


def gathered(signal: Signal, **values: Any) -> list[Any]:
    """Every receiver's list, put together."""
    return [item for _receiver, items in signal.send(None, **values) for item in items or ()]


def answered(signal: Signal, **values: Any) -> Any | None:
    """The first answer a receiver gives (None when none does)."""
    return next((answer for _receiver, answer in signal.send(None, **values) if answer is not None), None)
