"""Before birth: the pregnancy home of a family expecting a baby, and the day the baby is born."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from companion import create_app
from companion.diary.age import FULL_TERM_DAYS, is_expecting, pregnancy
from companion.guides.services import pregnancy_articles
from tests.conftest import PASSWORD, Api, post_form, settings_for_tests, text_of

# 12:00 in Helsinki on Tuesday 10 March 2026: "today" for every page in these tests.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """The pages and the diary rules read the clock through these names."""
    monkeypatch.setattr("companion.diary.views.utcnow", lambda: NOW)
    monkeypatch.setattr("companion.diary.services.utcnow", lambda: NOW)


def expecting(make_family, username: str = "waiting", days_to_due: int = 50, **kw):
    due = TODAY + timedelta(days=days_to_due)
    return make_family(username, baby="Bean", due_date=due.isoformat(), **kw)


def home(fam, lang: str = "en"):
    return fam.api.client.get(f"/diary/{fam.baby_id}/", headers={"Accept-Language": lang})


def baby_json(fam) -> dict:
    babies = fam.api.get("/api/v1/babies").get_json()["babies"]
    return next(b for b in babies if b["id"] == fam.baby_id)


def born(fam, value: str, confirmed: bool = False):
    data = {"birth_date": value, **({"confirmed": "1"} if confirmed else {})}
    return post_form(fam.api.client, f"/diary/{fam.baby_id}/born", data)


# -- the pure helper ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_to_due", "week", "to_go", "past"),
    [
        (50, (32, 6), (7, 1), 0),
        (49, (33, 0), (7, 0), 0),
        (6, (39, 1), (0, 6), 0),
        (1, (39, 6), (0, 1), 0),
        (0, (40, 0), (0, 0), 0),  # due today: 40+0
        (-1, (40, 1), (0, 0), 1),
        (-15, (42, 1), (0, 0), 15),
        (FULL_TERM_DAYS, (0, 0), (40, 0), 0),
        (FULL_TERM_DAYS + 1, None, (40, 1), 0),  # further than a pregnancy lasts: no week to show
        (300, None, (42, 6), 0),
    ],
)
def test_pregnancy_weeks_from_the_due_date(days_to_due, week, to_go, past):
    got = pregnancy(TODAY + timedelta(days=days_to_due), TODAY)
    assert got is not None
    assert got.days_to_due == days_to_due
    assert got.week == week
    assert got.to_go == to_go
    assert got.days_past_due == past


def test_no_due_date_no_pregnancy_and_who_is_expecting():
    assert pregnancy(None, TODAY) is None
    assert is_expecting(None, TODAY)
    assert not is_expecting(TODAY, TODAY)  # born: the due date stays, the diary begins
    assert not is_expecting(None, None)  # no dates at all: just a diary


# -- the home -------------------------------------------------------------------------------------


def test_expecting_family_gets_the_pregnancy_home_with_the_weeks(make_family):
    fam = expecting(make_family, days_to_due=50)
    response = home(fam)
    assert response.status_code == 200
    text = text_of(response)
    assert "Due in 7 weeks and 1 day" in text
    assert "Pregnancy week 32+6" in text
    assert "40+0 on the due date" in text
    assert "Due date: Wednesday, April 29, 2026" in text
    html = response.get_data(as_text=True)
    assert "<h1>Bean</h1>" in html
    # No diary yet: no quick log, no timers, no tabs to empty pages.
    assert "data-action=" not in html and "data-sync-pending" not in html
    assert f'href="/diary/{fam.baby_id}/rhythm"' not in html


def test_weeks_only_days_and_in_finnish(make_family):
    assert "Due in 7 weeks " in text_of(home(expecting(make_family, "seven", days_to_due=49)))
    assert "Due in 3 days" in text_of(home(expecting(make_family, "three", days_to_due=3)))
    assert "Due in 1 day" in text_of(home(expecting(make_family, "one", days_to_due=1)))
    # The units come from Babel, so they are Finnish and Swedish without catalog work.
    fam = expecting(make_family, "finnish", days_to_due=50)
    assert "7 viikkoa ja 1 päivä" in text_of(home(fam, "fi"))
    assert "7 veckor och 1 dygn" in text_of(home(fam, "sv"))


def test_due_date_today(make_family):
    text = text_of(home(expecting(make_family, days_to_due=0)))
    assert "The due date is today" in text
    assert "Pregnancy week 40+0" in text


def test_due_date_passed_is_said_without_alarm(make_family):
    fam = expecting(make_family, days_to_due=-3)
    text = text_of(home(fam))
    assert "The due date was 3 days ago" in text
    assert "When the baby is born, add the birth date" in text
    assert "Pregnancy week 40+3" in text
    for alarming in ("overdue", "late", "warning", "!"):
        assert alarming not in text.split("Help, day and night")[0].split("Has the baby")[0]
    one = expecting(make_family, "one-day", days_to_due=-1)
    assert "The due date was 1 day ago" in text_of(home(one))


def test_far_future_due_date_shows_weeks_to_go_but_no_pregnancy_week(make_family):
    text = text_of(home(expecting(make_family, days_to_due=290)))
    assert "Due in 41 weeks and 3 days" in text
    assert "Pregnancy week" not in text


def article_titles(app, article_id: str) -> dict[str, str]:
    lib = app.extensions["companion.guides"]
    return {lang: lib.get(lang, article_id).title for lang in ("fi", "sv")}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_pregnancy_articles_in_the_readers_language(app, make_family, lang):
    fam = expecting(make_family)
    html = home(fam, lang).get_data(as_text=True)
    reading = html[html.index('id="h-pregnancy-reading"') : html.index('id="h-pregnancy-help"')]
    for article_id in ("pregnancy-feelings", "preparing-for-baby"):
        assert f'href="/guides/{article_id}"' in reading
        assert article_titles(app, article_id)[lang] in reading
    assert 'href="/guides/safe-sleep"' not in reading
    assert 'lang="fi"' not in reading and 'lang="sv"' not in reading  # all in the page's language


def test_english_readers_get_the_finnish_articles_marked_as_finnish(app, make_family):
    html = home(expecting(make_family)).get_data(as_text=True)
    reading = html[html.index('id="h-pregnancy-reading"') : html.index('id="h-pregnancy-help"')]
    assert article_titles(app, "pregnancy-feelings")["fi"] in reading
    assert '<li lang="fi">' in reading


def test_an_article_missing_in_swedish_is_given_in_finnish(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).parents[2] / "content", content)
    (content / "sv" / "preparing-for-baby.md").unlink()
    app = create_app({**settings_for_tests(tmp_path), "CONTENT_DIR": str(content)})
    with app.test_request_context("/"):
        got = {article.id: article.lang for article in pregnancy_articles("sv")}
    assert got["pregnancy-feelings"] == "sv"
    assert got["preparing-for-baby"] == "fi"


def test_help_page_and_numbers_are_on_the_home(make_family):
    html = home(expecting(make_family)).get_data(as_text=True)
    help_card = html[html.index('id="h-pregnancy-help"') :]
    help_card = help_card[: help_card.index("</section>")]
    assert 'href="/help"' in help_card
    for number in ("tel:112", "tel:116117", "tel:0925250111", "tel:0925250112"):
        assert f'href="{number}"' in help_card


def test_the_parents_own_checkin_card_is_on_the_home(make_family):
    fam = expecting(make_family)
    response = home(fam)
    assert response.headers["Cache-Control"] == "no-store"  # the parent's own answer is on it
    html = response.get_data(as_text=True)
    card = html[html.index('class="card checkin-card"') :]
    card = card[: card.index("</section>")]
    action = re.search(r'<form method="post" action="([^"]+)"', card).group(1)
    assert action.startswith("/wellbeing/")
    assert 'name="coping"' in card
    # One tap on the card saves the check-in, and the home shows it after.
    assert post_form(fam.api.client, action, {"coping": "4"}).status_code == 302
    assert "Today you said:" in text_of(home(fam))


def test_partner_sees_the_same_home(app, make_family):
    fam = expecting(make_family)
    code = fam.api.post("/api/v1/family/invites", {}).get_json()["code"]
    partner = Api(app.test_client())
    partner.post("/api/v1/signup", {"username": "partner", "password": PASSWORD})
    assert partner.post("/api/v1/family/join", {"code": code}).status_code == 200
    page = partner.client.get(f"/diary/{fam.baby_id}/")
    assert page.status_code == 200
    assert "Due in 7 weeks and 1 day" in text_of(page)
    assert f'action="/diary/{fam.baby_id}/born#h-born"' in page.get_data(as_text=True)
    # And the birth date either parent saves opens the diary for both.
    path = f"/diary/{fam.baby_id}/born"
    saved = post_form(partner.client, path, {"birth_date": "2026-03-09", "confirmed": "1"})
    assert saved.status_code == 302
    assert 'data-action="sleep-start"' in home(fam).get_data(as_text=True)


def test_sign_in_and_the_diary_link_land_on_the_pregnancy_home(make_family):
    fam = expecting(make_family)
    client = fam.api.client
    assert client.get("/diary/").headers["Location"].endswith(f"/diary/{fam.baby_id}/")
    landed = client.get("/", follow_redirects=True)
    assert "Due in 7 weeks and 1 day" in text_of(landed)


def test_diary_only_pages_lead_to_the_pregnancy_home(make_family):
    fam = expecting(make_family)
    for page in ("entries", "entries/new", "rhythm", "plan"):
        response = fam.api.client.get(f"/diary/{fam.baby_id}/{page}")
        assert response.status_code == 302, page
        assert response.headers["Location"].endswith(f"/diary/{fam.baby_id}/")


def test_other_families_get_404_and_change_nothing(make_family):
    fam = expecting(make_family)
    other = make_family("other")
    assert other.api.client.get(f"/diary/{fam.baby_id}/").status_code == 404
    assert other.api.client.get(f"/diary/{fam.baby_id}/rhythm").status_code == 404
    assert born(other, "2026-03-09").status_code == 302  # their own baby's form, not this one
    response = post_form(other.api.client, f"/diary/{fam.baby_id}/born", {"birth_date": "2026-03-09"})
    assert response.status_code == 404
    assert baby_json(fam)["birth_date"] is None


def test_a_born_baby_keeps_the_normal_today_page(make_family):
    fam = make_family("born", birth_date="2026-02-20", due_date="2026-03-01")
    html = home(fam).get_data(as_text=True)
    assert 'data-action="sleep-start"' in html and 'data-sync-pending="0"' in html
    assert "Has the baby been born?" not in html
    no_dates = make_family("no-dates")
    assert 'data-action="sleep-start"' in home(no_dates).get_data(as_text=True)


# -- the baby is born -----------------------------------------------------------------------------


def test_a_birth_more_than_two_weeks_before_the_due_date_is_asked_again(make_family):
    fam = expecting(make_family, days_to_due=84)  # due in 12 weeks: 2.6.2026
    asked = born(fam, "2026-03-10")
    assert asked.status_code == 200
    text = text_of(asked)
    assert "The due date is 2.6.2026: 10.3.2026 is 12 weeks before it. Was Bean born on 10.3.2026?" in text
    assert "Yes, save 10.3.2026 as the birth date" in text and "No, change the date" in text
    assert baby_json(fam)["birth_date"] is None  # nothing saved yet
    html = asked.get_data(as_text=True)
    assert 'name="confirmed" type="hidden" value="1"' in html or 'value="1"' in html
    assert born(fam, "2026-03-10", confirmed=True).status_code == 302
    assert baby_json(fam)["birth_date"] == "2026-03-10"


def test_a_birth_within_two_weeks_of_the_due_date_is_saved_at_once(make_family):
    fam = expecting(make_family, days_to_due=14)
    assert born(fam, "2026-03-10").status_code == 302
    assert baby_json(fam)["birth_date"] == "2026-03-10"


def test_the_confirmation_in_finnish_and_swedish(make_family):
    fam = expecting(make_family, days_to_due=30)
    path = f"/diary/{fam.baby_id}/born?lang="
    fi = text_of(post_form(fam.api.client, path + "fi", {"birth_date": "2026-03-09"}))
    sv = text_of(post_form(fam.api.client, path + "sv", {"birth_date": "2026-03-09"}))
    assert "9.3.2026" in fi and "9.3.2026" in sv
    assert "Was Bean born" not in fi and "Was Bean born" not in sv
    assert baby_json(fam)["birth_date"] is None


def test_a_bad_date_is_refused_before_any_question(make_family):
    fam = expecting(make_family, days_to_due=84)
    response = born(fam, "2026-03-11", confirmed=True)  # in the future, even when "confirmed"
    assert response.status_code == 422 and "cannot be in the future" in text_of(response)
    assert baby_json(fam)["birth_date"] is None


def test_adding_the_birth_date_opens_the_diary(make_family):
    fam = expecting(make_family, days_to_due=10)
    form = home(fam).get_data(as_text=True)
    field = re.search(r'<input[^>]*id="birth_date"[^>]*>', form).group(0)
    assert not re.search(r'value="[^"]', field)  # never filled in: one tap must not mark a baby born
    assert re.search(r'<label for="birth_date">Birth date</label>', form)
    response = born(fam, "2026-03-08")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/diary/{fam.baby_id}/")
    page = fam.api.client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert "Welcome, Bean!" in text_of(page)
    assert 'data-action="sleep-start"' in html and "Has the baby been born?" not in html
    saved = baby_json(fam)
    assert saved["birth_date"] == "2026-03-08"
    assert saved["due_date"] == "2026-03-20"  # kept, for the corrected age
    # The diary pages are there now.
    assert fam.api.client.get(f"/diary/{fam.baby_id}/rhythm").status_code == 200


def test_born_today_and_at_the_limits_from_the_due_date(make_family):
    fam = expecting(make_family, "today", days_to_due=0)
    assert born(fam, "2026-03-10").status_code == 302
    early = expecting(make_family, "early", days_to_due=10)
    assert born(early, "2025-10-31", confirmed=True).status_code == 302  # 140 days early: possible
    late = expecting(make_family, "late", days_to_due=-140)
    assert born(late, "2026-03-10").status_code == 302


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Give the birth date."),
        ("   ", "Use a date like 31.1.2026."),
        ("yesterday", "Use a date like 31.1.2026."),
        ("2026-02-30", "Use a date like 31.1.2026."),
        ("30.2.2026", "Use a date like 31.1.2026."),
        ("11.3.2026", "The birth date cannot be in the future."),  # typed the Finnish way
        ("2026-03-11", "The birth date cannot be in the future."),
        ("2027-03-09", "The birth date cannot be in the future."),
        ("2025-10-30", "This is far from the due date."),  # 141 days before it
        ("1900-01-01", "Use a date between 1.1.2000 and 31.12.2100."),
    ],
)
def test_bad_birth_dates_are_refused_clearly_and_change_nothing(make_family, value, message):
    fam = expecting(make_family, days_to_due=10)
    response = born(fam, value)
    assert response.status_code == 422
    text = text_of(response)
    assert "Please check the birth date." in text
    assert message in text
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and 'id="birth_date-err"' in html
    assert "Due in 1 week and 3 days" in text  # still the pregnancy home
    assert baby_json(fam)["birth_date"] is None


def test_bad_birth_date_errors_are_localised(make_family):
    fam = expecting(make_family, days_to_due=10)
    response = post_form(
        fam.api.client,
        f"/diary/{fam.baby_id}/born",
        {"birth_date": "huomenna"},
        headers={"Accept-Language": "fi"},
    )
    assert response.status_code == 422
    assert "Not a valid date value." not in text_of(response)  # WTForms' own Finnish message
    assert "Anna päivämäärä muodossa 31.1.2026." in text_of(response)
    assert baby_json(fam)["birth_date"] is None


def test_birth_date_without_csrf_is_refused(make_family):
    fam = expecting(make_family)
    response = fam.api.client.post(f"/diary/{fam.baby_id}/born", data={"birth_date": "2026-03-09"})
    assert response.status_code == 400
    assert baby_json(fam)["birth_date"] is None


def test_a_second_different_birth_date_does_not_overwrite_the_first(app, make_family):
    """Both parents had the home open: the second one's stale form changes nothing."""
    fam = expecting(make_family, days_to_due=10)
    assert born(fam, "2026-03-08").status_code == 302
    assert born(fam, "2026-03-08").status_code == 302  # the same date again is fine
    again = born(fam, "2026-03-07")
    assert again.status_code == 302
    page = fam.api.client.get(again.headers["Location"])
    assert "A different birth date is already saved" in text_of(page)
    assert baby_json(fam)["birth_date"] == "2026-03-08"


def test_new_baby_form_invites_a_working_name_and_due_date_only(make_family):
    fam = make_family("first")
    page = fam.api.client.get("/diary/babies/new")
    assert "A working name is fine" in text_of(page)
    made = post_form(fam.api.client, "/diary/babies/new", {"name": "Bean", "due_date": "2026-06-01"})
    assert made.status_code == 302
    landed = fam.api.client.get(made.headers["Location"])
    assert "Due in 11 weeks and 6 days" in text_of(landed)
