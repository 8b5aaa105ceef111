"""Panels that later features add to the worker's home page (registered at start-up, so
sharing imports no later feature): the directory's count of waiting contact requests."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app


def add_worker_panel(app: Flask, render: Callable[[object], str]) -> None:
    """`render(user)` gives the panel's HTML, or "" for nothing."""
    app.extensions.setdefault("companion.worker_panels", []).append(render)


def worker_panels(user) -> list[str]:
    """The HTML of every panel for the worker's home page, in the order they were added."""
    rendered = (render(user) for render in current_app.extensions.get("companion.worker_panels", []))
    return [html for html in rendered if html]
