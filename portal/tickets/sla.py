"""SLA due times on tickets: computed from the catalog's policy in business time, kept on the
ticket (so queues sort and the dashboard aggregates in SQL), and noticed once when at risk."""

from datetime import UTC, datetime

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from ..businesstime import AT_RISK, due_time, resolve_targets
from ..extensions import db, utcnow
from . import notifications as notify
from .lifecycle import DONE, FINAL, Status
from .models import EventKind, SlaNotice, Ticket


def status_history(ticket: Ticket) -> list[tuple[datetime, str]]:
    """(moment, status) from the ticket's creation and every status event since."""
    first = next((e for e in ticket.events if e.kind == EventKind.CREATED), None)
    history = [(ticket.created_at, first.new_value if first else Status.NEW.value)]
    history += [(e.created_at, e.new_value) for e in ticket.events
                if e.kind == EventKind.STATUS and e.created_at is not None]
    return history


def refresh_sla(ticket: Ticket, catalog) -> None:
    """(Re)compute the due and at-risk moments: on creation, on a status change (a pause
    starting or ending) and when the priority changes."""
    item = catalog.item(ticket.item_id)
    if item is None:
        return  # the item left the catalog: keep the moments it was given
    targets = resolve_targets(catalog, item, ticket.priority)
    if targets is None:
        ticket.sla_policy = None
        ticket.response_due_at = ticket.resolution_due_at = None
        ticket.response_risk_at = ticket.resolution_risk_at = None
        return
    ticket.sla_policy = getattr(item, "sla", None) or "default"
    created = ticket.created_at or datetime.now(UTC)
    history = status_history(ticket)
    for name, target in (("response", targets.response), ("resolution", targets.resolution)):
        due = due_time(target.calendar, created, target.time, history, targets.pause_on)
        risk = due_time(target.calendar, created, target.time * AT_RISK, history,
                        targets.pause_on)
        setattr(ticket, f"{name}_due_at", due)
        setattr(ticket, f"{name}_risk_at", risk)


def sla_state(ticket: Ticket, now: datetime | None = None) -> dict:
    """What a person needs to see of each target: due, met, at risk, breached, paused."""
    now = now or datetime.now(UTC)
    result = {}
    for name, met_at in (("response", ticket.first_response_at),
                         ("resolution", ticket.resolved_at)):
        due, risk = (_aware(getattr(ticket, f"{name}_due_at")),
                     _aware(getattr(ticket, f"{name}_risk_at")))
        met_at = _aware(met_at)
        if ticket.sla_policy is None:
            continue
        result[name] = {
            "due": due, "paused": due is None and met_at is None,
            "met": met_at is not None and (due is None or met_at <= due),
            "breached": due is not None and ((met_at or now) > due),
            "at_risk": met_at is None and risk is not None and now >= risk and
                       (due is None or now <= due),
        }
    return result


def _aware(moment):
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)  # SQLite gives naive datetimes back
    return moment


NOTICES = {
    # kind: (due column, the moment that meets it, risk column)
    "response": (Ticket.response_due_at, Ticket.first_response_at, Ticket.response_risk_at),
    "resolution": (Ticket.resolution_due_at, Ticket.resolved_at, Ticket.resolution_risk_at),
}


def check(now: datetime | None = None, batch: int = 500) -> int:
    """Send each at-risk and each breach notice once (assignee, else the team)."""
    now = now or datetime.now(UTC)
    sent = 0
    for target, (due, met, risk) in NOTICES.items():
        open_ticket = Ticket.status.not_in(DONE) if target == "resolution" else \
            Ticket.status.not_in(FINAL)
        for kind, moment in ((f"{target}_breached", due), (f"{target}_at_risk", risk)):
            already = exists().where(SlaNotice.ticket_id == Ticket.id, SlaNotice.kind == kind)
            # A breach makes the at-risk notice pointless: skip it when the breach is due too.
            later = [] if kind.endswith("breached") else [or_(due.is_(None), due >= now)]
            tickets = db.session.scalars(
                select(Ticket).where(and_(moment.is_not(None), moment <= now, met.is_(None),
                                          open_ticket, ~already, *later))
                .order_by(Ticket.id).limit(batch)).all()
            for ticket in tickets:
                if claim_notice(ticket.id, kind):
                    notify.sla_notice(ticket, kind)
                    sent += 1
            db.session.commit()
    return sent


def claim_notice(ticket_id: int, kind: str) -> bool:
    """Record that this notice goes out, unless another worker already did: an insert that
    does nothing on a conflict, so two workers checking at the same minute send it once."""
    insert = (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)
    claimed = db.session.scalar(
        insert(SlaNotice).values(ticket_id=ticket_id, kind=kind, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["ticket_id", "kind"])
        .returning(SlaNotice.id))
    return claimed is not None
