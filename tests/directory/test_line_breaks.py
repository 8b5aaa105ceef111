"""A text box's line breaks count once, in every text box (the contact form's and the
staff's here, and the families' others): browsers send them as CRLF and the box's
``maxlength`` counts each as one character, and so does the server. Text is kept with LF."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from companion.extensions import db
from tests.conftest import post_form, text_of
from tests.directory.conftest import send_request, visitor
from tests.share.conftest import grant_for
from tests.wellbeing.conftest import day, put_checkin, saved

SV = {"Accept-Language": "sv"}


def lines(total: int, line: int = 49) -> str:
    """``total`` characters, LF counted as one, in lines of ``line``, sent with CRLF."""
    text = "\n".join(["x" * line] * ((total + 1) // (line + 1)))
    text += "y" * (total - len(text))
    assert len(text) == total
    return text.replace("\n", "\r\n")


def kept(text: str) -> str:
    return text.replace("\r\n", "\n")


def test_a_contact_message_at_the_limit_in_many_lines_is_sent_from_the_page_and_the_api(app, coordinator):
    from companion.directory.models import ContactRequest

    message = lines(999)
    assert message.count("\r\n") == 19 and len(message) > 1000
    client = app.test_client()
    form = {
        "topics": ["crying"],
        "name": "Lotta",
        "contact_by": "call",
        "phone": "044 987 6543",
        "language": "sv",
        "message": message,
        "website": "",
    }
    sent = post_form(client, "/services/bb-tampere/contact?lang=fi", form)
    assert sent.status_code == 302, text_of(sent)
    assert send_request(visitor(app), message=lines(1000)).status_code == 201
    refused = send_request(visitor(app), message=lines(1001))
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"]["message"] == "Use at most 1,000 characters."
    with app.app_context():
        messages = db.session.scalars(select(ContactRequest.message).order_by(ContactRequest.id)).all()
    assert messages == [kept(message), kept(lines(1000))]


def test_a_closing_note_at_the_limit_in_many_lines_is_kept_with_lf(app, coordinator, tampere_worker):
    from companion.directory.models import ContactRequest

    send_request(visitor(app))
    page = tampere_worker.api.client.get("/organisation/requests").get_data(as_text=True)
    request_id = int(re.search(r'id="request-(\d+)"', page).group(1))
    note = lines(499)
    done = post_form(
        tampere_worker.api.client,
        f"/organisation/requests/{request_id}",
        {f"r{request_id}-status": "contacted", f"r{request_id}-note": note},
    )
    assert done.status_code == 302, text_of(done)
    with app.app_context():
        assert db.session.scalar(select(ContactRequest.note)) == kept(note)


def test_a_wellbeing_note_at_the_limit_in_many_lines_is_saved_from_the_page_and_the_api(family):
    note = lines(1000)
    sent = post_form(family.api.client, f"/wellbeing/{day(0)}", {"coping": "3", "note": note})
    assert sent.status_code == 302, text_of(sent)
    assert put_checkin(family.api, day(1), 3, note=note).status_code == 201
    too_long = put_checkin(family.api, day(2), 3, note=lines(1001))
    assert too_long.status_code == 422
    assert [c["note"] for c in saved(family.api)] == [kept(note), kept(note)]


def test_feedback_text_at_the_limit_in_many_lines_is_saved_from_the_page_and_the_api(
    app, family, worker, make_family
):
    from companion.stats.models import Feedback

    text = lines(1000)
    answer = {"helped": "4", "recommend": "yes", "text": text}
    sent = post_form(family.api.client, f"/feedback/{grant_for(family, worker)}", answer)
    assert sent.status_code == 302, text_of(sent)
    other = make_family("second")
    body = {"grant": grant_for(other, worker), "helped": 4, "what_helped": [], "recommend": "yes"}
    body["text"] = text
    assert other.api.post("/api/v1/feedback", body).status_code == 201
    with app.app_context():
        assert db.session.scalars(select(Feedback.text)).all() == [kept(text), kept(text)]


def test_a_diary_note_at_the_limit_in_many_lines_is_saved(family):
    note = lines(2000)
    start = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0).isoformat()
    url = f"/api/v1/babies/{family.baby_id}/entries/{uuid.uuid4()}"
    saved_entry = family.api.put(url, {"kind": "note", "start": start, "note": note})
    assert saved_entry.status_code == 201, saved_entry.get_json()
    assert saved_entry.get_json()["entry"]["note"] == kept(note)


def test_the_limit_in_error_messages_is_written_as_the_reader_writes_numbers(app, coordinator, family):
    """The hints say "1 000": so do the errors, from the page forms and the API alike."""
    fi = send_request(visitor(app, "fi"), message="x" * 1001).get_json()["error"]["fields"]["message"]
    assert fi == "Käytä enintään 1\xa0000 merkkiä."
    sv = family.api.put(f"/api/v1/checkins/{day(0)}", {"coping": 3, "note": "x" * 1001}, headers=SV)
    assert sv.get_json()["error"]["fields"]["note"] == "Använd högst 1\xa0000 tecken."
    page = post_form(
        family.api.client,
        f"/wellbeing/{day(0)}",
        {"coping": "3", "note": "x" * 1001},
        headers=SV,
    )
    assert page.status_code == 422 and "Använd högst 1 000 tecken." in text_of(page)
    hours = {"hours": {"fi": "x" * 2001}}
    refused = coordinator.api.put("/api/v1/organisation", hours, headers={"Accept-Language": "fi"})
    assert refused.get_json()["error"]["fields"]["hours.fi"] == "Käytä enintään 2\xa0000 merkkiä."
