"""The timeline says in words what each event did, for every kind of event, in the reader's
language; a kind the timeline has no words for still shows, as its name."""

import enum
import io
import re
from html import unescape
from types import SimpleNamespace

import pytest
from flask import render_template_string
from sqlalchemy import select

from portal.extensions import db
from portal.tickets.models import Event, EventKind, Ticket
from tests.conftest import csrf_token

# (kind, old value, new value, what the timeline says): every kind at least once, and both
# wordings of the kinds that have two.
EVENTS = [
    (EventKind.CREATED, None, None, "submitted the request"),
    (EventKind.STATUS, "new", "in_progress", "changed the status from New to In progress"),
    (EventKind.COMMENT, None, None, "commented"),
    (EventKind.NOTE, None, None, "added an internal note"),
    (EventKind.ASSIGNED, None, "Agent Ann", "assigned it to Agent Ann"),
    (EventKind.ASSIGNED, "Agent Ann", None, "unassigned it"),
    (EventKind.PRIORITY, "P3", "P1", "changed the priority from P3 to P1"),
    (EventKind.TEAM, "service-desk|1", "security|2",
     "escalated it from Service Desk to Security (tier 2)"),
    (EventKind.TEAM, "security|2", "service-desk|1",
     "transferred it from Security to Service Desk"),
    (EventKind.APPROVAL, "1", "approved", "approved step 1"),
    (EventKind.APPROVAL, "2", "rejected", "rejected step 2"),
    (EventKind.LINK, None, "REQ-000002", "linked it to REQ-000002"),
    (EventKind.FLAGGED, None, "1", "needs an administrator"),
]

EVENT_ITEM = re.compile(
    r'<li class="event event-(?P<kind>[a-z_]+)(?: internal)?" id="event-(?P<id>\d+)">\s*'
    r'<p class="event-meta"><strong>(?P<actor>[^<]*)</strong>(?P<text>.*?)· <time', re.S)


def test_the_table_has_every_kind():
    assert {kind for kind, *_ in EVENTS} == set(EventKind)


@pytest.fixture
def timeline(app, client, make_user, login, post):
    """REQ-000001 with the events above, read by an agent (who also sees internal notes)."""
    requester = make_user("requester@example.com")
    login(requester)
    for _ in range(2):  # the second is the ticket the first links to
        response = post("/catalog/item/new-laptop", {
            "f_for_whom": "me", "f_model": 'Standard 14"', "f_quantity": "1",
            "f_quote": (io.BytesIO(b"quote"), "quote.txt")}, content_type="multipart/form-data")
        assert response.status_code == 303
    agent = make_user("agent@example.com", role="agent", name="Agent Ann")
    with app.app_context():
        ticket = db.session.scalar(select(Ticket).where(Ticket.number == "REQ-000001"))
        added = [Event(actor_id=agent.id, kind=kind, old_value=old, new_value=new,
                       internal=kind == EventKind.NOTE) for kind, old, new, _ in EVENTS]
        ticket.events.extend(added)
        db.session.commit()
        ids = [event.id for event in added]
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login(agent)
    return ids


def rendered_events(page: str) -> dict:
    """Event id -> (kind class, actor, what it says with spaces collapsed)."""
    return {int(m["id"]): (m["kind"], unescape(m["actor"]), " ".join(unescape(m["text"]).split()))
            for m in EVENT_ITEM.finditer(page)}


def test_every_kind_of_event_is_told_in_words(client, timeline):
    page = client.get("/tickets/REQ-000001")
    assert page.status_code == 200
    shown = rendered_events(page.get_data(as_text=True))
    for event_id, (kind, _, _, text) in zip(timeline, EVENTS, strict=True):
        assert shown[event_id] == (kind.value, "Agent Ann", text), kind


def test_the_words_follow_the_readers_language(client, timeline):
    english = rendered_events(client.get("/tickets/REQ-000001").get_data(as_text=True))
    polish = rendered_events(client.get("/tickets/REQ-000001?lang=pl").get_data(as_text=True))
    for event_id, (kind, *_rest) in zip(timeline, EVENTS, strict=True):
        assert polish[event_id][2] and polish[event_id][2] != english[event_id][2], kind


def test_the_htmx_timeline_tells_events_the_same_way(client, timeline):
    token = csrf_token(client)
    whole = rendered_events(client.get("/tickets/REQ-000001").get_data(as_text=True))
    block = client.post("/tickets/REQ-000001/comments", data={"body": "Still there?"},
                        headers={"HX-Request": "true", "X-CSRFToken": token})
    assert block.status_code == 200
    fragment = rendered_events(block.get_data(as_text=True))
    assert {k: v for k, v in fragment.items() if k in whole} == whole


def test_a_kind_without_words_shows_its_name(app):
    merged = enum.StrEnum("Kind", {"MERGED": "merged"}).MERGED  # a kind added without words
    event = SimpleNamespace(kind=merged, old_value=None, new_value=None)
    with app.test_request_context("/"):
        text = render_template_string(
            '{% from "tickets/_event.html" import event_text with context %}'
            "[{{ event_text(event) }}]", event=event)
    assert text == "[merged]"
