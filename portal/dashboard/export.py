"""The dashboard's tickets as CSV, produced a chunk at a time so any number of rows streams.

The rows are the tickets the page counts as "created in the range" (with the same team,
category and item filter) that the reader may open: the figures count every ticket, but a row
is a read, so the export applies the ticket page's own rule (visible_tickets). They are read in
id order with keyset pagination: each query asks for the
next 1,000 ids after the last one sent, so memory stays flat and no query uses OFFSET.
"""

import csv
import io
from collections.abc import Iterator

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from ..auth.models import User
from ..extensions import db
from ..tickets.access import visible_tickets
from ..tickets.models import Rating, Ticket
from ..web.templating import iso_datetime
from .filters import DashboardFilter
from .scope import created_in_range
from .sla_figures import sla_breached, sla_met

CHUNK = 1000
COLUMNS = ("number", "type", "title", "status", "priority", "team", "category", "item",
           "requester_email", "assignee_email", "created_at", "first_response_at",
           "resolved_at", "closed_at", "response_due_at", "resolution_due_at", "response_met",
           "resolution_met", "rating")
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def filename(flt: DashboardFilter) -> str:
    return f"tickets-{flt.start.isoformat()}-to-{flt.end.isoformat()}.csv"


def neutralise(value) -> str:
    """The cell as text, with a leading ' when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _state(done_at, due_at, now):
    """SQL: 'yes' met, 'no' breached, '' still running or no due time (as on the page)."""
    return case((sla_met(done_at, due_at), "yes"),
                (sla_breached(done_at, due_at, now), "no"), else_="")


def selected(flt: DashboardFilter, reader: User) -> list:
    """The WHERE clauses of the export: the page's range and filters, and what `reader` may
    open."""
    return [*created_in_range(flt), visible_tickets(reader)]


def query(flt: DashboardFilter, reader: User):
    """One chunk: the next CHUNK tickets after an id (bind `after`)."""
    requester, assignee = aliased(User), aliased(User)
    return (
        select(Ticket.id, Ticket.number, Ticket.type, Ticket.title, Ticket.status,
               Ticket.priority, Ticket.team_id, Ticket.category_id, Ticket.item_id,
               requester.email, assignee.email, Ticket.created_at, Ticket.first_response_at,
               Ticket.resolved_at, Ticket.closed_at, Ticket.response_due_at,
               Ticket.resolution_due_at,
               _state(Ticket.first_response_at, Ticket.response_due_at, flt.now),
               _state(Ticket.resolved_at, Ticket.resolution_due_at, flt.now), Rating.score)
        .join(requester, requester.id == Ticket.requester_id)
        .outerjoin(assignee, assignee.id == Ticket.assignee_id)
        .outerjoin(Rating, Rating.ticket_id == Ticket.id)
        .where(*selected(flt, reader))
        .order_by(Ticket.id).limit(CHUNK))


def rows(flt: DashboardFilter, names: dict[str, dict[str, str]], reader: User
         ) -> Iterator[str]:
    """The CSV text, a header then one piece per chunk, of the tickets `reader` may open.
    `names` maps team, category and item ids to the names to print (an id missing from the
    catalog is printed as it is)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # A byte-order mark, so spreadsheet programs read the UTF-8 names correctly.
    yield "\ufeff" + _line(writer, buffer, COLUMNS)
    chunk = query(flt, reader)
    # Start just before the range's lowest id, so that the id-ordered scans begin where the
    # range does, not at the first ticket ever made. "id + 0" keeps both databases from
    # answering min(id) by walking the primary key from its start; they read the range
    # through the created_at index instead.
    after = (db.session.scalar(select(func.min(Ticket.id + 0)).where(*selected(flt, reader)))
             or 1) - 1
    while True:
        batch = db.session.execute(chunk.where(Ticket.id > after)).all()
        for row in batch:
            writer.writerow([neutralise(v) for v in _cells(row, names)])
        if batch:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            after = batch[-1].id
        if len(batch) < CHUNK:
            return


def _cells(row, names) -> list:
    (_id, number, kind, title, status, priority, team, category, item, requester, assignee,
     created, first_response, resolved, closed, response_due, resolution_due, response_met,
     resolution_met, rating) = row
    return [number, kind.value, title, status.value, priority, names["team"].get(team, team),
            names["category"].get(category, category or ""), names["item"].get(item, item),
            requester, assignee, *(iso_datetime(m) for m in (
                created, first_response, resolved, closed, response_due, resolution_due)),
            response_met, resolution_met, rating]


def _line(writer, buffer, values) -> str:
    writer.writerow(values)
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
