"""Words the Finnish and Finland-Swedish texts do not use (UI catalogs and articles alike),
each with the word they use instead. Shared by tests/test_app.py and tests/guides/."""

from __future__ import annotations

import re

REJECTED = {
    "sv": {
        r"\bbebis\w*": "baby",
        r"\binlägg\w*": "anteckning (an entry)",
        r"(?<!\w)arbetar(?:e|en|ens|na|nas)\b": "familjearbetare / Baby blues-familjearbetare",
        r"\btidtag\w*": "timer",
        r"(?:\d|%\(\w+\)[ds]) h\b": "tim (hours)",
        r"\bBVC\b": "barnrådgivningen",
        r"[Öö]ppen bara vissa dagar": "begränsade öppettider (the Swedish crisis line)",
    },
    "fi": {
        r"(?:\d|%\(\w+\)[ds]) h\b": "t (hours)",
        r"\bsitä on ravisteltu\b": "häntä on ravisteltu (hän for babies)",
        r"\b[Vv]auvat ja niiden\b": "vauvat ja heidän (hän for babies)",
        r"\bvain tiettyinä päivinä\b": "rajatuin ajoin (the Swedish crisis line)",
        r"\btavallinen vauva itkee\b": "a range, not a norm (monet vauvat itkevät …)",
        r"\brytmi toimii hyvin\b": "variation is normal, not a pass mark",
    },
}
#: The federation's Swedish name, the one way it is spelt.
FEDERATION_SV = "Förbundet för mödra- och skyddshem"


def rejected_in(lang: str, text: str) -> list[str]:
    """Each rejected word found in the text, with what to write instead."""
    found = []
    for pattern, instead in REJECTED[lang].items():
        for match in re.finditer(pattern, text):
            found.append(f"{match.group(0)!r} (write {instead})")
    return found


def federation_names(text: str) -> list[str]:
    """Every way the text names the federation in Swedish ("Förbundet för ...")."""
    return re.findall(r"Förbundet för [\wåäö-]+(?: och [\wåäö-]+)?", text)
