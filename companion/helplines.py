"""The help numbers shown to people: the one place they are written.

The help page, the footer of every page, the offline page, the pregnancy home and the
wellbeing card all take their numbers from here (templates read them as `helplines`),
and a test checks that every phone number in the guidance articles is one of these.
Pure data: no Flask.

Sources: 112 (Hätäkeskuslaitos); 116117 Päivystysapu, the medical helpline of the
wellbeing services counties (free, around the clock; not yet in every area); the MIELI
crisis line in Finnish (around the clock) and in Swedish (limited hours, see mieli.fi);
Nollalinja, THL's helpline for violence in close relationships (free, around the clock,
in Finnish, Swedish and English; 116 016 reaches the same line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Helpline:
    #: As people read it and dial it: "09 2525 0111".
    number: str

    @property
    def tel(self) -> str:
        """The number for a tel: link, without spaces."""
        return "tel:" + re.sub(r"[^0-9+]", "", self.number)


EMERGENCY = Helpline("112")
MEDICAL = Helpline("116117")
CRISIS_FI = Helpline("09 2525 0111")
CRISIS_SV = Helpline("09 2525 0112")
VIOLENCE = Helpline("080 005 005")


def numbers() -> dict[str, str]:
    """Every help number by its name, as the pages show it."""
    return {
        name: line.number
        for name, line in (
            ("EMERGENCY", EMERGENCY),
            ("MEDICAL", MEDICAL),
            ("CRISIS_FI", CRISIS_FI),
            ("CRISIS_SV", CRISIS_SV),
            ("VIOLENCE", VIOLENCE),
        )
    }
