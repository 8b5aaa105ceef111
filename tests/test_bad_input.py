"""Bad input gets a clear, localised answer and changes nothing: never a 500.

The reproductions of the security review: a 64 MB body, JSON nested 100,000 deep, years
0001 and 9999, a lone surrogate and a NUL in text, ``?_method=POST`` on any page, and an
error page that itself fails."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from companion import create_app
from companion.ops import loggable_path
from tests.conftest import PASSWORD, post_form, settings_for_tests, text_of

EDGE_DATES = ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"]
EDGE_INSTANTS = ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+14:00"]


def entry_url(family) -> str:
    return family.entry_url(str(uuid.uuid4()))


def an_hour_ago() -> str:
    return (datetime.now(UTC) - timedelta(hours=1)).isoformat()


def raw_put(family, path: str, body: bytes):
    return family.api.client.put(
        path, data=body, headers={"X-CSRFToken": family.api.token(), "Content-Type": "application/json"}
    )


# -- size and nesting -----------------------------------------------------------------------


def test_a_body_over_the_limit_is_413_with_the_json_error_shape(family):
    big = b'{"kind": "note", "note": "' + b"x" * (64 * 1024 * 1024) + b'"}'
    response = raw_put(family, entry_url(family), big)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert "Content-Security-Policy" in response.headers


def test_the_body_limit_is_a_setting(app, family):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    body = json.dumps({"kind": "note", "start": an_hour_ago(), "note": "y" * 2000}).encode()
    assert raw_put(family, entry_url(family), body).status_code == 413


def test_a_big_form_post_is_413_too(family):
    response = post_form(family.api.client, "/account/password", {"current_password": "x" * 100_000})
    assert response.status_code == 413
    assert "too large" in text_of(response)


@pytest.mark.parametrize("depth", [33, 100_000])
def test_json_nested_deeper_than_32_levels_is_400(app, family, depth):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024  # 100,000 levels take 200 KB
    body = b'{"kind": "note", "details": ' + b"[" * depth + b"]" * depth + b"}"
    response = raw_put(family, entry_url(family), body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "too_deep"


def test_brackets_inside_strings_do_not_count_as_nesting(family):
    body = json.dumps({"kind": "note", "start": an_hour_ago(), "note": "[" * 500}).encode()
    assert raw_put(family, entry_url(family), body).status_code == 201


# -- dates out of bounds ------------------------------------------------------------------------


@pytest.mark.parametrize("value", EDGE_INSTANTS)
@pytest.mark.parametrize("field", ["start", "end", "client_now"])
def test_entry_times_outside_the_bounds_are_422(family, field, value):
    body = {"kind": "sleep", "start": an_hour_ago(), field: value}
    response = family.api.put(entry_url(family), body)
    assert response.status_code == 422
    assert "between 1.1.2000 and 31.12.2100" in response.get_json()["error"]["fields"][field]
    assert family.api.get(f"/api/v1/babies/{family.baby_id}/entries").get_json()["entries"] == []


def test_the_bounds_message_is_localised(family):
    body = {"kind": "sleep", "start": "0001-01-01T00:00:00+00:00"}
    response = family.api.put(entry_url(family), body, headers={"Accept-Language": "fi"})
    assert response.get_json()["error"]["fields"]["start"] != "Use a date between 1.1.2000 and 31.12.2100."
    assert "1.1.2000" in response.get_json()["error"]["fields"]["start"]


@pytest.mark.parametrize("value", EDGE_INSTANTS)
@pytest.mark.parametrize("name", ["since", "until", "changed_since"])
def test_list_bounds_outside_the_range_are_422(family, name, value):
    response = family.api.get(f"/api/v1/babies/{family.baby_id}/entries", query_string={name: value})
    assert response.status_code == 422


@pytest.mark.parametrize("value", EDGE_DATES)
def test_date_ranges_days_check_ins_and_plans_outside_the_bounds_are_422(family, value):
    api, baby = family.api, family.baby_id
    assert api.get(f"/api/v1/babies/{baby}/rhythm", query_string={"from": value}).status_code == 422
    assert api.get(f"/api/v1/babies/{baby}/rhythm", query_string={"to": value}).status_code == 422
    assert api.get("/api/v1/checkins", query_string={"from": value}).status_code == 422
    assert api.put(f"/api/v1/checkins/{value}", {"coping": 3}).status_code in (404, 422)
    assert api.get(f"/api/v1/babies/{baby}/plan", query_string={"date": value}).status_code == 422
    plan = {"wake": "07:00", "naps": [], "bedtime": "19:30", "from": value}
    assert api.put(f"/api/v1/babies/{baby}/plan", plan).status_code == 422
    assert api.post("/api/v1/babies", {"name": "Twin", "birth_date": value}).status_code == 422
    page = api.client.get(f"/diary/{baby}/entries", query_string={"day": value})
    assert page.status_code == 422 and "between 1.1.2000 and 31.12.2100" in text_of(page)
    rhythm = api.client.get(f"/diary/{baby}/rhythm", query_string={"from": value})
    assert rhythm.status_code == 422


def test_a_form_date_outside_the_bounds_is_refused_on_the_page(family):
    response = post_form(
        family.api.client,
        f"/diary/{family.baby_id}/entries/new",
        {"kind": "sleep", "start_date": "0001-01-01", "start_time": "01:00"},
    )
    assert response.status_code == 422
    assert "between 1.1.2000 and 31.12.2100" in text_of(response)


# -- text that cannot be stored -----------------------------------------------------------


@pytest.mark.parametrize("note", ["\ud800", "a\udfffb", "nul\x00here"])
def test_lone_surrogates_and_nul_in_text_are_422(family, note):
    body = json.dumps({"kind": "note", "start": an_hour_ago(), "note": note}).encode()
    response = raw_put(family, entry_url(family), body)
    assert response.status_code == 422
    assert "note" in response.get_json()["error"]["fields"]
    assert family.api.get(f"/api/v1/babies/{family.baby_id}/entries").get_json()["entries"] == []


def test_bad_text_in_a_key_or_a_nested_value_is_422(family):
    body = json.dumps({"kind": "crying", "start": an_hour_ago(), "details": {"soothing": ["\x00"]}}).encode()
    assert raw_put(family, entry_url(family), body).status_code == 422
    body = json.dumps({"kind": "note", "start": an_hour_ago(), "\ud800": 1}).encode()
    assert raw_put(family, entry_url(family), body).status_code == 422


def test_nul_in_a_form_field_or_a_query_is_422(family):
    response = post_form(
        family.api.client,
        f"/diary/{family.baby_id}/entries/new",
        {"kind": "note", "start_date": "2026-01-01", "start_time": "01:00", "note": "bad\x00note"},
    )
    assert response.status_code == 422
    assert family.api.client.get("/guides/search", query_string={"q": "a\x00b"}).status_code == 422
    assert family.api.get("/api/v1/babies", query_string={"x": "\x00"}).status_code == 422


# -- url_for and the error handler -------------------------------------------------------


@pytest.mark.parametrize("arg", ["_method=POST", "_external=1", "_anchor=x", "_scheme=javascript"])
def test_unknown_query_arguments_never_reach_url_for(family, client, arg):
    for page_client, path in (
        (client, "/"),
        (client, "/guides/"),
        (client, "/login"),
        (family.api.client, f"/diary/{family.baby_id}/"),
        (family.api.client, f"/diary/{family.baby_id}/rhythm"),
        (family.api.client, "/account"),
    ):
        response = page_client.get(f"{path}?{arg}")
        assert response.status_code == 200, (path, arg)
        assert "javascript:" not in response.get_data(as_text=True)


def test_the_500_handler_rolls_back_and_cannot_fail(tmp_path, monkeypatch):
    app = create_app(settings_for_tests(tmp_path))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    seen = {}

    @app.get("/boom-twice")
    def boom():
        from companion.extensions import db

        seen["session"] = db.session
        raise RuntimeError("boom")

    from companion import errors

    def broken(*args, **kwargs):
        raise RuntimeError("the template is broken too")

    monkeypatch.setattr(errors, "render_template", broken)
    with app.app_context():
        from companion.extensions import db

        db.create_all()
    response = app.test_client().get("/boom-twice")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_500_handler_rolls_the_session_back_before_rendering(tmp_path, monkeypatch):
    from companion.extensions import db

    app = create_app(settings_for_tests(tmp_path))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    events: list[str] = []

    @app.get("/boom-half-done")
    def boom():
        events.append("view")
        raise RuntimeError("boom")

    real = db.session.rollback
    monkeypatch.setattr(db.session, "rollback", lambda: events.append("rollback") or real())
    from companion import errors

    real_render = errors.render_template
    monkeypatch.setattr(
        errors, "render_template", lambda *a, **k: events.append("render") or real_render(*a, **k)
    )
    with app.app_context():
        db.create_all()
    response = app.test_client().get("/boom-half-done")
    assert response.status_code == 500
    assert events[:3] == ["view", "rollback", "render"]


# -- export, logs, keys -----------------------------------------------------------------------


def test_csv_export_defuses_formulas(family):
    for index, note in enumerate(['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "ok"]):
        start = (datetime.now(UTC) - timedelta(hours=10 - index)).isoformat()
        assert (
            family.api.put(entry_url(family), {"kind": "note", "start": start, "note": note}).status_code
            == 201
        )
    csv = family.api.get("/api/v1/export?format=csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv and ",'+1," in csv and ",'-2," in csv and ",'@SUM(A1)," in csv
    assert ",ok," in csv
    assert '\n"=' not in csv and ",=" not in csv


def test_sql_parameters_never_appear_in_errors(app):
    from sqlalchemy import text

    from companion.extensions import db

    with app.app_context():
        assert db.engine.hide_parameters
        with pytest.raises(Exception) as caught:
            db.session.execute(
                text("SELECT * FROM no_such_table WHERE note = :note"), {"note": "my secret note"}
            )
        assert "my secret note" not in str(caught.value)


def test_the_request_log_hides_ids_in_any_case(family):
    upper = str(uuid.uuid4()).upper()
    assert loggable_path(f"/api/v1/babies/12/entries/{upper}") == "/api/v1/babies/<id>/entries/<id>"
    assert loggable_path(f"/api/v1/babies/12/entries/{{{upper}}}") == "/api/v1/babies/<id>/entries/<id>"
    assert loggable_path("/setup/SeCrEt-token") == "/setup/<token>"


@pytest.mark.parametrize("name", ["SECRET_KEY", "COMPANION_CODE_KEY"])
def test_a_weak_key_stops_the_start_outside_debug(monkeypatch, tmp_path, name):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/weak.sqlite")
    monkeypatch.setenv(name, "probe")
    with pytest.raises(RuntimeError) as caught:
        create_app()
    assert name in str(caught.value) and "secrets.token_hex(32)" in str(caught.value)
    monkeypatch.setenv(name, "k" * 32)
    assert create_app().config[name] == "k" * 32


def test_signing_up_with_bad_text_changes_nothing(api):
    response = api.post("/api/v1/signup", {"username": "nul\x00user", "password": PASSWORD})
    assert response.status_code == 422
