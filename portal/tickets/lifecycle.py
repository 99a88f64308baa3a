"""The ticket lifecycle: statuses, actions and the one table of allowed moves."""

import enum

from flask_babel import lazy_gettext as _l

from ..errors import Refused


class Status(enum.StrEnum):
    NEW = "new"
    AWAITING_APPROVAL = "awaiting_approval"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING_ON_REQUESTER = "waiting_on_requester"
    WAITING_ON_THIRD_PARTY = "waiting_on_third_party"  # a vendor or supplier
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """Still needs someone to do something."""
        return self not in FINAL and self != Status.RESOLVED


# The status sets every module uses; a new status joins them here and nowhere else.
FINAL = frozenset({Status.CLOSED, Status.REJECTED, Status.CANCELLED})  # nothing more happens
DONE = FINAL | {Status.RESOLVED}            # no work left (a resolved ticket may reopen)
SOLVED = (Status.RESOLVED, Status.CLOSED)   # someone fixed it: rated, written up in the KB
OPEN = tuple(s for s in Status if s not in DONE)  # the backlog, in declaration order
WORKABLE = tuple(s for s in OPEN if s != Status.AWAITING_APPROVAL)  # in the agents' queues


class Action(enum.StrEnum):
    APPROVE = "approve"          # the last approval step said yes
    REJECT = "reject"
    ACCEPT = "accept"            # triage: new -> open
    START = "start"
    WAIT = "wait"                # ask the requester something
    WAIT_THIRD_PARTY = "wait_third_party"  # a vendor or supplier must act first
    RESUME = "resume"            # the requester answered
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CLOSE = "close"
    CANCEL = "cancel"


S, A = Status, Action
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (S.AWAITING_APPROVAL, A.APPROVE): S.OPEN,
    (S.AWAITING_APPROVAL, A.REJECT): S.REJECTED,
    (S.NEW, A.ACCEPT): S.OPEN,
    (S.NEW, A.START): S.IN_PROGRESS,
    (S.OPEN, A.START): S.IN_PROGRESS,
    (S.NEW, A.WAIT): S.WAITING_ON_REQUESTER,
    (S.OPEN, A.WAIT): S.WAITING_ON_REQUESTER,
    (S.IN_PROGRESS, A.WAIT): S.WAITING_ON_REQUESTER,
    (S.WAITING_ON_REQUESTER, A.RESUME): S.IN_PROGRESS,
    **{(s, A.WAIT_THIRD_PARTY): S.WAITING_ON_THIRD_PARTY for s in (S.NEW, S.OPEN, S.IN_PROGRESS)},
    (S.WAITING_ON_THIRD_PARTY, A.RESUME): S.IN_PROGRESS,
    (S.WAITING_ON_THIRD_PARTY, A.RESOLVE): S.RESOLVED,
    (S.NEW, A.RESOLVE): S.RESOLVED,
    (S.OPEN, A.RESOLVE): S.RESOLVED,
    (S.IN_PROGRESS, A.RESOLVE): S.RESOLVED,
    (S.WAITING_ON_REQUESTER, A.RESOLVE): S.RESOLVED,
    (S.RESOLVED, A.REOPEN): S.IN_PROGRESS,
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    **{(s, A.CANCEL): S.CANCELLED for s in (
        S.NEW, S.AWAITING_APPROVAL, S.OPEN, S.IN_PROGRESS, S.WAITING_ON_REQUESTER,
        S.WAITING_ON_THIRD_PARTY)},
}
del S, A


STATUS_LABELS = {
    Status.NEW: _l("New"),
    Status.AWAITING_APPROVAL: _l("Awaiting approval"),
    Status.OPEN: _l("Open"),
    Status.IN_PROGRESS: _l("In progress"),
    Status.WAITING_ON_REQUESTER: _l("Waiting on requester"),
    Status.WAITING_ON_THIRD_PARTY: _l("Waiting on a third party"),
    Status.RESOLVED: _l("Resolved"),
    Status.CLOSED: _l("Closed"),
    Status.REJECTED: _l("Rejected"),
    Status.CANCELLED: _l("Cancelled"),
}

# How a status looks in lists and badges (the CSS has one colour per tone).
STATUS_TONES = {
    Status.NEW: "todo", Status.OPEN: "todo", Status.IN_PROGRESS: "doing",
    Status.AWAITING_APPROVAL: "waiting", Status.WAITING_ON_REQUESTER: "waiting",
    Status.WAITING_ON_THIRD_PARTY: "waiting",
    Status.RESOLVED: "done", Status.CLOSED: "done",
    Status.REJECTED: "stopped", Status.CANCELLED: "stopped",
}

# "A ticket that is <status> cannot be <past>."
ACTION_PAST = {
    Action.APPROVE: _l("approved"),
    Action.REJECT: _l("rejected"),
    Action.ACCEPT: _l("accepted"),
    Action.START: _l("started"),
    Action.WAIT: _l("put on hold for the requester"),
    Action.WAIT_THIRD_PARTY: _l("put on hold for a third party"),
    Action.RESUME: _l("resumed"),
    Action.RESOLVE: _l("resolved"),
    Action.REOPEN: _l("reopened"),
    Action.CLOSE: _l("closed"),
    Action.CANCEL: _l("cancelled"),
}


class IllegalTransition(Refused):
    """The move is not in TRANSITIONS; the message is fit to show a person."""


# Moves that need a note, and what to say when it is missing.
NOTE_NEEDED: dict[Action, object] = {
    Action.WAIT_THIRD_PARTY: _l("Say whom we are waiting for (a vendor, a supplier) in the note."),
}


def next_status(current: Status, action: Action, note: str | None = None) -> Status:
    """The status after `action`, or IllegalTransition with a clear message (also when the
    move needs a note and has none)."""
    try:
        new = TRANSITIONS[(Status(current), Action(action))]
    except KeyError:
        raise IllegalTransition(
            _l(
                "A ticket that is %(status)s cannot be %(action)s.",
                status=str(STATUS_LABELS[Status(current)]).lower(),
                action=ACTION_PAST[Action(action)],
            )
        ) from None
    if Action(action) in NOTE_NEEDED and not (note or "").strip():
        raise IllegalTransition(NOTE_NEEDED[Action(action)])
    return new


def can(current: Status, action: Action) -> bool:
    """Whether the table allows `action` from `current`."""
    return (Status(current), Action(action)) in TRANSITIONS


# What an agent may do from the ticket page; approving, rejecting and cancelling belong to
# approvers and requesters, and a requester's answer resumes a ticket by itself.
AGENT_ACTIONS = (Action.ACCEPT, Action.START, Action.WAIT, Action.WAIT_THIRD_PARTY,
                 Action.RESUME, Action.RESOLVE, Action.REOPEN, Action.CLOSE)

ACTION_LABELS = {
    Action.ACCEPT: _l("Accept"),
    Action.START: _l("Start work"),
    Action.WAIT: _l("Wait for requester"),
    Action.WAIT_THIRD_PARTY: _l("Wait for a third party"),
    Action.RESUME: _l("Resume"),
    Action.RESOLVE: _l("Resolve"),
    Action.REOPEN: _l("Reopen"),
    Action.CLOSE: _l("Close"),
    Action.APPROVE: _l("Approve"),
    Action.REJECT: _l("Reject"),
    Action.CANCEL: _l("Cancel"),
}


def agent_actions(current: Status) -> list[Action]:
    """The lifecycle actions an agent is offered for a ticket in `current`."""
    return [action for action in allowed_actions(current) if action in AGENT_ACTIONS]


def allowed_actions(current: Status) -> list[Action]:
    """Every action the table allows from `current`, in declaration order."""
    return [action for (status, action) in TRANSITIONS if status == current]
