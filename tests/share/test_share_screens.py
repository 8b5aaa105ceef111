"""The sharing screens: what the worker will see before a code is made, end dates with
the year, opened versus printed in the audit, and a kind page when an access has ended."""

from __future__ import annotations

import html
import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import post_form, text_of
from tests.share.conftest import grant_for, make_code, redeem

HEL = ZoneInfo("Europe/Helsinki")


class plain(str):  # noqa: N801
    """The page's words as read (tags gone); ``in`` ignores the spaces that tags leave."""

    def __new__(cls, response):
        return super().__new__(cls, html.unescape(text_of(response)))

    def __contains__(self, words: str) -> bool:
        return re.sub(r"\s+", "", words) in re.sub(r"\s+", "", str(self))


def d_m_y(day) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def today() -> datetime:
    return datetime.now(HEL)


def test_the_share_page_shows_what_the_worker_will_see_before_a_code_is_made(family):
    start = (datetime.now(UTC) - timedelta(days=20)).replace(microsecond=0)
    body = {"kind": "sleep", "start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()}
    assert family.api.put(family.entry_url(str(uuid.uuid4())), body).status_code == 201
    page = plain(family.api.client.get("/share/"))
    assert "What your worker will see" in page
    assert "The diary under this name: every entry and its notes, the rhythm" in page
    assert f"From the first entry ({d_m_y(start.astimezone(HEL).date())}) on" in page
    assert "Not your wellbeing check-ins." in page
    until = today().date() + timedelta(days=90)
    assert f"Until {d_m_y(until)}, if they use the code today (90 days)." in page
    assert "This name is the only one they see: not your username" in page
    assert "you can end the access at any time" in page


def card_text(html_text: str, start: str, end: str) -> list[str]:
    """The words of a part of a page, a line per paragraph or heading, tags gone."""
    part = html_text[html_text.index(start) :]
    part = part[: part.index(end)]
    lines = [re.sub(r"<[^>]+>", "", p) for _tag, p in re.findall(r"<(p|h3)\b[^>]*>(.*?)</\1>", part, re.S)]
    return [" ".join(html.unescape(line).split()) for line in lines]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_preview_shows_the_family_as_the_workers_list_does_not_the_babys_name(make_family, worker, lang):
    family = make_family(
        "lake-parent", baby="Pikku-Aino", birth_date=(today().date() - timedelta(days=70)).isoformat()
    )
    family.api.client.get(f"/share/?lang={lang}")
    prefix = f"baby{family.baby_id}-"
    # The name changed and the form sent back (no answer about statistics): the preview
    # shows the name as typed.
    sent = post_form(
        family.api.client, f"/share/babies/{family.baby_id}/codes", {prefix + "label": "Järvelät"}
    )
    assert sent.status_code == 422
    page = sent.get_data(as_text=True)
    assert "Pikku-Aino" not in " ".join(card_text(page, "data-share-preview", "</section>"))
    preview = card_text(page, 'class="share-preview-card"', "</div>")
    grant_for(family, worker, label="Järvelät")
    worker.api.client.get(f"/worker/?lang={lang}")
    listed = card_text(
        worker.api.client.get("/worker/").get_data(as_text=True), 'class="card shared-item"', "</li>"
    )
    assert listed[0] == "Järvelät"
    assert listed[1] == {"fi": "Vauvan ikä 10 viikkoa", "sv": "Babyns ålder 10 veckor"}[lang]
    assert preview == listed[:2]  # the name and the age, word for word


def test_the_preview_follows_the_form_after_an_error(family):
    prefix = f"baby{family.baby_id}-"
    response = post_form(
        family.api.client,
        f"/share/babies/{family.baby_id}/codes",
        {prefix + "label": "", prefix + "scope": "diary+wellbeing", prefix + "grant_days": "30"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    shown = re.search(r'data-preview-scope="diary\+wellbeing"( hidden)?', html)
    assert shown and not shown.group(1)  # the check-ins line shows, the other is hidden
    assert re.search(r'data-preview-scope="diary" hidden', html)
    assert f"Until {d_m_y(today().date() + timedelta(days=30))}" in plain(response)


def test_a_label_is_shown_as_text_never_as_markup(family):
    prefix = f"baby{family.baby_id}-"
    response = post_form(
        family.api.client,
        f"/share/babies/{family.baby_id}/codes",
        {prefix + "label": "<b>x</b>", prefix + "grant_days": "9999"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "(90 days)" in plain(response)  # a bad number: the preview keeps the default


def test_end_dates_carry_the_year(family, worker):
    grant_for(family, worker, grant_days=200)
    make_code(family, label="Another")  # waits to be used
    page = plain(family.api.client.get("/share/"))
    until = d_m_y((datetime.now(UTC) + timedelta(days=200)).astimezone(HEL).date())
    assert re.search(rf"Until \w+ {re.escape(until)} ", page), page
    code_until = d_m_y((datetime.now(UTC) + timedelta(hours=24)).astimezone(HEL).date())
    assert re.search(rf"waiting to be used until \w+ {re.escape(code_until)} ", page), page
    listed = plain(worker.api.client.get("/worker/"))
    assert f"Access until {until}" in listed


def grant_lists(response) -> tuple[str, str]:
    """The baby's "who can see the diary" list and its "ended" list, as HTML."""
    html = response.get_data(as_text=True)
    seeing = (
        html.split("Who can see the diary", 1)[1]
        .split("Make a code for a worker", 1)[0]
        .split("<h3>Ended</h3>")[0]
    )
    ended = html.split("<h3>Ended</h3>", 1)[1].split("</ul>", 1)[0] if "<h3>Ended</h3>" in html else ""
    return seeing, ended


def test_an_ended_access_is_listed_apart_and_never_reads_as_if_the_worker_still_sees(
    family, worker, make_worker
):
    other = make_worker("anna", "Anna Virtanen")
    ended = grant_for(family, worker, statistics=True)
    assert family.api.delete(f"/api/v1/grants/{ended}").status_code == 204
    ended_no = grant_for(family, make_worker("eeva", "Eeva Koski"))  # no statistics
    assert family.api.delete(f"/api/v1/grants/{ended_no}").status_code == 204
    active = grant_for(family, other)
    seeing, gone = grant_lists(family.api.client.get("/share/"))
    # Who can see the diary: only the active access.
    assert f'id="grant-{active}"' in seeing and "Anna Virtanen" in seeing
    assert f'id="grant-{ended}"' not in seeing and f'id="grant-{ended_no}"' not in seeing
    # Ended: who, when (with the year) and why, never "Sees", never an "Allow".
    assert "Maija Mäkinen" in gone and "Eeva Koski" in gone
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", gone)))
    assert "Sees" not in text and "Allow" not in text and "End access" not in text
    assert len(re.findall(rf"Access ended \w+ {re.escape(d_m_y(today().date()))} ", text)) == 2
    assert "ended by a parent" in text
    # A yes to statistics still counts the shared weeks in later reports: it can be taken back.
    assert "Anonymous figures from the weeks it was shared are still counted in the statistics." in text
    assert "Leave it out" in text
    assert "Anonymous figures from this diary in the statistics: no." in text
    taken_back = post_form(family.api.client, f"/share/grants/{ended}/statistics", {"statistics": "no"})
    assert taken_back.status_code == 302
    _seeing, gone = grant_lists(family.api.client.get("/share/"))
    assert "Leave it out" not in gone and "still counted" not in gone
    fi = plain(family.api.client.get("/share/?lang=fi"))
    ended_on = re.escape(d_m_y(today().date()))
    assert "Päättyneet" in fi and re.search(rf"Käyttöoikeus päättyi \w+ {ended_on} ", fi)


def test_ended_accesses_come_right_under_the_active_ones_before_the_code_form(family, worker, make_worker):
    ended = grant_for(family, worker)
    assert family.api.delete(f"/api/v1/grants/{ended}").status_code == 204
    active = grant_for(family, make_worker("anna", "Anna Virtanen"))
    make_code(family, label="Another")  # waits to be used
    page = family.api.client.get("/share/?lang=fi").get_data(as_text=True)
    order = [
        page.index(mark)
        for mark in (
            "Kuka näkee päiväkirjan",
            f'id="grant-{active}"',
            "<h3>Päättyneet</h3>",
            f'id="grant-{ended}"',
            "data-pending-code",
            'class="share-make"',
        )
    ]
    assert order == sorted(order)


def test_the_audit_tells_opened_from_printed(family, worker):
    grant = grant_for(family, worker)
    assert worker.api.client.get(f"/worker/diaries/{grant}/print").status_code == 200
    page = plain(family.api.client.get("/share/"))
    assert "opened a visit summary" in page and "printed a visit summary" not in page
    # The print button, then the printed page's own image request: one print.
    assert post_form(worker.api.client, f"/worker/diaries/{grant}/printed").status_code == 204
    beacon = worker.api.client.get(f"/worker/diaries/{grant}/printed.gif?at=1")
    assert beacon.status_code == 200 and beacon.mimetype == "image/gif"
    assert beacon.headers["Cache-Control"] == "no-store"
    page = plain(family.api.client.get("/share/"))
    assert page.count("printed a visit summary") == 1


def test_the_printed_page_asks_for_its_image_only_when_printed(family, worker):
    grant = grant_for(family, worker)
    html = worker.api.client.get(f"/worker/diaries/{grant}/print").get_data(as_text=True)
    assert f"/worker/diaries/{grant}/printed.gif" in html and 'class="print-beacon"' in html
    assert "data-print-report" in html
    # A printout is kept: when it was printed says the year.
    assert re.search(rf"Visit summary · printed \w+ {re.escape(d_m_y(today()))} \S+", html), html


def test_printing_refuses_bad_requests_and_other_workers(family, worker, make_worker):
    grant = grant_for(family, worker)
    assert worker.api.client.post(f"/worker/diaries/{grant}/printed").status_code == 400  # no CSRF token
    other = make_worker()
    assert post_form(other.api.client, f"/worker/diaries/{grant}/printed").status_code == 404
    assert other.api.client.get(f"/worker/diaries/{grant}/printed.gif").status_code == 404
    assert family.api.client.get(f"/worker/diaries/{grant}/printed.gif").status_code == 403
    assert "printed a visit summary" not in plain(family.api.client.get("/share/"))


def test_a_worker_whose_access_was_ended_is_told_kindly(family, worker, make_worker):
    grant = grant_for(family, worker)
    assert family.api.delete(f"/api/v1/grants/{grant}").status_code == 204
    for path in (f"/worker/diaries/{grant}", f"/worker/diaries/{grant}/print"):
        response = worker.api.client.get(path)
        assert response.status_code == 410
        page = plain(response)
        assert "The diary of Aino's family is no longer shared with you" in page
        assert f"The family ended the access on {d_m_y(today().date())}" in page
        assert "the family can make a new code" in page
        assert "Not found" not in page
    assert worker.api.get(f"/api/v1/shared/{grant}/entries").status_code == 404
    assert post_form(worker.api.client, f"/worker/diaries/{grant}/printed").status_code == 404
    # Another worker learns nothing: a plain 404.
    assert make_worker().api.client.get(f"/worker/diaries/{grant}").status_code == 404


def test_a_replaced_access_leads_to_the_newer_one(family, worker):
    old = grant_for(family, worker)
    new = redeem(worker, make_code(family)).get_json()["grant"]["id"]
    response = worker.api.client.get(f"/worker/diaries/{old}")
    assert response.status_code == 410
    assert "A newer code from the family replaced this access" in plain(response)
    assert f'href="/worker/diaries/{new}"' in response.get_data(as_text=True)


def test_the_ended_page_in_finnish_and_swedish(family, worker):
    grant = grant_for(family, worker)
    family.api.delete(f"/api/v1/grants/{grant}")
    fi = plain(worker.api.client.get(f"/worker/diaries/{grant}?lang=fi"))
    sv = plain(worker.api.client.get(f"/worker/diaries/{grant}?lang=sv"))
    assert "no longer shared" not in fi and "no longer shared" not in sv
    assert d_m_y(today().date()) in fi and d_m_y(today().date()) in sv
