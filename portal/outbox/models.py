"""The outbox: one row per e-mail, written in the same transaction as the change behind it."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db, enum_column, utcnow


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"        # gave up after the last retry; kept for an admin to look at


class OutboxMessage(db.Model):
    """An e-mail waiting to be sent (or sent, for the record).

    The request that causes it writes only what the e-mail needs: kind, ticket, recipient, the
    recipient's name and locale, the subject and a small JSON `context` of ids and values. The
    worker renders the bodies before the first attempt and keeps them (render.py), so every
    retry sends the same bytes and the row records what was sent.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str | None] = mapped_column(String(200))  # None: "Hello,"
    locale: Mapped[str | None] = mapped_column(String(16))
    context: Mapped[dict | None] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(300))
    # None until the worker renders them; kept afterwards.
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, 8), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    # A worker's lease: another worker may take the row only after it runs out.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
