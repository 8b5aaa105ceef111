"""The forms of the staff's and the parents' pages (`pageutil.Page`): each form's address
refuses visitors who may not post it, and answers a GET by going back to its page."""

from __future__ import annotations

import pytest

from companion.admin import views as admin_views
from companion.directory import views as directory_views
from companion.share import views as share_views
from tests.conftest import post_form

PAGES = [admin_views.page, share_views.sharing, share_views.worker_home, directory_views.requests_page]
ROLES = {"family": "parent", "worker": "worker", "admin": "admin"}


def addresses(app):
    """(page, form's address, roles that may post it) for every form of every page."""
    found = []
    with app.test_request_context():
        for page in PAGES:
            for endpoint, roles in page.forms.items():
                (rule,) = app.url_map.iter_rules(endpoint)
                found.append((page, rule.build(dict.fromkeys(rule.arguments, 1))[1], roles))
    assert len(found) >= 12
    return found


def test_an_anonymous_visitor_is_asked_to_sign_in(app, client):
    for _page, address, _roles in addresses(app):
        for answer in (client.get(address), post_form(client, address)):
            assert answer.status_code == 302 and answer.headers["Location"].startswith("/login"), address


@pytest.mark.parametrize("who", sorted(ROLES))
def test_a_get_goes_back_to_the_page_and_other_roles_may_not_post(app, who, request):
    client = request.getfixturevalue(who).api.client
    for page, address, roles in addresses(app):
        answer = client.get(f"{address}?lang=sv")
        if ROLES[who] in roles:
            with app.test_request_context():
                assert answer.status_code == 302, address
                assert answer.headers["Location"] == app.url_for(page.endpoint), address
        else:
            assert answer.status_code == 403, address
            assert post_form(client, address).status_code == 403, address
