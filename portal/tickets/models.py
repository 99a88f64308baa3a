"""Tickets, their answer snapshots, attachments, timeline events and number counters."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db, enum_column, utcnow
from .lifecycle import Status


class TicketType(enum.StrEnum):
    REQUEST = "request"
    INCIDENT = "incident"
    CHANGE = "change"
    ACCESS = "access"

    @property
    def prefix(self) -> str:
        return {"request": "REQ", "incident": "INC", "change": "CHG", "access": "ACC"}[self.value]


class Ticket(db.Model):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_requester_created", "requester_id", "created_at"),
        Index("ix_tickets_team_status", "team_id", "status"),
        # The agent queue: a team's tickets by priority then age, read with keyset pagination.
        # The dashboard's SLA figure counts each team and priority's range of it, so it also
        # holds every column those counts and the dashboard's filters read.
        Index("ix_tickets_queue", "team_id", "priority", "created_at", "id", "first_response_at",
              "response_due_at", "resolved_at", "resolution_due_at", "category_id", "item_id"),
        Index("ix_tickets_team_created", "team_id", "created_at", "id"),
        Index("ix_tickets_assignee_status", "assignee_id", "status"),
        # The dashboard: everything is filtered by creation or resolution date first. The
        # response and resolution times read this index alone, and with the id PostgreSQL
        # joins ratings and approvals from it.
        Index("ix_tickets_created", "created_at", "id", "first_response_at", "resolved_at"),
        # The dashboard's busiest items: each item's range of creation dates.
        Index("ix_tickets_item_created", "item_id", "created_at"),
        Index("ix_tickets_resolved", "resolved_at"),
        Index("ix_tickets_status_created", "status", "created_at"),
        Index("ix_tickets_team_resolution_due", "team_id", "resolution_due_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    type: Mapped[TicketType] = mapped_column(enum_column(TicketType, 16))
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[Status] = mapped_column(enum_column(Status), index=True)
    priority: Mapped[str] = mapped_column(String(2))
    team_id: Mapped[str] = mapped_column(String(64))
    category_id: Mapped[str | None] = mapped_column(String(64))
    # What the requester submitted against: the item may change or vanish later.
    item_id: Mapped[str] = mapped_column(String(64))
    item_version: Mapped[str] = mapped_column(String(16))
    item_name: Mapped[dict | str] = mapped_column(JSON)
    restricted: Mapped[bool] = mapped_column(default=False)
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    tier: Mapped[int] = mapped_column(default=1)
    version: Mapped[int] = mapped_column(default=1)
    # Every UPDATE checks and bumps the version: two people changing one ticket at the same
    # moment cannot silently overwrite each other (the loser gets StaleDataError).
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        db.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    first_response_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    # SLA: the policy in force and the due moments in working time, recomputed when the
    # priority or policy changes and when a pause ends (None while paused or without a policy).
    sla_policy: Mapped[str | None] = mapped_column(String(64))
    response_due_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    resolution_due_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    # When 80 % of each target's working time is used: "at risk" is then a plain comparison.
    response_risk_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    resolution_risk_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))

    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="ticket", order_by="Answer.position", cascade="all, delete-orphan"
    )
    events: Mapped[list["Event"]] = relationship(
        back_populates="ticket", order_by="Event.id", cascade="all, delete-orphan"
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="ticket", order_by="Attachment.id", cascade="all, delete-orphan"
    )
    approvals: Mapped[list["Approval"]] = relationship(
        back_populates="ticket", order_by="Approval.step", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Ticket {self.number}>"


class Answer(db.Model):
    """One answered field, with the label and display value as they read at submission."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    field_id: Mapped[str] = mapped_column(String(64))
    field_type: Mapped[str] = mapped_column(String(16))
    label: Mapped[dict | str] = mapped_column(JSON)      # localised text, as in the catalog
    value: Mapped[object] = mapped_column(JSON)          # machine value (str, list, bool, ...)
    display: Mapped[dict | str | list] = mapped_column(JSON)  # what a person reads

    ticket: Mapped[Ticket] = relationship(back_populates="answers")


class Attachment(db.Model):
    """A file kept outside the database; served only to people who may see its ticket."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    field_id: Mapped[str | None] = mapped_column(String(64))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="attachments")


class EventKind(enum.StrEnum):
    CREATED = "created"
    STATUS = "status"
    COMMENT = "comment"
    NOTE = "note"                # internal: never shown to requesters
    ASSIGNED = "assigned"
    PRIORITY = "priority"
    TEAM = "team"
    APPROVAL = "approval"
    LINK = "link"
    FLAGGED = "flagged"          # something needs an admin (e.g. an approver who is gone)


class Event(db.Model):
    """The timeline: every change to a ticket is one row with old and new values."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, 16))
    old_value: Mapped[str | None] = mapped_column(String(200))
    new_value: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Decision(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ApproverKind(enum.StrEnum):
    MANAGER = "manager"
    TEAM = "team"
    USER = "user"
    FIELD = "field"


class Approval(db.Model):
    """One approval step of a ticket, resolved to a person or a team when the ticket is made."""

    __tablename__ = "approvals"
    __table_args__ = (
        UniqueConstraint("ticket_id", "step"),
        Index("ix_approvals_approver_decision", "approver_id", "decision"),
        Index("ix_approvals_team_decision", "team_id", "decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    step: Mapped[int]
    kind: Mapped[ApproverKind] = mapped_column(enum_column(ApproverKind, 8))
    # The person who must decide (manager, user, field), or None for a team step; None for a
    # person step means nobody could be found: the ticket is flagged to admins.
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    team_id: Mapped[str | None] = mapped_column(String(64))
    wanted: Mapped[str | None] = mapped_column(String(254))  # the e-mail or field as written
    decision: Mapped[Decision] = mapped_column(enum_column(Decision, 8), default=Decision.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="approvals")
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


# Rows kept beside a ticket live in records.py; imported here so `models` names every table.
from .records import Rating, SlaNotice, TicketCounter, TicketLink  # noqa: E402, F401
