"""Ticket operations on plain values: they flush, the calling view commits once."""

import mimetypes
from datetime import UTC, datetime

from werkzeug.utils import secure_filename

from ..auth.models import User
from ..extensions import db
from . import files
from .lifecycle import Action, Status, next_status
from .models import Answer, Attachment, Event, EventKind, Ticket, TicketType
from .numbering import next_number

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
    db.session.flush()
    return ticket, stored


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


def add_comment(ticket: Ticket, author: User, body: str, *, internal: bool = False) -> Event:
    """A public reply (or an agent's internal note). A requester answering a ticket that waits
    on them puts it back in progress."""
    event = Event(actor=author, kind=EventKind.NOTE if internal else EventKind.COMMENT,
                  body=body, internal=internal)
    ticket.events.append(event)
    if (not internal and author.id == ticket.requester_id
            and ticket.status == Status.WAITING_ON_REQUESTER):
        change_status(ticket, Action.RESUME, author)
    ticket.updated_at = datetime.now(UTC)
    db.session.flush()
    return event


def change_status(ticket: Ticket, action: Action, actor: User, reason: str | None = None) -> Event:
    """Apply a lifecycle action (IllegalTransition when the table forbids it)."""
    new = next_status(ticket.status, action)
    event = Event(actor=actor, kind=EventKind.STATUS, old_value=ticket.status.value,
                  new_value=new.value, body=reason or None)
    now = datetime.now(UTC)
    if new == Status.RESOLVED:
        ticket.resolved_at = now
    elif new == Status.CLOSED:
        ticket.closed_at = now
    elif new == Status.IN_PROGRESS and ticket.status == Status.RESOLVED:
        ticket.resolved_at = None
    ticket.status = new
    ticket.events.append(event)
    db.session.flush()
    return event
