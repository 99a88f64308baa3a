"""Who may see which ticket; views fetch tickets only through here."""

import re

from flask import abort
from sqlalchemy import exists, or_, select

from ..auth.models import Role, TeamMember, User
from ..extensions import db
from .models import Attachment, Event, Ticket


def in_team(user: User, team_id: str) -> bool:
    """Whether the user is a member of the catalog team."""
    return db.session.scalar(
        select(exists().where(TeamMember.user_id == user.id, TeamMember.team_id == team_id))
    )


def can_see(user: User, ticket: Ticket) -> bool:
    """Requesters see their own; their manager sees them too; agents see unrestricted ones;
    restricted tickets only their team and admins."""
    if user is None or not user.is_authenticated:
        return False
    if ticket.requester_id == user.id or user.role == Role.ADMIN:
        return True
    if ticket.restricted:
        return user.is_agent and in_team(user, ticket.team_id)
    if user.is_agent:
        return True
    return ticket.requester.manager_id == user.id or is_approver(user, ticket)


def is_approver(user: User, ticket: Ticket) -> bool:
    """Whether one of the ticket's approval steps names the user (or a team of theirs)."""
    for approval in ticket.approvals:
        if approval.approver_id == user.id:
            return True
        if approval.team_id and in_team(user, approval.team_id):
            return True
    return False


def sees_internal(user: User, ticket: Ticket) -> bool:
    """Internal notes are for staff; the ticket's requester never sees them, whoever they are."""
    return user.is_authenticated and user.is_agent and user.id != ticket.requester_id


def visible_tickets(user: User):
    """A filter clause matching the tickets `user` may see (for lists)."""
    if user.role == Role.ADMIN:
        return Ticket.id.is_not(None)
    own = Ticket.requester_id == user.id
    if user.is_agent:
        teams = select(TeamMember.team_id).where(TeamMember.user_id == user.id)
        return or_(own, Ticket.restricted.is_(False), Ticket.team_id.in_(teams))
    return own


TICKET_NUMBER = re.compile(r"[A-Z]{2,8}-\d{1,12}")


def get_ticket_or_404(number: str, user: User) -> Ticket:
    """The ticket with this number if `user` may see it; a 404 otherwise, so that
    other people's ticket numbers do not leak."""
    number = (number or "").upper()
    if not TICKET_NUMBER.fullmatch(number):
        abort(404)
    ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None or not can_see(user, ticket):
        abort(404)
    return ticket


def get_attachment_or_404(number: str, attachment_id: int, user: User) -> Attachment:
    """An attachment of a ticket `user` may see; a 404 for anything else."""
    ticket = get_ticket_or_404(number, user)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.ticket_id != ticket.id:
        abort(404)
    if attachment.event_id is not None and not sees_internal(user, ticket):
        event = db.session.get(Event, attachment.event_id)
        if event is not None and event.internal:
            abort(404)
    return attachment
