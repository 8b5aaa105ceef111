"""The directory's JSON API: the public list, contact requests and the own organisation."""

from __future__ import annotations

import pytest

from tests.conftest import Api
from tests.directory.conftest import REQUEST, TAMPERE_PAGE, send_request, visitor


def test_services_list_every_active_organisation_in_the_request_language(app, coordinator, other_coordinator):
    fi = visitor(app, "fi").get("/api/v1/services").get_json()["services"]
    assert [s["slug"] for s in fi] == ["bb-oulu", "bb-tampere"]
    tampere = fi[1]
    assert tampere == {
        "slug": "bb-tampere",
        "name": "Baby blues Tampere (testi)",
        "municipalities": ["Tampere", "Nokia"],
        "phone": "+358401234567",
        "email": "babyblues@example.fi",
        "web": "https://www.example.fi/babyblues",
        "hours": "ma–pe klo 9–15",
        "languages": ["fi", "sv"],
        "description": "Tukea vauvaperheille.",
        "groups": "Vertaisryhmä torstaisin.",
        "volunteering": "Tule mukaan vapaaehtoiseksi.",
        "response_time": "Vastaamme kahden arkipäivän kuluessa.",
    }
    sv = {s["slug"]: s for s in visitor(app, "sv").get("/api/v1/services").get_json()["services"]}
    assert sv["bb-tampere"]["name"] == "Baby blues Tammerfors (test)"
    assert sv["bb-tampere"]["municipalities"] == ["Tammerfors", "Nokia"]  # Nokia has no Swedish name
    assert sv["bb-tampere"]["groups"] == "Kamratgrupp på torsdagar."
    # Texts missing in Swedish are given in Finnish.
    assert sv["bb-oulu"]["name"] == "Baby blues Oulu (testi)"
    en = {s["slug"]: s for s in visitor(app, "en").get("/api/v1/services").get_json()["services"]}
    assert en["bb-tampere"]["description"] == "Tukea vauvaperheille."


@pytest.mark.parametrize("asked", ["Tampere", "tammerfors", "TAMMERFORS", "  tampere ", "nokia"])
def test_a_municipality_is_found_by_its_finnish_or_swedish_name_in_any_case(
    app, coordinator, other_coordinator, asked
):
    found = visitor(app).get("/api/v1/services", query_string={"municipality": asked}).get_json()
    assert [s["slug"] for s in found["services"]] == ["bb-tampere"]


def test_no_match_is_an_empty_list(app, coordinator):
    for asked in ("Kuopio", "Tamp", "%", "x" * 500):
        response = visitor(app).get("/api/v1/services", query_string={"municipality": asked})
        assert response.status_code == 200 and response.get_json() == {"services": []}


def test_a_hidden_organisation_is_not_listed_and_takes_no_requests(app, coordinator, admin):
    from companion.accounts.models import Organisation
    from companion.directory.services import set_organisation_active
    from companion.extensions import db

    with app.app_context():
        set_organisation_active(db.session.query(Organisation).filter_by(slug="bb-tampere").one().id, False)
    anyone = visitor(app)
    assert anyone.get("/api/v1/services").get_json() == {"services": []}
    assert send_request(anyone).status_code == 404
    assert anyone.client.get("/services/bb-tampere").status_code == 404


def test_an_anonymous_visitor_asks_to_be_contacted_and_the_staff_see_it(app, coordinator, tampere_worker):
    anyone = visitor(app)
    sent = send_request(anyone)
    assert sent.status_code == 201 and sent.get_json() == {}
    listed = tampere_worker.api.get("/api/v1/organisation/contact-requests").get_json()["contact_requests"]
    assert len(listed) == 1
    request = listed[0]
    assert request["topics"] == ["sleep", "coping"]
    assert request["name"] == "Sanna" and request["phone"] == "+358401234567" and request["email"] is None
    assert (
        request["contact_by"] == "text" and request["times"] == "aamupäivisin" and request["language"] == "fi"
    )
    assert request["status"] == "open" and request["closed_at"] is None
    assert request["received_at"].endswith("Z")
    assert (
        coordinator.api.get("/api/v1/organisation/contact-requests").get_json()["contact_requests"] == listed
    )


def test_a_signed_in_parent_may_ask_too_and_nothing_links_it_to_the_family(app, coordinator, family):
    assert send_request(family.api, email="sanna@example.fi", contact_by="email").status_code == 201
    export = family.api.get("/api/v1/export").get_json()
    assert "Sanna" not in str(export) and "sanna@example.fi" not in str(export)


def test_the_request_needs_csrf(app, coordinator):
    client = app.test_client()
    client.get("/api/v1/me")
    response = client.post("/api/v1/services/bb-tampere/contact-requests", json=REQUEST)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf"


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"topics": []}, "topics", "Choose at least one"),
        ({"topics": ["sleep", "money"]}, "topics", "Choose one of the options"),
        ({"name": "   "}, "name", "required"),
        ({"name": "x" * 61}, "name", "at most 60"),
        ({"phone": "12"}, "phone", "phone number"),
        ({"phone": None, "contact_by": "call"}, "phone", "Give a phone number"),
        ({"contact_by": "email"}, "email", "Give an email address"),
        ({"email": "not-an-address", "contact_by": "email"}, "email", "email address like"),
        ({"contact_by": "pigeon"}, "contact_by", "Choose one of the options"),
        ({"language": "de"}, "language", "Choose one of the options"),
        ({"message": "x" * 1001}, "message", "at most 1,000"),
        ({"message": "nul\x00here"}, "message", "cannot be kept"),
        ({"times": "two\nlines"}, "times", "one line"),
        ({"name": "", "phone": None}, "phone", "Give a phone number"),  # named with the other errors
    ],
)
def test_bad_requests_are_refused_field_by_field_and_nothing_is_stored(
    app, coordinator, tampere_worker, changes, field, words
):
    response = send_request(visitor(app), **changes)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation"
    assert words in error["fields"][field]
    assert tampere_worker.api.get("/api/v1/organisation/contact-requests").get_json() == {
        "contact_requests": []
    }


def test_every_bad_field_is_named_at_once_in_the_readers_language(app, coordinator):
    response = send_request(visitor(app, "sv"), name="", phone="12", language="xx", topics=[])
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"name", "phone", "language", "topics"}
    assert fields["name"] == "Det här är obligatoriskt."
    assert response.get_json()["error"]["message"] == "Kontrollera formuläret."


def test_a_body_that_is_not_an_object_or_too_big(app, coordinator):
    anyone = visitor(app)
    assert anyone.post("/api/v1/services/bb-tampere/contact-requests", [1, 2]).status_code == 400
    huge = anyone.post("/api/v1/services/bb-tampere/contact-requests", {**REQUEST, "message": "x" * 40000})
    assert huge.status_code == 413 and huge.get_json()["error"]["code"] == "too_large"


def test_an_unknown_organisation_is_not_found(app, coordinator):
    response = send_request(visitor(app), slug="nowhere")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_five_requests_an_hour_from_one_address(app, coordinator, tampere_worker):
    anyone = visitor(app)
    for number in range(5):
        assert send_request(anyone, name=f"Parent {number}").status_code == 201
    sixth = send_request(anyone, name="Parent 6")
    assert sixth.status_code == 429
    assert int(sixth.headers["Retry-After"]) > 3000
    # Another address may still ask.
    other = visitor(app)
    again = other.client.open(
        "/api/v1/services/bb-tampere/contact-requests",
        method="POST",
        json={**REQUEST, "name": "Other"},
        headers={"X-CSRFToken": other.token()},
        environ_overrides={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert again.status_code == 201
    names = {
        r["name"]
        for r in tampere_worker.api.get("/api/v1/organisation/contact-requests").get_json()[
            "contact_requests"
        ]
    }
    assert names == {"Parent 0", "Parent 1", "Parent 2", "Parent 3", "Parent 4", "Other"}


def test_an_organisation_takes_at_most_its_setting_a_day(app, coordinator, other_coordinator):
    app.config["COMPANION_CONTACT_LIMIT_ORGANISATION"] = 2
    for number in range(2):
        api = visitor(app)
        response = api.client.open(
            "/api/v1/services/bb-tampere/contact-requests",
            method="POST",
            json=REQUEST,
            headers={"X-CSRFToken": api.token()},
            environ_overrides={"REMOTE_ADDR": f"10.0.0.{number}"},
        )
        assert response.status_code == 201
    assert send_request(visitor(app)).status_code == 429
    assert send_request(visitor(app), slug="bb-oulu").status_code == 201  # another organisation


# -- the staff's queue -----------------------------------------------------------------------


def test_requests_are_seen_only_by_their_organisations_staff(
    app, coordinator, tampere_worker, other_coordinator, other_worker, admin, family
):
    send_request(visitor(app))
    for outsider in (other_worker.api, other_coordinator.api):
        assert outsider.get("/api/v1/organisation/contact-requests").get_json() == {"contact_requests": []}
    request_id = tampere_worker.api.get("/api/v1/organisation/contact-requests").get_json()[
        "contact_requests"
    ][0]["id"]
    for outsider in (other_worker.api, other_coordinator.api):
        response = outsider.client.open(
            f"/api/v1/organisation/contact-requests/{request_id}",
            method="PATCH",
            json={"status": "contacted"},
            headers={"X-CSRFToken": outsider.token()},
        )
        assert response.status_code == 404
    for stranger in (admin.api, family.api):
        assert stranger.get("/api/v1/organisation/contact-requests").status_code == 403
    assert visitor(app).get("/api/v1/organisation/contact-requests").status_code == 401


def patch(api: Api, path: str, body):
    return api.client.open(path, method="PATCH", json=body, headers={"X-CSRFToken": api.token()})


def test_a_worker_closes_a_request_with_a_note(app, coordinator, tampere_worker):
    send_request(visitor(app))
    request_id = tampere_worker.api.get("/api/v1/organisation/contact-requests").get_json()[
        "contact_requests"
    ][0]["id"]
    url = f"/api/v1/organisation/contact-requests/{request_id}"
    closed = patch(
        tampere_worker.api, url, {"status": "unreachable", "note": "Ei vastannut, yritetään huomenna."}
    )
    assert closed.status_code == 200
    body = closed.get_json()["contact_request"]
    assert body["status"] == "unreachable" and body["closed_by"] == "Tiina Työntekijä"
    first_closed = body["closed_at"]
    # Reached the next day: the status and note change, the time it was first closed stays.
    again = patch(coordinator.api, url, {"status": "contacted"}).get_json()["contact_request"]
    assert again["status"] == "contacted" and again["note"] is None and again["closed_at"] == first_closed


@pytest.mark.parametrize(
    "body, field",
    [
        ({"status": "open"}, "status"),
        ({}, "status"),
        ({"status": "contacted", "note": "x" * 501}, "note"),
        ({"status": "contacted", "note": 5}, "note"),
    ],
)
def test_closing_refuses_bad_input(app, coordinator, body, field):
    send_request(visitor(app))
    request_id = coordinator.api.get("/api/v1/organisation/contact-requests").get_json()["contact_requests"][
        0
    ]["id"]
    response = patch(coordinator.api, f"/api/v1/organisation/contact-requests/{request_id}", body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert (
        coordinator.api.get("/api/v1/organisation/contact-requests").get_json()["contact_requests"][0][
            "status"
        ]
        == "open"
    )


def test_open_requests_come_first_newest_first(app, coordinator):
    for name in ("First", "Second", "Third"):
        api = visitor(app)
        api.client.open(
            "/api/v1/services/bb-tampere/contact-requests",
            method="POST",
            json={**REQUEST, "name": name},
            headers={"X-CSRFToken": api.token()},
            environ_overrides={"REMOTE_ADDR": f"10.1.1.{len(name)}"},
        )
    rows = coordinator.api.get("/api/v1/organisation/contact-requests").get_json()["contact_requests"]
    patch(coordinator.api, f"/api/v1/organisation/contact-requests/{rows[-1]['id']}", {"status": "contacted"})
    names = [
        r["name"]
        for r in coordinator.api.get("/api/v1/organisation/contact-requests").get_json()["contact_requests"]
    ]
    assert names == ["Third", "Second", "First"]  # "First" is closed, listed after the open ones


# -- the own organisation --------------------------------------------------------------------


def put(api: Api, body):
    return api.put("/api/v1/organisation", body)


def test_the_coordinator_reads_and_changes_the_page_partially(app, coordinator, tampere_worker):
    page = coordinator.api.get("/api/v1/organisation").get_json()["organisation"]
    assert page["municipalities"] == [{"fi": "Tampere", "sv": "Tammerfors"}, {"fi": "Nokia", "sv": None}]
    assert page["description"] == TAMPERE_PAGE["description"]
    assert tampere_worker.api.get("/api/v1/organisation").status_code == 200  # workers may read it
    changed = put(coordinator.api, {"groups": "Uusi ryhmä keskiviikkoisin.", "phone": "+358 50 765 4321"})
    assert changed.status_code == 200
    after = changed.get_json()["organisation"]
    assert after["groups"] == {"fi": "Uusi ryhmä keskiviikkoisin.", "sv": "Kamratgrupp på torsdagar."}
    assert after["phone"] == "+358507654321"
    assert after["description"] == page["description"]  # left out, kept
    swedish = coordinator.api.put(
        "/api/v1/organisation", {"groups": "Ny grupp på onsdagar."}, headers={"Accept-Language": "sv"}
    )
    assert swedish.get_json()["organisation"]["groups"] == {
        "fi": "Uusi ryhmä keskiviikkoisin.",
        "sv": "Ny grupp på onsdagar.",
    }
    moved = put(coordinator.api, {"municipalities": [{"fi": "Pirkkala", "sv": "Birkala"}]})
    assert moved.status_code == 200
    found = (
        visitor(app).get("/api/v1/services", query_string={"municipality": "birkala"}).get_json()["services"]
    )
    assert [s["slug"] for s in found] == ["bb-tampere"]
    assert visitor(app).get("/api/v1/services", query_string={"municipality": "Tampere"}).get_json() == {
        "services": []
    }


@pytest.mark.parametrize(
    "body, field",
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": None, "email": None}, "phone"),
        ({"email": "nobody"}, "email"),
        ({"web": "javascript:alert(1)"}, "web"),
        ({"municipalities": []}, "municipalities"),
        ({"municipalities": [{"fi": ""}]}, "municipalities.0.fi"),
        ({"municipalities": [{"fi": "Tampere"}, {"fi": "tampere"}]}, "municipalities"),
        ({"municipalities": [{"fi": "Tampere", "sv": ["Tammerfors"]}]}, "municipalities.0.sv"),
        ({"description": {"fi": "", "sv": "Bara svenska"}}, "description.fi"),
        ({"description": {"fi": "x" * 2001}}, "description.fi"),
        ({"name": {"fi": None}}, "name.fi"),
        ({"languages": []}, "languages"),
        ({"languages": ["fi", "klingon"]}, "languages"),
        ({"hours": 5}, "hours"),
        ({"description": "x" * 2001}, "description.fi"),  # a plain string is the reader's language
    ],
)
def test_the_page_refuses_bad_input_per_field_and_changes_nothing(app, coordinator, body, field):
    before = coordinator.api.get("/api/v1/organisation").get_json()
    response = put(coordinator.api, body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"], response.get_json()
    assert coordinator.api.get("/api/v1/organisation").get_json() == before


def test_only_a_coordinator_changes_only_their_own_page(
    app, coordinator, tampere_worker, other_coordinator, admin, family
):
    assert put(tampere_worker.api, {"groups": "x"}).status_code == 403
    assert put(admin.api, {"groups": "x"}).status_code == 403
    assert put(family.api, {"groups": "x"}).status_code == 403
    assert put(visitor(app), {"groups": "x"}).status_code == 401
    # The other coordinator's change lands on their own organisation only.
    assert put(other_coordinator.api, {"groups": "Oulun ryhmä"}).status_code == 200
    assert (
        coordinator.api.get("/api/v1/organisation").get_json()["organisation"]["groups"]["fi"]
        == TAMPERE_PAGE["groups"]["fi"]
    )
    assert admin.api.get("/api/v1/organisation").status_code == 403
