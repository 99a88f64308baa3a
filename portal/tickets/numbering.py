"""Ticket numbers with a type prefix, unique across any number of processes."""

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import TicketCounter, TicketType


def format_number(prefix: str, value: int) -> str:
    """REQ-000123: six digits, growing wider past a million rather than wrapping."""
    return f"{prefix}-{value:06d}"


def next_number(ticket_type: TicketType) -> str:
    """Take the next number for this type inside the caller's transaction.

    The UPDATE ... RETURNING holds the counter row's lock until commit (PostgreSQL) or the
    database write lock (SQLite), so concurrent submitters queue instead of colliding, and a
    rolled-back submission gives its number back.
    """
    prefix = TicketType(ticket_type).prefix
    bump = (
        update(TicketCounter)
        .where(TicketCounter.prefix == prefix)
        .values(value=TicketCounter.value + 1)
        .returning(TicketCounter.value)
    )
    value = db.session.execute(bump).scalar()
    if value is None:
        try:
            with db.session.begin_nested():
                db.session.execute(insert(TicketCounter).values(prefix=prefix, value=0))
        except IntegrityError:
            pass  # another process created it first: fine, it exists now
        value = db.session.execute(bump).scalar_one()
    return format_number(prefix, value)
