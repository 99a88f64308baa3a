"""The ticket services run outside any request, on the catalog they are given: the worker,
the CLI and later mail or webhook callers use them exactly as the views do."""

from sqlalchemy import select

from portal.catalog import Catalog
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.tickets.lifecycle import Action, Status
from portal.tickets.service import add_comment, change_status, submit_ticket

# Not the catalog the app serves: a team and item of its own and no SLA policies at all.
LITERAL = Catalog.model_validate({
    "version": 1,
    "teams": [{"id": "night-desk", "name": "Night desk", "tier": 1}],
    "categories": [{"id": "misc", "name": "Misc"}],
    "items": [{"id": "lamp", "category": "misc", "name": "A desk lamp", "team": "night-desk",
               "priority": "P2", "fields": []}],
})


def test_a_ticket_lives_its_life_on_a_catalog_literal(app_ctx, make_user):
    requester = make_user("lamp@example.com")
    agent = make_user("night@example.com", role="agent")
    item = LITERAL.item("lamp")
    ticket, stored = submit_ticket(item=item, catalog=LITERAL, requester=requester, answers=[],
                                   uploads={}, title="A desk lamp", upload_folder="unused")
    db.session.commit()
    assert stored == [] and ticket.team_id == "night-desk" and ticket.priority == "P2"
    assert ticket.sla_policy is None and ticket.resolution_due_at is None  # no policies there
    change_status(ticket, Action.START, agent, catalog=LITERAL)
    add_comment(ticket, agent, "On its way.", catalog=LITERAL)
    change_status(ticket, Action.RESOLVE, agent, catalog=LITERAL)
    db.session.commit()
    assert ticket.status == Status.RESOLVED and ticket.resolution_due_at is None
    kinds = set(db.session.scalars(select(OutboxMessage.kind)
                                   .where(OutboxMessage.ticket_id == ticket.id)))
    assert {"ticket_received", "public_reply", "resolved"} <= kinds
