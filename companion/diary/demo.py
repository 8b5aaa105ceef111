"""A realistic made-up diary, for the demo family and for the benchmarks (pure)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: The rhythm plan of the demo baby, agreed with the worker (the API's shape of a plan):
#: close to what `generate` makes, so the chart shows the plan next to a real-looking diary.
DEMO_PLAN = {
    "wake": "06:45",
    "naps": [["09:00", "10:15"], ["12:30", "14:00"], ["16:00", "16:45"]],
    "bedtime": "19:30",
}


@dataclass
class DemoEntry:
    kind: str
    start: datetime
    end: datetime | None
    details: dict = field(default_factory=dict)
    note: str | None = None


def _at(day: date, hour: float, tz: ZoneInfo) -> datetime:
    minutes = int(round(hour * 60))
    moment = datetime.combine(day, time(0), tzinfo=tz) + timedelta(minutes=minutes)
    # Wall-clock arithmetic then normalise through UTC (handles clock changes).
    return moment.replace(tzinfo=None).replace(tzinfo=tz).astimezone(UTC).replace(second=0)


def generate(first: date, days: int, tz: ZoneInfo, seed: int = 7, skip_every: int = 9) -> Iterator[DemoEntry]:
    """About four sleeps, two or three cryings and seven feedings a day; every
    ``skip_every``-th day is left unlogged, as real diaries have gaps. Sleeps and
    cryings never overlap, as the diary rules require."""
    busy_until: datetime | None = None
    for item in sorted(_raw(first, days, tz, seed, skip_every), key=lambda e: e.start):
        if item.end is not None and item.kind in ("sleep", "crying"):
            if busy_until is not None and item.start < busy_until:
                continue
            busy_until = item.end
        yield item


def _raw(first: date, days: int, tz: ZoneInfo, seed: int, skip_every: int) -> Iterator[DemoEntry]:
    rng = random.Random(seed)
    places = ["own_bed", "own_bed", "own_bed", "pram", "carrier", "arms", "parents_bed"]
    soothing = ["carrying", "rocking", "feeding", "pacifier", "white_noise", "walk"]
    for offset in range(days):
        day = first + timedelta(days=offset)
        if skip_every and offset % skip_every == skip_every - 1:
            continue
        # Night: from the evening before, split by one to three wakings.
        bedtime = 19.5 + rng.uniform(-0.6, 0.8) - 24  # hours relative to this day
        wake = 6.5 + rng.uniform(-0.5, 0.7)
        wakings = rng.choice([1, 2, 2, 3])
        cuts = sorted(rng.uniform(bedtime + 1.5, wake - 1) for _ in range(wakings))
        start = bedtime
        for cut in [*cuts, wake]:
            gap = rng.uniform(0.25, 0.6) if cut != wake else 0
            end = cut
            if end - start > 0.3:
                yield DemoEntry("sleep", _at(day, start, tz), _at(day, end, tz), {"place": "own_bed"})
            if cut != wake:
                yield DemoEntry(
                    "feeding",
                    _at(day, cut + 0.05, tz),
                    None,
                    {"method": "breast", "side": rng.choice(["left", "right"])},
                )
            start = cut + gap
        # Day: naps and wake windows.
        clock_h = wake
        for _nap in range(rng.choice([3, 3, 4])):
            clock_h += rng.uniform(1.2, 2.2)
            length = rng.uniform(0.7, 2.3)
            if clock_h + length > 18.6:
                break
            yield DemoEntry(
                "sleep",
                _at(day, clock_h, tz),
                _at(day, clock_h + length, tz),
                {"place": rng.choice(places)},
            )
            clock_h += length
        for feed_h in (7.2, 10.0, 12.8, 15.5, 18.2):
            yield DemoEntry(
                "feeding",
                _at(day, feed_h + rng.uniform(-0.4, 0.4), tz),
                None,
                rng.choice([{"method": "breast", "side": "both"}, {"method": "bottle", "amount_ml": 120}]),
            )
        # Crying: mostly in the evening, before the night sleep.
        evening = 17.0 + rng.uniform(0, 1.2)
        length = rng.uniform(0.3, 1.8)
        if evening + length < 19.0:
            yield DemoEntry(
                "crying",
                _at(day, evening, tz),
                _at(day, evening + length, tz),
                {
                    "intensity": rng.choice(["fussing", "crying", "inconsolable"]),
                    "soothing": rng.sample(soothing, 2),
                },
            )
        if rng.random() < 0.5:
            yield DemoEntry(
                "crying",
                _at(day, 11.0, tz),
                _at(day, 11.0 + rng.uniform(0.1, 0.4), tz),
                {"intensity": "fussing"},
            )
