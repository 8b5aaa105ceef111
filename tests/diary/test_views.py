"""The diary pages as a parent uses them: the quick log, history, add, edit, delete."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import post_form, text_of

HEL = ZoneInfo("Europe/Helsinki")


def entries(family) -> list[dict]:
    return family.api.get(f"/api/v1/babies/{family.baby_id}/entries").get_json()["entries"]


def button_hidden(html: str, action: str) -> bool:
    tag = re.search(rf'<button[^>]*data-action="{action}"[^>]*>', html)
    assert tag, f"no {action} button in the page"
    return " hidden" in tag.group(0)


def log(family, action: str, **data):
    return post_form(family.api.client, f"/diary/{family.baby_id}/log", {"action": action, **data})


def test_today_has_both_buttons_of_each_pair_and_hides_the_one_that_does_not_apply(family):
    html = family.api.client.get(f"/diary/{family.baby_id}/").get_data(as_text=True)
    assert not button_hidden(html, "sleep-start") and button_hidden(html, "sleep-end")
    assert not button_hidden(html, "crying-start") and button_hidden(html, "crying-end")
    assert 'data-sync-pending="0"' in html
    assert 'data-action="feeding"' in html and 'data-action="note"' in html

    assert log(family, "sleep-start").status_code == 302
    html = family.api.client.get(f"/diary/{family.baby_id}/").get_data(as_text=True)
    assert button_hidden(html, "sleep-start") and not button_hidden(html, "sleep-end")
    assert "data-since=" in html


def test_sleep_then_wake_makes_one_sleep(family):
    log(family, "sleep-start")
    log(family, "sleep-end")
    got = entries(family)
    assert len(got) == 1 and got[0]["kind"] == "sleep" and got[0]["end"] is not None


def test_crying_during_a_sleep_ends_the_sleep(family):
    log(family, "sleep-start")
    log(family, "crying-start")
    got = {e["kind"]: e for e in entries(family)}
    assert got["sleep"]["end"] is not None
    assert got["crying"]["end"] is None
    assert got["crying"]["start"] >= got["sleep"]["end"]


def test_double_tap_does_not_start_two_sleeps(family):
    log(family, "sleep-start")
    log(family, "sleep-start")
    assert len(entries(family)) == 1


def test_ending_when_nothing_runs_says_so(family):
    response = log(family, "sleep-end")
    page = family.api.client.get(response.headers["Location"])
    assert "No sleep is running." in text_of(page)
    assert entries(family) == []


def test_unknown_action_changes_nothing(family):
    log(family, "dance")
    assert entries(family) == []


def test_quick_log_without_csrf_is_refused(family):
    response = family.api.client.post(f"/diary/{family.baby_id}/log", data={"action": "feeding"})
    assert response.status_code == 400
    assert entries(family) == []


def test_undo_right_after_a_tap(family):
    log(family, "sleep-start")
    log(family, "crying-start")
    page = family.api.client.get(f"/diary/{family.baby_id}/").get_data(as_text=True)
    assert "Crying started." in page
    post_form(family.api.client, f"/diary/{family.baby_id}/undo")
    got = entries(family)
    assert len(got) == 1 and got[0]["kind"] == "sleep" and got[0]["end"] is None


@pytest.mark.parametrize(
    ("lang", "first", "action", "said"),
    [
        ("en", None, "sleep-start", "Sleep removed."),
        ("en", "sleep-start", "sleep-end", "Sleep end removed: sleep goes on."),
        ("en", None, "crying-start", "Crying removed."),
        ("en", "sleep-start", "crying-start", "Crying removed: sleep goes on."),
        ("en", "crying-start", "crying-end", "Crying end removed: crying goes on."),
        ("en", None, "feeding-bottle", "Feed removed."),
        ("en", None, "note", "Note removed."),
        ("fi", None, "sleep-start", "Uni poistettu."),
        ("fi", "sleep-start", "sleep-end", "Unen loppu poistettu: uni jatkuu."),
        ("fi", "sleep-start", "crying-start", "Itku poistettu: uni jatkuu."),
        ("fi", None, "feeding", "Syöttö poistettu."),
        ("fi", None, "note", "Muistiinpano poistettu."),
        ("sv", None, "crying-start", "Gråten togs bort."),
        ("sv", "crying-start", "crying-end", "Gråtens slut togs bort: gråten fortsätter."),
        ("sv", None, "feeding-left", "Matningen togs bort."),
        ("sv", None, "note", "Anteckningen togs bort."),
    ],
)
def test_undo_says_what_it_took_back(family, lang, first, action, said):
    client = family.api.client
    client.get(f"/diary/{family.baby_id}/?lang={lang}")  # the language chosen
    if first:
        log(family, first)
    kept = lambda: [(e["id"], e["kind"], e["start"], e["end"]) for e in entries(family)]  # noqa: E731
    before = kept()
    log(family, action, note="Hiccups")
    page = post_form(client, f"/diary/{family.baby_id}/undo", follow_redirects=True)
    assert f'<p class="flash flash-info">{said}</p>' in page.get_data(as_text=True)
    assert kept() == before  # and it did what it says


def test_the_undo_bar_closes_without_undoing_and_goes_two_minutes_after_the_tap(family):
    client = family.api.client
    log(family, "sleep-start")
    page = client.get(f"/diary/{family.baby_id}/").get_data(as_text=True)
    assert "<p data-undo-message>Sleep started.</p>" in page
    assert re.search(
        r'<button class="undo-close" type="submit" name="dismiss" value="1" aria-label="Close"', page
    )
    post_form(client, f"/diary/{family.baby_id}/undo", {"dismiss": "1"})
    page = client.get(f"/diary/{family.baby_id}/").get_data(as_text=True)
    assert "<p data-undo-message>Sleep started.</p>" not in page
    assert [e["kind"] for e in entries(family)] == ["sleep"]  # closed, not undone
    log(family, "sleep-end")
    with client.session_transaction() as session:
        session["undo"] = {**session["undo"], "at": session["undo"]["at"] - 110}
    assert "<p data-undo-message>Sleep ended.</p>" in client.get(f"/diary/{family.baby_id}/").get_data(
        as_text=True
    )
    with client.session_transaction() as session:
        session["undo"] = {**session["undo"], "at": session["undo"]["at"] - 11}
    assert "<p data-undo-message>Sleep ended.</p>" not in client.get(f"/diary/{family.baby_id}/").get_data(
        as_text=True
    )


def test_feeding_in_two_taps(family):
    log(family, "feeding")
    feeding = entries(family)[0]
    page = family.api.client.get(f"/diary/{family.baby_id}/").get_data(as_text=True)
    assert 'value="breast:left"' in page
    post_form(
        family.api.client,
        f"/diary/{family.baby_id}/entries/{feeding['id']}/feeding",
        {"choice": "breast:left"},
    )
    assert entries(family)[0]["details"] == {"method": "breast", "side": "left"}


def test_feeding_details_bad_choice_changes_nothing(family):
    log(family, "feeding")
    feeding = entries(family)[0]
    response = post_form(
        family.api.client,
        f"/diary/{family.baby_id}/entries/{feeding['id']}/feeding",
        {"choice": "spoon:up"},
    )
    assert "Please check the entry." in text_of(family.api.client.get(response.headers["Location"]))
    assert entries(family)[0]["details"] == {}


def test_note_needs_text(family):
    log(family, "note", note="   ")
    assert entries(family) == []
    log(family, "note", note="First bath")
    assert entries(family)[0]["note"] == "First bath"


def test_twins_log_at_once(family):
    twin = family.api.post("/api/v1/babies", {"name": "Eino"}).get_json()["baby"]["id"]
    log(family, "sleep-start", babies=[str(family.baby_id), str(twin)])
    for baby in (family.baby_id, twin):
        got = family.api.get(f"/api/v1/babies/{baby}/entries").get_json()["entries"]
        assert len(got) == 1 and got[0]["kind"] == "sleep"
    page = family.api.client.get(f"/diary/{family.baby_id}/").get_data(as_text=True)
    assert 'name="babies"' in page


def test_twins_cannot_include_another_familys_baby(family, make_family):
    other = make_family("other")
    log(family, "feeding", babies=[str(family.baby_id), str(other.baby_id)])
    assert other.api.get(f"/api/v1/babies/{other.baby_id}/entries").get_json()["entries"] == []


def test_forgotten_timer_asks_when_it_ended(family):
    start = datetime.now(UTC) - timedelta(hours=30)
    family.api.put(family.entry_url(str(uuid.uuid4())), {"kind": "sleep", "start": start.isoformat()})
    page = family.api.client.get(f"/diary/{family.baby_id}/")
    assert "Is the sleep still going on?" in text_of(page)
    entry = entries(family)[0]
    end_local = (start + timedelta(hours=9)).astimezone(HEL)
    post_form(
        family.api.client,
        f"/diary/{family.baby_id}/entries/{entry['id']}/end",
        {
            "end_date": end_local.date().isoformat(),
            "end_time": end_local.strftime("%H:%M"),
        },
    )
    assert entries(family)[0]["duration_minutes"] in (539, 540)
    assert "Is the sleep still going on?" not in text_of(family.api.client.get(f"/diary/{family.baby_id}/"))


def test_forgotten_timer_blocks_new_taps_with_a_clear_message(family):
    start = datetime.now(UTC) - timedelta(hours=30)
    family.api.put(family.entry_url(str(uuid.uuid4())), {"kind": "sleep", "start": start.isoformat()})
    response = log(family, "crying-start")
    page = family.api.client.get(response.headers["Location"])
    assert "running for too long" in text_of(page)
    assert len(entries(family)) == 1


def add_past(family, **fields):
    data = {"kind": "sleep", "start_fold": "0", "end_fold": "0", **fields}
    return post_form(family.api.client, f"/diary/{family.baby_id}/entries/new", data)


def clock_change_shown(html: str) -> bool:
    tag = re.search(r'<details class="clock-change"[^>]*>', html).group(0)
    return " hidden" not in tag


def test_the_clock_change_choice_is_offered_only_for_the_night_the_clocks_go_back(family):
    form = family.api.client.get(f"/diary/{family.baby_id}/entries/new").get_data(as_text=True)
    assert not clock_change_shown(form)
    # Sent again (without JavaScript) with that night's date: now it asks which 3.00.
    again = add_past(family, start_date="2026-10-25", start_time="")
    assert again.status_code == 422 and clock_change_shown(again.get_data(as_text=True))
    other = add_past(family, start_date="2026-10-24", start_time="")
    assert other.status_code == 422 and not clock_change_shown(other.get_data(as_text=True))
    assert entries(family) == []


def test_add_past_entry_in_local_time(family):
    response = add_past(
        family, start_date="2026-01-10", start_time="21:30", end_time="02:15", place="own_bed"
    )
    assert response.status_code == 302
    got = entries(family)[0]
    assert got["start"] == "2026-01-10T19:30:00Z"
    assert got["end"] == "2026-01-11T00:15:00Z"  # past midnight: the next day
    assert got["details"] == {"place": "own_bed"}


@pytest.mark.parametrize(
    "day, expected",
    [("2025-10-25", 420), ("2026-03-28", 300)],
)
def test_clock_change_nights_last_seven_and_five_hours(family, day, expected):
    next_day = (datetime.fromisoformat(day) + timedelta(days=1)).date().isoformat()
    add_past(family, start_date=next_day, start_time="01:00", end_date=next_day, end_time="07:00")
    assert entries(family)[0]["duration_minutes"] == expected


def test_spring_gap_time_is_refused_clearly(family):
    response = add_past(
        family, start_date="2026-03-29", start_time="03:30", end_date="2026-03-29", end_time="06:00"
    )
    assert response.status_code == 422
    assert "does not exist" in text_of(response)
    assert entries(family) == []


def test_autumn_repeat_takes_the_first_and_the_form_can_choose(family):
    add_past(family, kind="note", start_date="2025-10-26", start_time="03:30", note="first")
    add_past(
        family,
        kind="note",
        start_date="2025-10-26",
        start_time="03:30",
        start_fold="1",
        note="second",
    )
    got = {e["note"]: e["start"] for e in entries(family)}
    assert got["first"] == "2025-10-26T00:30:00Z"
    assert got["second"] == "2025-10-26T01:30:00Z"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"start_date": "2026-01-10", "start_time": ""}, "This field is required."),
        ({"start_date": "2099-01-10", "start_time": "10:00"}, "The time is in the future."),
        (
            {
                "start_date": "2026-01-10",
                "start_time": "10:00",
                "end_date": "2026-01-12",
                "end_time": "10:00",
            },
            "longer than 24 hours",
        ),
        (
            {
                "kind": "feeding",
                "start_date": "2026-01-10",
                "start_time": "10:00",
                "amount_ml": "5000",
            },
            "Number must be between 1 and 1000.",
        ),
    ],
)
def test_add_past_bad_input_shows_errors_and_saves_nothing(family, fields, message):
    response = add_past(family, **fields)
    assert response.status_code == 422
    assert message in text_of(response)
    assert entries(family) == []


def test_add_past_overlap_is_refused(family):
    add_past(family, start_date="2026-01-10", start_time="10:00", end_time="11:00")
    response = add_past(family, start_date="2026-01-10", start_time="10:30", end_time="12:00")
    assert response.status_code == 422
    assert "overlaps a sleep" in text_of(response)
    assert len(entries(family)) == 1


def test_edit_entry(family):
    add_past(family, start_date="2026-01-10", start_time="10:00", end_time="11:00")
    entry = entries(family)[0]
    form = family.api.client.get(f"/diary/{family.baby_id}/entries/{entry['id']}/edit")
    assert 'value="10:00"' in form.get_data(as_text=True)
    response = post_form(
        family.api.client,
        f"/diary/{family.baby_id}/entries/{entry['id']}/edit",
        {
            "kind": "sleep",
            "start_date": "2026-01-10",
            "start_time": "10:15",
            "end_date": "2026-01-10",
            "end_time": "11:45",
            "start_fold": "0",
            "end_fold": "0",
            "version": "1",
            "place": "pram",
        },
    )
    assert response.status_code == 302
    got = entries(family)[0]
    assert got["duration_minutes"] == 90 and got["version"] == 2 and got["details"] == {"place": "pram"}


def post_late_edit(family, entry_id: str, version: str):
    """The edit form of a sleep logged 10.00-11.00 on 10 January, sent as 10.15-11.45."""
    fields = {"kind": "sleep", "start_date": "2026-01-10", "start_time": "10:15", "end_time": "11:45"}
    fields |= {"start_fold": "0", "end_fold": "0", "version": version}
    return post_form(family.api.client, f"/diary/{family.baby_id}/entries/{entry_id}/edit", fields)


def test_edit_with_a_stale_version_is_refused(family):
    add_past(family, start_date="2026-01-10", start_time="10:00", end_time="11:00")
    entry = entries(family)[0]
    family.api.put(
        family.entry_url(entry["id"]),
        {"kind": "sleep", "start": entry["start"], "end": "2026-01-10T09:30:00Z"},
    )
    response = post_late_edit(family, entry["id"], "1")
    assert response.status_code == 422
    assert "changed this entry meanwhile" in text_of(response)
    assert entries(family)[0]["end"] == "2026-01-10T09:30:00Z"


@pytest.mark.parametrize("version", ["x", "", "-1", "1.5"])
def test_edit_with_a_broken_version_field_is_refused_as_out_of_date(family, version):
    add_past(family, start_date="2026-01-10", start_time="10:00", end_time="11:00")
    entry = entries(family)[0]
    response = post_late_edit(family, entry["id"], version)
    assert response.status_code == 422
    assert "changed this entry meanwhile" in text_of(response)
    assert entries(family)[0]["version"] == 1 and entries(family)[0]["duration_minutes"] == 60


def test_an_edit_that_moves_the_entry_leads_to_the_day_it_moved_to(family):
    add_past(family, start_date="2026-01-10", start_time="10:00", end_time="11:00")
    entry = entries(family)[0]
    response = post_form(
        family.api.client,
        f"/diary/{family.baby_id}/entries/{entry['id']}/edit",
        {
            "kind": "sleep",
            "start_date": "2026-01-12",
            "start_time": "10:00",
            "end_date": "2026-01-12",
            "end_time": "11:00",
            "start_fold": "0",
            "end_fold": "0",
            "version": "1",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("day=2026-01-12")


def test_delete_asks_first_then_deletes(family):
    add_past(family, start_date="2026-01-10", start_time="10:00", end_time="11:00")
    entry = entries(family)[0]
    confirm = family.api.client.get(f"/diary/{family.baby_id}/entries/{entry['id']}/delete")
    assert confirm.status_code == 200
    assert "Delete the entry?" in text_of(confirm)
    assert len(entries(family)) == 1
    post_form(family.api.client, f"/diary/{family.baby_id}/entries/{entry['id']}/delete")
    assert entries(family) == []


def test_history_lists_days_and_says_not_logged(family):
    add_past(family, start_date="2026-01-10", start_time="10:00", end_time="11:00")
    page = family.api.client.get(f"/diary/{family.baby_id}/entries?day=2026-01-11")
    text = text_of(page)
    assert "Nothing logged for this day" in text
    assert "10:00\u202fAM–11:00\u202fAM" in text or "10:00 AM–11:00 AM" in text
    finnish = family.api.client.get(
        f"/diary/{family.baby_id}/entries?day=2026-01-11", headers={"Accept-Language": "fi"}
    )
    assert "10.00–11.00" in text_of(finnish)


def test_add_baby_and_bad_baby_input(family):
    bad = post_form(family.api.client, "/diary/babies/new", {"name": "", "birth_date": "2099-01-01"})
    assert bad.status_code == 422
    good = post_form(family.api.client, "/diary/babies/new", {"name": "Eino", "due_date": "2027-01-20"})
    assert good.status_code == 302
    names = [b["name"] for b in family.api.get("/api/v1/babies").get_json()["babies"]]
    assert names == ["Aino", "Eino"]


def test_family_settings_validation(family):
    bad = post_form(
        family.api.client,
        "/diary/settings",
        {
            "timezone": "Mars/Olympus",
            "chart_day_start": "0",
            "night_start": "19:00",
            "night_end": "07:00",
        },
    )
    assert bad.status_code == 422
    same = post_form(
        family.api.client,
        "/diary/settings",
        {
            "timezone": "Europe/Helsinki",
            "chart_day_start": "0",
            "night_start": "19:00",
            "night_end": "19:00",
        },
    )
    assert same.status_code == 422
    ok = post_form(
        family.api.client,
        "/diary/settings",
        {
            "timezone": "Europe/Stockholm",
            "chart_day_start": "18",
            "night_start": "20:00",
            "night_end": "06:30",
        },
    )
    assert ok.status_code == 302


def test_other_familys_pages_are_404(family, make_family):
    other = make_family("other")
    add_past(family, start_date="2026-01-10", start_time="10:00", end_time="11:00")
    entry = entries(family)[0]
    for path in (
        f"/diary/{family.baby_id}/",
        f"/diary/{family.baby_id}/entries",
        f"/diary/{family.baby_id}/entries/new",
        f"/diary/{family.baby_id}/entries/{entry['id']}/edit",
        f"/diary/{family.baby_id}/entries/{entry['id']}/delete",
        f"/diary/{family.baby_id}/edit",
    ):
        assert other.api.client.get(path).status_code == 404, path
    post_form(other.api.client, f"/diary/{family.baby_id}/entries/{entry['id']}/delete")
    assert len(entries(family)) == 1


@pytest.mark.parametrize("path", ["/diary/", "/diary/1/", "/diary/1/entries", "/diary/settings", "/account"])
def test_anonymous_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_diary_home_goes_to_first_baby_or_asks_for_one(make_family, app):
    from tests.conftest import PASSWORD, Api

    api = Api(app.test_client())
    api.post("/api/v1/signup", {"username": "fresh", "password": PASSWORD})
    assert api.client.get("/diary/").headers["Location"].endswith("/diary/babies/new")
    fam = make_family("withbaby")
    assert fam.api.client.get("/diary/").headers["Location"].endswith(f"/diary/{fam.baby_id}/")


def test_today_shows_age_and_corrected_age_for_a_baby_born_early(make_family):
    from datetime import date

    today = date.today()
    fam = make_family(
        "early",
        birth_date=(today - timedelta(days=70)).isoformat(),
        due_date=(today - timedelta(days=35)).isoformat(),
    )
    text = text_of(fam.api.client.get(f"/diary/{fam.baby_id}/"))
    assert "10 weeks" in text
    assert "corrected age 5 weeks" in text


def test_expecting_family_sees_weeks_to_due(make_family):
    from datetime import date

    fam = make_family("expecting", due_date=(date.today() + timedelta(days=50)).isoformat())
    assert "Due in 7 weeks" in text_of(fam.api.client.get(f"/diary/{fam.baby_id}/"))


def test_today_suggests_safe_sleep_for_a_young_baby(make_family):
    from datetime import date

    fam = make_family("young", birth_date=(date.today() - timedelta(days=20)).isoformat())
    page = fam.api.client.get(f"/diary/{fam.baby_id}/").get_data(as_text=True)
    assert 'href="/guides/safe-sleep"' in page
    assert 'href="/guides/newborn-sleep"' in page


def test_add_past_before_the_birth_says_why_and_saves_nothing(make_family):
    from datetime import date

    born = date.today() - timedelta(days=30)
    fam = make_family("born-month-ago", birth_date=born.isoformat())
    early = born - timedelta(days=3)
    response = add_past(fam, start_date=early.isoformat(), start_time="10:00", end_time="11:00")
    assert response.status_code == 422
    text = text_of(response)
    assert f"This is more than 2 days before the birth ({born.strftime('%b %-d, %Y')})" in text
    assert entries(fam) == []
    allowed = born - timedelta(days=2)
    saved = add_past(fam, start_date=allowed.isoformat(), start_time="10:00", end_time="11:00")
    assert saved.status_code == 302
    assert len(entries(fam)) == 1


def test_quick_log_for_a_baby_not_born_yet_says_why(make_family):
    from datetime import date

    fam = make_family("waiting", due_date=(date.today() + timedelta(days=30)).isoformat())
    response = log(fam, "feeding")
    assert response.status_code == 302
    page = fam.api.client.get(response.headers["Location"])
    assert "The diary begins when the baby is born. Save the birth date first." in text_of(page)
    assert entries(fam) == []
