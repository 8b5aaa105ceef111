"""The administration pages: organisations, worker accounts, passwords and locks."""

from __future__ import annotations

from tests.conftest import Api, follow_setup_link, post_form, setup_link_in, text_of
from tests.share.conftest import WORKER_PASSWORD, make_code, redeem, sign_in


def form_post(client, path, data=None, **kw):
    return post_form(client, path, data, **kw)


def test_admin_creates_an_organisation_and_a_worker_who_can_sign_in(app, admin):
    made = form_post(
        admin.api.client,
        "/admin/organisations",
        {"org-slug": "bb-oulu", "org-name": "Baby blues Oulu", "org-locality": "Oulu"},
    )
    assert made.status_code == 302
    response = form_post(
        admin.api.client,
        "/admin/workers",
        {"worker-username": "liisa", "worker-display_name": "Liisa Laine", "worker-organisation": "bb-oulu"},
    )
    assert response.status_code == 201
    link = setup_link_in(response)
    assert "Liisa Laine" in text_of(admin.api.client.get("/admin/"))
    assert link not in admin.api.client.get("/admin/").get_data(as_text=True)  # shown once
    assert "password" not in text_of(response).lower().split("set-up link")[0]  # no password shown
    follow_setup_link(app, link, "liisa's own password")
    liisa = sign_in(app, "liisa", "liisa's own password")
    assert liisa.get("/api/v1/me").get_json()["user"]["role"] == "worker"


def test_admin_form_errors(admin):
    bad_org = form_post(admin.api.client, "/admin/organisations", {"org-slug": "Bad Slug!", "org-name": "X"})
    assert bad_org.status_code == 422 and "lower-case letters" in text_of(bad_org)
    bad_worker = form_post(
        admin.api.client,
        "/admin/workers",
        {"worker-username": "x", "worker-display_name": "X", "worker-organisation": "nowhere"},
    )
    assert bad_worker.status_code == 422


def test_admin_resets_with_a_setup_link_and_never_sees_a_password(app, worker, admin):
    asked = form_post(admin.api.client, f"/admin/workers/{worker.id}/setup-link", {"ask": "1"})
    assert asked.status_code == 200
    assert "Reset the password and second factor of Maija Mäkinen?" in text_of(asked)
    assert worker.api.get("/api/v1/me").get_json()["user"] is not None
    response = form_post(admin.api.client, f"/admin/workers/{worker.id}/setup-link")
    assert response.status_code == 200
    link = setup_link_in(response)
    # The worker's sessions end, and neither the old password nor the old second factor work.
    assert worker.api.get("/api/v1/me").get_json()["user"] is None
    old = Api(app.test_client()).post(
        "/api/v1/login", {"username": "maija", "password": WORKER_PASSWORD, "otp": "123456"}
    )
    assert old.status_code == 401
    # The admin cannot sign in as the worker: there is no password to know until the
    # worker chooses one with the link.
    follow_setup_link(app, link, "maija's new password")
    assert sign_in(app, "maija", "maija's new password")
    # The link works once.
    assert app.test_client().get(link).status_code == 404
    with app.app_context():
        from sqlalchemy import select

        from companion.extensions import db
        from companion.share.models import AuditEvent

        kinds = db.session.scalars(select(AuditEvent.kind).where(AuditEvent.actor_id == admin.id)).all()
    assert "setup_link_issued" in kinds


def test_admin_actions_need_an_admin(family, worker, admin):
    for client in (family.api.client, worker.api.client):
        for path in (
            f"/admin/workers/{worker.id}/deactivate",
            f"/admin/workers/{worker.id}/setup-link",
            f"/admin/workers/{worker.id}/unlock",
            "/admin/organisations",
        ):
            assert form_post(client, path).status_code == 403
    # Only workers are managed here: not parents, not admins.
    assert form_post(admin.api.client, f"/admin/workers/{admin.id}/deactivate").status_code == 404


def test_admin_sees_and_clears_a_lock(family, worker, admin):
    for attempt in range(5):
        redeem(worker, f"8888 8888 888{attempt}")
    assert "Locked for" in text_of(admin.api.client.get("/admin/"))
    form_post(admin.api.client, f"/admin/workers/{worker.id}/unlock")
    assert "Locked for" not in text_of(admin.api.client.get("/admin/"))
    assert redeem(worker, make_code(family)).status_code == 201
