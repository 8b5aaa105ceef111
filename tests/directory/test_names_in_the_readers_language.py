"""An organisation's name in the reader's language wherever a family or a worker reads it:
Swedish pages name the association in Swedish (when it has a Swedish name)."""

from __future__ import annotations

from tests.conftest import text_of
from tests.directory.conftest import send_request, visitor
from tests.share.conftest import grant_for

FI_NAME = "Baby blues Tampere (testi)"
SV_NAME = "Baby blues Tammerfors (test)"
SV = {"Accept-Language": "sv"}


def test_a_family_reads_the_swedish_name_on_the_share_and_feedback_pages(family, tampere_worker):
    grant_id = grant_for(family, tampere_worker)
    client = family.api.client
    share = text_of(client.get("/share/", headers=SV))
    assert SV_NAME in share and FI_NAME not in share
    feedback = text_of(client.get(f"/feedback/{grant_id}", headers=SV))
    assert f"Några frågor till {SV_NAME} om arbetet" in feedback and FI_NAME not in feedback
    assert FI_NAME in text_of(client.get(f"/feedback/{grant_id}", headers={"Accept-Language": "fi"}))
    grants = family.api.get(f"/api/v1/babies/{family.baby_id}/grants", headers=SV).get_json()["grants"]
    assert [g["worker"]["organisation"]["name"] for g in grants] == [SV_NAME]
    confirm = text_of(client.get(f"/share/grants/{grant_id}/revoke", headers=SV))
    assert SV_NAME in confirm and FI_NAME not in confirm


def test_a_worker_reads_the_swedish_name_on_the_requests_and_account_pages(app, coordinator, tampere_worker):
    send_request(visitor(app))
    for path in ("/organisation/requests", "/account", "/organisation/page"):
        client = (coordinator if path == "/organisation/page" else tampere_worker).api.client
        page = text_of(client.get(path, headers=SV))
        assert SV_NAME in page and FI_NAME not in page, path
