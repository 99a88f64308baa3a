"""Every place that takes files checks their bytes: the message is at the field, nothing is kept."""

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.auth.models import TeamMember
from portal.extensions import db
from portal.tickets.models import Attachment, Event, Ticket
from tests import filesamples as samples

LAPTOP = {"f_for_whom": "me", "f_model": 'Standard 14"', "f_quantity": "1"}


def stored_files(app) -> set[Path]:
    """Everything in the upload folder (shared by the session's tests: compare before/after)."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    return {p for p in folder.rglob("*") if p.is_file()}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def send_quote(post, content, name):
    return post("/catalog/item/new-laptop", {**LAPTOP, "f_quote": (io.BytesIO(content), name)},
                content_type="multipart/form-data")


@pytest.fixture
def requester(make_user, login):
    user = make_user("requester@example.com")
    login(user)
    return user


@pytest.mark.parametrize("name", ["quote.pdf", "quote.png", "quote.txt"])
def test_a_renamed_program_is_refused_at_the_field(app, client, requester, post, name):
    before = stored_files(app)
    response = send_quote(post, samples.windows_program(), name)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(r'id="f_quote-error"><li>(.*?)</li>', page, re.S)
    assert error and "although its name says so" in error.group(1)
    assert name in error.group(1)
    assert count(app, Ticket) == 0 and count(app, Attachment) == 0
    assert stored_files(app) == before


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"),
    (samples.pdf()[:3], "is not a PDF"),
])
def test_empty_and_cut_files_are_refused(app, client, requester, post, content, message):
    before = stored_files(app)
    response = send_quote(post, content, "quote.pdf")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app, Ticket) == 0 and stored_files(app) == before


@pytest.mark.parametrize(("content", "name", "served_as"), [
    (samples.pdf(), "quote.pdf", "application/pdf"),
    (samples.png(), "quote.png", "image/png"),
    (samples.text(), "quote.txt", "text/plain"),
])
def test_genuine_files_are_kept_and_served_as_downloads(app, client, requester, post, content,
                                                        name, served_as):
    response = send_quote(post, content, name)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
        url = f"/tickets/REQ-000001/files/{attachment.id}"
    with client.get(url) as download:  # closing it closes the served file
        assert download.status_code == 200 and download.data == content
        assert download.headers["Content-Disposition"].startswith("attachment")
        assert download.mimetype == served_as


@pytest.fixture
def agent_on_ticket(app, make_user, make_ticket, login):
    """REQ-000001 from a requester, and its team's agent signed in."""
    requester = make_user("requester@example.com")
    agent = make_user("agent@example.com", role="agent")
    with app.app_context():
        db.session.add(TeamMember(team_id="service-desk", user_id=agent.id))
        db.session.commit()
    assert make_ticket(requester=requester).number == "REQ-000001"
    login(agent)
    with app.app_context():
        return db.session.scalar(select(Ticket.version))


def reply(post, version, *files):
    return post("/tickets/REQ-000001/reply", {
        "reply-body": "Logs attached", "reply-version": version,
        "reply-files": [(io.BytesIO(content), name) for content, name in files]},
        content_type="multipart/form-data", follow_redirects=True)


def test_a_reply_with_one_renamed_program_keeps_nothing(app, agent_on_ticket, post):
    events, before = count(app, Event), stored_files(app)
    response = reply(post, agent_on_ticket, (samples.text(), "log.txt"),
                     (samples.windows_program(), "screenshot.png"))
    page = response.get_data(as_text=True)
    assert "“screenshot.png” is not a PNG image, although its name says so." in page
    assert count(app, Event) == events and count(app, Attachment) == 0
    assert stored_files(app) == before


def test_a_reply_with_genuine_files_keeps_them(app, agent_on_ticket, post):
    before = stored_files(app)
    response = reply(post, agent_on_ticket, (samples.text(), "log.txt"),
                     (samples.docx(), "steps.docx"))
    assert "Reply sent to the requester." in response.get_data(as_text=True)
    assert count(app, Attachment) == 2 and len(stored_files(app) - before) == 2
