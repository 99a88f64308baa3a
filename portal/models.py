"""Every table of the portal, imported in one place so migrations and the app see them all."""

from .auth.models import TeamMember, User
from .kb.models import Article, Deflection, Revision, SearchLog, Vote
from .ops.limit_store import RateLimitCounter
from .outbox.models import OutboxMessage
from .tickets.models import (
    Answer,
    Approval,
    Attachment,
    Event,
    Rating,
    SlaNotice,
    Ticket,
    TicketCounter,
    TicketLink,
)

__all__ = ["Answer", "Approval", "Article", "Attachment", "Deflection", "Event", "OutboxMessage",
           "RateLimitCounter", "Rating", "Revision", "SearchLog", "SlaNotice", "TeamMember",
           "Ticket", "TicketCounter", "TicketLink", "User", "Vote"]
