"""The parent's answer about statistics: asked when a code is made, with no default on the
page, and changeable later on the share page and through the API. Bad answers are refused
in the reader's language and change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from companion.extensions import db
from tests.conftest import post_form, text_of
from tests.share.conftest import grant_for


def create_on_page(family, statistics: str, lang: str = "en"):
    """The share page's code form, answered as the parent chose."""
    prefix = f"baby{family.baby_id}-"
    data = {
        "label": "Us",
        "scope": "diary",
        "valid_hours": "24",
        "grant_days": "90",
        "statistics": statistics,
    }
    return post_form(
        family.api.client,
        f"/share/babies/{family.baby_id}/codes",
        {prefix + key: value for key, value in data.items()},
        headers={"Accept-Language": lang},
    )


def codes_made(app) -> int:
    from companion.share.models import ShareCode

    with app.app_context():
        return db.session.scalar(select(func.count(ShareCode.id)))


def counted(app, grant_id: int) -> bool:
    from companion.share.models import Grant

    with app.app_context():
        return db.session.get(Grant, grant_id).statistics


CHOOSE = [("en", "Choose yes or no."), ("fi", "Valitse kyllä tai ei."), ("sv", "Välj ja eller nej.")]


@pytest.mark.parametrize("lang, words", CHOOSE)
@pytest.mark.parametrize("answer", ["", "maybe"])
def test_the_code_form_needs_a_yes_or_a_no(app, family, lang, words, answer):
    response = create_on_page(family, answer, lang)
    assert response.status_code == 422
    assert words in text_of(response)
    assert codes_made(app) == 0
    made = create_on_page(family, statistics="yes")
    assert made.status_code == 302
    assert codes_made(app) == 1


def test_the_answer_on_the_page_goes_with_the_code_to_the_grant(app, family, worker):
    from companion.share.models import ShareCode

    assert create_on_page(family, statistics="yes").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ShareCode.statistics)) is True
    grant_id = grant_for(family, worker, statistics=False)
    assert counted(app, grant_id) is False
    grants = family.api.get(f"/api/v1/babies/{family.baby_id}/grants").get_json()["grants"]
    assert grants[0]["statistics"] is False


def test_a_parent_changes_their_mind_on_the_share_page(app, family, worker):
    grant_id = grant_for(family, worker, statistics=True)
    client = family.api.client
    page = text_of(client.get("/share/"))
    assert "Anonymous figures from this diary in the statistics: yes." in page
    left_out = post_form(client, f"/share/grants/{grant_id}/statistics", {"statistics": "no"})
    assert left_out.status_code == 302
    assert counted(app, grant_id) is False
    page = text_of(client.get("/share/"))
    assert "This diary is left out of every statistics report made from now on." in page
    assert "Anonymous figures from this diary in the statistics: no." in page
    assert "left the diary out of the statistics" in page  # in the family's audit trail
    assert post_form(client, f"/share/grants/{grant_id}/statistics", {"statistics": "yes"}).status_code == 302
    assert counted(app, grant_id) is True


@pytest.mark.parametrize("lang, words", CHOOSE[1:])
@pytest.mark.parametrize("answer", [None, "", "maybe", "true"])
def test_a_bad_answer_on_the_share_page_changes_nothing(app, family, worker, lang, words, answer):
    grant_id = grant_for(family, worker, statistics=True)
    data = {} if answer is None else {"statistics": answer}
    response = post_form(
        family.api.client, f"/share/grants/{grant_id}/statistics", data, headers={"Accept-Language": lang}
    )
    assert response.status_code == 422
    assert words in text_of(response)
    assert counted(app, grant_id) is True


def test_only_the_family_changes_the_answer_on_the_page(app, make_family, family, worker):
    grant_id = grant_for(family, worker, statistics=True)
    other = make_family("someone-else")
    response = post_form(other.api.client, f"/share/grants/{grant_id}/statistics", {"statistics": "no"})
    assert response.status_code == 404
    response = post_form(worker.api.client, f"/share/grants/{grant_id}/statistics", {"statistics": "no"})
    assert response.status_code == 403
    assert counted(app, grant_id) is True


@pytest.mark.parametrize("body", [{}, {"statistics": None}, {"statistics": "no"}, {"statistics": 0}, []])
def test_the_api_refuses_a_bad_answer_and_changes_nothing(app, family, worker, body):
    grant_id = grant_for(family, worker, statistics=True)
    response = family.api._send(
        "PATCH", f"/api/v1/grants/{grant_id}", body, headers={"Accept-Language": "sv"}
    )
    assert response.status_code in (400, 422)
    error = response.get_json()["error"]
    if response.status_code == 422:
        assert error["fields"] == {"statistics": "Svara ja eller nej."}
    assert counted(app, grant_id) is True


def test_the_api_answer_belongs_to_the_family(app, make_family, family, worker):
    grant_id = grant_for(family, worker, statistics=True)
    other = make_family("someone-else")
    path = f"/api/v1/grants/{grant_id}"
    assert other.api._send("PATCH", path, {"statistics": False}).status_code == 404
    assert worker.api._send("PATCH", path, {"statistics": False}).status_code == 403
    assert family.api._send("PATCH", "/api/v1/grants/99999", {"statistics": False}).status_code == 404
    anonymous = family.api.client.application.test_client()
    token = anonymous.get("/api/v1/me").get_json()["csrf_token"]
    answer = anonymous.patch(path, json={"statistics": False}, headers={"X-CSRFToken": token})
    assert answer.status_code == 401
    assert counted(app, grant_id) is True
    changed = family.api._send("PATCH", path, {"statistics": False})
    assert changed.status_code == 200 and changed.get_json()["grant"]["statistics"] is False
    assert counted(app, grant_id) is False


def test_the_worker_never_learns_whether_the_diary_is_counted(app, family, worker):
    """Comparing reports across a withdrawal needs to know whose diary left: nothing a
    worker sees tells whether a diary is counted, or that a parent said no."""
    grant_id = grant_for(family, worker, statistics=True)
    response = family.api._send("PATCH", f"/api/v1/grants/{grant_id}", {"statistics": False})
    assert response.status_code == 200
    for path in (
        "/api/v1/shared",
        f"/api/v1/shared/{grant_id}/entries",
        "/worker/",
        f"/worker/diaries/{grant_id}",
    ):
        page = worker.api.get(path)
        assert page.status_code == 200, path
        assert b"statistic" not in page.data.lower(), path
