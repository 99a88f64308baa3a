"""Who is told what: each function adds outbox rows to the session, nothing more.

The ticket service calls these inside its transaction, so a notification exists exactly when
the change behind it is committed. A row holds the subject and what the bodies need (ids and
plain values); rendering the bodies and sending are the worker's job (render.py, worker.py),
which keeps the templates out of the request.
"""

import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..auth.models import User
from ..auth.teams import active_members
from ..extensions import db
from ..outbox.models import OutboxMessage
from .lifecycle import STATUS_LABELS, Status
from .links import ticket_url
from .models import Approval, Event, Ticket

# (address, name to greet or None, preferred locale or None)
Recipient = tuple[str, str | None, str | None]


def ticket_received(ticket: Ticket) -> None:
    """Tell the requester their ticket exists, with its number and page."""
    _send("ticket_received", ticket, _people([ticket.requester]),
          lambda: _("[%(number)s] We received your request: %(title)s",
                    number=ticket.number, title=ticket.title),
          status=Status(ticket.status).value)  # as it is now, not when the worker renders


def status_changed(ticket: Ticket, old_status: Status, new_status: Status,
                   actor: User | None) -> None:
    """Tell the requester about a status change they did not make themselves."""
    if new_status == Status.RESOLVED or _same(actor, ticket.requester):
        return  # resolved() tells them, with the resolution
    _send("status_changed", ticket, _people([ticket.requester]),
          lambda: _("[%(number)s] Status changed to %(status)s: %(title)s",
                    number=ticket.number, status=STATUS_LABELS[Status(new_status)],
                    title=ticket.title),
          old_status=Status(old_status).value, new_status=Status(new_status).value)


def public_reply(ticket: Ticket, event: Event) -> None:
    """Send an agent's public reply to the requester (never an internal note)."""
    _refuse_internal(event)
    if _same(event.actor, ticket.requester):
        return
    _send("public_reply", ticket, _people([ticket.requester]),
          lambda: _("[%(number)s] New reply on your request: %(title)s",
                    number=ticket.number, title=ticket.title),
          event_id=_id(event))


def resolved(ticket: Ticket, event: Event | None = None) -> None:
    """Tell the requester the ticket is resolved and how to confirm or reopen it."""
    if event is not None:
        _refuse_internal(event)
    days = current_app.config.get("REOPEN_WINDOW_DAYS", 7)
    reopen_until = (ticket.resolved_at or datetime.now(UTC)) + timedelta(days=days)
    _send("resolved", ticket, _people([ticket.requester]),
          lambda: _("[%(number)s] Your request was resolved: %(title)s",
                    number=ticket.number, title=ticket.title),
          resolution=(event.body or "").strip() if event is not None else "",
          reopen_until=reopen_until.isoformat())


def approval_needed(ticket: Ticket, approval: Approval, catalog) -> None:
    """Ask the approver (or every active member of the approving team) to decide."""
    if approval.approver is not None:
        recipients = _people([approval.approver])
    elif approval.team_id:
        recipients = _people(active_members(approval.team_id))
    else:
        return  # nobody to ask: the ticket is flagged to admins instead
    team = catalog.team(approval.team_id) if approval.approver is None else None
    _send("approval_needed", ticket, recipients,
          lambda: _("[%(number)s] Your approval is needed: %(title)s",
                    number=ticket.number, title=ticket.title),
          link="/approvals", team=_team(team))


def rejected(ticket: Ticket, approval: Approval) -> None:
    """Tell the requester an approver said no, and why."""
    _send("rejected", ticket, _people([ticket.requester]),
          lambda: _("[%(number)s] Your request was not approved: %(title)s",
                    number=ticket.number, title=ticket.title),
          approval_id=_id(approval))


def new_in_queue(ticket: Ticket, catalog_team) -> None:
    """Tell a team something new waits in its queue: its shared address, else its members."""
    if getattr(catalog_team, "email", None):
        recipients = [(catalog_team.email, None, None)]
    else:
        recipients = _people(active_members(catalog_team.id))
    _send("new_in_queue", ticket, recipients,
          lambda: _("[%(number)s] New in your queue: %(title)s",
                    number=ticket.number, title=ticket.title),
          team=_team(catalog_team))


def assigned(ticket: Ticket, assignee: User, actor: User | None) -> None:
    """Tell an agent a ticket was given to them (not when they took it themselves)."""
    if _same(assignee, actor):
        return
    _send("assigned", ticket, _people([assignee]),
          lambda: _("[%(number)s] Assigned to you: %(title)s",
                    number=ticket.number, title=ticket.title),
          actor_id=actor.id if actor is not None else None)


def requester_replied(ticket: Ticket, event: Event) -> None:
    """Pass the requester's reply to the assignee, or to the team while nobody (active) has it."""
    _tell_who_has_it("requester_replied", ticket, event,
                     lambda: _("[%(number)s] The requester replied: %(title)s",
                               number=ticket.number, title=ticket.title))


def reopened(ticket: Ticket, event: Event) -> None:
    """Tell the assignee (else the team) that the requester reopened a resolved ticket, and why."""
    _tell_who_has_it("reopened", ticket, event,
                     lambda: _("[%(number)s] Reopened by the requester: %(title)s",
                               number=ticket.number, title=ticket.title))


def _tell_who_has_it(kind: str, ticket: Ticket, event: Event, subject) -> None:
    _send(kind, ticket, _people(p for p in _who_has_it(ticket) if not _same(p, event.actor)),
          subject, event_id=_id(event))


def sla_notice(ticket: Ticket, kind: str) -> None:
    """Warn the assignee (else the team) that a target is at risk or was missed."""
    people = _who_has_it(ticket)
    subjects = {
        "response_at_risk": lambda: _("[%(number)s] First response due soon: %(title)s",
                                      number=ticket.number, title=ticket.title),
        "response_breached": lambda: _("[%(number)s] First response overdue: %(title)s",
                                       number=ticket.number, title=ticket.title),
        "resolution_at_risk": lambda: _("[%(number)s] Resolution due soon: %(title)s",
                                        number=ticket.number, title=ticket.title),
        "resolution_breached": lambda: _("[%(number)s] Resolution overdue: %(title)s",
                                         number=ticket.number, title=ticket.title),
    }
    _send("sla_notice", ticket, _people(people), subjects[kind], notice=kind)


def thread_root(number: str) -> str:
    """The Message-ID every message about a ticket answers, so mail clients thread them."""
    return f"<ticket.{number}@{_domain()}>"


def _send(kind: str, ticket: Ticket, recipients: Iterable[Recipient],
          subject: Callable[[], str], *, link: str | None = None, **context) -> None:
    """Add one row per recipient with the subject in their language and what the worker needs
    to render the bodies (context: ids and JSON values, see render.py)."""
    ticket_id = _id(ticket)
    url = (current_app.config["PORTAL_URL"].rstrip("/") + link if link
           else ticket_url(ticket, external=True))
    for address, name, wanted in recipients:
        locale = _locale(wanted)
        with force_locale(locale):
            title = " ".join(str(subject()).split())  # a header holds no line breaks
        db.session.add(OutboxMessage(
            ticket_id=ticket_id, kind=kind, recipient=address[:254],
            recipient_name=name[:200] if name else None, locale=locale,
            context={"url": url, **context}, subject=title[:300],
            message_id=f"<{uuid.uuid4().hex}.{ticket.number}@{_domain()}>",
            in_reply_to=thread_root(ticket.number),
        ))


def _id(row) -> int:
    """The row's id, flushing first when it is new in this transaction."""
    if row.id is None:
        db.session.flush()
    return row.id


def _team(team) -> dict | None:
    """A catalog team as the message keeps it: its name survives a catalog change."""
    if team is None:
        return None
    name = team.name
    return {"id": team.id, "name": name if isinstance(name, str) else dict(name)}


def _people(users: Iterable[User | None]) -> list[Recipient]:
    """Active people with an address, each once."""
    seen, result = set(), []
    for user in users:
        if user is None or not user.active or not user.email or user.email in seen:
            continue
        seen.add(user.email)
        result.append((user.email, user.name, user.locale))
    return result


def _who_has_it(ticket: Ticket) -> list[User]:
    """The assignee, or the team's active members while nobody (active) has the ticket."""
    assignee = ticket.assignee
    return [assignee] if assignee and assignee.active else active_members(ticket.team_id)


def _same(a: User | None, b: User | None) -> bool:
    return a is not None and b is not None and a.id == b.id


def _refuse_internal(event: Event) -> None:
    if event.internal:
        raise ValueError("an internal note is never e-mailed to the requester")


def _locale(wanted: str | None) -> str:
    languages = current_app.config["LANGUAGES"]
    for candidate in (wanted, (wanted or "").replace("-", "_").split("_")[0]):
        if candidate in languages:
            return candidate
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _domain() -> str:
    return urlsplit(current_app.config["PORTAL_URL"]).hostname or "localhost"
