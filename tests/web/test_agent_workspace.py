"""Agents work tickets: queue, assignment, moves, replies and notes, transfers, links."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.auth.models import TeamMember
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.outbox.render import ensure_rendered
from portal.tickets.actions import autoclose
from portal.tickets.models import Event, Ticket


@pytest.fixture
def people(app, make_user):
    manager = make_user("manager@example.com", role="manager")
    requester = make_user("requester@example.com", manager=manager)
    agent = make_user("agent@example.com", role="agent", name="Agent Ann")
    agent2 = make_user("agent2@example.com", role="agent", name="Agent Bob")
    tier2 = make_user("tier2@example.com", role="agent", name="Tier Two")
    outsider = make_user("outsider@example.com", role="agent", name="Other Team")
    with app.app_context():
        db.session.add_all([TeamMember(team_id="service-desk", user_id=agent.id),
                            TeamMember(team_id="service-desk", user_id=agent2.id),
                            TeamMember(team_id="security", user_id=tier2.id)])
        db.session.commit()
    return {"manager": manager, "requester": requester, "agent": agent, "agent2": agent2,
            "tier2": tier2, "outsider": outsider}


@pytest.fixture
def submit(make_ticket, people):
    """submit(answers=None, item="new-laptop") -> the number of a ticket the requester made
    (through the ticket service: the request form has tests of its own); nobody signed in."""

    def make(answers=None, item="new-laptop"):
        return make_ticket(item, requester=people["requester"], answers=answers).number

    return make


def token(client):
    from tests.conftest import csrf_token
    return csrf_token(client)


def version_of(app, number):
    with app.app_context():
        return db.session.scalar(select(Ticket.version).where(Ticket.number == number))


def ticket(app, number):
    with app.app_context():
        found = db.session.scalar(select(Ticket).where(Ticket.number == number))
        db.session.expunge_all()
        return found


def flashes(response_text):
    return re.findall(r'<p class="flash flash-\w+">(.*?)</p>', response_text, re.S)


@pytest.fixture
def as_agent(client, login, people):
    def sign(email="agent@example.com"):
        client.post("/logout", data={"csrf_token": token(client)})
        login(email)
    return sign


def test_queue_is_for_agents_and_shows_team_tickets(app, client, login, post, people,
                                                    as_agent, submit):
    number = submit()
    login("requester@example.com")
    assert client.get("/queue").status_code == 404
    as_agent()
    page = client.get("/queue").get_data(as_text=True)
    assert number in page and "Unassigned" in page
    assert number not in client.get("/queue?view=mine").get_data(as_text=True)
    as_agent("tier2@example.com")
    assert number not in client.get("/queue").get_data(as_text=True)


def test_queue_filters_stay_in_the_url_and_work_with_htmx(app, client, login, post, people,
                                                           as_agent, submit):
    laptop = submit()
    outage = submit({"impact": "high", "urgency": "high"}, "outage")
    as_agent()
    page = client.get("/queue?priority=P1").get_data(as_text=True)
    assert outage in page and laptop not in page
    page = client.get("/queue?type=request&q=laptop").get_data(as_text=True)
    assert laptop in page and outage not in page
    fragment = client.get("/queue?priority=P1", headers={"HX-Request": "true",
                                                         "HX-Target": "queue-results"})
    text = fragment.get_data(as_text=True)
    assert outage in text and "<html" not in text and 'id="queue-results"' in text
    # Junk in the URL falls back to defaults.
    assert client.get("/queue?priority=P9&sort=zzz&after=%%%&assignee=x").status_code == 200


def test_queue_pages_with_a_cursor(app, client, login, post, people, as_agent, monkeypatch, submit):
    from portal.tickets import queue as queue_module
    monkeypatch.setattr(queue_module, "PAGE_SIZE", 3)
    numbers = [submit() for _ in range(7)]
    as_agent()
    seen, url = [], "/queue?sort=oldest"
    for _page in range(3):
        text = client.get(url).get_data(as_text=True)
        for found in re.findall(r'name="ticket" value="(REQ-\d{6})"', text):
            seen.append(found)
        more = re.search(r'href="([^"]+)" rel="next"', text)
        if not more:
            break
        url = more.group(1).replace("&amp;", "&")
    assert seen == numbers


def test_assign_to_me_and_stale_page_refused(app, client, login, post, people, as_agent, submit):
    number = submit()
    as_agent()
    seen = version_of(app, number)
    response = post(f"/tickets/{number}/assign", {"assign-assignee": "me",
                                                  "assign-version": seen})
    assert response.status_code == 303
    assert ticket(app, number).assignee_id == people["agent"].id
    # The second agent acts on the page they opened before: told, nothing overwritten.
    as_agent("agent2@example.com")
    response = post(f"/tickets/{number}/assign", {"assign-assignee": "me",
                                                  "assign-version": seen},
                    follow_redirects=True)
    assert "changed by someone else" in response.get_data(as_text=True)
    assert ticket(app, number).assignee_id == people["agent"].id


def test_two_sessions_updating_at_once_one_wins(app, people, client, login, post, submit):
    """Both read version N; the second UPDATE finds no row at version N: StaleDataError."""
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    number = submit()
    with app.app_context():
        first, second = Session(db.engine), Session(db.engine)
        try:
            a = first.scalar(select(Ticket).where(Ticket.number == number))
            b = second.scalar(select(Ticket).where(Ticket.number == number))
            a.assignee_id = people["agent"].id
            b.assignee_id = people["agent2"].id
            first.commit()
            with pytest.raises(StaleDataError):
                second.commit()
            second.rollback()
        finally:
            first.close()
            second.close()
    assert ticket(app, number).assignee_id == people["agent"].id


def test_only_team_agents_work_a_ticket(app, client, login, post, people, as_agent, submit):
    number = submit()
    as_agent("outsider@example.com")
    assert client.get(f"/tickets/{number}").status_code == 200  # may read it
    response = post(f"/tickets/{number}/assign", {"assign-assignee": "me",
                                                  "assign-version": "1"})
    assert response.status_code == 404
    assert "Work this ticket" not in client.get(f"/tickets/{number}").get_data(as_text=True)


def test_illegal_move_is_refused_with_a_message(app, client, login, post, people, as_agent, submit):
    number = submit()
    as_agent()
    response = post(f"/tickets/{number}/move", {"move-action": "reopen",
                                                "move-version": version_of(app, number)},
                    follow_redirects=True)
    assert "cannot be reopened" in response.get_data(as_text=True)
    assert ticket(app, number).status.value == "new"
    response = post(f"/tickets/{number}/move", {"move-action": "approve",
                                                "move-version": version_of(app, number)},
                    follow_redirects=True)
    assert "Choose one of the actions offered." in response.get_data(as_text=True)


def test_internal_note_never_reaches_the_requester(app, client, login, post, people,
                                                   as_agent, submit):
    number = submit()
    as_agent()
    secret = "SECRET-NOTE-7f3a"
    post(f"/tickets/{number}/reply", {
        "reply-body": secret, "reply-internal": "y", "reply-version": version_of(app, number),
        "reply-files": (io.BytesIO(b"internal"), "secret-log.txt")},
        content_type="multipart/form-data")
    post(f"/tickets/{number}/reply", {"reply-body": "Public answer",
                                      "reply-version": version_of(app, number)})
    assert secret in client.get(f"/tickets/{number}").get_data(as_text=True)
    with app.app_context():
        note = db.session.scalar(select(Event).where(Event.body == secret))
        assert note.internal
        file_id = note.ticket.attachments[-1].id

    client.post("/logout", data={"csrf_token": token(client)})
    login("requester@example.com")
    page = client.get(f"/tickets/{number}").get_data(as_text=True)
    assert "Public answer" in page
    assert secret not in page and "secret-log.txt" not in page
    assert client.get(f"/tickets/{number}/files/{file_id}").status_code == 404
    fragment = post(f"/tickets/{number}/comments", {"body": "thanks"},
                    headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "thanks" in fragment and secret not in fragment
    with app.app_context():
        mails = db.session.scalars(select(OutboxMessage)).all()
        assert mails, "notifications are queued"
        for mail in map(ensure_rendered, mails):
            assert secret not in mail.body_text and secret not in mail.body_html
            assert "secret-log" not in mail.body_text + mail.body_html


def test_resolve_then_requester_confirms(app, client, login, post, people, as_agent, submit):
    number = submit()
    as_agent()
    for action in ("start", "resolve"):
        post(f"/tickets/{number}/move", {"move-action": action,
                                         "move-version": version_of(app, number)})
    assert ticket(app, number).status.value == "resolved"
    assert ticket(app, number).first_response_at is not None
    client.post("/logout", data={"csrf_token": token(client)})
    login("requester@example.com")
    page = client.get(f"/tickets/{number}").get_data(as_text=True)
    assert "Is your problem solved?" in page
    post(f"/tickets/{number}/confirm", {})
    assert ticket(app, number).status.value == "closed"


def test_requester_reopens_within_the_window_only(app, client, login, post, people,
                                                  as_agent, submit):
    number = submit()
    as_agent()
    post(f"/tickets/{number}/move", {"move-action": "resolve",
                                     "move-version": version_of(app, number)})
    client.post("/logout", data={"csrf_token": token(client)})
    login("requester@example.com")
    response = post(f"/tickets/{number}/reopen", {"reason": ""}, follow_redirects=True)
    assert "Tell the team what is still wrong." in response.get_data(as_text=True)
    response = post(f"/tickets/{number}/reopen", {"reason": "Still broken"},
                    follow_redirects=True)
    assert "the team has been told" in response.get_data(as_text=True)
    assert ticket(app, number).status.value == "in_progress"
    with app.app_context():  # ... and it was: the team (nobody has the ticket) hears why
        told = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "reopened")).all()
        assert sorted(m.recipient for m in told) == ["agent2@example.com", "agent@example.com"]
        assert "Still broken" in ensure_rendered(told[0]).body_text

    as_agent()
    post(f"/tickets/{number}/move", {"move-action": "resolve",
                                     "move-version": version_of(app, number)})
    with app.app_context():
        found = db.session.scalar(select(Ticket).where(Ticket.number == number))
        found.resolved_at = datetime.now(UTC) - timedelta(days=30)
        db.session.commit()
    client.post("/logout", data={"csrf_token": token(client)})
    login("requester@example.com")
    response = post(f"/tickets/{number}/reopen", {"reason": "again"}, follow_redirects=True)
    assert "can no longer be reopened" in response.get_data(as_text=True)


def test_autoclose_closes_only_old_resolved_tickets(app, client, login, post, people,
                                                    as_agent, submit):
    old, fresh = submit(), submit()
    as_agent()
    for number in (old, fresh):
        post(f"/tickets/{number}/move", {"move-action": "resolve",
                                         "move-version": version_of(app, number)})
    with app.app_context():
        found = db.session.scalar(select(Ticket).where(Ticket.number == old))
        found.resolved_at = datetime.now(UTC) - timedelta(days=8)
        db.session.commit()
        assert autoclose(7, app.extensions["catalog_store"].get()) == 1
    assert ticket(app, old).status.value == "closed"
    assert ticket(app, fresh).status.value == "resolved"
    result = app.test_cli_runner().invoke(args=["tickets", "autoclose"])
    assert result.exit_code == 0 and "closed 0 resolved tickets" in result.output


def test_requester_reply_resumes_a_ticket_waiting_on_them(app, client, login, post, people,
                                                          as_agent, submit):
    number = submit()
    as_agent()
    post(f"/tickets/{number}/move", {"move-action": "wait", "move-note": "Which floor?",
                                     "move-version": version_of(app, number)})
    assert ticket(app, number).status.value == "waiting_on_requester"
    client.post("/logout", data={"csrf_token": token(client)})
    login("requester@example.com")
    post(f"/tickets/{number}/comments", {"body": "Third floor"})
    assert ticket(app, number).status.value == "in_progress"


def test_escalation_records_team_and_tier(app, client, login, post, people, as_agent, submit):
    number = submit()
    as_agent()
    post(f"/tickets/{number}/assign", {"assign-assignee": "me",
                                       "assign-version": version_of(app, number)})
    response = post(f"/tickets/{number}/transfer", {
        "transfer-team": "security", "transfer-reason": "",
        "transfer-version": version_of(app, number)}, follow_redirects=True)
    assert "Say why" in response.get_data(as_text=True)
    post(f"/tickets/{number}/transfer", {"transfer-team": "security",
                                         "transfer-reason": "Looks like malware",
                                         "transfer-version": version_of(app, number)})
    moved = ticket(app, number)
    assert (moved.team_id, moved.tier, moved.assignee_id) == ("security", 2, None)
    as_agent("tier2@example.com")
    page = client.get(f"/tickets/{number}").get_data(as_text=True)
    assert "escalated it from Service Desk to Security (tier 2)" in page
    assert "Looks like malware" in page


def test_link_related_tickets(app, client, login, post, people, as_agent, submit):
    first, second = submit(), submit()
    as_agent()
    post(f"/tickets/{first}/link", {"link-other": second.lower()})
    assert f"linked it to {second}" in client.get(f"/tickets/{first}").get_data(as_text=True)
    assert f"linked it to {first}" in client.get(f"/tickets/{second}").get_data(as_text=True)
    response = post(f"/tickets/{second}/link", {"link-other": first}, follow_redirects=True)
    assert "already linked" in response.get_data(as_text=True)
    response = post(f"/tickets/{first}/link", {"link-other": "INC-999999"},
                    follow_redirects=True)
    assert "There is no ticket INC-999999 that you can see." in response.get_data(as_text=True)


def test_bulk_assign_and_move(app, client, login, post, people, as_agent, submit):
    numbers = [submit() for _ in range(3)]
    as_agent()
    response = post("/queue/bulk", {"bulk-action": "assign_me", "ticket": numbers,
                                    "back": "/queue"}, follow_redirects=True)
    assert "Done for" in response.get_data(as_text=True)
    assert all(ticket(app, n).assignee_id == people["agent"].id for n in numbers)
    response = post("/queue/bulk", {"bulk-action": "reopen", "ticket": numbers[:1] + ["REQ-9"]},
                    follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "cannot be reopened" in text and "not found in your queues" in text
    response = post("/queue/bulk", {"bulk-action": "resolve", "ticket": numbers})
    assert all(ticket(app, n).status.value == "resolved" for n in numbers)


def test_waiting_on_a_third_party_says_whom_and_pauses_the_clock(app, client, post, submit,
                                                                  as_agent):
    number = submit()
    as_agent()
    page = client.get(f"/tickets/{number}").get_data(as_text=True)
    assert "Wait for a third party" in page
    response = post(f"/tickets/{number}/move", {"move-action": "wait_third_party",
                                                "move-version": version_of(app, number)},
                    follow_redirects=True)
    assert "Say whom we are waiting for" in response.get_data(as_text=True)
    assert ticket(app, number).status.value == "new"
    post(f"/tickets/{number}/move", {"move-action": "wait_third_party",
                                     "move-note": "Dell, support case 4411",
                                     "move-version": version_of(app, number)})
    found = ticket(app, number)
    assert found.status.value == "waiting_on_third_party"
    assert found.resolution_due_at is None  # paused, as waiting on the requester is
    page = client.get(f"/tickets/{number}").get_data(as_text=True)
    assert "Waiting on a third party" in page and "Dell, support case 4411" in page
    post(f"/tickets/{number}/move", {"move-action": "resume",
                                     "move-version": version_of(app, number)})
    found = ticket(app, number)
    assert found.status.value == "in_progress" and found.resolution_due_at is not None
