"""Guidance pages and the help page (open to everyone, signed in or not)."""

from flask import render_template

from companion.guides import bp


@bp.get("/help")
def help_page():
    return render_template("guides/help.html")
