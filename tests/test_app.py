"""Cross-cutting behaviour: languages, security headers, errors, migrations, catalogs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, Api, text_of

ROOT = Path(__file__).resolve().parent.parent


# -- language ---------------------------------------------------------------------------


def test_finnish_is_the_default(app):
    client = app.test_client()
    page = client.get("/", headers={"Accept-Language": ""})
    assert '<html lang="fi">' in page.get_data(as_text=True)
    assert "Aloita päiväkirja" in text_of(page)


def test_accept_language_picks_swedish(app):
    page = app.test_client().get("/", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert '<html lang="sv">' in page.get_data(as_text=True)
    assert "Babydagbok" in text_of(page)


def test_explicit_choice_wins_and_is_remembered_in_a_cookie(app):
    client = app.test_client()
    first = client.get("/?lang=sv", headers={"Accept-Language": "fi"})
    assert '<html lang="sv">' in first.get_data(as_text=True)
    cookie = first.headers["Set-Cookie"]
    assert "lang=sv" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    again = client.get("/help", headers={"Accept-Language": "fi"})
    assert '<html lang="sv">' in again.get_data(as_text=True)


def test_nothing_is_stored_until_the_user_chooses(app):
    response = app.test_client().get("/", headers={"Accept-Language": "sv"})
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_signed_in_choice_is_kept_in_the_account(make_family, app):
    fam = make_family("chooser")
    fam.api.client.get("/help?lang=sv")
    other = Api(app.test_client())
    other.post("/api/v1/login", {"username": "chooser", "password": PASSWORD})
    assert other.get("/api/v1/me").get_json()["user"]["locale"] == "sv"
    page = other.client.get("/help", headers={"Accept-Language": "fi"})
    assert '<html lang="sv">' in page.get_data(as_text=True)


@pytest.mark.parametrize("lang, word", [("fi", "Nukahti"), ("sv", "Somnade"), ("en", "Fell asleep")])
def test_today_page_in_every_language(family, lang, word):
    page = family.api.client.get(f"/diary/{family.baby_id}/?lang={lang}")
    assert word in text_of(page)


def test_api_errors_are_localised(family):
    response = family.api.put(
        family.entry_url("6f1c7b8e-2b1a-4c3d-9e8f-0a1b2c3d4e5f"),
        {"kind": "sleep", "start": "nonsense"},
        headers={"Accept-Language": "sv"},
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] != "Please check the entry."


# -- headers and errors ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/help", "/no-such-page", "/api/v1/me", "/api/v1/nothing"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert "max-age" in client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]


def test_no_inline_scripts_in_pages(family):
    import re

    for path in ("/", "/help", f"/diary/{family.baby_id}/", f"/diary/{family.baby_id}/entries/new"):
        html = family.api.client.get(path).get_data(as_text=True)
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, (path, tag)
        assert " on" + "click=" not in html


def test_api_404_is_json_and_page_404_is_html(client):
    api = client.get("/api/v1/nothing")
    assert api.status_code == 404 and api.get_json()["error"]["code"] == "not_found"
    page = client.get("/nothing")
    assert page.status_code == 404 and "text/html" in page.content_type


def test_500_is_friendly_and_has_headers(app):
    @app.get("/boom-test")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom-test")
    assert response.status_code == 500
    assert "Your entries are safe" in text_of(response)
    assert "Content-Security-Policy" in response.headers


def test_hashed_static_files_are_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    import re

    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"', html).group(1)
    with client.get(css) as response:
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=31536000" in response.headers["Cache-Control"]


def test_pages_are_compressed(client):
    response = client.get("/help", headers={"Accept-Encoding": "br, gzip"})
    assert response.headers.get("Content-Encoding") == "br"


def test_quick_exit_is_in_every_page_header(family, client):
    for page in (
        client.get("/"),
        client.get("/help"),
        family.api.client.get(f"/diary/{family.baby_id}/"),
    ):
        assert "data-quick-exit" in page.get_data(as_text=True)
        assert 'href="/help"' in page.get_data(as_text=True)


# -- keys ------------------------------------------------------------------------------


def test_key_file_is_created_once_and_shared(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from companion.keys import load_or_create_key

    target = tmp_path / "instance" / "secret_key"
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: load_or_create_key(target), range(16)))
    assert len(keys) == 1
    assert (target.stat().st_mode & 0o777) == 0o600
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]


# -- migrations and catalogs ----------------------------------------------------------------


def _fresh_database(tmp_path) -> str:
    """An empty database of the kind the suite runs on (SQLite, or PostgreSQL when given)."""
    url = os.environ.get("COMPANION_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path}/migrated.sqlite"
    from sqlalchemy import create_engine, text

    name = f"migrations_{os.getpid()}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return url.rsplit("/", 1)[0] + "/" + name


def test_migrations_build_the_schema_and_match_the_models(tmp_path):
    env = {"DATABASE_URL": _fresh_database(tmp_path), "PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 32}
    flask = [sys.executable, "-m", "flask", "--app", "companion", "db"]

    def run(*args):
        return subprocess.run([*flask, *args], cwd=ROOT, env=env, capture_output=True, text=True)

    up = run("upgrade")
    assert up.returncode == 0, up.stderr
    check = run("check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr
    down = run("downgrade", "base")
    assert down.returncode == 0, down.stderr
    again = run("upgrade")
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_catalogs_are_complete(lang):
    from babel.messages.pofile import read_po

    with open(ROOT / f"companion/translations/{lang}/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh)
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert missing == []


def test_catalogs_cover_every_string_in_the_code():
    """Extract afresh and compare: a new UI string without a translation fails here."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    method_map = [("companion/**.py", "python"), ("companion/**/templates/**.html", "jinja2")]
    found = {
        msg[2] if isinstance(msg[2], str) else msg[2][0]
        for msg in extract_from_dir(
            str(ROOT),
            method_map,
            keywords={
                "_": None,
                "gettext": None,
                "_l": None,
                "lazy_gettext": None,
                "ngettext": (1, 2),
            },
        )
    }
    for lang in ("fi", "sv"):
        with open(ROOT / f"companion/translations/{lang}/LC_MESSAGES/messages.po", "rb") as fh:
            known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.string}
        assert sorted(found - known) == [], lang


def test_static_files_are_sent_precompressed(app, client):
    import brotli

    from companion.assets import minified, precompress

    precompress(app.static_folder)
    source = Path(app.static_folder) / "css/app.css"
    with client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip, br"}) as response:
        assert response.headers["Content-Encoding"] == "br"
        assert response.mimetype == "text/css"
        body = brotli.decompress(response.get_data())
    # The compressed copy is the stylesheet minified: the same rules without the comments.
    assert body == minified(source, source.read_bytes()) and len(body) < 0.9 * source.stat().st_size
    assert b"/*" not in body and b"--sleep-light:#5479b0" in body
    with client.get("/static/css/app.css", headers={"Accept-Encoding": "identity"}) as plain:
        assert "Content-Encoding" not in plain.headers
        assert plain.get_data() == source.read_bytes()
    with client.get("/static/js/today.js", headers={"Accept-Encoding": "br"}) as script:
        code = brotli.decompress(script.get_data()).decode()
    assert "// " not in code and "export const clock" in code


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    from companion import create_app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite")
    monkeypatch.setenv("SECRET_KEY", "from-env-" + "k" * 32)
    monkeypatch.setenv("FLASK_SESSION_COOKIE_SECURE", "false")
    monkeypatch.setenv("COMPANION_STAFF_IDLE_MINUTES", "5")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite")
    assert app.config["SECRET_KEY"] == "from-env-" + "k" * 32
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["COMPANION_STAFF_IDLE_MINUTES"] == 5


def test_static_files_carry_no_session_cookie_for_signed_in_users(family):
    family.api.get("/api/v1/me")
    with family.api.client.get("/static/css/app.css") as response:
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")
    page = family.api.client.get(f"/diary/{family.baby_id}/")
    assert page.headers["Cache-Control"] == "no-store"  # a private page: kept in no HTTP cache


def test_405_names_the_allowed_methods(client):
    response = client.open("/api/v1/babies", method="TRACE")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]
    assert response.get_json()["error"]["code"] == "method_not_allowed"


# -- dates as people write them ----------------------------------------------------------

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def catalog_texts(lang: str) -> list[str]:
    from babel.messages.pofile import read_po

    with open(ROOT / f"companion/translations/{lang}/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh)
    texts = []
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            texts.extend(s for s in strings if s)
    return texts


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_no_catalog_string_shows_an_iso_date(lang):
    assert [text for text in catalog_texts(lang) if ISO_DATE.search(text)] == []


@pytest.mark.parametrize(
    ("lang", "weekday", "reviewed"), [("fi", "la 31.1.", "Tarkistettu"), ("sv", "lör 31.1.", "Granskad")]
)
def test_dates_are_written_the_finnish_way_in_both_languages(client, lang, weekday, reviewed):
    from datetime import date

    from companion.guides.content import cached_library, default_content_dir
    from companion.i18n import format_day

    with client.application.test_request_context(f"/?lang={lang}"):
        assert format_day(date(2026, 1, 31)) == "31.1.2026"
        assert format_day(date(2026, 1, 31), "short") == "31.1.2026"
        assert format_day(date(2026, 1, 31), "short-weekday") == weekday
    article = cached_library(default_content_dir()).get(lang, "colic")
    shown = f"{article.reviewed.day}.{article.reviewed.month}.{article.reviewed.year}"
    text = text_of(client.get(f"/guides/colic?lang={lang}"))
    assert f"{reviewed} {shown}" in text
    assert not ISO_DATE.search(text)


@pytest.mark.parametrize(
    ("lang", "hint"),
    [("fi", "Anna päivämäärä muodossa 31.1.2026."), ("sv", "Ange datumet i formen 31.1.2026.")],
)
def test_a_typed_date_is_taken_in_either_form_and_a_bad_one_is_explained_the_local_way(family, lang, hint):
    from tests.conftest import post_form

    client = family.api.client
    client.get(f"/?lang={lang}")
    bad = post_form(client, "/diary/babies/new", {"name": "Eino", "birth_date": "31.13.2025"})
    assert bad.status_code == 422
    assert hint in text_of(bad) and not ISO_DATE.search(text_of(bad))
    for name, typed in (("Eino", "31.12.2025"), ("Elsa", "2025-12-30")):
        assert post_form(client, "/diary/babies/new", {"name": name, "birth_date": typed}).status_code == 302
    babies = {b["name"]: b["birth_date"] for b in family.api.get("/api/v1/babies").get_json()["babies"]}
    assert babies["Eino"] == "2025-12-31" and babies["Elsa"] == "2025-12-30"
    for query in ("from=1.1.2026&to=14.1.2026", "from=2026-01-01&to=2026-01-14"):
        page = client.get(f"/diary/{family.baby_id}/rhythm?{query}")
        assert page.status_code == 200 and "1.1." in text_of(page) and "14.1." in text_of(page)
    wrong = client.get(f"/diary/{family.baby_id}/rhythm?from=yesterday")
    assert hint in text_of(wrong)


# -- words ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_catalog_uses_none_of_the_rejected_words(lang):
    from tests.wording import rejected_in

    found = {text: rejected_in(lang, text) for text in catalog_texts(lang)}
    assert {text: words for text, words in found.items() if words} == {}


def test_the_swedish_catalog_names_the_federation_one_way():
    from tests.wording import FEDERATION_SV, federation_names

    names = {name for text in catalog_texts("sv") for name in federation_names(text)}
    assert names <= {FEDERATION_SV}


def test_the_swedish_crisis_line_has_limited_hours_in_both_languages():
    for lang, words in (("fi", "rajatuin ajoin"), ("sv", "Begränsade öppettider")):
        assert any(words in text and "mieli.fi" in text for text in catalog_texts(lang)), lang
