"""Rendered rhythm figures kept per baby and data version, in each server process.

A year of diary takes tens of milliseconds to analyse, plot and render; the same period
is asked for again and again (a worker before a visit, a parent going back and forth)
while the diary has not moved. The key holds everything the rendered part depends on:
the baby's data version (moved in the same transaction as every change to its entries
and plans, see ``Baby.data_version``), the birth and due dates, the family's settings,
the period, the family's today, the language and who is looking. A part that shows a
running sleep or crying, or a plan compared with the last two days, also depends on the
minute, and is kept for that minute only.

What is kept is served to both parents and to workers alike: it must never hold anything
of the session (no forms, no CSRF token, no names of users).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any

from flask import current_app, render_template
from markupsafe import Markup


class RenderedCache:
    """A small least-recently-used store of what was rendered or worked out."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, tuple[Any, int | None]] = OrderedDict()
        self._lock = Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, minute: int) -> Any | None:
        """The kept value for ``key`` (None if there is none, or it was for another minute)."""
        with self._lock:
            item = self._items.get(key)
            if item is not None and (item[1] is None or item[1] == minute):
                self._items.move_to_end(key)
                self.hits += 1
                return item[0]
            self.misses += 1
            return None

    def put(self, key: Hashable, value: Any, minute: int | None) -> None:
        """Keep ``value``; with a ``minute``, for that minute only."""
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = (value, minute)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or_render(self, key: Hashable, minute: int, render: Callable[[], tuple[Any, bool]]) -> Any:
        """The kept value for ``key``, or ``render()``'s: (value, depends on the minute)."""
        value = self.get(key, minute)
        if value is None:
            value, by_minute = render()
            self.put(key, value, minute if by_minute else None)
        return value


def rendered_cache() -> RenderedCache:
    """This app's cache of rendered periods (made in ``diary.register``: one per process and app)."""
    return current_app.extensions["companion.rendered"]


def week_cache() -> RenderedCache:
    """This app's cache of worked-out weeks (``diary/weeks.py``)."""
    return current_app.extensions["companion.rhythm_weeks"]


def rhythm_body(baby, first, last, viewer: str, **extra) -> Markup:
    """The rhythm figures, charts and tables of a period (``diary/_rhythm_body.html``).

    ``viewer`` names who looks ("parent", "worker"); ``extra`` is what that viewer's
    body shows besides the figures and must follow from the key (links, for example).
    Gives the HTML and the number of days shown.
    """
    from companion.diary import services, weeks  # noqa: PLC0415
    from companion.diary.timeutil import local_date  # noqa: PLC0415
    from companion.i18n import locale_code  # noqa: PLC0415
    from companion.types import utcnow  # noqa: PLC0415

    family = baby.family
    now = utcnow()
    today = local_date(now, services.family_zone(family))
    key = (
        baby.id,
        services.data_version(baby),
        baby.birth_date,
        baby.due_date,
        family.timezone,
        family.chart_day_start,
        family.night_start,
        family.night_end,
        first,
        last,
        today,
        locale_code(),
        viewer,
    )

    def render() -> tuple[Markup, bool]:
        model, by_minute = weeks.page_model(baby, first, last, now)
        return Markup(render_template("diary/_rhythm_body.html", **model, **extra)), by_minute

    return rendered_cache().get_or_render(key, int(now.timestamp() // 60), render)
