"""Who gets which e-mail, in which language, threaded how — and never an internal note."""

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from flask import current_app
from flask_babel import get_locale

from portal.auth.models import User
from portal.extensions import db
from portal.outbox.render import Unrenderable, ensure_rendered
from portal.outbox.transport import build_message
from portal.tickets import notifications as events
from portal.tickets.lifecycle import Status
from portal.tickets.models import (
    Approval,
    ApproverKind,
    Decision,
    Event,
    EventKind,
    Ticket,
    TicketType,
)

TEAM = SimpleNamespace(id="service-desk", name={"en": "Service Desk", "pl": "Serwis"}, email=None)


@pytest.fixture
def cast(person, make_ticket, outbox):
    """A requester, two agents of the ticket's team, an approver and the ticket REQ-000123,
    with the outbox read from after the mail its submission queued."""
    requester = person("ana@example.com", name="Ana")
    agent = person("bo@example.com", name="Bo", role="agent", team="service-desk")
    other = person("cy@example.com", name="Cy", role="agent", team="service-desk")
    approver = person("boss@example.com", name="Boss", role="manager")
    ticket = make_ticket(requester=requester, number="REQ-000123", title="Laptop for Ana")
    outbox.forget()
    return SimpleNamespace(requester=requester, agent=agent, other=other, approver=approver,
                           ticket=ticket, outbox=outbox)


def served():
    """The catalog the app serves (team names for the messages)."""
    return current_app.extensions["catalog_store"].get()


def comment(ticket, author, body, *, internal=False):
    event = Event(actor=author, kind=EventKind.NOTE if internal else EventKind.COMMENT,
                  body=body, internal=internal)
    ticket.events.append(event)
    db.session.flush()
    return event


def approval(ticket, approver=None, team_id=None, **kwargs):
    step = Approval(ticket=ticket, step=len(ticket.approvals) + 1,
                    kind=ApproverKind.TEAM if team_id else ApproverKind.USER,
                    approver=approver, team_id=team_id, **kwargs)
    db.session.add(step)
    db.session.flush()
    return step


def notify(kind, c, *, render=True):
    """Call event function `kind` the way the ticket service would, for the usual recipient;
    return its rows, rendered as the worker renders them unless render=False."""
    t = c.ticket
    calls = {
        "ticket_received": lambda: events.ticket_received(t),
        "status_changed": lambda: events.status_changed(t, Status.NEW, Status.IN_PROGRESS,
                                                        c.agent),
        "public_reply": lambda: events.public_reply(t, comment(t, c.agent, "Try a restart.")),
        "resolved": lambda: events.resolved(t),
        "approval_needed": lambda: events.approval_needed(t, approval(t, c.approver), served()),
        "rejected": lambda: events.rejected(t, approval(
            t, c.approver, decision=Decision.REJECTED, decided_by=c.approver,
            comment="No budget this year.")),
        "new_in_queue": lambda: events.new_in_queue(t, TEAM),
        "assigned": lambda: events.assigned(t, c.agent, c.other),
        "requester_replied": lambda: events.requester_replied(
            t, comment(t, c.requester, "It still fails.")),
    }
    calls[kind]()
    db.session.commit()
    return c.outbox.rendered(kind=kind) if render else c.outbox(kind=kind)


EXPECTED = {  # kind -> (recipients, a phrase of the English subject)
    "ticket_received": (["ana@example.com"], "We received your request"),
    "status_changed": (["ana@example.com"], "Status changed to In progress"),
    "public_reply": (["ana@example.com"], "New reply on your request"),
    "resolved": (["ana@example.com"], "Your request was resolved"),
    "approval_needed": (["boss@example.com"], "Your approval is needed"),
    "rejected": (["ana@example.com"], "Your request was not approved"),
    "new_in_queue": (["bo@example.com", "cy@example.com"], "New in your queue"),
    "assigned": (["bo@example.com"], "Assigned to you"),
    "requester_replied": (["bo@example.com", "cy@example.com"], "The requester replied"),
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_notification_reaches_the_right_people_with_number_and_both_parts(cast, kind):
    messages = notify(kind, cast)
    recipients, phrase = EXPECTED[kind]
    assert sorted(m.recipient for m in messages) == recipients
    for message in messages:
        assert message.subject.startswith("[REQ-000123] ")
        assert phrase in message.subject and "Laptop for Ana" in message.subject
        assert "REQ-000123" in message.body_text and "<html" not in message.body_text
        assert message.body_html.startswith("<!doctype html>")
        assert message.ticket_id == cast.ticket.id and message.status == "pending"
        link = "/approvals" if kind == "approval_needed" else "/tickets/REQ-000123"
        url = "http://127.0.0.1:5000" + link
        assert url in message.body_text and f'href="{url}"' in message.body_html


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_the_request_queues_what_rendering_needs_and_renders_nothing(cast, kind):
    messages = notify(kind, cast, render=False)
    assert messages
    for message in messages:
        assert message.body_text is None and message.body_html is None
        assert message.locale == "en" and message.recipient_name in ("Ana", "Bo", "Cy", "Boss")
        assert json.loads(json.dumps(message.context)) == message.context  # plain values
        assert message.context["url"].startswith("http://127.0.0.1:5000/")


def test_a_received_message_tells_the_status_the_ticket_had(cast, make_ticket):
    ticket = make_ticket(requester=cast.requester, number="REQ-000124", title="Laptop for Ana",
                         status=Status.AWAITING_APPROVAL)
    cast.outbox.forget()
    events.ticket_received(ticket)
    db.session.commit()
    ticket.status = Status.NEW  # approved before the worker came round to it
    db.session.commit()
    [message] = cast.outbox.rendered()
    assert "It needs approval before work can start" in message.body_text
    assert "It needs approval before work can start" in message.body_html


def test_the_reopen_date_survives_the_queue(cast):
    cast.ticket.resolved_at = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    events.resolved(cast.ticket)
    db.session.commit()
    [message] = cast.outbox.rendered()
    assert "you can reopen the request until Mar 9, 2026." in message.body_text


def test_a_message_whose_ticket_is_gone_cannot_be_rendered(cast):
    events.ticket_received(cast.ticket)
    db.session.commit()
    db.session.delete(cast.ticket)
    db.session.commit()
    [message] = cast.outbox()
    with pytest.raises(Unrenderable, match="ticket"):
        ensure_rendered(message)
    assert message.body_text is None


def test_a_reply_made_internal_before_rendering_is_not_rendered(cast):
    reply = comment(cast.ticket, cast.agent, "Meant as a note.")
    events.public_reply(cast.ticket, reply)
    reply.internal = True
    db.session.commit()
    [message] = cast.outbox()
    with pytest.raises(Unrenderable, match="internal"):
        ensure_rendered(message)


def test_bodies_carry_what_was_said(cast):
    [reply] = notify("public_reply", cast)
    assert "Bo replied to your request:" in reply.body_text
    assert "Try a restart." in reply.body_text and "Try a restart." in reply.body_html
    [rejection] = notify("rejected", cast)
    assert "Boss did not approve" in rejection.body_text
    assert "No budget this year." in rejection.body_html
    events.resolved(cast.ticket, comment(cast.ticket, cast.agent, "Replaced the battery."))
    db.session.commit()
    resolution = cast.outbox.rendered(kind="resolved")[-1]
    assert "Replaced the battery." in resolution.body_text
    assert "Confirm or reopen" in resolution.body_html


def test_html_escapes_what_people_typed(person, make_ticket, outbox):
    requester = person("ana@example.com", name="Ana <b>")
    ticket = make_ticket(requester=requester, title='<script>alert("x")</script>')
    outbox.forget()
    events.ticket_received(ticket)
    db.session.commit()
    [message] = outbox.rendered()
    assert "<script>" not in message.body_html and "<b>" not in message.body_html
    assert "&lt;script&gt;" in message.body_html and "Ana &lt;b&gt;" in message.body_html
    assert '<script>alert("x")</script>' in message.body_text  # plain text stays as typed


@pytest.mark.parametrize(("locale", "subject", "direction"), [
    ("pl", "[REQ-000123] Otrzymaliśmy Twoje zgłoszenie: Laptop for Ana", "ltr"),
    ("es", "[REQ-000123] Hemos recibido su solicitud: Laptop for Ana", "ltr"),
    ("fa", "[REQ-000123] درخواست شما را دریافت کردیم: Laptop for Ana", "rtl"),
    (None, "[REQ-000123] We received your request: Laptop for Ana", "ltr"),
])
def test_written_in_the_recipients_language(person, make_ticket, outbox, locale, subject,
                                            direction):
    ticket = make_ticket(requester=person("ana@example.com", locale=locale),
                         number="REQ-000123", title="Laptop for Ana")
    outbox.forget()
    events.ticket_received(ticket)
    db.session.commit()
    [message] = outbox.rendered()
    assert message.subject == subject
    assert f'dir="{direction}"' in message.body_html
    assert f'lang="{locale or "en"}"' in message.body_html


def test_each_recipient_reads_their_own_language(cast):
    cast.other.locale = "pl"
    db.session.commit()
    by_person = {m.recipient: m for m in notify("new_in_queue", cast)}
    assert "New in your queue" in by_person["bo@example.com"].subject
    assert "Nowe w Twojej kolejce" in by_person["cy@example.com"].subject
    assert "Serwis" in by_person["cy@example.com"].body_text  # the team's Polish name
    assert "Zamów nowy laptop" in by_person["cy@example.com"].body_text


def test_the_request_keeps_its_own_language(app, cast):
    cast.requester.locale = "pl"
    with app.test_request_context("/?lang=es"):
        assert str(get_locale()) == "es"
        events.ticket_received(cast.ticket)
        assert str(get_locale()) == "es"
    db.session.commit()
    assert "Otrzymaliśmy" in cast.outbox()[0].subject


def test_works_without_a_request(app, make_user, outbox):
    """The worker, the CLI and scheduled jobs have an app context but no request."""
    requester_id = make_user("ana@example.com", locale="pl").id
    with app.app_context():
        ticket = Ticket(number="INC-000007", type=TicketType.INCIDENT, title="VPN down",
                        status=Status.NEW, priority="P2", team_id="service-desk",
                        item_id="vpn", item_version="1", item_name="VPN",
                        requester=db.session.get(User, requester_id))
        db.session.add(ticket)
        db.session.flush()
        events.ticket_received(ticket)
        db.session.commit()
        [message] = outbox()
    assert message.subject.startswith("[INC-000007] Otrzymaliśmy")


def test_internal_notes_are_never_mailed(cast):
    note = comment(cast.ticket, cast.agent, "Requester is on the watch list.", internal=True)
    with pytest.raises(ValueError, match="internal"):
        events.public_reply(cast.ticket, note)
    with pytest.raises(ValueError, match="internal"):
        events.resolved(cast.ticket, note)
    db.session.commit()
    assert cast.outbox() == []


def test_an_internal_note_through_the_ticket_service_mails_nobody(cast, served_catalog):
    from portal.tickets.service import add_comment

    add_comment(cast.ticket, cast.agent, "Requester is on the watch list.", internal=True,
                catalog=served_catalog)
    db.session.commit()
    assert all("watch list" not in m.body_text + m.body_html for m in cast.outbox.rendered())
    assert not [m for m in cast.outbox() if m.recipient == "ana@example.com"]


def test_nobody_is_told_what_they_did_themselves(cast):
    t = cast.ticket
    events.status_changed(t, Status.IN_PROGRESS, Status.CANCELLED, cast.requester)
    events.status_changed(t, Status.IN_PROGRESS, Status.RESOLVED, cast.agent)  # resolved() tells
    events.public_reply(t, comment(t, cast.requester, "Any news?"))
    events.assigned(t, cast.agent, cast.agent)
    cast.ticket.assignee = cast.agent
    events.requester_replied(t, comment(t, cast.agent, "Reply as a requester-agent"))
    db.session.commit()
    assert cast.outbox() == []


def test_status_change_by_the_portal_itself_is_told(cast):
    events.status_changed(cast.ticket, Status.RESOLVED, Status.CLOSED, None)
    db.session.commit()
    [message] = cast.outbox()
    assert message.recipient == "ana@example.com" and "Closed" in message.subject


def test_a_team_approval_asks_every_active_member(cast, person):
    person("gone@example.com", role="agent", team="security").active = False
    person("dee@example.com", role="agent", team="security")
    db.session.commit()
    events.approval_needed(cast.ticket, approval(cast.ticket, team_id="security"), served())
    db.session.commit()
    messages = cast.outbox.rendered()
    assert [m.recipient for m in messages] == ["dee@example.com"]
    assert "Any member of Security may decide." in messages[0].body_text


def test_a_team_with_an_address_is_told_there(cast):
    team = SimpleNamespace(id="service-desk", name="Service Desk", email="desk@example.com")
    events.new_in_queue(cast.ticket, team)
    db.session.commit()
    [message] = cast.outbox.rendered()
    assert message.recipient == "desk@example.com" and "Hello," in message.body_text


def test_a_reply_goes_to_the_assignee_once_there_is_one(cast):
    cast.ticket.assignee = cast.other
    events.requester_replied(cast.ticket, comment(cast.ticket, cast.requester, "Still broken"))
    db.session.commit()
    [message] = cast.outbox.rendered()
    assert message.recipient == "cy@example.com"
    assert "Ana, the requester, replied:" in message.body_text


def test_messages_thread_per_ticket(cast, make_ticket):
    other_ticket = make_ticket(requester=cast.requester, number="REQ-000124",
                               title="Laptop for Ana")
    cast.outbox.forget()
    events.ticket_received(cast.ticket)
    events.resolved(cast.ticket)
    events.ticket_received(other_ticket)
    db.session.commit()
    first, second, other = cast.outbox.rendered()
    assert first.in_reply_to == second.in_reply_to == "<ticket.REQ-000123@127.0.0.1>"
    assert other.in_reply_to == "<ticket.REQ-000124@127.0.0.1>"
    ids = {m.message_id for m in (first, second, other)}
    assert len(ids) == 3
    assert all(i.startswith("<") and i.endswith(".REQ-000123@127.0.0.1>") for i in ids - {
        other.message_id})
    email = build_message(first, "Portal <noreply@example.com>")
    assert email["Message-ID"] == first.message_id
    assert email["In-Reply-To"] == email["References"] == "<ticket.REQ-000123@127.0.0.1>"
    assert [part.get_content_type() for part in email.iter_parts()] == [
        "text/plain", "text/html"]


def test_the_domain_comes_from_the_portal_url(cast, app, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_URL", "https://help.example.org:8443")
    events.ticket_received(cast.ticket)
    db.session.commit()
    [message] = cast.outbox.rendered()
    assert message.message_id.endswith(".REQ-000123@help.example.org>")
    assert "https://help.example.org:8443/tickets/REQ-000123" in message.body_text
