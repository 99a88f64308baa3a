"""Numbers in URLs and cursors that no id column can hold name nothing: 404, never 500.

The routes are read from the app's URL map, so a route added with an `<int:…>` part is
covered without touching this file.
"""

import base64
import json
import re

import pytest
from werkzeug.routing import IntegerConverter

from portal.extensions import ID_MAX, db
from portal.kb.models import Article, ArticleStatus
from portal.kb.service import save_article
from portal.tickets.models import Ticket, TicketType
from tests.conftest import csrf_token

HUGE = [2**31, 2**63, 2**64, -1, 10**30]
PART = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
# Real values for the other parts of a route, so the request reaches the id lookup.
SAMPLES = {"number": "REQ-000001", "slug": "vpn", "action": "publish", "filename": "x.css"}


def int_routes(app) -> list:
    rules = [rule for rule in app.url_map.iter_rules()
             if any(isinstance(c, IntegerConverter) for c in rule._converters.values())]
    assert len(rules) >= 5  # attachments, approvals, people, KB revisions (and restore)
    return rules


def path_for(rule, number) -> str:
    ints = {name for name, c in rule._converters.items() if isinstance(c, IntegerConverter)}
    return PART.sub(lambda m: str(number) if m.group(2) in ints else SAMPLES[m.group(2)],
                    rule.rule)


@pytest.fixture
def admin_with_data(app, make_user, login):
    """An admin (who may reach every page) signed in, with a ticket and an article."""
    admin = make_user("admin@example.com", role="admin")
    with app.app_context():
        db.session.add(Ticket(number="REQ-000001", type=TicketType.REQUEST, title="Laptop",
                              status="open", priority="P3", team_id="service-desk",
                              item_id="new-laptop", item_version="1", item_name="Laptop",
                              requester_id=admin.id))
        save_article(Article(slug="vpn"), None, "first", status=ArticleStatus.PUBLISHED,
                     title="VPN", body="Text.")
        db.session.commit()
    login(admin)
    return admin


@pytest.mark.parametrize("number", HUGE, ids=str)
def test_every_int_route_answers_404_for_a_number_out_of_range(app, client, admin_with_data,
                                                               number):
    token = csrf_token(client)
    for rule in int_routes(app):
        url = path_for(rule, number)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"csrf_token": token}
                                   if method == "POST" else None)
            assert response.status_code == 404, (method, url, response.status_code)


def test_the_largest_stored_id_still_reaches_the_page(app, client, admin_with_data):
    """At the top of the range the route matches and the page says there is nothing."""
    for rule in int_routes(app):
        if "GET" in rule.methods:
            response = client.get(path_for(rule, ID_MAX))
            assert response.status_code == 404, rule.rule
            assert "Page not found" in response.get_data(as_text=True) or \
                "no longer" in response.get_data(as_text=True)


def cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize("number", [*HUGE, 1.5, "7", True], ids=str)
def test_a_queue_cursor_with_an_id_out_of_range_starts_from_the_top(client, admin_with_data,
                                                                    number):
    after = cursor(["P3", "2025-01-01T00:00:00+00:00", number])
    response = client.get("/queue", query_string={"after": after, "status": "all"})
    assert response.status_code == 200
    assert "REQ-000001" in response.get_data(as_text=True)


@pytest.mark.parametrize("page", [str(2**63), str(10**30), "-1"])
def test_page_numbers_out_of_range_show_the_first_page(client, admin_with_data, page):
    assert client.get("/my/requests", query_string={"page": page}).status_code == 200
