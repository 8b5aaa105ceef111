"""The directory's pages: Baby blues near you, asking to be contacted (without
JavaScript), the staff's requests, and the coordinator's page of their organisation."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import form_token, post_form, text_of
from tests.directory.conftest import send_request, visitor


def test_the_public_page_lists_organisations_in_finnish_swedish_and_english(
    app, coordinator, other_coordinator
):
    client = app.test_client()
    fi = client.get("/services?lang=fi")
    assert fi.status_code == 200
    text = text_of(fi)
    assert "Baby blues lähelläsi" in text and "Baby blues Tampere (testi)" in text
    html = fi.get_data(as_text=True)
    assert 'href="tel:+358401234567"' in html and "040 1234567" in text  # tappable
    assert 'href="mailto:babyblues@example.fi"' in html
    assert "ma–pe klo 9–15" in text and "suomi, ruotsi" in text
    sv = text_of(app.test_client().get("/services?lang=sv"))
    assert "Baby blues nära dig" in sv and "Baby blues Tammerfors (test)" in sv and "Tammerfors" in sv
    assert "finska, svenska" in sv
    en = text_of(app.test_client().get("/services?lang=en"))
    assert "Baby blues near you" in en and "Finnish, Swedish" in en


def test_search_by_the_swedish_name_finds_the_finnish_municipality(app, coordinator, other_coordinator):
    found = text_of(app.test_client().get("/services?municipality=tammerFORS&lang=sv"))
    assert "Baby blues för Tammerfors" in found  # as the organisation wrote it
    assert "Baby blues Tammerfors (test)" in found and "Baby blues Oulu" not in found
    found = text_of(app.test_client().get("/services?municipality=ULEÅBORG"))
    assert "Baby blues Oulu (testi)" in found and "Tampere (testi)" not in found


def test_a_municipality_without_baby_blues_is_told_to_ask_the_neuvola(app, coordinator):
    response = app.test_client().get("/services?municipality=Kuopio")
    text = text_of(response)
    assert "No Baby blues work was found for Kuopio" in text
    assert "Ask your neuvola" in text
    html = response.get_data(as_text=True)
    for number in ("tel:112", "tel:116117", "tel:0925250111"):
        assert number in html
    fi = text_of(app.test_client().get("/services?municipality=Kuopio&lang=fi"))
    assert "neuvola" in fi.lower() and "Baby blues" in fi


def test_the_entry_shows_groups_and_volunteering_and_leads_to_the_form(app, coordinator):
    page = text_of(app.test_client().get("/services/bb-tampere?lang=sv"))
    assert "Kamratgrupp på torsdagar." in page and "Bli frivillig hos oss." in page
    assert "/services/bb-tampere/contact" in app.test_client().get("/services/bb-tampere").get_data(
        as_text=True
    )
    assert app.test_client().get("/services/nowhere").status_code == 404


@pytest.mark.parametrize("path", ["/", "/help", "/share/"])
def test_linked_from_the_landing_help_and_share_pages(app, family, path):
    client = family.api.client if path == "/share/" else app.test_client()
    html = client.get(path).get_data(as_text=True)
    assert 'href="/services"' in html
    if path == "/share/":
        assert "Not a Baby blues family yet?" in text_of(client.get(path))


def test_linked_from_the_pregnancy_home(make_family):
    expecting = make_family(
        "expecting", baby="Bump", due_date=(date.today() + timedelta(days=60)).isoformat()
    )
    page = expecting.api.client.get(f"/diary/{expecting.baby_id}/")
    assert page.status_code == 200 and 'href="/services"' in page.get_data(as_text=True)


def contact_form(client, slug="bb-tampere", lang="en", **fields):
    data = {
        "csrf_token": form_token(client),
        "topics": ["crying"],
        "name": "Lotta",
        "contact_by": "call",
        "phone": "044 987 6543",
        "email": "",
        "times": "kvällar",
        "language": "sv",
        "message": "",
        "website": "",
    }
    data.update(fields)
    return client.post(f"/services/{slug}/contact?lang={lang}", data=data)


def test_asking_to_be_contacted_without_javascript(app, coordinator, tampere_worker):
    client = app.test_client()
    form = client.get("/services/bb-tampere/contact?lang=sv")
    text = text_of(form)
    assert "Vi svarar inom två vardagar." in text  # the organisation's own answer time
    assert "112" in text and "0925250111" in form.get_data(as_text=True)
    assert form.headers["Cache-Control"] == "no-store"
    sent = contact_form(client, lang="sv")
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/services/bb-tampere/contact/sent")
    assert "Vi svarar inom två vardagar." in text_of(client.get(sent.headers["Location"]))
    rows = tampere_worker.api.get("/api/v1/organisation/contact-requests").get_json()["contact_requests"]
    assert [(r["name"], r["phone"], r["language"], r["topics"]) for r in rows] == [
        ("Lotta", "+358449876543", "sv", ["crying"])
    ]


def test_the_message_box_says_its_limit_in_the_readers_language(app, coordinator, tampere_worker):
    limits = (("fi", "Enintään 1 000 merkkiä."), ("sv", "Högst 1 000 tecken."), ("en", "At most 1,000"))
    for lang, limit in limits:
        form = app.test_client().get(f"/services/bb-tampere/contact?lang={lang}")
        assert limit in text_of(form)
        assert re.search(r'<textarea[^>]*maxlength="1000"[^>]*name="message"', form.get_data(as_text=True))
    too_long = text_of(contact_form(app.test_client(), message="x" * 1001))
    assert "Use at most 1,000 characters." in too_long
    assert tampere_worker.api.get("/api/v1/organisation/contact-requests").get_json() == {
        "contact_requests": []
    }


def test_every_bad_field_gets_a_localised_error_on_the_form(app, coordinator, tampere_worker):
    client = app.test_client()
    response = contact_form(client, topics=[], name="", phone="12", language="de")
    assert response.status_code == 422
    text = text_of(response)
    assert "Choose at least one." in text
    assert "This is required." in text
    assert "Give a phone number, Finnish" in text
    assert "Choose one of the options." in text
    # The reachability rule is named with the other fields' errors, not after them.
    missing = text_of(contact_form(app.test_client(), topics=[], phone=""))
    assert "Choose at least one." in missing and "Give a phone number, or choose email" in missing
    fi = contact_form(app.test_client(), topics=[], lang="fi")
    assert "Valitse ainakin yksi." in text_of(fi)
    email = contact_form(app.test_client(), contact_by="email", email="nope")
    assert "email address like" in text_of(email)
    assert tampere_worker.api.get("/api/v1/organisation/contact-requests").get_json() == {
        "contact_requests": []
    }


def test_the_honeypot_is_answered_like_a_success_and_stores_nothing(app, coordinator, tampere_worker):
    response = contact_form(app.test_client(), website="http://spam.example")
    assert response.status_code == 302
    assert tampere_worker.api.get("/api/v1/organisation/contact-requests").get_json() == {
        "contact_requests": []
    }


def test_the_form_is_throttled_too(app, coordinator):
    client = app.test_client()
    for number in range(5):
        assert contact_form(client, name=f"P{number}").status_code == 302
    refused = contact_form(client)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "Too many requests" in text_of(refused)


def test_the_worker_home_shows_the_count_and_closes_a_request_without_javascript(
    app, coordinator, tampere_worker, other_worker
):
    assert "No family is waiting to be contacted." in text_of(tampere_worker.api.client.get("/worker/"))
    send_request(visitor(app))
    home = text_of(tampere_worker.api.client.get("/worker/"))
    assert "1 family is waiting to be contacted" in home
    assert "No family is waiting" in text_of(other_worker.api.client.get("/worker/"))
    page = tampere_worker.api.client.get("/organisation/requests")
    assert page.headers["Cache-Control"] == "no-store"
    text = text_of(page)
    assert "Sanna" in text and "Vauva heräilee öisin." in text and "waiting" in text
    day = datetime.now(ZoneInfo("Europe/Helsinki"))
    dated = f"{day.day}.{day.month}.{day.year}"  # the list spans months: dates with the year
    assert re.search(rf"Sent \w+ {re.escape(dated)} \S+(?: [AP]M)? · waiting", text), text
    assert 'href="sms:+358401234567"' in page.get_data(as_text=True)
    request_id = int(re.search(r'id="request-(\d+)"', page.get_data(as_text=True)).group(1))
    bad = post_form(
        tampere_worker.api.client, f"/organisation/requests/{request_id}", {f"r{request_id}-status": "open"}
    )
    assert bad.status_code == 422 and "Choose one of the options." in text_of(bad)
    done = post_form(
        tampere_worker.api.client,
        f"/organisation/requests/{request_id}",
        {f"r{request_id}-status": "contacted", f"r{request_id}-note": "Soitettu, kotikäynti sovittu."},
    )
    assert done.status_code == 302
    after = text_of(tampere_worker.api.client.get("/organisation/requests"))
    assert "Soitettu, kotikäynti sovittu." in after and "Tiina Työntekijä" in after
    assert re.search(
        rf"Sent \w+ {re.escape(dated)} \S+(?: [AP]M)? · contacted \w+ {re.escape(dated)}", after
    ), after
    assert "No family is waiting to be contacted." in text_of(tampere_worker.api.client.get("/worker/"))
    # Another organisation's worker cannot see or close it.
    assert "Sanna" not in text_of(other_worker.api.client.get("/organisation/requests"))
    other = post_form(
        other_worker.api.client,
        f"/organisation/requests/{request_id}",
        {f"r{request_id}-status": "unreachable"},
    )
    assert other.status_code == 404


def test_closing_without_a_status_marks_the_choice_and_points_at_its_error(app, coordinator, tampere_worker):
    send_request(visitor(app))
    client = tampere_worker.api.client
    page = client.get("/organisation/requests?lang=sv").get_data(as_text=True)
    request_id = int(re.search(r'id="request-(\d+)"', page).group(1))
    address = f"/organisation/requests/{request_id}"
    refused = post_form(
        client, address, {f"r{request_id}-note": "Ingen svarade."}, headers={"Accept-Language": "sv"}
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    group = re.search(r'<fieldset class="field has-error"([^>]*)>', html).group(1)
    assert 'role="radiogroup"' in group and 'aria-invalid="true"' in group and 'aria-required="true"' in group
    error_id = re.search(r'aria-describedby="([^"]+)"', group).group(1)
    assert re.search(rf'<p class="error" id="{error_id}">Välj ett av alternativen.</p>', html)
    assert "Ingen svarade." in html  # what was typed stays
    # Said at the top too; no #fragment in the form's address, which would take the focus
    # from the invalid answer (app.js focuses it) back to the page.
    assert re.search(rf'<form method="post" action="{address}" novalidate>', html)
    assert '<p class="flash flash-error">Kontrollera formuläret.</p>' in html
    # The form's address goes back to the page, as every page's form does; nothing changed.
    again = client.get(address)
    assert again.status_code == 302 and again.headers["Location"].endswith("/organisation/requests")
    unstorable = post_form(
        client, address, {f"r{request_id}-status": "contacted", f"r{request_id}-note": "a\x00"}
    )
    assert unstorable.status_code == 422
    rows = tampere_worker.api.get("/api/v1/organisation/contact-requests").get_json()["contact_requests"]
    assert [row["status"] for row in rows] == ["open"]


def test_the_staff_pages_need_staff(app, coordinator, family, admin):
    anonymous = app.test_client()
    for path in ("/organisation/requests", "/organisation/page"):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        assert family.api.client.get(path).status_code == 403
        assert admin.api.client.get(path).status_code == 403


def page_form(client, **changes):
    data = {
        "name_fi": "Baby blues Tampere (testi)",
        "name_sv": "Baby blues Tammerfors (test)",
        "municipalities": "Tampere / Tammerfors\nNokia",
        "phone": "040 123 4567",
        "email": "babyblues@example.fi",
        "web": "https://www.example.fi/babyblues",
        "languages": ["fi", "sv"],
        "hours_fi": "ma–pe 9–15",
        "hours_sv": "mån–fre 9–15",
        "description_fi": "Tukea vauvaperheille.",
        "description_sv": "Stöd för familjer.",
        "groups_fi": "",
        "groups_sv": "",
        "volunteering_fi": "",
        "volunteering_sv": "",
        "response_time_fi": "",
        "response_time_sv": "",
        "action": "save",
    }
    data.update(changes)
    return post_form(client, "/organisation/page", data)


def test_the_coordinator_previews_then_saves_both_languages(app, coordinator, tampere_worker):
    client = coordinator.api.client
    page = client.get("/organisation/page")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Tampere / Tammerfors" in html and 'lang="sv"' in html
    preview = page_form(
        client, groups_fi="Perhekahvila perjantaisin.", groups_sv="Familjecafé på fredagar.", action="preview"
    )
    assert preview.status_code == 200
    text = text_of(preview)
    assert (
        "Preview (not saved yet)" in text
        and "Perhekahvila perjantaisin." in text
        and "Familjecafé på fredagar." in text
    )
    assert 'href="tel:+358401234567"' in preview.get_data(as_text=True)
    assert "Perhekahvila" not in text_of(app.test_client().get("/services/bb-tampere"))  # not saved
    saved = page_form(client, groups_fi="Perhekahvila perjantaisin.", groups_sv="Familjecafé på fredagar.")
    assert saved.status_code == 302
    assert "Familjecafé på fredagar." in text_of(app.test_client().get("/services/bb-tampere?lang=sv"))
    # A worker of the organisation cannot edit the page.
    assert tampere_worker.api.client.get("/organisation/page").status_code == 403
    assert page_form(tampere_worker.api.client).status_code == 403


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"name_fi": ""}, "Give the name in Finnish."),
        ({"municipalities": ""}, "Give at least one municipality"),
        ({"municipalities": "Tampere / Tammerfors / Tampereen"}, "Line 1: write the Finnish name"),
        ({"municipalities": "Tampere\n" + "x" * 81}, "Line 2: Use at most 80 characters."),
        ({"phone": "12", "email": ""}, "Give a phone number, Finnish"),
        ({"phone": "", "email": ""}, "Give a phone number or an email address"),
        ({"email": "nobody"}, "email address like"),
        ({"web": "ftp://example.fi"}, "web address like"),
        ({"description_fi": ""}, "Give a short description in Finnish."),
        ({"description_sv": "x" * 2001}, "Use at most 2,000 characters."),
        ({"languages": []}, "Choose at least one language."),
        ({"languages": ["fi", "xx"]}, "Choose one of the options."),
    ],
)
def test_the_page_form_checks_required_fields_and_numbers(app, coordinator, changes, words):
    response = page_form(coordinator.api.client, **changes)
    assert response.status_code == 422
    assert words in text_of(response)
    assert "Tukea vauvaperheille." in text_of(app.test_client().get("/services/bb-tampere?lang=fi"))


def test_the_privacy_page_tells_how_long_contact_details_are_kept(client):
    text = text_of(client.get("/privacy"))
    assert "contact request" in text and "are deleted 30 days after the workers have closed it" in text
