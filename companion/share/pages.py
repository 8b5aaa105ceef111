"""Where the sharing page shows a grant to its parents, for the pages of sharing and of later
features alike (the statistics' feedback form goes back there too)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import redirect, request, url_for
from flask_login import current_user

from companion.pageutil import pages_for
from companion.share.models import Grant


def grant_address(grant_id: int) -> str:
    """A grant's line on the sharing page."""
    return url_for("share.index", _anchor=f"grant-{grant_id}")


def grant_form(find: Callable[..., Grant]):
    """The view of a parent's form about one of their grants, posted from the grant's line:
    parents only; ``find(user, grant_id)`` gives the grant (not found when it is not
    theirs), and the view gets it; a GET (a language link, a reload of the answer to a
    form) goes back to the line."""

    def decorator(view):
        @pages_for("parent")
        @functools.wraps(view)
        def wrapped(grant_id: int):
            grant = find(current_user, grant_id)
            if request.method == "GET":
                return redirect(grant_address(grant.id))
            return view(grant)

        return wrapped

    return decorator
