"""Coordinators manage their own organisation only; the federation's admin manages all.

Every administration page and action is tried by a coordinator against another
organisation's people, and by a plain worker."""

from __future__ import annotations

import pytest

from tests.conftest import post_form, setup_link_in, text_of
from tests.directory.conftest import make_staff


def test_the_coordinator_sees_only_their_own_organisations_workers(
    app, coordinator, tampere_worker, other_worker
):
    page = coordinator.api.client.get("/admin/")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = text_of(page)
    assert "Tiina Työntekijä" in text and "Kaisa Koordinaattori" in text
    assert "Onni Oulusta" not in text and "Olli Oulusta" not in text
    assert "Add an organisation" not in text and "Baby blues Oulu" not in text
    admin_view = text_of(coordinator.api.client.get("/admin/"))
    assert "Hide " not in admin_view and "Make coordinator" not in admin_view


def test_the_coordinator_adds_a_worker_to_their_own_organisation_only(app, coordinator, other_coordinator):
    from companion.accounts.models import User
    from companion.extensions import db

    response = post_form(
        coordinator.api.client,
        "/admin/workers",
        # An organisation or a role in the form is not theirs to choose: it is ignored/refused.
        {
            "worker-username": "uusi",
            "worker-display_name": "Uusi Työntekijä",
            "worker-organisation": "bb-oulu",
        },
    )
    assert response.status_code == 201
    assert setup_link_in(response).startswith("/setup/")
    with app.app_context():
        made = db.session.query(User).filter_by(username="uusi").one()
        assert made.role == "worker" and made.organisation.slug == "bb-tampere"
    promoted = post_form(
        coordinator.api.client,
        "/admin/workers",
        {"worker-username": "pomo", "worker-display_name": "Pomo", "worker-role": "coordinator"},
    )
    assert promoted.status_code == 422
    with app.app_context():
        assert db.session.query(User).filter_by(username="pomo").first() is None


@pytest.mark.parametrize("action", ["setup-link", "deactivate", "reactivate", "unlock", "role"])
def test_the_coordinator_cannot_touch_another_organisations_people(
    app, coordinator, tampere_worker, other_worker, other_coordinator, action
):
    for target in (other_worker, other_coordinator):
        response = post_form(
            coordinator.api.client, f"/admin/workers/{target.id}/{action}", {"role": "worker"}
        )
        assert response.status_code == (403 if action == "role" else 404)
    # The other organisation's worker was not signed out or changed.
    assert other_worker.api.get("/api/v1/me").get_json()["user"]["role"] == "worker"


def test_the_coordinator_manages_their_own_workers_but_not_coordinators(app, coordinator, tampere_worker):
    second = make_staff(app, "toinen", "coordinator", "bb-tampere", "Toinen Koordinaattori")
    assert post_form(coordinator.api.client, f"/admin/workers/{second.id}/deactivate").status_code == 404
    assert post_form(coordinator.api.client, f"/admin/workers/{coordinator.id}/deactivate").status_code == 404
    done = post_form(coordinator.api.client, f"/admin/workers/{tampere_worker.id}/deactivate")
    assert done.status_code == 302
    assert tampere_worker.api.get("/api/v1/me").get_json()["user"] is None  # signed out at once
    assert (
        post_form(coordinator.api.client, f"/admin/workers/{tampere_worker.id}/reactivate").status_code == 302
    )
    reset = post_form(coordinator.api.client, f"/admin/workers/{tampere_worker.id}/setup-link")
    assert reset.status_code == 200 and setup_link_in(reset).startswith("/setup/")
    assert post_form(coordinator.api.client, f"/admin/workers/{tampere_worker.id}/unlock").status_code == 302


def test_organisations_are_the_federations(app, coordinator, tampere_worker):
    for staff in (coordinator, tampere_worker):
        assert (
            post_form(
                staff.api.client, "/admin/organisations", {"org-slug": "bb-x", "org-name": "X"}
            ).status_code
            == 403
        )
        assert (
            post_form(staff.api.client, "/admin/organisations/1/visibility", {"visible": "0"}).status_code
            == 403
        )
    for path in ("/admin/", "/admin/workers"):
        if path == "/admin/":
            assert tampere_worker.api.client.get(path).status_code == 403
        else:
            assert post_form(tampere_worker.api.client, path, {"worker-username": "x"}).status_code == 403


def test_the_admin_adds_an_organisation_with_both_names_and_hides_it(app, admin, coordinator):
    made = post_form(
        admin.api.client,
        "/admin/organisations",
        {
            "org-slug": "bb-vaasa",
            "org-name": "Baby blues Vaasa (testi)",
            "org-name_sv": "Baby blues Vasa (test)",
            "org-locality": "Vaasa",
        },
    )
    assert made.status_code == 302
    sv = app.test_client().get("/api/v1/services", headers={"Accept-Language": "sv"}).get_json()["services"]
    assert "Baby blues Vasa (test)" in [s["name"] for s in sv]
    found = app.test_client().get("/api/v1/services?municipality=vaasa").get_json()["services"]
    assert [s["slug"] for s in found] == ["bb-vaasa"]
    from companion.accounts.models import Organisation
    from companion.extensions import db

    with app.app_context():
        org_id = db.session.query(Organisation).filter_by(slug="bb-tampere").one().id
    hidden = post_form(admin.api.client, f"/admin/organisations/{org_id}/visibility", {"visible": "0"})
    assert hidden.status_code == 302
    assert "bb-tampere" not in str(app.test_client().get("/api/v1/services").get_json())
    assert "The federation has hidden this page" in text_of(coordinator.api.client.get("/organisation/page"))
    post_form(admin.api.client, f"/admin/organisations/{org_id}/visibility", {"visible": "1"})
    assert "bb-tampere" in str(app.test_client().get("/api/v1/services").get_json())
    assert (
        post_form(admin.api.client, "/admin/organisations/9999/visibility", {"visible": "0"}).status_code
        == 404
    )


def test_the_admin_makes_a_worker_coordinator_and_back(app, admin, coordinator, tampere_worker):
    assert "Make coordinator" in text_of(admin.api.client.get("/admin/"))
    made = post_form(admin.api.client, f"/admin/workers/{tampere_worker.id}/role", {"role": "coordinator"})
    assert made.status_code == 302
    assert tampere_worker.api.get("/api/v1/me").get_json()["user"]["role"] == "coordinator"
    assert tampere_worker.api.client.get("/organisation/page").status_code == 200
    post_form(admin.api.client, f"/admin/workers/{tampere_worker.id}/role", {"role": "worker"})
    assert tampere_worker.api.client.get("/organisation/page").status_code == 403
    bad = post_form(admin.api.client, f"/admin/workers/{tampere_worker.id}/role", {"role": "admin"})
    assert bad.status_code == 302
    assert tampere_worker.api.get("/api/v1/me").get_json()["user"]["role"] == "worker"
    assert (
        post_form(admin.api.client, f"/admin/workers/{admin.id}/role", {"role": "worker"}).status_code == 404
    )


def test_the_admin_creates_a_coordinator(app, admin, coordinator):
    response = post_form(
        admin.api.client,
        "/admin/workers",
        {
            "worker-username": "koord2",
            "worker-display_name": "Koordinaattori Kaksi",
            "worker-organisation": "bb-tampere",
            "worker-role": "coordinator",
        },
    )
    assert response.status_code == 201
    assert "coordinator" in text_of(admin.api.client.get("/admin/"))


def test_coordinators_are_workers_for_every_worker_page_and_endpoint(app, coordinator, family):
    from tests.share.conftest import make_code, redeem

    assert coordinator.api.client.get("/worker/").status_code == 200
    assert coordinator.api.get("/api/v1/shared").status_code == 200
    granted = redeem(coordinator, make_code(family))
    assert granted.status_code == 201
    grant_id = granted.get_json()["grant"]["id"]
    assert coordinator.api.client.get(f"/worker/diaries/{grant_id}").status_code == 200
    assert coordinator.api.get(f"/api/v1/shared/{grant_id}/entries").status_code == 200
    # The family sees the coordinator with their organisation, like any worker.
    assert "Kaisa Koordinaattori" in text_of(family.api.client.get("/share/"))
