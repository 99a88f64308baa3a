"""Every table of the portal, imported in one place so migrations and the app see them all."""

from .auth.models import TeamMember, User
from .notify.models import OutboxMessage
from .tickets.models import (
    Answer,
    Approval,
    Attachment,
    Event,
    Ticket,
    TicketCounter,
    TicketLink,
)

__all__ = ["Answer", "Approval", "Attachment", "Event", "OutboxMessage", "TeamMember", "Ticket",
           "TicketCounter", "TicketLink", "User"]
