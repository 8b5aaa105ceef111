"""The wellbeing pages as a parent sees them: a check-in in a few taps, without JavaScript,
and the gentle response after it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_login import login_user

from tests.conftest import PASSWORD, Api, post_form
from tests.share.conftest import add_staff, sign_in
from tests.wellbeing.conftest import day, local_today, put_checkin, saved, visible

WORDS = ["Very hard", "Hard", "So-so", "Quite well", "Well"]
HELP_NUMBER = 'href="tel:0925250111"'


def page(family, path="/wellbeing/"):
    response = family.api.get(path)
    assert response.status_code == 200, response.status_code
    return response


def post_checkin(family, when: str | None = None, **data):
    path = f"/wellbeing/{when or day(0)}"
    return post_form(family.api.client, path, {k: str(v) for k, v in data.items()})


# -- who may ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/wellbeing/", "/wellbeing/chart", f"/wellbeing/{day(0)}", "/wellbeing/day"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_workers_cannot_open_the_pages(app):
    add_staff(app, "maija", "worker", "Maija", "tampere")
    worker = sign_in(app, "maija")
    for path in ("/wellbeing/", "/wellbeing/chart", f"/wellbeing/{day(0)}"):
        assert worker.get(path).status_code == 403
    assert "How are you?" not in visible(worker.get("/worker/"))


def test_the_menu_has_a_link_for_parents(family):
    html = page(family, "/guides/").get_data(as_text=True)
    assert 'href="/wellbeing/"' in html
    assert "How are you?" in html


# -- the form -------------------------------------------------------------------------------------------


def test_the_form_has_five_answers_in_words_in_a_fieldset(family):
    html = page(family).get_data(as_text=True)
    assert re.search(r"<fieldset[^>]*>\s*<legend>How are you coping today\?</legend>", html)
    labels = re.findall(r'<label for="coping-(\d)" class="coping-button[^"]*">([^<]+)</label>', html)
    assert labels == [(str(n), word) for n, word in zip(range(1, 6), WORDS, strict=True)]
    assert '<label for="own_sleep_hours">Your own sleep last night</label>' in html
    assert '<label for="note">A note for yourself</label>' in html
    assert 'name="csrf_token"' in html
    assert 'aria-live="polite"' in html


def test_a_check_in_is_saved_with_a_plain_form_post(family):
    response = post_checkin(family, coping=3, own_sleep_hours="6.5", note="Slept in pieces.")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/wellbeing/#response")
    assert [(c["coping"], c["own_sleep_hours"], c["note"]) for c in saved(family.api)] == [
        (3, 6.5, "Slept in pieces.")
    ]
    after = family.api.client.get("/wellbeing/")
    text = visible(after)
    assert "Saved. Thank you for telling how you are." in text
    assert "So-so" in text and "Slept in pieces." in text and "own sleep 6 hr 30 min" in text
    # The form now shows what was saved.
    html = after.get_data(as_text=True)
    assert 'id="coping-3" name="coping" value="3" checked' in html
    assert '<option selected value="6.5">' in html


def test_leaving_sleep_and_note_out_is_fine(family):
    assert post_checkin(family, coping=5, own_sleep_hours="", note="").status_code == 302
    assert [(c["coping"], c["own_sleep_hours"], c["note"]) for c in saved(family.api)] == [(5, None, None)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose how you are coping."),
        ({"coping": "0"}, "Choose one of the five answers."),
        ({"coping": "6"}, "Choose one of the five answers."),
        ({"coping": "x"}, "Choose one of the five answers."),
        ({"coping": "3", "own_sleep_hours": "25"}, "Give your sleep in hours, 0–24, or leave it out."),
        ({"coping": "3", "own_sleep_hours": "lots"}, "Give your sleep in hours, 0–24, or leave it out."),
        ({"coping": "3", "note": "x" * 1001}, "Use at most 1,000 characters."),
    ],
)
def test_bad_form_input_is_shown_beside_the_form_and_changes_nothing(family, data, message):
    response = post_checkin(family, **data)
    assert response.status_code == 422
    text = visible(response)
    assert message in text
    assert "Please check the check-in." in text
    assert saved(family.api) == []


def test_the_unanswered_choice_is_marked_invalid_and_points_at_its_error(family):
    html = post_checkin(family).get_data(as_text=True)
    group = re.search(r'<fieldset class="coping-choices has-error"([^>]*)>', html).group(1)
    assert 'role="radiogroup"' in group and 'aria-invalid="true"' in group
    error_id = re.search(r'aria-describedby="([^"]+)"', group).group(1)
    assert re.search(rf'<p class="error" id="{error_id}">Choose how you are coping.</p>', html)


def test_a_post_without_the_csrf_token_is_refused(family):
    response = family.api.client.post(f"/wellbeing/{day(0)}", data={"coping": "3"})
    assert response.status_code == 400
    assert saved(family.api) == []


def test_an_earlier_day_can_be_changed(family):
    put_checkin(family.api, day(3), 2, own_sleep_hours=6.25, note="then")
    html = page(family, f"/wellbeing/{day(3)}").get_data(as_text=True)
    assert "How were you coping that day?" in html
    assert 'value="2" checked' in html
    # A value saved through the API (not one of the form's options) keeps its place.
    assert '<option selected value="6.25">6 hr 15 min</option>' in html
    assert re.search(r">\s*then</textarea>", html)
    assert post_checkin(family, day(3), coping=4, own_sleep_hours="6.25", note="then").status_code == 302
    assert [(c["date"], c["coping"], c["own_sleep_hours"]) for c in saved(family.api)] == [(day(3), 4, 6.25)]


def test_the_recent_list_links_each_day_for_changing(family):
    put_checkin(family.api, day(1), 4, note="a walk helped")
    text = visible(page(family))
    assert "Quite well" in text and "a walk helped" in text
    assert f'href="/wellbeing/{day(1)}"' in page(family).get_data(as_text=True)


def test_no_check_ins_yet_is_fine(family):
    assert "No check-ins in the last two weeks. That is fine" in visible(page(family))


def test_another_day_form_goes_to_that_day(family):
    response = family.api.get(f"/wellbeing/day?date={day(5)}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/wellbeing/{day(5)}")


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ((local_today() + timedelta(days=1)).isoformat(), "The date cannot be in the future."),
        (day(401), "A check-in can be at most 400 days old."),
        ("2026-02-30", "Use a date like 31.1.2026."),
        ("someday", "Use a date like 31.1.2026."),
    ],
)
def test_days_that_cannot_have_a_check_in_get_a_clear_answer(family, when, message):
    for response in (
        family.api.get(f"/wellbeing/{when}"),
        post_checkin(family, when, coping=3),
        family.api.get(f"/wellbeing/day?date={when}"),
    ):
        assert response.status_code == 422
        assert message in visible(response)
    assert saved(family.api, day(399), day(0)) == []


# -- the gentle response ---------------------------------------------------------------------------------


def test_a_good_answer_brings_no_help_box(family):
    post_checkin(family, coping=4)
    html = page(family).get_data(as_text=True)
    assert HELP_NUMBER not in html
    assert "It has been heavy for a while" not in html


def test_the_lowest_answer_shows_the_help_numbers_at_once(family):
    post_checkin(family, coping=1)
    after = page(family)
    text = visible(after)
    html = after.get_data(as_text=True)
    assert HELP_NUMBER in html and 'href="tel:116117"' in html and 'href="tel:112"' in html
    assert "You do not have to carry this alone" in text
    # In the polite live region, not as an alarm, and without any count of days.
    region = html[html.index('id="response"') : html.index("checkin-heading")]
    assert 'aria-live="polite"' in html[html.index('id="response"') - 80 : html.index('id="response"') + 80]
    assert HELP_NUMBER in region
    assert "It has been heavy for a while" not in text


def test_several_low_days_offer_support_and_reading(family):
    put_checkin(family.api, day(3), 2)
    put_checkin(family.api, day(1), 2)
    post_checkin(family, coping=2)
    html = page(family).get_data(as_text=True)
    text = visible(page(family))
    assert "It has been heavy for a while" in text
    assert "Baby blues worker or the neuvola" in text
    assert 'href="/guides/parent-coping"' in html
    assert 'href="/guides/baby-blues-or-depression"' in html
    assert 'href="/help"' in html
    assert HELP_NUMBER not in html  # the latest answer was not the lowest
    assert not re.search(r"\b3 (days|low)", text)  # no streaks


def test_two_low_days_are_not_yet_a_support_offer(family):
    put_checkin(family.api, day(1), 2)
    post_checkin(family, coping=2)
    assert "It has been heavy for a while" not in visible(page(family))


def test_a_better_day_ends_the_support_offer(family):
    for back in (3, 2, 1):
        put_checkin(family.api, day(back), 2)
    post_checkin(family, coping=4)
    assert "It has been heavy for a while" not in visible(page(family))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_reading_is_in_the_readers_language(app, family, lang):
    for back in (2, 1, 0):
        put_checkin(family.api, day(back), 2)
    text = visible(family.api.get(f"/wellbeing/?lang={lang}"))
    library = app.extensions["companion.guides"]
    reading = "fi" if lang == "en" else lang  # English readers get the Finnish articles
    other = "sv" if reading == "fi" else "fi"
    for article_id in ("parent-coping", "baby-blues-or-depression"):
        assert library.get(reading, article_id).title in text
        assert library.get(other, article_id).title not in text


# -- the card for the home page ---------------------------------------------------------------------------


def _render_card(app, username: str) -> str:
    from flask import render_template
    from sqlalchemy import select

    from companion.accounts.models import User
    from companion.extensions import db
    from companion.wellbeing import views

    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        user = db.session.scalar(select(User).where(User.username == username))
        login_user(user)
        return render_template("wellbeing/_checkin_card.html", checkin=views.checkin_card(user))


def test_the_card_is_a_one_tap_check_in(app, family):
    html = _render_card(app, family.username)
    assert f'action="/wellbeing/{day(0)}"' in html
    assert 'name="csrf_token"' in html
    buttons = re.findall(r'<button type="submit" name="coping" value="(\d)"[^>]*>([^<]+)</button>', html)
    assert buttons == [(str(n), word) for n, word in zip(range(1, 6), WORDS, strict=True)]
    assert "<legend>How are you coping today?</legend>" in html


def test_the_card_shows_the_answer_and_the_help_numbers(app, family):
    put_checkin(family.api, day(0), 1)
    html = _render_card(app, family.username)
    assert "Today you said: Very hard." in html
    assert HELP_NUMBER in html


def test_a_tap_on_the_card_keeps_the_sleep_and_note(family):
    put_checkin(family.api, day(0), 2, own_sleep_hours=5, note="keep me")
    response = post_form(family.api.client, f"/wellbeing/{day(0)}", {"coping": "4"})
    assert response.status_code == 302
    assert [(c["coping"], c["own_sleep_hours"], c["note"]) for c in saved(family.api)] == [(4, 5, "keep me")]


def test_the_card_refuses_non_parents(app):
    from companion.errors import Forbidden
    from companion.wellbeing import services

    add_staff(app, "maija", "worker", "Maija", "tampere")
    with app.test_request_context("/"):
        from sqlalchemy import select

        from companion.accounts.models import User
        from companion.extensions import db

        worker = db.session.scalar(select(User).where(User.username == "maija"))
        with pytest.raises(Forbidden):
            services.card(worker)


def test_the_page_works_in_finnish_and_swedish(family):
    for lang in ("fi", "sv"):
        response = family.api.get(f"/wellbeing/?lang={lang}")
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in response.get_data(as_text=True)


def test_a_parent_without_a_family_yet_can_use_the_page(app):
    api = Api(app.test_client())
    assert api.post("/api/v1/signup", {"username": "newbie", "password": PASSWORD}).status_code == 201
    family_before = api.get("/api/v1/me").get_json()["user"]["family_id"]
    assert api.get("/wellbeing/").status_code == 200
    assert api.get("/wellbeing/chart").status_code == 200
    assert api.get("/api/v1/me").get_json()["user"]["family_id"] == family_before  # looking changes nothing
    assert post_form(api.client, f"/wellbeing/{day(0)}", {"coping": "3"}).status_code == 302
    assert [c["coping"] for c in saved(api)] == [3]
