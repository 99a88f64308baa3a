"""Rows kept beside a ticket: links between tickets, SLA notices already sent, the
requester's rating, and the number counters."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db, utcnow

if TYPE_CHECKING:
    from .models import Ticket


class TicketLink(db.Model):
    """Two related tickets (stored once, in either direction)."""

    __tablename__ = "ticket_links"
    __table_args__ = (UniqueConstraint("ticket_id", "other_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                          index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    ticket: Mapped["Ticket"] = relationship(foreign_keys=[ticket_id])
    other: Mapped["Ticket"] = relationship(foreign_keys=[other_id])


class SlaNotice(db.Model):
    """An at-risk or breach notice already sent for a ticket: each goes out once."""

    __tablename__ = "sla_notices"
    __table_args__ = (UniqueConstraint("ticket_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))   # e.g. response_at_risk, resolution_breached
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)


class Rating(db.Model):
    """The requester's satisfaction with a resolved ticket: 1-5, changeable until closed."""

    __tablename__ = "ratings"
    # Holds what the dashboard's satisfaction figure reads, so PostgreSQL reads the index only.
    __table_args__ = (Index("ix_ratings_created", "created_at", "ticket_id", "score"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           unique=True)
    score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)


class TicketCounter(db.Model):
    """One row per number prefix; incremented in the submitting transaction."""

    __tablename__ = "ticket_counters"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
