"""The 24-hour chart's spans drawn as the page script draws them (static/js/rhythm.js),
so that tests can read bars, rows and hover texts from the page's figure. The browser
test `tests/browser/test_today.py` checks that the script draws the same."""

from __future__ import annotations

import re
from typing import Any

DAY = 1440


def clock_format(pattern: str, periods: list[str]):
    tokens = re.findall(r"HH|H|hh|h|mm|a|'[^']*'|.", pattern)

    def fmt(minutes: int) -> str:
        hour, minute = divmod(minutes, 60)
        twelve = hour % 12 or 12
        out = {
            "HH": f"{hour:02d}",
            "H": str(hour),
            "hh": f"{twelve:02d}",
            "h": str(twelve),
            "mm": f"{minute:02d}",
            "a": periods[0 if hour < 12 else 1],
        }
        return "".join(out.get(token, token.replace("'", "")) for token in tokens)

    return fmt


def with_spans(figure: dict[str, Any]) -> dict[str, Any]:
    """The figure with its sleep, crying and feeding traces filled from ``spans``."""
    spans = figure.pop("spans", None)
    if not spans:
        return figure
    shift, rows = spans["start"] * 60, spans["rows"]
    clock = clock_format(spans["clock"], spans["periods"])

    def wall(position: int) -> str:
        return clock((position + shift) % DAY)

    def unit(forms: list[str], n: int) -> str:
        return (forms[0] if n == 1 else forms[1]).replace("{0}", str(n))

    def duration(total: int) -> str:
        hours, minutes = divmod(total, 60)
        parts = [unit(spans["hour"], hours)] if hours else []
        if minutes or not hours:
            parts.append(unit(spans["minute"], minutes))
        return " ".join(parts)

    for trace in figure["data"]:
        kind = trace.get("meta")
        if kind not in ("sleep", "crying", "feeding"):
            continue
        base, x, y, text = [], [], [], []
        for group in spans[kind]:
            at = group[0] * DAY  # positions: the gaps run on from the group's first row
            if kind == "feeding":
                for gap in group[1:]:
                    at += gap
                    row, minute = divmod(at, DAY)
                    x.append(round(minute / 60, 3))
                    y.append(row)
                    text.append(f"{trace['name']} {wall(at)}")
                continue
            fixes = {group[1][i]: group[1][i + 1 : i + 3] for i in range(0, len(group[1]), 3)}
            for n, i in enumerate(range(2, len(group), 2)):
                a = at + group[i]
                b = at = a + group[i + 1]
                real, running = fixes.get(n, (b - a, 0))
                label = f"{trace['name']} {wall(a)}–{'…' if running else wall(b)} · {duration(real)}"
                end = max(b, a + 1)
                r = max(a // DAY, 0)
                while r < rows and r * DAY < end:
                    x0, x1 = max(a - r * DAY, 0), min(end - r * DAY, DAY)
                    base.append(round(x0 / 60, 3))
                    x.append(round(max(x1 - x0, 3) / 60, 3))
                    y.append(r)
                    text.append(label)
                    r += 1
        if kind != "feeding":
            trace["base"] = base
        trace.update(x=x, y=y, customdata=text)
    return figure
