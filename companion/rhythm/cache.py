"""What the rhythm pages keep in each server process: the worked-out weeks (`weeks`) and
the rendered periods (`pages.rhythm_body`), each in a small least-recently-used store.

Both are made in ``rhythm.register`` (one pair per process and app); their keys say what
a kept value depends on, so nothing kept is ever used after the diary moved.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any

from flask import current_app


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
    """This app's cache of rendered periods (`pages.rhythm_body`)."""
    return current_app.extensions["companion.rendered"]


def week_cache() -> RenderedCache:
    """This app's cache of worked-out weeks (`weeks.weeks_of`)."""
    return current_app.extensions["companion.rhythm_weeks"]
