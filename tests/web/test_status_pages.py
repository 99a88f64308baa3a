"""Status pages: who may see them, comments (plain and htmx), cancelling, My requests."""

import io

import pytest

from portal.auth.models import TeamMember
from portal.extensions import db
from tests.conftest import csrf_token


@pytest.fixture
def submitted(app, client, make_user, login, post):
    """A requester (signed in) with one laptop request REQ-000001 carrying a file."""
    user = make_user("requester@example.com")
    login(user)
    response = post("/catalog/item/new-laptop", {
        "f_for_whom": "me", "f_model": 'Standard 14"', "f_quantity": "1",
        "f_quote": (io.BytesIO(b"quote"), "quote.txt")}, content_type="multipart/form-data")
    assert response.status_code == 303
    return user


def switch_user(client, login, user):
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login(user)


def file_url(client):
    page = client.get("/tickets/REQ-000001").get_data(as_text=True)
    start = page.index("/tickets/REQ-000001/files/")
    return page[start:page.index('"', start)]


def test_owner_sees_page_and_file(client, submitted):
    url = file_url(client)
    with client.get(url) as response:  # closing it closes the served file
        assert response.status_code == 200 and response.data == b"quote"
        assert response.headers["Content-Disposition"].startswith("attachment")


def test_other_requester_gets_404_for_ticket_and_file(client, submitted, make_user, login):
    url = file_url(client)
    other = make_user("other@example.com")
    switch_user(client, login, other)
    assert client.get("/tickets/REQ-000001").status_code == 404
    assert client.get(url).status_code == 404
    assert client.get("/tickets/REQ-999999").status_code == 404
    assert "REQ-000001" not in client.get("/my/requests?state=all").get_data(as_text=True)


def test_manager_and_agent_may_see(client, submitted, make_user, login):
    agent = make_user("agent@example.com", role="agent")
    switch_user(client, login, agent)
    assert client.get("/tickets/REQ-000001").status_code == 200


def test_restricted_ticket_only_for_its_team(app, client, make_user, login, post):
    reporter = make_user("requester@example.com")
    login(reporter)
    assert post("/catalog/item/security-incident", {"f_what": "Phishing"}).status_code == 303
    agent = make_user("agent@example.com", role="agent")
    switch_user(client, login, agent)
    assert client.get("/tickets/INC-000001").status_code == 404
    with app.app_context():
        db.session.add(TeamMember(team_id="security", user_id=agent.id))
        db.session.commit()
    assert client.get("/tickets/INC-000001").status_code == 200


def test_comment_plain_post(client, submitted, post):
    response = post("/tickets/REQ-000001/comments", {"body": "Any news?"})
    assert response.status_code == 303
    page = client.get("/tickets/REQ-000001").get_data(as_text=True)
    assert "Any news?" in page and "Your comment was added." in page


def test_comment_with_htmx_returns_the_timeline_fragment(client, submitted, post):
    response = post("/tickets/REQ-000001/comments", {"body": "<b>bold</b> question"},
                    headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="timeline"' in body and "<html" not in body
    assert "&lt;b&gt;bold&lt;/b&gt; question" in body
    assert "HX-Request" in response.headers["Vary"]


def test_empty_comment_refused(client, submitted, post):
    response = post("/tickets/REQ-000001/comments", {"body": "  "})
    assert response.status_code == 422
    assert "Write something before sending." in response.get_data(as_text=True)
    htmx = post("/tickets/REQ-000001/comments", {"body": ""}, headers={"HX-Request": "true"})
    assert htmx.status_code == 422 and "Write something" in htmx.get_data(as_text=True)


def test_missing_csrf_token_is_a_clear_400(client, submitted):
    response = client.post("/tickets/REQ-000001/comments", data={"body": "hi"})
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)


def test_cancel_and_then_no_more(client, submitted, post):
    response = post("/tickets/REQ-000001/cancel", {"reason": "Not needed"})
    assert response.status_code == 303
    page = client.get("/tickets/REQ-000001").get_data(as_text=True)
    assert "Cancelled" in page and "Not needed" in page
    again = post("/tickets/REQ-000001/cancel", {})
    assert again.status_code == 303
    assert "cannot be cancelled" in client.get("/tickets/REQ-000001").get_data(as_text=True)
    closed = post("/tickets/REQ-000001/comments", {"body": "hello?"})
    assert closed.status_code == 422


def test_my_requests_filters_and_pages(app, client, submitted, post, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for _ in range(3):
        post("/catalog/item/outage", {"f_impact": "low", "f_urgency": "low"})
    post("/tickets/REQ-000001/cancel", {})
    open_page = client.get("/my/requests").get_data(as_text=True)
    assert "INC-000003" in open_page and "INC-000002" in open_page
    assert "Page 1 of 2" in open_page
    assert "INC-000001" in client.get("/my/requests?page=2").get_data(as_text=True)
    closed = client.get("/my/requests?state=closed").get_data(as_text=True)
    assert "REQ-000001" in closed and "INC-000001" not in closed
    assert client.get("/my/requests?page=abc&state=zzz").status_code == 200
