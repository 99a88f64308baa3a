"""What agents do to a ticket: assign, move, reply, escalate, link, re-prioritise, and the
requester's confirm-or-reopen. Each function flushes; the calling view commits once."""

from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm.exc import StaleDataError

from ..auth.models import User
from ..auth.teams import in_team
from ..config import PRIORITIES
from ..errors import Refused
from ..extensions import db
from . import notifications as notify
from .access import can_see, visible_tickets
from .lifecycle import Action, Status
from .models import Event, EventKind, Rating, Ticket, TicketLink
from .service import add_comment, announce_in_queue, change_status, store_upload
from .sla import refresh_sla


def can_work(user: User, ticket: Ticket) -> bool:
    """Agents of the ticket's team (and admins) work it."""
    if not user.is_authenticated or not user.is_agent:
        return False
    return user.is_admin or in_team(user, ticket.team_id)


def check_version(ticket: Ticket, seen_version) -> None:
    """Refuse an action taken on an out-of-date page: someone else changed the ticket since."""
    try:
        seen = int(seen_version)
    except (TypeError, ValueError):
        seen = None
    if seen != ticket.version:
        raise Refused(_("%(number)s was changed by someone else after you opened it. "
                        "Here is the latest state; check it and try again.",
                        number=ticket.number))


def assign(ticket: Ticket, assignee: User | None, actor: User) -> None:
    """Give the ticket to a member of its team (None: unassign)."""
    if assignee is not None and not (assignee.active and assignee.is_agent
                                     and in_team(assignee, ticket.team_id)):
        raise Refused(_("%(name)s is not an agent of this ticket's team.", name=assignee.name))
    if (assignee.id if assignee else None) == ticket.assignee_id:
        raise Refused(_("%(number)s is already assigned to %(name)s.", number=ticket.number,
                        name=assignee.name if assignee else _("nobody")))
    old = ticket.assignee
    ticket.assignee = assignee
    ticket.events.append(Event(actor=actor, kind=EventKind.ASSIGNED,
                               old_value=old.name if old else None,
                               new_value=assignee.name if assignee else None))
    db.session.flush()
    if assignee is not None:
        notify.assigned(ticket, assignee, actor)


def move(ticket: Ticket, action: Action, actor: User, note: str | None = None, *,
         catalog) -> None:
    """A lifecycle move chosen by an agent; the state machine decides whether it is allowed
    (IllegalTransition, a Refused)."""
    change_status(ticket, action, actor, note, catalog=catalog)


def reply(ticket: Ticket, author: User, body: str, *, catalog, internal: bool, uploads=(),
          upload_folder: str) -> tuple[Event, list[str]]:
    """A public reply or an internal note, with attachments; returns the stored file keys."""
    event = add_comment(ticket, author, body, catalog=catalog, internal=internal)
    stored = []
    for upload in uploads:
        attachment = store_upload(ticket, upload, author, upload_folder, event=event)
        stored.append(attachment.storage_key)
    db.session.flush()
    return event, stored


def transfer(ticket: Ticket, team, actor: User, reason: str, *, catalog) -> None:
    """Hand the ticket to another catalog team: an escalation when the tier goes up."""
    if team is None:
        raise Refused(_("Choose a team from the list."))
    if team.id == ticket.team_id:
        raise Refused(_("The ticket is already with that team."))
    if not reason.strip():
        raise Refused(_("Say why, so the next team knows where things stand."))
    ticket.events.append(Event(actor=actor, kind=EventKind.TEAM,
                               old_value=f"{ticket.team_id}|{ticket.tier}",
                               new_value=f"{team.id}|{team.tier}", body=reason.strip()))
    ticket.team_id, ticket.tier = team.id, team.tier
    if ticket.assignee is not None:
        ticket.events.append(Event(actor=actor, kind=EventKind.ASSIGNED,
                                   old_value=ticket.assignee.name, new_value=None))
        ticket.assignee = None
    db.session.flush()
    announce_in_queue(ticket, catalog)


def link(ticket: Ticket, other_number: str, actor: User) -> Ticket:
    """Relate two tickets (shown on both); the other must be one the agent may see."""
    other = db.session.scalar(select(Ticket).where(
        Ticket.number == (other_number or "").strip().upper()))
    if other is None or not can_see(actor, other):
        raise Refused(_("There is no ticket %(number)s that you can see.",
                        number=(other_number or "").strip()[:20]))
    if other.id == ticket.id:
        raise Refused(_("A ticket cannot be linked to itself."))
    if db.session.scalar(select(TicketLink.id).where(or_(
            (TicketLink.ticket_id == ticket.id) & (TicketLink.other_id == other.id),
            (TicketLink.ticket_id == other.id) & (TicketLink.other_id == ticket.id)))):
        raise Refused(_("%(a)s and %(b)s are already linked.", a=ticket.number, b=other.number))
    db.session.add(TicketLink(ticket_id=ticket.id, other_id=other.id, created_by_id=actor.id))
    ticket.events.append(Event(actor=actor, kind=EventKind.LINK, new_value=other.number))
    other.events.append(Event(actor=actor, kind=EventKind.LINK, new_value=ticket.number))
    db.session.flush()
    return other


def linked_tickets(ticket: Ticket, reader: User) -> list[Ticket]:
    """The tickets related to this one that `reader` may open (a link made by someone who
    could see both does not show the other to everybody)."""
    rows = db.session.scalars(select(TicketLink).where(
        or_(TicketLink.ticket_id == ticket.id, TicketLink.other_id == ticket.id))
        .order_by(TicketLink.id)).all()
    ids = [row.other_id if row.ticket_id == ticket.id else row.ticket_id for row in rows]
    readable = {t.id: t for t in db.session.scalars(
        select(Ticket).where(Ticket.id.in_(ids), visible_tickets(reader)))}
    return [readable[i] for i in ids if i in readable]


def set_priority(ticket: Ticket, priority: str, actor: User, reason: str, *,
                 catalog) -> None:
    if priority not in PRIORITIES:
        raise Refused(_("Choose a priority from P1 to P4."))
    if priority == ticket.priority:
        raise Refused(_("The ticket already has priority %(p)s.", p=priority))
    ticket.events.append(Event(actor=actor, kind=EventKind.PRIORITY, old_value=ticket.priority,
                               new_value=priority, body=reason.strip() or None))
    ticket.priority = priority
    refresh_sla(ticket, catalog)  # the targets depend on the priority
    db.session.flush()


def reopen_deadline(ticket: Ticket, window_days: int) -> datetime | None:
    """Until when the requester may still reopen a resolved ticket."""
    if ticket.status != Status.RESOLVED or ticket.resolved_at is None:
        return None
    resolved = ticket.resolved_at
    if resolved.tzinfo is None:  # SQLite hands back naive datetimes
        resolved = resolved.replace(tzinfo=UTC)
    return resolved + timedelta(days=window_days)


def confirm(ticket: Ticket, requester: User, *, catalog) -> None:
    """The requester agrees the problem is solved: the ticket closes."""
    if ticket.status != Status.RESOLVED:
        raise Refused(_("Only a resolved ticket can be confirmed."))
    change_status(ticket, Action.CLOSE, requester, _("The requester confirmed the solution."),
                  catalog=catalog)


def reopen(ticket: Ticket, requester: User, reason: str, window_days: int, *,
           catalog) -> None:
    """The requester says it is not solved, within the window after resolution."""
    deadline = reopen_deadline(ticket, window_days)
    if deadline is None:
        raise Refused(_("Only a resolved ticket can be reopened."))
    if datetime.now(UTC) > deadline:
        raise Refused(_("This ticket can no longer be reopened; please open a new request."))
    if not reason.strip():
        raise Refused(_("Tell the team what is still wrong."))
    change_status(ticket, Action.REOPEN, requester, reason.strip(), catalog=catalog)


def autoclose(window_days: int, catalog, now: datetime | None = None, batch: int = 500) -> int:
    """Close resolved tickets whose reopen window has passed; returns how many."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=window_days)
    closed = 0
    while True:
        tickets = db.session.scalars(
            select(Ticket).where(Ticket.status == Status.RESOLVED, Ticket.resolved_at < cutoff)
            .order_by(Ticket.id).limit(batch)
        ).all()
        if not tickets:
            return closed
        for ticket in tickets:  # one commit each: a ticket someone else changed is skipped
            try:
                change_status(ticket, Action.CLOSE, None,
                              _("Closed automatically %(days)d days after it was resolved.",
                                days=window_days), catalog=catalog)
                db.session.commit()
                closed += 1
            except StaleDataError:  # another worker closed (or someone reopened) it just now
                db.session.rollback()


def rate(ticket: Ticket, requester: User, score: int, comment: str | None) -> Rating:
    """One rating per ticket, changeable while it is resolved (closed tickets keep theirs)."""
    if ticket.status != Status.RESOLVED:
        raise Refused(_("A request can be rated once it is resolved and until it is closed."))
    if not 1 <= score <= 5:
        raise Refused(_("Choose from 1 (poor) to 5 (excellent)."))
    rating = db.session.scalar(select(Rating).where(Rating.ticket_id == ticket.id))
    if rating is None:
        rating = Rating(ticket_id=ticket.id, score=score)
        db.session.add(rating)
    rating.score = score
    rating.comment = (comment or "").strip()[:2000] or None
    rating.updated_at = datetime.now(UTC)
    db.session.flush()
    return rating


def rating_of(ticket: Ticket) -> Rating | None:
    return db.session.scalar(select(Rating).where(Rating.ticket_id == ticket.id))
