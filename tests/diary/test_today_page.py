"""The today page without JavaScript, as the server draws it and answers its forms: the
feed buttons, awake since and the last feed, moving a running timer's start, a bottle's
amount, twins, and the dock at the bottom of the page."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from tests.conftest import post_form, text_of

HEL = ZoneInfo("Europe/Helsinki")


def entries(family, baby: int | None = None) -> list[dict]:
    got = family.api.get(f"/api/v1/babies/{baby or family.baby_id}/entries").get_json()["entries"]
    return sorted(got, key=lambda e: e["start"])


def log(family, action: str, **data):
    return post_form(family.api.client, f"/diary/{family.baby_id}/log", {"action": action, **data})


def put(family, body: dict, baby: int | None = None) -> str:
    entry = str(uuid.uuid4())
    response = family.api.put(family.entry_url(entry, baby), body)
    assert response.status_code == 201, response.get_json()
    return entry


def today_html(family, baby: int | None = None) -> str:
    return family.api.client.get(f"/diary/{baby or family.baby_id}/").get_data(as_text=True)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_page_hooks_exactly_one_feeding_button_and_the_side_and_bottle_buttons(family):
    html = today_html(family)
    for action in ("feeding", "feeding-left", "feeding-right", "feeding-bottle"):
        assert len(re.findall(rf'data-action="{action}"', html)) == 1, action
    for action in ("sleep-start", "sleep-end", "crying-start", "crying-end"):
        assert len(re.findall(rf'data-action="{action}"', html)) == 1, action
    assert html.count("data-sync-pending") == 1
    # The dock comes after the buttons in the page, and holds the messages.
    assert html.index('id="quick-log"') < html.index("data-dock") and "data-messages" in html


@pytest.mark.parametrize(
    ("action", "details"),
    [
        ("feeding-left", {"method": "breast", "side": "left"}),
        ("feeding-right", {"method": "breast", "side": "right"}),
        ("feeding-bottle", {"method": "bottle"}),
    ],
)
def test_a_side_or_the_bottle_in_one_tap(family, action, details):
    assert log(family, action).status_code == 302
    (feed,) = entries(family)
    assert feed["kind"] == "feeding" and feed["details"] == details


def test_feeding_goes_the_way_the_last_feed_went_and_the_side_is_marked(family):
    assert log(family, "feeding").status_code == 302  # no feed before: no side
    assert entries(family)[-1]["details"] == {}
    log(family, "feeding-right")
    put(family, {"kind": "feeding", "start": iso(datetime.now(UTC) - timedelta(days=2))})  # older
    log(family, "feeding")
    assert entries(family)[-1]["details"] == {"method": "breast", "side": "right"}
    html = today_html(family)
    right = re.search(r'<button[^>]*data-action="feeding-right"[^>]*>.*?</button>', html, re.S).group(0)
    assert "last" in right and "last time" in right
    left = re.search(r'<button[^>]*data-action="feeding-left"[^>]*>.*?</button>', html, re.S).group(0)
    assert "last time" not in left
    assert "as last time: Right" in text_of(family.api.client.get(f"/diary/{family.baby_id}/"))


def fi_when(moment: datetime, now: datetime) -> str:
    """A time as the Finnish today page shows it: "13.05" today, "su 6.12. 23.50" before."""
    local = moment.astimezone(HEL)
    clock = f"{local.hour}.{local.minute:02d}"
    if local.date() == now.astimezone(HEL).date():
        return clock
    return f"{format_date(local.date(), 'EEE d.M.', locale='fi')} {clock}"


def test_awake_since_and_last_feed_when_nothing_runs(family):
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    woke = now - timedelta(minutes=70)
    put(family, {"kind": "sleep", "start": iso(now - timedelta(hours=3)), "end": iso(woke)})
    fed = now - timedelta(minutes=30)
    put(family, {"kind": "feeding", "start": iso(fed), "details": {"method": "breast", "side": "left"}})
    page = text_of(family.api.client.get(f"/diary/{family.baby_id}/?lang=fi"))
    assert f"Hereillä alkaen {fi_when(woke, now)}" in page
    assert f"Viimeisin syöttö {fi_when(fed, now)} (Vasen)" in page
    page = text_of(family.api.client.get(f"/diary/{family.baby_id}/?lang=en"))
    assert "Awake since" in page and "Last feed" in page and "(Left)" in page
    log(family, "sleep-start")
    page = text_of(family.api.client.get(f"/diary/{family.baby_id}/"))
    assert "Awake since" not in page and "Asleep" in page and "Last feed" in page


def test_nothing_logged_yet_is_said_kindly(family):
    page = text_of(family.api.client.get(f"/diary/{family.baby_id}/"))
    assert "Nothing running. Tap when something starts." in page and "No feed logged yet." in page


def test_a_running_timers_start_moves_back_without_javascript(family):
    log(family, "sleep-start")
    (sleep,) = entries(family)
    path = f"/diary/{family.baby_id}/entries/{sleep['id']}/start"
    started = datetime.fromisoformat(sleep["start"].replace("Z", "+00:00"))
    assert post_form(family.api.client, path, {"shift": "5"}).status_code == 302
    assert entries(family)[0]["start"] == iso(started - timedelta(minutes=5))
    assert post_form(family.api.client, path, {"shift": "15"}).status_code == 302
    assert entries(family)[0]["start"] == iso(started - timedelta(minutes=20))
    target = (started - timedelta(minutes=45)).astimezone(HEL)
    page = post_form(family.api.client, path, {"time": target.strftime("%H:%M")}, follow_redirects=True)
    assert "The start is now" in text_of(page)
    moved = datetime.fromisoformat(entries(family)[0]["start"].replace("Z", "+00:00")).astimezone(HEL)
    assert moved.strftime("%H:%M") == target.strftime("%H:%M") and moved < datetime.now(UTC)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"shift": "7"}, "Choose 5 or 15 minutes."),
        ({"shift": "-15"}, "Choose 5 or 15 minutes."),
        ({"time": "25:00"}, "Use a time like 07:30."),
        ({"time": "soon"}, "Use a time like 07:30."),
        ({}, "Use a time like 07:30."),
    ],
)
def test_moving_a_start_refuses_bad_input_and_changes_nothing(family, data, message):
    log(family, "sleep-start")
    (sleep,) = entries(family)
    path = f"/diary/{family.baby_id}/entries/{sleep['id']}/start"
    page = post_form(family.api.client, path, data, follow_redirects=True)
    assert page.status_code == 200 and message in text_of(page)
    assert entries(family)[0]["start"] == sleep["start"] and entries(family)[0]["version"] == 1


def test_the_page_script_knows_the_last_end_before_the_day_it_shows(family, make_family):
    """Just after midnight the day's entries hold nothing of the evening: the page still
    tells its script when the latest sleep or crying ended, so that a running timer's start
    is not moved back into it offline."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    midnight = datetime.now(HEL).replace(hour=0, minute=0, second=0, microsecond=0)
    put(
        family,
        {
            "kind": "sleep",
            "start": iso(midnight - timedelta(hours=4)),
            "end": iso(midnight - timedelta(hours=3)),
        },
    )
    cried = midnight - timedelta(hours=2)
    put(family, {"kind": "crying", "start": iso(cried - timedelta(minutes=20)), "end": iso(cried)})
    put(family, {"kind": "feeding", "start": iso(now - timedelta(minutes=1))})  # not an end
    html = today_html(family)
    assert f'data-last-end="{iso(cried)}"' in html
    assert f'data-awake-since="{iso(midnight - timedelta(hours=3))}"' in html  # the sleep's end
    log(family, "sleep-start")  # something runs: no "awake since", the last end stays
    html = today_html(family)
    assert 'data-awake-since=""' in html and f'data-last-end="{iso(cried)}"' in html
    assert 'data-last-end=""' in today_html(make_family("nothing-yet"))


def test_moving_a_start_into_an_earlier_sleep_or_of_an_ended_one_is_refused(family, make_family):
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    nap = put(
        family,
        {"kind": "sleep", "start": iso(now - timedelta(hours=3)), "end": iso(now - timedelta(hours=1))},
    )
    log(family, "sleep-start")
    running = entries(family)[-1]
    path = f"/diary/{family.baby_id}/entries/{running['id']}/start"
    into_nap = (now - timedelta(hours=2)).astimezone(HEL).strftime("%H:%M")
    page = post_form(family.api.client, path, {"time": into_nap}, follow_redirects=True)
    assert "overlaps a sleep" in text_of(page)
    assert entries(family)[-1]["start"] == running["start"]
    ended = post_form(
        family.api.client,
        f"/diary/{family.baby_id}/entries/{nap}/start",
        {"shift": "5"},
        follow_redirects=True,
    )
    assert "Only a running sleep or crying can be moved" in text_of(ended)
    assert family.api.client.post(path, data={"shift": "5"}).status_code == 400  # no CSRF token
    other = make_family("other-family")
    assert post_form(other.api.client, path, {"shift": "5"}).status_code == 404
    assert entries(family)[-1]["start"] == running["start"]


def test_a_bottles_amount_from_a_chip_or_typed(family):
    log(family, "feeding-bottle")
    (feed,) = entries(family)
    path = f"/diary/{family.baby_id}/entries/{feed['id']}/feeding"
    html = family.api.client.get(f"/diary/{family.baby_id}/").get_data(as_text=True)
    assert re.search(r"data-amounts(?! hidden)", html)  # after a bottle, the amounts show
    assert post_form(family.api.client, path, {"amount_ml": ["90", ""]}).status_code == 302
    assert entries(family)[0]["details"] == {"method": "bottle", "amount_ml": 90}
    assert post_form(family.api.client, path, {"amount_ml": ["", "135"]}).status_code == 302
    assert entries(family)[0]["details"] == {"method": "bottle", "amount_ml": 135}


@pytest.mark.parametrize(
    ("lang", "said", "button"),
    [
        ("en", "Feed saved: bottle 90 ml.", "Undo the feed"),
        ("fi", "Syöttö tallennettu: pullo 90 ml.", "Kumoa syöttö"),
        ("sv", "Matningen är sparad: flaska 90 ml.", "Ångra matningen"),
    ],
)
def test_after_an_amount_the_undo_bar_says_it_removes_the_feed_with_its_amount(family, lang, said, button):
    family.api.client.get(f"/diary/{family.baby_id}/?lang={lang}")  # the language chosen
    log(family, "feeding-bottle")
    (feed,) = entries(family)
    path = f"/diary/{family.baby_id}/entries/{feed['id']}/feeding"
    assert post_form(family.api.client, path, {"amount_ml": "90"}).status_code == 302
    html = today_html(family)
    bar = html[html.index('<section class="undo-bar"') :]
    assert f"<p data-undo-message>{said}</p>" in bar
    assert f'<button class="button" type="submit">{button}</button>' in bar
    # And it does what it says: the feed is gone, amount and all.
    assert post_form(family.api.client, f"/diary/{family.baby_id}/undo").status_code == 302
    assert entries(family) == []


def test_after_a_sleep_undo_is_just_undo(family):
    log(family, "sleep-start")
    assert re.search(r'<button class="button" type="submit">Undo</button>', today_html(family))


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "Give the amount in millilitres"),
        ("abc", "Give the amount in millilitres"),
        ("0", "Give the amount in millilitres"),
        ("5000", "Give the amount in millilitres"),
    ],
)
def test_a_wrong_amount_is_refused_and_changes_nothing(family, amount, message):
    log(family, "feeding-bottle")
    (feed,) = entries(family)
    path = f"/diary/{family.baby_id}/entries/{feed['id']}/feeding"
    page = post_form(family.api.client, path, {"amount_ml": amount}, follow_redirects=True)
    assert message in text_of(page)
    assert entries(family)[0]["details"] == {"method": "bottle"}


def test_a_breast_feed_has_no_bottles_amount(family):
    log(family, "feeding-bottle")
    (feed,) = entries(family)
    path = f"/diary/{family.baby_id}/entries/{feed['id']}/feeding"
    post_form(family.api.client, path, {"amount_ml": "90"})
    post_form(family.api.client, path, {"choice": "breast:left"})
    assert entries(family)[0]["details"] == {"method": "breast", "side": "left"}


def test_crying_that_ends_a_sleep_says_so(family, make_family):
    log(family, "sleep-start")
    page = log(family, "crying-start")
    said = lambda: re.search(r"<p data-undo-message>(.*?)</p>", today_html(family)).group(1)  # noqa: E731
    assert page.status_code == 302 and said() == "Sleep ended, crying started."
    awake = make_family("awake-family")
    log(awake, "crying-start")
    assert re.search(r"<p data-undo-message>(.*?)</p>", today_html(awake)).group(1) == "Crying started."


def test_twins_choice_stays_and_both_cards_show(family):
    second = family.api.post("/api/v1/babies", {"name": "Eino", "birth_date": "2026-10-01"}).get_json()[
        "baby"
    ]["id"]
    log(family, "sleep-start", babies=[str(family.baby_id), str(second)])
    html = today_html(family)
    boxes = re.findall(r'<input type="checkbox" name="babies" value="(\d+)"( checked)?>', html)
    assert [(int(value), bool(checked)) for value, checked in boxes] == [
        (family.baby_id, True),
        (second, True),
    ]
    cards = re.findall(r'data-now-baby="(\d+)"', html)
    assert [int(c) for c in cards] == [family.baby_id, second]
    assert text_of(family.api.client.get(f"/diary/{family.baby_id}/")).count("Asleep") >= 2
    assert entries(family, second)[0]["kind"] == "sleep"
