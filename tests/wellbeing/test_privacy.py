"""Check-ins and privacy: in the export, gone with the account, explained on the pages,
and never shown to the other parent."""

from __future__ import annotations

from sqlalchemy import func, select

from companion.extensions import db
from companion.wellbeing.models import CheckIn
from tests.conftest import PASSWORD, Api
from tests.wellbeing.conftest import day, put_checkin, visible


def count_checkins(app, username: str | None = None) -> int:
    from companion.accounts.models import User

    with app.app_context():
        query = select(func.count(CheckIn.id))
        if username is not None:
            query = query.join(User, User.id == CheckIn.user_id).where(User.username == username)
        return db.session.scalar(query)


def test_the_export_has_the_callers_own_check_ins_only(family, partner):
    put_checkin(family.api, day(1), 2, own_sleep_hours=5, note="mine")
    put_checkin(partner, day(1), 4, note="the partner's")
    data = family.api.get("/api/v1/export").get_json()
    assert [(c["date"], c["coping"], c["own_sleep_hours"], c["note"]) for c in data["checkins"]] == [
        (day(1), 2, 5, "mine")
    ]
    assert data["checkins"][0]["created_at"].endswith("Z")
    assert "the partner's" not in family.api.get("/api/v1/export").get_data(as_text=True)
    theirs = partner.get("/api/v1/export").get_json()["checkins"]
    assert [c["note"] for c in theirs] == ["the partner's"]
    assert "mine" not in partner.get("/api/v1/export?format=csv").get_data(as_text=True)


def test_a_worker_export_has_no_check_ins(app):
    from tests.share.conftest import add_staff, sign_in

    add_staff(app, "maija", "worker", "Maija", "tampere")
    assert "checkins" not in sign_in(app, "maija").get("/api/v1/export").get_json()


def test_deleting_the_account_deletes_the_check_ins(app, family, partner):
    put_checkin(family.api, day(0), 1, note="private")
    put_checkin(family.api, day(1), 2)
    put_checkin(partner, day(0), 3)
    assert count_checkins(app, family.username) == 2
    assert family.api.delete("/api/v1/me", {"password": PASSWORD}).status_code == 204
    assert count_checkins(app) == 1  # the partner's own stays with the partner
    assert [c["coping"] for c in partner.get("/api/v1/checkins").get_json()["checkins"]] == [3]


def test_the_only_parent_deleting_takes_everything(app):
    api = Api(app.test_client())
    api.post("/api/v1/signup", {"username": "alone", "password": PASSWORD})
    put_checkin(api, day(0), 2)
    assert api.delete("/api/v1/me", {"password": PASSWORD}).status_code == 204
    assert count_checkins(app) == 0


def test_a_wrong_password_deletes_nothing(app, family):
    put_checkin(family.api, day(0), 2)
    assert family.api.delete("/api/v1/me", {"password": "not it at all"}).status_code == 422
    assert count_checkins(app) == 1


def test_the_privacy_and_delete_pages_mention_check_ins(family):
    privacy = visible(family.api.get("/privacy"))
    assert "Your own wellbeing check-ins, if you use them" in privacy
    assert "the other parent does not see them" in privacy
    assert "Your wellbeing check-ins stay until you delete your account" in privacy
    delete_page = visible(family.api.get("/account/delete"))
    assert "Your own wellbeing check-ins are deleted." in delete_page


def test_the_other_parents_pages_show_nothing_of_mine(family, partner):
    put_checkin(family.api, day(0), 1, note="a very private note")
    for path in ("/wellbeing/", f"/wellbeing/{day(0)}", "/wellbeing/chart"):
        assert "a very private note" not in visible(partner.get(path))
    page = partner.get("/wellbeing/")
    assert "No check-ins in the last two weeks" in visible(page)
    html = page.get_data(as_text=True)
    assert "checked" not in html
    assert 'href="tel:0925250111"' not in html  # the help box follows the reader's own answers
