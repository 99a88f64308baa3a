"""Who may see which ticket; views fetch tickets only through here."""

import re

from flask import abort
from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from ..auth.models import Role, User
from ..auth.teams import team_ids_query
from ..extensions import db
from .models import Approval, Attachment, Event, Ticket


def visible_tickets(user: User) -> ColumnElement[bool]:
    """The one rule of who may read a ticket, as a SQL condition on Ticket: the ticket page,
    every list and every export apply it, so what a list shows can always be opened.

    Requesters read their own; their manager and the ticket's approvers (a person, or a
    member of an approving team) read them too; agents read every unrestricted ticket;
    restricted tickets only their team's agents, and admins read everything."""
    if user is None or not user.is_authenticated:
        return false()
    if user.role == Role.ADMIN:
        return true()
    own = Ticket.requester_id == user.id
    # Every subquery names what it correlates: the clause goes into queries that already
    # join users or approvals (the export, the approvals list).
    teams = team_ids_query(user.id).correlate(None)
    if user.is_agent:
        return or_(own, Ticket.restricted.is_(False), Ticket.team_id.in_(teams))
    report = aliased(User)
    reports = select(report.id).where(report.manager_id == user.id).correlate(None)
    step = aliased(Approval)
    approves = exists().where(step.ticket_id == Ticket.id,
                              or_(step.approver_id == user.id, step.team_id.in_(teams)))
    return or_(own, and_(Ticket.restricted.is_(False),
                         or_(Ticket.requester_id.in_(reports), approves.correlate(Ticket))))


def can_see(user: User, ticket: Ticket) -> bool:
    """Whether `user` may read this (stored) ticket, by visible_tickets()."""
    if user is None or not user.is_authenticated or ticket.id is None:
        return False
    return bool(db.session.scalar(
        select(exists().where(Ticket.id == ticket.id, visible_tickets(user)))))


def sees_internal(user: User, ticket: Ticket) -> bool:
    """Internal notes are for staff; the ticket's requester never sees them, whoever they are."""
    return user.is_authenticated and user.is_agent and user.id != ticket.requester_id


TICKET_NUMBER = re.compile(r"[A-Z]{2,8}-\d{1,12}")


def get_ticket_or_404(number: str, user: User) -> Ticket:
    """The ticket with this number if `user` may see it; a 404 otherwise, so that
    other people's ticket numbers do not leak."""
    number = (number or "").upper()
    if not TICKET_NUMBER.fullmatch(number):
        abort(404)
    ticket = db.session.scalar(
        select(Ticket).where(Ticket.number == number, visible_tickets(user)))
    if ticket is None:
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
