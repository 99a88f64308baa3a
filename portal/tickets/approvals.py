"""Approval steps: resolved to people when a ticket is made, decided one after another."""

import functools
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from ..auth.models import TeamMember, User, find_user
from ..auth.teams import in_team, team_ids_query
from ..errors import Refused
from ..extensions import db
from . import notifications as notify
from .access import can_see, visible_tickets
from .lifecycle import Action, Status
from .models import Approval, ApproverKind, Decision, Event, EventKind, Ticket


class DecisionRefused(Refused):
    """The decision cannot be taken; the message is fit to show the person."""


def create_steps(ticket: Ticket, item, values: dict) -> None:
    """One Approval row per step of the item, with the person (or team) who must decide.

    A step whose person cannot be found, or is the requester, is kept without an approver and
    flagged on the timeline so an admin settles it; it is never skipped silently.
    """
    for number, step in enumerate(item.approval, start=1):
        approval = Approval(step=number, kind=ApproverKind.MANAGER)
        if step == "manager":
            approval.wanted = "manager"
            manager = ticket.requester.manager
            approval.approver = manager if manager is not None and manager.active else None
        elif getattr(step, "team", None):
            approval.kind, approval.team_id = ApproverKind.TEAM, step.team
        elif getattr(step, "user", None):
            approval.kind, approval.wanted = ApproverKind.USER, str(step.user)
            approval.approver = _active(find_user(str(step.user)))
        else:
            approval.kind, approval.wanted = ApproverKind.FIELD, step.field
            chosen = values.get(step.field)
            approval.approver = _active(find_user(chosen)) if isinstance(chosen, str) else None
        if approval.approver is not None and approval.approver.id == ticket.requester.id:
            approval.approver = None  # nobody approves their own request
        ticket.approvals.append(approval)


def _active(user: User | None) -> User | None:
    return user if user is not None and user.active else None


def current_step(ticket: Ticket) -> Approval | None:
    """The first undecided step of a ticket that awaits approval."""
    if ticket.status != Status.AWAITING_APPROVAL:
        return None
    return next((a for a in ticket.approvals if a.decision == Decision.PENDING), None)


def needs_admin(approval: Approval) -> bool:
    """A person step without a usable approver, or a team step with nobody in the team."""
    if approval.kind == ApproverKind.TEAM:
        return not db.session.scalar(select(exists().where(
            TeamMember.team_id == approval.team_id, TeamMember.user_id == User.id,
            User.active.is_(True), User.id != approval.ticket.requester_id)))
    # A person who may not open the ticket (a restricted one of another team) cannot
    # decide it either: an admin settles the step.
    return (approval.approver is None or not approval.approver.active
            or not can_see(approval.approver, approval.ticket))


def may_decide(user: User, approval: Approval) -> bool:
    """The step's approver, any member of its team, or an admin settling a flagged step;
    never the requester, and only someone who may open the ticket."""
    if current_step(approval.ticket) is not approval or user.id == approval.ticket.requester_id:
        return False
    if (approval.kind == ApproverKind.TEAM and in_team(user, approval.team_id)) or (
            approval.approver_id is not None and approval.approver_id == user.id):
        return can_see(user, approval.ticket)
    return user.is_admin and needs_admin(approval)


def flag_missing_approver(ticket: Ticket, approval: Approval) -> None:
    """Tell admins (and the requester) on the timeline that a step has nobody to decide it."""
    ticket.events.append(Event(kind=EventKind.FLAGGED, new_value=str(approval.step),
                               body=_("No approver could be found for approval step %(step)d "
                                      "(%(who)s); an administrator will settle it.",
                                      step=approval.step, who=approval.wanted or approval.kind)))


def open_first_step(ticket: Ticket, catalog) -> None:
    """After submission: ask the first approver, or flag the step."""
    step = current_step(ticket)
    if step is None:
        return
    if needs_admin(step):
        flag_missing_approver(ticket, step)
    else:
        notify.approval_needed(ticket, step, catalog)


def decide(approval: Approval, user: User, approve: bool, comment: str | None, *,
           catalog) -> None:
    """Record one decision; the last approval opens the ticket, a rejection ends it.

    The step is claimed with a conditional UPDATE, so of two approvers deciding at the same
    moment exactly one wins and the other is told.
    """
    from .service import change_status  # service imports this module for submissions

    ticket = approval.ticket
    if not may_decide(user, approval):
        raise DecisionRefused(_("You cannot decide this approval (any more)."))
    if not approve and not (comment or "").strip():
        raise DecisionRefused(_("Say why you reject the request; the requester will read it."))
    now = datetime.now(UTC)
    decision = Decision.APPROVED if approve else Decision.REJECTED
    claimed = db.session.execute(
        update(Approval)
        .where(Approval.id == approval.id, Approval.decision == Decision.PENDING)
        .values(decision=decision, decided_by_id=user.id, decided_at=now,
                comment=(comment or "").strip() or None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise DecisionRefused(_("Someone else decided this approval a moment ago."))
    db.session.refresh(approval)
    ticket.events.append(Event(actor=user, kind=EventKind.APPROVAL, old_value=str(approval.step),
                               new_value=decision.value, body=approval.comment))
    if not approve:
        change_status(ticket, Action.REJECT, user, approval.comment, catalog=catalog)
        notify.rejected(ticket, approval)
        return
    following = current_step(ticket)
    if following is None:
        change_status(ticket, Action.APPROVE, user, catalog=catalog)
        from .service import announce_in_queue
        announce_in_queue(ticket, catalog)
    elif needs_admin(following):
        flag_missing_approver(ticket, following)
    else:
        notify.approval_needed(ticket, following, catalog)
    db.session.flush()


@functools.cache
def _waiting_statement():
    """Built once: the navigation counts approvals on every page, so the statement (with the
    user as a bound parameter) is compiled once and then served from SQLAlchemy's cache."""
    user_id = bindparam("approver_user_id")
    earlier = aliased(Approval)
    first_pending = ~exists().where(
        earlier.ticket_id == Approval.ticket_id, earlier.step < Approval.step,
        earlier.decision == Decision.PENDING)
    mine = or_(
        Approval.approver_id == user_id,
        and_(Approval.kind == ApproverKind.TEAM, Approval.team_id.in_(
            team_ids_query(user_id))),
    )
    return (select(Approval).join(Approval.ticket)
            .where(Ticket.status == Status.AWAITING_APPROVAL,
                   Approval.decision == Decision.PENDING, first_pending, mine,
                   Ticket.requester_id != user_id)
            .order_by(Ticket.created_at, Ticket.id))


def waiting_for(user: User):
    """A query of the current steps `user` may decide (oldest ticket first), on tickets they
    may open: a step on a restricted ticket of another team goes to the admins instead."""
    return _waiting_statement().where(visible_tickets(user)).params(approver_user_id=user.id)


def count_waiting_for(user: User) -> int:
    """How many steps the list of waiting_for() holds."""
    return db.session.scalar(select(func.count()).select_from(
        waiting_for(user).order_by(None).subquery())) or 0


def stuck_steps():
    """Current steps nobody can decide: for admins (checked in Python, a short list)."""
    candidates = db.session.scalars(
        select(Approval).join(Approval.ticket)
        .where(Ticket.status == Status.AWAITING_APPROVAL, Approval.decision == Decision.PENDING)
        .order_by(Ticket.created_at)
    ).all()
    return [a for a in candidates if current_step(a.ticket) is a and needs_admin(a)]
