"""Check-in services: rules that are easier to see without HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from companion.accounts.models import User
from companion.errors import Forbidden, Unauthorized, Validation
from companion.extensions import db
from companion.wellbeing import services, views
from companion.wellbeing.models import CheckIn
from tests.wellbeing.conftest import day, local_today, put_checkin


@pytest.mark.parametrize(
    ("hours", "minutes"),
    [(0, 0), (0.1, 0), (0.125, 15), (6.5, 390), (6.37, 375), (6.375, 390), (23.9, 1440), (24, 1440)],
)
def test_own_sleep_rounds_half_up_to_quarter_hours(hours, minutes):
    assert services.sleep_minutes(hours) == minutes


def test_hours_are_given_back_as_plain_numbers():
    assert services.sleep_hours(None) is None
    assert services.sleep_hours(420) == 7 and isinstance(services.sleep_hours(420), int)
    assert services.sleep_hours(375) == 6.25


@pytest.mark.parametrize("coping", [True, 1.0, "1", None, 0, 6])
def test_only_the_five_whole_numbers_are_answers(coping):
    with pytest.raises(Validation) as error:
        services.clean_values(coping)
    assert set(error.value.fields) == {"coping"}


def test_a_race_on_the_same_day_updates_instead_of_failing(app, family, monkeypatch):
    """Two phones save the same new day at once: the second insert clashes on the unique
    (user, day) and becomes an update, so the parent sees what they sent last, no 500."""
    put_checkin(family.api, day(0), 2, note="first phone")
    real_find = services._find
    calls = iter([None])
    monkeypatch.setattr(services, "_find", lambda *a: next(calls, real_find(*a)))
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == family.username))
        checkin, created = services.save_checkin(user, local_today(), 4, note="second phone")
        assert created is False
        rows = db.session.scalars(select(CheckIn).where(CheckIn.user_id == user.id)).all()
        assert [(r.coping, r.note) for r in rows] == [(4, "second phone")]


def test_only_signed_in_parents_have_check_ins(app, family):
    from flask_login import AnonymousUserMixin

    from tests.share.conftest import add_staff

    add_staff(app, "maija", "worker", "Maija", "tampere")
    with app.test_request_context():
        worker = db.session.scalar(select(User).where(User.username == "maija"))
        for call in (
            lambda u: services.save_checkin(u, local_today(), 3),
            lambda u: services.list_checkins(u),
            lambda u: services.get_checkin(u, local_today()),
            lambda u: services.gentle_response(u),
        ):
            with pytest.raises(Forbidden):
                call(worker)
            with pytest.raises(Unauthorized):
                call(AnonymousUserMixin())
        assert services.export_checkins(worker) == []


def test_reading_for_the_support_offer_comes_from_the_guides(app):
    with app.test_request_context():
        for locale, lang in (("fi", "fi"), ("sv", "sv"), ("en", "fi")):
            reading = views.support_reading(locale)
            assert [r.article_id for r in reading] == ["parent-coping", "baby-blues-or-depression"]
            assert {r.lang for r in reading} == {lang}
            assert all(r.url.startswith("/guides/") and r.title for r in reading)
