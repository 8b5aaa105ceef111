"""The sharing pages as parents, workers and admins see them."""

from __future__ import annotations

import html
import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import PASSWORD, Api, post_form, text_of, totp_code
from tests.share.conftest import WORKER_PASSWORD, grant_for, make_code, redeem

HEL = ZoneInfo("Europe/Helsinki")


def form_post(client, path, data=None, **kw):
    return post_form(client, path, data, **kw)


def create_on_page(family, **fields):
    prefix = f"baby{family.baby_id}-"
    data = {
        "label": "Aino's family",
        "scope": "diary",
        "valid_hours": "24",
        "grant_days": "90",
        "statistics": "no",
        **fields,
    }
    return form_post(
        family.api.client, f"/share/babies/{family.baby_id}/codes", {prefix + k: v for k, v in data.items()}
    )


# -- who may open which page --------------------------------------------------------------------


PARENT_PAGES = ["/share/"]
WORKER_PAGES = ["/worker/"]
ADMIN_PAGES = ["/admin/"]


@pytest.mark.parametrize("path", PARENT_PAGES + WORKER_PAGES + ADMIN_PAGES + ["/worker/diaries/1"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


PARENT_POSTS = [
    "/share/babies/{baby}/codes",
    "/share/babies/{baby}/codes/cancel",
    "/share/grants/{grant}/revoke",
    "/share/invite",
    "/share/join",
    "/share/family/leave",
]
WORKER_POSTS = ["/worker/redeem"]
ADMIN_POSTS = [
    "/admin/organisations",
    "/admin/workers",
    "/admin/workers/{worker}/setup-link",
    "/admin/workers/{worker}/deactivate",
    "/admin/workers/{worker}/reactivate",
    "/admin/workers/{worker}/unlock",
]


def test_every_form_refuses_anonymous_and_wrong_roles(app, family, worker, admin):
    grant_id = grant_for(family, worker)
    ids = {"baby": family.baby_id, "grant": grant_id, "worker": worker.id}
    anonymous = app.test_client()
    groups = (
        (PARENT_POSTS, (worker.api.client, admin.api.client)),
        (WORKER_POSTS, (family.api.client, admin.api.client)),
        (ADMIN_POSTS, (family.api.client, worker.api.client)),
    )
    for paths, wrong_roles in groups:
        for template in paths:
            path = template.format(**ids)
            response = form_post(anonymous, path)
            assert response.status_code == 302 and "/login" in response.headers["Location"], path
            for client in wrong_roles:
                assert form_post(client, path).status_code == 403, path
    # Nothing changed: the grant still works, the worker is still active.
    assert worker.api.get(f"/api/v1/shared/{grant_id}/entries").status_code == 200


def test_each_role_sees_only_its_own_pages(family, worker, admin):
    grant_id = grant_for(family, worker)
    diary = [f"/worker/diaries/{grant_id}", f"/worker/diaries/{grant_id}/print"]
    for client, allowed, refused in (
        (family.api.client, PARENT_PAGES, WORKER_PAGES + ADMIN_PAGES + diary),
        (worker.api.client, WORKER_PAGES + diary, PARENT_PAGES + ADMIN_PAGES),
        (admin.api.client, ADMIN_PAGES, PARENT_PAGES + WORKER_PAGES + diary),
    ):
        for path in allowed:
            assert client.get(path).status_code == 200, path
        for path in refused:
            assert client.get(path).status_code == 403, path


def test_pages_are_never_cached(family):
    assert family.api.client.get("/share/").headers["Cache-Control"] == "no-store"


def test_menu_links_by_role(family, worker, admin):
    assert 'href="/share/"' in family.api.client.get("/share/").get_data(as_text=True)
    assert 'href="/worker/"' in worker.api.client.get("/worker/").get_data(as_text=True)
    assert 'href="/admin/"' in admin.api.client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/"' not in worker.api.client.get("/worker/").get_data(as_text=True)


def test_workers_and_admins_land_on_their_pages_after_sign_in(app, worker, admin):
    for username, home in (("maija", "/worker/"), ("boss", "/admin/")):
        client = app.test_client()
        otp = totp_code(app, username)
        response = form_post(
            client, "/login", {"username": username, "password": WORKER_PASSWORD, "otp": otp}
        )
        assert response.status_code == 302
        assert response.headers["Location"] == home


# -- the parent's page ----------------------------------------------------------------------------


def test_parent_makes_a_code_and_sees_it_large_with_expiry_and_copy_button(family):
    page = family.api.client.get("/share/")
    html = page.get_data(as_text=True)
    assert '<option selected value="24">' in html or 'value="24" selected' in html
    assert 'value="90"' in html
    response = create_on_page(family)
    assert response.status_code == 302
    shown = family.api.client.get(response.headers["Location"])
    html = shown.get_data(as_text=True)
    code = re.search(r'class="share-code" data-share-code>(\d{4} \d{4} \d{4})<', html).group(1)
    assert f'data-copy="{code}"' in html
    assert "It works once, until" in text_of(shown)
    again = family.api.client.get("/share/")
    assert code not in again.get_data(as_text=True)  # shown once
    assert "is waiting to be used until" in text_of(again)


@pytest.mark.parametrize(
    ("lang", "fields", "gives", "works"),
    [
        (
            "fi",
            {"label": "Järvelät", "scope": "diary+wellbeing", "grant_days": "30", "valid_hours": "4"},
            "Koodilla työntekijäsi näkee päiväkirjan ja vointimerkintäsi 30 päivän ajan."
            " Perheesi näkyy hänelle nimellä ”Järvelät”.",
            "Se toimii kerran, {when} asti.",
        ),
        (
            "sv",
            {"label": "Sjöbergs", "grant_days": "1", "valid_hours": "168"},
            "Med koden ser din familjearbetare dagboken i 1 dag. Er familj visas för hen som ”Sjöbergs”.",
            "Den fungerar en gång, till {when}.",
        ),
        (
            "en",
            {"label": "<b>Lake</b>"},
            'With it, your worker sees the diary for 90 days. Your family is shown to them as "<b>Lake</b>".',
            "It works once, until {when}.",
        ),
    ],
)
def test_the_new_code_says_what_it_gives_for_how_long_and_until_when_it_works(
    family, lang, fields, gives, works
):
    family.api.client.get(f"/share/?lang={lang}")
    made = datetime.now(UTC)
    shown = family.api.client.get(create_on_page(family, **fields).headers["Location"])
    box = shown.get_data(as_text=True)
    box = box[box.index('<div class="share-fresh"') :]
    box = box[: box.index("</div>")]
    said = [html.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in re.findall(r"<p[^>]*>(.*?)</p>", box)]
    expires = (made + timedelta(hours=int(fields.get("valid_hours", "24")))).astimezone(HEL)
    when = rf"\w+ {expires.day}\.{expires.month}\.{expires.year} (klo )?\d{{1,2}}[.:]\d\d(\s?[AP]M)?"
    assert said[2] == gives  # under the code: what, for how long, as whom (a name is text)
    assert re.fullmatch(re.escape(works).replace(re.escape("{when}"), when), said[3]), said[3]


def test_a_code_waiting_to_be_used_is_shown_after_a_reload_and_cancelled_after_a_confirmation(
    family, make_family
):
    create_on_page(family)
    family.api.client.get("/share/")  # the code shown once
    html = family.api.client.get("/share/").get_data(as_text=True)
    section = html[html.index("Who can see the diary") :]
    assert "Nobody but your family." in section
    pending = section[section.index("data-pending-code") :]
    assert "is waiting to be used until" in pending and 'data-confirm="Cancel the code?' in pending
    url = f"/share/babies/{family.baby_id}/codes/cancel"
    # Without JavaScript, the page asks first and nothing is cancelled yet.
    asked = post_form(family.api.client, url, {"ask": "1"})
    assert asked.status_code == 200 and "The code will no longer work." in text_of(asked)
    assert "data-pending-code" in family.api.client.get("/share/").get_data(as_text=True)
    assert post_form(make_family().api.client, url, {"ask": "1"}).status_code == 404  # not their baby
    done = post_form(family.api.client, url)
    assert "The code was cancelled." in text_of(family.api.client.get(done.headers["Location"]))
    assert "data-pending-code" not in family.api.client.get("/share/").get_data(as_text=True)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"label": ""}, "Give a name the worker will recognise."),
        ({"label": "x" * 61}, "Use at most 60 characters."),
        ({"valid_hours": "500"}, "The code can be valid from 1 hour to 7 days"),
        ({"valid_hours": "soon"}, "The code can be valid from 1 hour to 7 days"),
        ({"grant_days": "0"}, "Access can last from 1 to 365 days."),
        ({"grant_days": "lots"}, "Access can last from 1 to 365 days."),
        ({"scope": "all"}, "Choose the diary, or the diary and your wellbeing."),
    ],
)
def test_bad_settings_on_the_page_show_an_error_and_change_nothing(app, family, worker, fields, message):
    earlier = make_code(family)
    response = create_on_page(family, **fields)
    assert response.status_code == 422
    assert message in text_of(response)
    assert 'aria-invalid="true"' in response.get_data(as_text=True) or "has-error" in response.get_data(
        as_text=True
    )
    assert redeem(worker, earlier).status_code == 201


def test_every_problem_of_the_settings_is_named_at_once(app, family, worker):
    """The form's own checks (a name, a yes or no) and the service's (the days) together:
    nobody finds the next problem only on the next try."""
    earlier = make_code(family)
    prefix = f"baby{family.baby_id}-"
    sent = {"label": "", "scope": "diary", "valid_hours": "24", "grant_days": "400"}
    response = form_post(
        family.api.client, f"/share/babies/{family.baby_id}/codes", {prefix + k: v for k, v in sent.items()}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field, message in (
        ("label", "Give a name the worker will recognise."),
        ("grant_days", "Access can last from 1 to 365 days."),
        ("statistics", "Choose yes or no."),
    ):
        assert re.search(rf'<p class="error" id="{prefix}{field}-err">{re.escape(message)}</p>', html), field
        assert html.count(message) == 1, field
    assert redeem(worker, earlier).status_code == 201  # nothing changed


def test_the_page_code_works_for_a_worker(family, worker):
    response = create_on_page(family, label="Lakeside", valid_hours="1", grant_days="30")
    html = family.api.client.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r"data-share-code>([\d ]+)<", html).group(1)
    grant = redeem(worker, code).get_json()["grant"]
    assert grant["label"] == "Lakeside"


def test_a_waiting_code_can_be_cancelled(family, worker):
    code = make_code(family)
    response = form_post(family.api.client, f"/share/babies/{family.baby_id}/codes/cancel")
    assert response.status_code == 302
    assert redeem(worker, code).status_code == 404


def test_another_familys_baby_is_404_on_the_page(family, make_family):
    other = make_family("other", baby="Eino")
    assert create_on_page(other).status_code == 302  # their own works
    prefix = f"baby{family.baby_id}-"
    response = form_post(other.api.client, f"/share/babies/{family.baby_id}/codes", {prefix + "label": "x"})
    assert response.status_code == 404
    assert form_post(other.api.client, f"/share/babies/{family.baby_id}/codes/cancel").status_code == 404


def test_parent_sees_who_can_see_and_who_viewed_and_when(family, worker):
    grant_id = grant_for(family, worker)
    worker.api.client.get(f"/worker/diaries/{grant_id}")
    worker.api.client.get(f"/worker/diaries/{grant_id}/print")
    page = text_of(family.api.client.get("/share/"))
    assert "Maija Mäkinen · Baby blues Tampere, Tampere" in page
    assert "Until " in page and "last viewed " in page
    assert "Maija Mäkinen (Baby blues Tampere) viewed the diary" in page
    assert "Maija Mäkinen (Baby blues Tampere) opened a visit summary" in page
    assert "printed a visit summary" not in page  # opening it is not printing it
    assert "Maija Mäkinen (Baby blues Tampere) used the code and can see the diary" in page
    assert "made a code" in page


def test_revoking_asks_once_and_without_js_shows_a_confirmation_page(family, worker):
    grant_id = grant_for(family, worker)
    html = family.api.client.get("/share/").get_data(as_text=True)
    form = re.search(
        rf'<form method="post" action="/share/grants/{grant_id}/revoke" data-confirm="([^"]+)"', html
    )
    assert form and "End the access of Maija Mäkinen now?" in form.group(1)
    assert '<noscript><input type="hidden" name="ask" value="1"></noscript>' in html
    # Without JS the form sends `ask`: a confirmation page, nothing ended yet.
    asked = form_post(family.api.client, f"/share/grants/{grant_id}/revoke", {"ask": "1"})
    assert asked.status_code == 200 and "End access?" in text_of(asked)
    assert worker.api.get(f"/api/v1/shared/{grant_id}/entries").status_code == 200
    assert family.api.client.get(f"/share/grants/{grant_id}/revoke").status_code == 200
    # Confirmed (the dialog, or the confirmation page's button): ended on the next request.
    done = form_post(family.api.client, f"/share/grants/{grant_id}/revoke")
    assert done.status_code == 302
    assert worker.api.client.get(f"/worker/diaries/{grant_id}").status_code == 410
    page = text_of(family.api.client.get("/share/"))
    assert "Access ended" in page and "ended by a parent" in page


def test_another_parent_cannot_revoke(family, make_family, worker):
    grant_id = grant_for(family, worker)
    other = make_family("other", baby="Eino")
    assert form_post(other.api.client, f"/share/grants/{grant_id}/revoke").status_code == 404
    assert other.api.client.get(f"/share/grants/{grant_id}/revoke").status_code == 404
    assert worker.api.client.get(f"/worker/diaries/{grant_id}").status_code == 200


def test_families_see_that_access_ended_when_a_worker_is_deactivated(family, worker, admin):
    grant_for(family, worker)
    form_post(admin.api.client, f"/admin/workers/{worker.id}/deactivate")
    page = text_of(family.api.client.get("/share/"))
    assert "the worker's account was closed" in page
    assert "End access" not in page.replace("End access?", "")


# -- partner ---------------------------------------------------------------------------------------


def test_partner_invite_and_join_on_the_pages(app, family):
    response = form_post(family.api.client, "/share/invite", {"valid_hours": "4"})
    assert response.status_code == 302
    html = family.api.client.get("/share/").get_data(as_text=True)
    code = re.search(r"data-share-code>([\d ]+)<", html).group(1)
    partner = Api(app.test_client())
    partner.post("/api/v1/signup", {"username": "partner", "password": PASSWORD})
    page = partner.client.get("/share/")
    assert page.status_code == 200 and "Join the other parent" in text_of(page)
    joined = form_post(partner.client, "/share/join", {"join-code": code.replace(" ", "-")})
    assert joined.status_code == 302
    assert partner.client.get("/diary/").headers["Location"].startswith(f"/diary/{family.baby_id}/")
    members = text_of(family.api.client.get("/share/"))
    assert "partner" in members and "Remove from the family" in members


def test_join_page_errors(app, family, make_family):
    code = family.api.post("/api/v1/family/invites").get_json()["code"]
    other = make_family("has-baby", baby="Eino")
    asked = form_post(other.api.client, "/share/join", {"join-code": code})
    assert asked.status_code == 200 and "Bring Eino along?" in text_of(asked)
    assert "Nothing is deleted" in text_of(asked)
    assert [b["name"] for b in other.api.get("/api/v1/babies").get_json()["babies"]] == ["Eino"]
    partner = Api(app.test_client())
    partner.post("/api/v1/signup", {"username": "partner", "password": PASSWORD})
    bad = form_post(partner.client, "/share/join", {"join-code": "12ab"})
    assert bad.status_code == 422 and "Type the 12 digits" in text_of(bad)
    for _ in range(5):
        assert form_post(partner.client, "/share/join", {"join-code": "0000 0000 0001"}).status_code == 404
    throttled = form_post(partner.client, "/share/join", {"join-code": code})
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0


def test_joining_with_a_baby_on_the_page_brings_it_along(app, family, make_family):
    code = family.api.post("/api/v1/family/invites").get_json()["code"]
    other = make_family("bringing", baby="Eino")
    joined = form_post(other.api.client, "/share/join", {"join-code": code, "bring_babies": "1"})
    assert joined.status_code == 302 and joined.headers["Location"].endswith("/diary/")
    landed = text_of(other.api.client.get("/diary/", follow_redirects=True)).replace("&#39;", "'")
    assert "your babies' diaries came with you" in landed
    page = text_of(other.api.client.get("/share/"))
    assert "Eino" in page and "Aino" in page


def test_the_first_page_after_sign_up_offers_joining_beside_adding_a_baby(app, family):
    code = family.api.post("/api/v1/family/invites").get_json()["code"]
    partner = Api(app.test_client())
    partner.post("/api/v1/signup", {"username": "new-partner", "password": PASSWORD})
    first = partner.client.get("/diary/", follow_redirects=True)
    text = text_of(first)
    assert "Add a baby" in text and "Joining the other parent? Enter their code" in text
    html = first.get_data(as_text=True)
    assert 'action="/share/join"' in html and 'name="first_steps"' in html and 'inputmode="numeric"' in html
    # A wrong code: back to the first page, told why.
    wrong = form_post(partner.client, "/share/join", {"join-code": "0000 0000 0001", "first_steps": "1"})
    assert wrong.status_code == 302 and wrong.headers["Location"].endswith("/diary/babies/new#join")
    assert "This code does not work" in text_of(partner.client.get("/diary/babies/new"))
    empty = form_post(partner.client, "/share/join", {"join-code": "", "first_steps": "1"})
    assert empty.status_code == 302
    assert "Type the 12 digits" in text_of(partner.client.get("/diary/babies/new"))
    joined = form_post(partner.client, "/share/join", {"join-code": code, "first_steps": "1"})
    assert joined.status_code == 302
    assert f"/diary/{family.baby_id}/" in partner.client.get("/diary/").headers["Location"]


def test_adding_another_baby_does_not_offer_joining(family):
    page = text_of(family.api.client.get("/diary/babies/new"))
    assert "Add a baby" in page and "Joining the other parent" not in page


# -- the worker's pages ---------------------------------------------------------------------------------


def test_worker_page_has_a_numeric_code_field(worker):
    html = worker.api.client.get("/worker/").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="code"[^>]*>', html).group(0)
    assert 'inputmode="numeric"' in field and 'autocomplete="off"' in field
    assert "No diaries are shared with you right now." in text_of(worker.api.client.get("/worker/"))


def test_worker_redeems_on_the_page_and_lands_on_the_diary(family, worker):
    code = make_code(family, label="Lakeside")
    response = form_post(worker.api.client, "/worker/redeem", {"code": code.replace(" ", "-")})
    assert response.status_code == 302
    assert re.fullmatch(r"/worker/diaries/\d+", response.headers["Location"])
    listed = text_of(worker.api.client.get("/worker/"))
    assert "Lakeside" in listed and "Access until" in listed


def test_worker_page_errors_wrong_malformed_and_throttled(family, worker):
    code = make_code(family)
    bad = form_post(worker.api.client, "/worker/redeem", {"code": "12-34"})
    assert bad.status_code == 422 and "Type the 12 digits" in text_of(bad)
    for attempt in range(5):
        wrong = form_post(worker.api.client, "/worker/redeem", {"code": f"4444 4444 444{attempt}"})
        assert wrong.status_code == 404
        assert "This code does not work" in text_of(wrong)
    throttled = form_post(worker.api.client, "/worker/redeem", {"code": code})
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert "Too many codes that did not work" in text_of(throttled)


def put_entry(family, kind, hours_ago, minutes=60, note=None):
    start = datetime.now(UTC) - timedelta(hours=hours_ago)
    body = {"kind": kind, "start": start.isoformat()}
    if kind in ("sleep", "crying"):
        body["end"] = (start + timedelta(minutes=minutes)).isoformat()
    if note:
        body["note"] = note
    assert family.api.put(family.entry_url(str(uuid.uuid4())), body).status_code == 201


def test_worker_diary_page_is_read_only_with_charts_and_entries(family, worker):
    put_entry(family, "sleep", 6)
    put_entry(family, "crying", 3, 25, note="Evening fuss")
    grant_id = grant_for(family, worker, label="Lakeside")
    response = worker.api.client.get(f"/worker/diaries/{grant_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for name in ("fig-rhythm", "fig-totals", "fig-hourly"):
        assert f'id="{name}"' in html
    assert "plotly-basic.min.js" in html and "js/rhythm.js" in html
    page = text_of(response)
    assert "Lakeside" in page and "Evening fuss" in page and "Entries day by day" in page
    assert "/edit" not in html and "/diary/" not in html.split("</header>", 1)[1]
    assert "Aino" not in page  # the label, not the baby's name or the username
    assert family.username not in html


def test_worker_diary_any_range_and_bad_range(family, worker):
    grant_id = grant_for(family, worker)
    week = worker.api.client.get(f"/worker/diaries/{grant_id}?from=2026-01-01&to=2026-01-07")
    assert week.status_code == 200
    bad = worker.api.client.get(f"/worker/diaries/{grant_id}?from=nonsense")
    assert bad.status_code == 422 and "Use a date like 31.1.2026." in text_of(bad)


def test_worker_sees_changes_since_last_look(family, worker):
    grant_id = grant_for(family, worker)
    assert "Not opened yet" in text_of(worker.api.client.get("/worker/"))
    worker.api.client.get(f"/worker/diaries/{grant_id}")
    assert "No changes since you last looked" in text_of(worker.api.client.get("/worker/"))
    import time

    time.sleep(1.1)
    put_entry(family, "sleep", 2)
    put_entry(family, "feeding", 1)
    put_entry(family, "note", 0, note="Tired")
    assert "3 changes since you last looked" in text_of(worker.api.client.get("/worker/"))


def test_visit_summary_prints_label_age_period_figures_and_notes(family, worker):
    put_entry(family, "sleep", 26, 90, note="Long nap outside")
    put_entry(family, "note", 2, note="Teething, we think")
    grant_id = grant_for(family, worker, label="Lakeside")
    response = worker.api.client.get(f"/worker/diaries/{grant_id}/print")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "page-print" in html and "data-print" in html
    assert "Visit summary" in page and "Lakeside" in page and "Period:" in page
    assert "Long nap outside" in page and "Teething, we think" in page
    assert 'id="fig-rhythm"' in html and "figures-table" in html


def test_another_worker_gets_404_on_the_pages(family, make_worker):
    mine, other = make_worker(), make_worker()
    grant_id = grant_for(family, mine)
    assert other.api.client.get(f"/worker/diaries/{grant_id}").status_code == 404
    assert other.api.client.get(f"/worker/diaries/{grant_id}/print").status_code == 404
    assert other.api.client.get("/worker/diaries/424242").status_code == 404


def test_revoked_or_expired_grants_are_refused_on_the_next_request(family, worker, monkeypatch):
    grant_id = grant_for(family, worker, grant_days=2)
    assert worker.api.client.get(f"/worker/diaries/{grant_id}").status_code == 200
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2, seconds=1)
    monkeypatch.setattr("companion.types.utcnow", lambda: later)
    ended = worker.api.client.get(f"/worker/diaries/{grant_id}")
    assert ended.status_code == 410  # told kindly, on a page of its own
    assert "is no longer shared with you" in text_of(ended)
    assert worker.api.get(f"/api/v1/shared/{grant_id}/rhythm").status_code == 404  # the API keeps its 404
    assert "No diaries are shared with you right now." in text_of(worker.api.client.get("/worker/"))


def test_no_inline_scripts_on_the_sharing_pages(family, worker, admin):
    grant_id = grant_for(family, worker)
    pages = [
        family.api.client.get("/share/"),
        worker.api.client.get("/worker/"),
        worker.api.client.get(f"/worker/diaries/{grant_id}"),
        worker.api.client.get(f"/worker/diaries/{grant_id}/print"),
        admin.api.client.get("/admin/"),
    ]
    for page in pages:
        html = page.get_data(as_text=True)
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, tag
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_pages_in_finnish_and_swedish(family, worker):
    grant_id = grant_for(family, worker)
    for lang in ("fi", "sv"):
        assert family.api.client.get(f"/share/?lang={lang}").status_code == 200
        assert worker.api.client.get(f"/worker/diaries/{grant_id}?lang={lang}").status_code == 200


def test_a_language_link_on_a_form_answer_leads_back_to_the_page(family, worker, admin):
    assert create_on_page(family, label="").status_code == 422
    back = family.api.client.get(f"/share/babies/{family.baby_id}/codes?lang=fi")
    assert back.status_code == 302 and back.headers["Location"] == "/share/"
    assert worker.api.client.get("/worker/redeem?lang=sv").headers["Location"] == "/worker/"
    assert admin.api.client.get("/admin/workers?lang=sv").headers["Location"] == "/admin/"


def test_the_workers_day_lists_show_a_night_over_midnight_as_one_sleep(family, worker):
    hel = ZoneInfo("Europe/Helsinki")
    start, end = datetime(2026, 11, 2, 22, 10, tzinfo=hel), datetime(2026, 11, 3, 5, 40, tzinfo=hel)
    body = {"kind": "sleep", "start": start.isoformat(), "end": end.isoformat()}
    assert family.api.put(family.entry_url(str(uuid.uuid4())), body).status_code == 201
    grant_id = grant_for(family, worker)
    page = text_of(worker.api.client.get(f"/worker/diaries/{grant_id}?from=2026-11-01&to=2026-11-03&lang=fi"))
    assert "22.10–(jatkuu)" in page and "(alkoi edellisenä päivänä 22.10)–5.40" in page
