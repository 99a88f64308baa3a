"""Ticket operations on plain values: they flush, the calling view commits once."""

import mimetypes
from datetime import UTC, datetime

from werkzeug.utils import secure_filename

from ..auth.models import User
from ..extensions import db
from . import approvals, files
from . import notifications as notify
from .lifecycle import Action, Status, next_status
from .models import Answer, Attachment, Event, EventKind, Ticket, TicketType
from .numbering import next_number
from .sla import refresh_sla

DEFAULT_MATRIX = {
    "high": {"high": "P1", "medium": "P2", "low": "P3"},
    "medium": {"high": "P2", "medium": "P3", "low": "P4"},
    "low": {"high": "P3", "medium": "P4", "low": "P4"},
}


def priority_for(item, values: dict, matrix: dict | None = None) -> str:
    """The item's fixed priority, or impact × urgency through the priority matrix."""
    rule = getattr(item, "priority_from", None)
    if rule:
        impact, urgency = values.get(rule.impact), values.get(rule.urgency)
        row = (matrix or DEFAULT_MATRIX).get(impact) or {}
        if urgency in row:
            return row[urgency]
    return item.priority or "P3"


def submit_ticket(*, item, catalog, requester: User, answers: list[dict], uploads: dict,
                  title: str, upload_folder: str) -> tuple[Ticket, list[str]]:
    """Create the ticket, its answers, attachments and first event; return it with the keys of
    the files written to disk, which the caller deletes if the transaction fails."""
    values = {a["field_id"]: a["value"] for a in answers}
    ticket = Ticket(
        number=next_number(TicketType(item.type)),
        type=TicketType(item.type),
        title=title,
        status=Status.AWAITING_APPROVAL if item.approval else Status.NEW,
        priority=priority_for(item, values, matrix_of(catalog)),
        team_id=item.team,
        category_id=item.category,
        item_id=item.id,
        item_version=item.version,
        item_name=item.name,
        restricted=bool(item.restricted),
        requester=requester,
    )
    db.session.add(ticket)
    stored = []
    for answer in answers:
        upload = uploads.get(answer["field_id"])
        if upload is not None:
            attachment = store_upload(ticket, upload, requester, upload_folder,
                                      field_id=answer["field_id"])
            stored.append(attachment.storage_key)
            answer = {**answer, "value": {"filename": attachment.filename,
                                          "size": attachment.size},
                      "display": attachment.filename}
        ticket.answers.append(Answer(**answer))
    ticket.events.append(Event(actor=requester, kind=EventKind.CREATED,
                               new_value=ticket.status.value))
    if item.approval:
        approvals.create_steps(ticket, item, values)
    db.session.flush()
    refresh_sla(ticket, catalog)
    notify.ticket_received(ticket)
    if item.approval:
        approvals.open_first_step(ticket, catalog)
    else:
        announce_in_queue(ticket, catalog)
    return ticket, stored


def announce_in_queue(ticket: Ticket, catalog) -> None:
    """Tell the ticket's team that it has something new to pick up."""
    team = catalog.team(ticket.team_id)
    if team is not None:
        notify.new_in_queue(ticket, team)


def note_first_response(ticket: Ticket, actor: User | None) -> None:
    """First response = the first public reply or status change by someone other than the
    requester (the SLA clock for response stops here)."""
    if (ticket.first_response_at is None and actor is not None
            and actor.id != ticket.requester_id and actor.is_agent):
        ticket.first_response_at = datetime.now(UTC)


def matrix_of(catalog) -> dict | None:
    """The catalog's priority matrix as plain dicts, or None for the default."""
    matrix = getattr(catalog, "priority_matrix", None)
    if matrix is None:
        return None
    return matrix if isinstance(matrix, dict) else matrix.model_dump()


def store_upload(ticket: Ticket, upload, uploader: User, folder: str, *, field_id=None,
                 event=None) -> Attachment:
    """Write an upload to disk and attach it to the ticket."""
    saved = files.save(folder, upload.stream)
    filename = secure_filename(upload.filename or "") or "file"
    content_type = (mimetypes.guess_type(filename)[0] or "application/octet-stream")
    attachment = Attachment(
        filename=filename[:255], content_type=content_type, size=saved.size,
        sha256=saved.sha256, storage_key=saved.key, uploaded_by_id=uploader.id,
        field_id=field_id,
    )
    if event is not None:
        attachment.event_id = event.id
    ticket.attachments.append(attachment)
    return attachment


def add_comment(ticket: Ticket, author: User, body: str, *, catalog,
                internal: bool = False) -> Event:
    """A public reply (or an agent's internal note). A requester answering a ticket that waits
    on them puts it back in progress."""
    event = Event(actor=author, kind=EventKind.NOTE if internal else EventKind.COMMENT,
                  body=body, internal=internal)
    ticket.events.append(event)
    ticket.updated_at = datetime.now(UTC)
    db.session.flush()
    if internal:
        return event
    if author.id == ticket.requester_id:
        if ticket.status == Status.WAITING_ON_REQUESTER:
            change_status(ticket, Action.RESUME, author, catalog=catalog)
        notify.requester_replied(ticket, event)
    else:
        note_first_response(ticket, author)
        notify.public_reply(ticket, event)
    return event


def change_status(ticket: Ticket, action: Action, actor: User | None,
                  reason: str | None = None, *, catalog) -> Event:
    """Apply a lifecycle action (IllegalTransition when the table forbids it); actor None is
    the portal itself (e.g. closing after the reopen window)."""
    new = next_status(ticket.status, action, reason)
    event = Event(actor=actor, kind=EventKind.STATUS, old_value=ticket.status.value,
                  new_value=new.value, body=reason or None)
    now = datetime.now(UTC)
    if new == Status.RESOLVED:
        ticket.resolved_at = now
    elif new == Status.CLOSED:
        ticket.closed_at = now
    elif new == Status.IN_PROGRESS and ticket.status == Status.RESOLVED:
        ticket.resolved_at = None
    old = ticket.status
    ticket.status = new
    ticket.events.append(event)
    note_first_response(ticket, actor)
    db.session.flush()
    refresh_sla(ticket, catalog)  # a pause may have started or ended
    if new == Status.RESOLVED:
        notify.resolved(ticket, event)
    elif action == Action.REOPEN and actor is not None and actor.id == ticket.requester_id:
        notify.reopened(ticket, event)  # the team hears why; an agent's reopen is their own
    elif new != Status.REJECTED:  # a rejection is told with the approver's reason instead
        notify.status_changed(ticket, old, new, actor)
    return event
