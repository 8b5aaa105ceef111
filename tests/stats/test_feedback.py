"""Feedback from families: one answer per grant, changeable for 7 days, stored without the
user or the grant; asked once, never again after "no thanks"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select

from companion import types as utc
from companion.extensions import db
from companion.stats.models import Feedback, FeedbackKey
from tests.conftest import post_form, text_of
from tests.share.conftest import grant_for

ANSWER = {"helped": 4, "what_helped": ["sleep", "coping"], "recommend": "yes", "text": "Thank you."}


def send(family, grant_id, **changes):
    return family.api.post("/api/v1/feedback", {"grant": grant_id, **ANSWER, **changes})


def test_a_parent_answers_once_and_may_change_it_for_seven_days(app, family, worker):
    grant_id = grant_for(family, worker)
    first = send(family, grant_id)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["feedback"]["helped"] == 4
    changed = send(family, grant_id, helped=5, text=None)
    assert changed.status_code == 200
    assert changed.get_json()["feedback"]["helped"] == 5
    with app.app_context():
        assert db.session.scalar(select(func.count(Feedback.id))) == 1
        # Seven days later the key is gone: nothing finds the answer, and no second one.
        key = db.session.scalar(select(FeedbackKey))
        key.expires_at = utc.utcnow() - timedelta(seconds=1)
        db.session.commit()
    late = send(family, grant_id, helped=1)
    assert late.status_code == 409
    assert late.get_json()["error"]["code"] == "already_answered"
    with app.app_context():
        assert db.session.scalar(select(func.count(FeedbackKey.key_hash))) == 0
        assert db.session.scalar(select(Feedback.helped)) == 5


def test_the_answer_holds_no_user_and_no_grant(app, family, worker):
    grant_id = grant_for(family, worker)
    assert send(family, grant_id).status_code == 201
    columns = {c.key for c in inspect(Feedback).columns}
    assert columns == {"id", "organisation_id", "month", "helped", "what_helped", "recommend", "text"}
    with app.app_context():
        row = db.session.scalar(select(Feedback))
        assert len(row.id) == 32 and row.month.day == 1
        key = db.session.scalar(select(FeedbackKey))
        assert len(key.key_hash) == 64 and str(grant_id) != key.key_hash


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"helped": 0}, "helped"),
        ({"helped": 6}, "helped"),
        ({"helped": "4"}, "helped"),
        ({"helped": True}, "helped"),
        ({"what_helped": ["money"]}, "what_helped"),
        ({"what_helped": "sleep"}, "what_helped"),
        ({"recommend": "maybe"}, "recommend"),
        ({"text": "x" * 1001}, "text"),
        ({"text": 5}, "text"),
        ({"text": "a\x00b"}, "text"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(app, family, worker, changes, field):
    grant_id = grant_for(family, worker)
    response = send(family, grant_id, **changes)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Feedback.id))) == 0


def test_only_the_parent_who_made_the_code_answers(app, make_family, family, worker):
    grant_id = grant_for(family, worker)
    other = make_family("someone-else")
    assert send(other, grant_id).status_code == 404
    assert send(family, 99999).status_code == 404
    assert worker.api.post("/api/v1/feedback", {"grant": grant_id, **ANSWER}).status_code == 403
    anonymous = family.api.client.application.test_client()
    token = anonymous.get("/api/v1/me").get_json()["csrf_token"]
    answer = anonymous.post(
        "/api/v1/feedback", json={"grant": grant_id, **ANSWER}, headers={"X-CSRFToken": token}
    )
    assert answer.status_code == 401


def test_an_ended_grant_asks_once_and_no_thanks_ends_the_asking(family, worker):
    grant_id = grant_for(family, worker)
    page = text_of(family.api.client.get("/share/"))
    assert "Did the work help your family?" not in page  # still active: not asked
    assert "Tell the association how the work went" in page  # but possible at any time
    assert family.api.delete(f"/api/v1/grants/{grant_id}").status_code == 204
    page = text_of(family.api.client.get("/share/"))
    assert "Did the work help your family?" in page
    response = post_form(family.api.client, f"/feedback/{grant_id}/decline")
    assert response.status_code == 302
    page = text_of(family.api.client.get("/share/"))
    assert "Did the work help your family?" not in page
    # Nothing depends on it: the diary works as before.
    assert family.api.client.get(f"/diary/{family.baby_id}/").status_code == 200


def test_the_feedback_page_saves_and_changes_an_answer(family, worker):
    grant_id = grant_for(family, worker)
    page = family.api.client.get(f"/feedback/{grant_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "checked" not in html  # no answer chosen for the parent
    assert "Please do not write names" in html
    missing = post_form(family.api.client, f"/feedback/{grant_id}", {"text": "hello"})
    assert missing.status_code == 422
    assert "Choose one of the five answers." in text_of(missing)
    saved = post_form(
        family.api.client,
        f"/feedback/{grant_id}",
        {"helped": "3", "what_helped": ["rhythm", "crying"], "recommend": "not_sure", "text": "Good."},
    )
    assert saved.status_code == 302
    again = family.api.client.get(f"/feedback/{grant_id}").get_data(as_text=True)
    assert 'value="3" checked' in again and "You answered already" in again
    # Five words, like the check-in: no numbers on screen.
    labels = re.findall(r'<label for="helped-\d" class="coping-button">([^<]*)</label>', again)
    assert labels == ["Not at all", "A little", "Somewhat", "Quite a lot", "A lot"]
    assert "Thank you for your feedback." in text_of(family.api.client.get("/share/"))


def test_prune_removes_the_keys_after_seven_days(app, family, worker, runner=None):
    grant_id = grant_for(family, worker)
    assert send(family, grant_id).status_code == 201
    with app.app_context():
        from companion.accounts.privacy import prune

        assert prune()["feedback_keys"] == 0
        assert prune(utc.utcnow() + timedelta(days=8))["feedback_keys"] == 1
        assert db.session.scalar(select(func.count(Feedback.id))) == 1


@pytest.mark.parametrize(
    "lang, phrases",
    [
        (
            "en",
            [
                "keyed hash",
                "For 7 days",
                "never fewer than 5 families",
                "Only with your yes",
                "figures already kept in this way stay as they are",
            ],
        ),
        (
            "fi",
            [
                "avaimellinen tiiviste",
                "Seitsemän päivän",
                "ei koskaan alle viiden perheen",
                "Vain jos vastaat kyllä",
                "näin jo säilytetyt luvut pysyvät ennallaan",
            ],
        ),
        (
            "sv",
            [
                "nyckelbaserad hash",
                "I 7 dagar",
                "aldrig för färre än 5 familjer",
                "Bara med ditt ja",
                "siffror som redan sparats så förblir som de är",
            ],
        ),
    ],
)
def test_the_privacy_page_tells_how_feedback_and_statistics_are_kept(client, lang, phrases):
    page = text_of(client.get(f"/privacy?lang={lang}"))
    for phrase in phrases:
        assert phrase in page, phrase


def test_an_expired_grant_asks_too(app, family, worker):
    from companion.share.models import Grant

    grant_id = grant_for(family, worker)
    with app.app_context():
        db.session.get(Grant, grant_id).expires_at = utc.utcnow() - timedelta(hours=1)
        db.session.commit()
    page = text_of(family.api.client.get("/share/"))
    assert "Did the work help your family?" in page


def feedback_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Feedback.id)))


GOOD_FORM = {"helped": "4", "what_helped": ["sleep"], "recommend": "yes", "text": "Kiitos."}


@pytest.mark.parametrize(
    "lang, changes, words",
    [
        ("fi", {"helped": "9"}, "Valitse yksi viidestä vastauksesta."),
        ("sv", {"helped": ""}, "Välj ett av de fem svaren."),
        ("fi", {"recommend": "maybe"}, "Vastaa kyllä, ei tai en osaa sanoa."),
        ("sv", {"what_helped": ["money"]}, "Välj bland de listade sakerna, eller ingen."),
        ("fi", {"text": "x" * 1001}, "Käytä enintään 1 000 merkkiä."),
    ],
)
def test_bad_answers_on_the_page_are_named_and_change_nothing(app, family, worker, lang, changes, words):
    grant_id = grant_for(family, worker)
    response = post_form(
        family.api.client,
        f"/feedback/{grant_id}",
        {**GOOD_FORM, **changes},
        headers={"Accept-Language": lang},
    )
    assert response.status_code == 422
    assert words in text_of(response)
    assert feedback_count(app) == 0


def test_the_page_names_every_problem_at_once(app, family, worker):
    grant_id = grant_for(family, worker)
    response = post_form(
        family.api.client, f"/feedback/{grant_id}", {"text": "x" * 1001}, headers={"Accept-Language": "fi"}
    )
    assert response.status_code == 422
    page = text_of(response)
    for words in (
        "Valitse yksi viidestä vastauksesta.",
        "Vastaa kyllä, ei tai en osaa sanoa.",
        "Käytä enintään 1 000 merkkiä.",
    ):
        assert words in page
    html = response.get_data(as_text=True)
    for question in ("helped", "recommend"):
        group = re.search(rf'<fieldset[^>]*aria-describedby="{question}-err"[^>]*>', html)
        assert group is not None and 'aria-required="true"' in group.group(0)
    assert feedback_count(app) == 0


def test_an_answer_no_longer_changeable_is_refused_on_the_page(app, family, worker):
    grant_id = grant_for(family, worker)
    assert send(family, grant_id).status_code == 201
    with app.app_context():
        db.session.scalar(select(FeedbackKey)).expires_at = utc.utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = post_form(family.api.client, f"/feedback/{grant_id}", {**GOOD_FORM, "helped": "1"})
    assert response.status_code == 409
    assert "can no longer be changed" in text_of(response)
    with app.app_context():
        assert db.session.scalar(select(Feedback.helped)) == 4


def test_the_pages_belong_to_the_parent_who_made_the_code(app, make_family, family, worker):
    grant_id = grant_for(family, worker)
    other = make_family("someone-else")
    for client, status in ((other.api.client, 404), (worker.api.client, 403)):
        assert client.get(f"/feedback/{grant_id}").status_code == status
        assert post_form(client, f"/feedback/{grant_id}", GOOD_FORM).status_code == status
        assert post_form(client, f"/feedback/{grant_id}/decline").status_code == status
    anonymous = app.test_client()
    assert anonymous.get(f"/feedback/{grant_id}").status_code == 302  # to sign in
    assert feedback_count(app) == 0
    page = text_of(family.api.client.get("/share/"))
    assert "Tell the association how the work went" in page  # nobody else declined it


@pytest.mark.parametrize(
    "lang, needed, lead",
    [
        ("fi", "(pakollinen)", "Vastaaminen on vapaaehtoista"),
        ("sv", "(obligatorisk)", "Det är frivilligt att svara"),
        ("en", "(required)", "Answering is up to you"),
    ],
)
def test_the_two_needed_questions_say_so_before_anything_is_sent(family, worker, lang, needed, lead):
    page = family.api.client.get(f"/feedback/{grant_for(family, worker)}", headers={"Accept-Language": lang})
    html = page.get_data(as_text=True)
    legends = re.findall(r"<legend>([^<]*)</legend>", html)
    assert [legend.endswith(needed) for legend in legends] == [True, False, True]  # helped, what, recommend
    assert html.count('aria-required="true"') == 2
    text = text_of(page)
    assert lead in text
    assert "All of it is optional" not in text and "Kaikki on vapaaehtoista" not in text
