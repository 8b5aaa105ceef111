"""Guidance pages and the help page (open to everyone, signed in or not)."""

from flask import abort, render_template, request
from flask_login import current_user

from companion.guides import bp, services
from companion.guides.search import MAX_QUERY
from companion.i18n import locale_code

#: The link to an article's other language, written in that language.
READ_IN = {"fi": "Lue suomeksi", "sv": "Läs på svenska"}


@bp.get("/help")
def help_page():
    return render_template("guides/help.html", read_more=services.help_articles(locale_code()))


@bp.get("/guides/")
def index():
    locale = locale_code()
    return render_template(
        "guides/index.html",
        topics=services.by_topic(locale),
        for_age=services.for_age(current_user, locale),
    )


@bp.get("/guides/search")
def search():
    query = request.args.get("q", "")[:MAX_QUERY].strip()
    results = services.search_articles(query, locale_code()) if query else []
    return render_template("guides/search.html", query=query, results=results)


@bp.get("/guides/<article_id>")
def article(article_id: str):
    page = services.find_article(article_id, locale_code())
    if page is None:
        abort(404)
    return render_template("guides/article.html", page=page, article=page.article, read_in=READ_IN)
