"""What ticket pages and the navigation need in every template: statuses and the status sets,
actions, event kinds, decisions, types, SLA state, the approvals waiting for the signed-in
person. Templates compare with these, never with the strings they stand for."""

from flask import Flask
from flask_login import current_user

from .approvals import count_waiting_for
from .lifecycle import FINAL, SOLVED, STATUS_LABELS, STATUS_TONES, Action, Status
from .links import ticket_url
from .models import Decision, EventKind, TicketType
from .sla import sla_state


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        Status=Status, STATUS_LABELS=STATUS_LABELS, STATUS_TONES=STATUS_TONES, FINAL=FINAL,
        SOLVED=SOLVED, Action=Action,
        EventKind=EventKind, Decision=Decision, TicketType=TicketType,
        approvals_waiting=approvals_waiting, sla_state=sla_state, ticket_url=ticket_url,
    )


def approvals_waiting() -> int:
    """How many approvals wait for the signed-in person (for the navigation)."""
    if not current_user.is_authenticated:
        return 0
    return count_waiting_for(current_user)
