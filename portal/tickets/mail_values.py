"""What the ticket mail templates get: the stored context of an outbox row turned back into
the ticket, its statuses and dates, and the rows its ids name (see notifications.py)."""

from datetime import datetime

from ..auth.models import User
from ..outbox.models import OutboxMessage
from ..outbox.render import Unrenderable, load
from .lifecycle import Status
from .models import Approval, Event, Ticket

KINDS = ("ticket_received", "status_changed", "public_reply", "resolved", "approval_needed",
         "rejected", "new_in_queue", "assigned", "requester_replied", "reopened", "sla_notice")


def ticket_mail_values(message: OutboxMessage) -> dict:
    """Template values from the stored context: statuses, dates and the rows its ids name."""
    ticket = load(Ticket, message.ticket_id, "ticket")
    values = {"ticket": ticket, **(message.context or {})}
    for key in ("status", "old_status", "new_status"):
        if key in values:
            values[key] = Status(values[key])
    if "reopen_until" in values:
        values["reopen_until"] = datetime.fromisoformat(values["reopen_until"])
    if "event_id" in values:
        event = load(Event, values.pop("event_id"), "event")
        if event.ticket_id != ticket.id:
            raise Unrenderable(f"event {event.id} is not on ticket {ticket.number}")
        if event.internal:  # checked when queued too; the rule is worth a second look
            raise Unrenderable("an internal note is never e-mailed")
        values["event"] = event
    if "approval_id" in values:
        approval = load(Approval, values.pop("approval_id"), "approval")
        values["approver"] = approval.decided_by or approval.approver
        values["comment"] = (approval.comment or "").strip()
    if "actor_id" in values:
        actor_id = values.pop("actor_id")
        values["actor"] = load(User, actor_id, "user") if actor_id is not None else None
    return values
