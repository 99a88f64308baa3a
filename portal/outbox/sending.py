"""Sending the outbox: claim due messages under a lease, send them, record what happened.

A claim is a lease (claimed_by, claimed_until) written and committed before anything is sent,
so two workers never hold the same row: PostgreSQL skips rows another worker has locked
(FOR UPDATE SKIP LOCKED); SQLite runs one writer at a time, and each row is taken by a
conditional UPDATE that matches only while the row is still free. A worker that dies mid-batch
leaves its rows to be taken again when the lease runs out. Delivery is at least once: a
crash between the SMTP server's "250 OK" and the commit sends that message again.

A row arrives without its bodies (the request only queued it): the worker renders them once,
under its lease, and stores them before the first attempt, so a retry sends the same bytes.
"""

import logging
import os
import random
import socket
import time
import uuid
from contextlib import closing
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from ..extensions import db
from .models import OutboxMessage, OutboxStatus
from .render import Unrenderable, ensure_rendered
from .transport import build_message, is_permanent, make_transport

log = logging.getLogger(__name__)

FIRST_RETRY = 30       # seconds; doubles with each failed attempt
LONGEST_RETRY = 3600


def send_due(batch: int = 50, worker_id: str | None = None,
             now: datetime | None = None) -> int:
    """Send up to `batch` due messages; return how many went out."""
    now = now or datetime.now(UTC)
    me = worker_id or default_worker_id()
    config = current_app.config
    lease = timedelta(seconds=120 + config["MAIL_TIMEOUT"] * batch)
    rows = render_claimed(claim(batch, me, now, lease), me, now)
    # Stop before the lease runs out: past it another worker may take (and send) the rest.
    deadline = time.monotonic() + lease.total_seconds() - 60
    sent = 0
    with closing(make_transport(config)) as transport:
        for position, row in enumerate(rows):
            if time.monotonic() > deadline:
                release([r.id for r in rows[position:]], me)
                break
            try:
                transport.send(build_message(row, config["MAIL_FROM"]))
            except Exception as error:  # whatever went wrong, the row records it
                record_failure(row, me, now, error)
            else:
                sent += mark_sent(row, me, now)
    return sent


def claim(batch: int, me: str, now: datetime, lease: timedelta) -> list[OutboxMessage]:
    """Lease up to `batch` due rows to worker `me`; return them detached from the session."""
    free = or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)
    due = (OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now,
           free)
    candidates = db.session.scalars(
        select(OutboxMessage.id).where(*due)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(batch)
        .with_for_update(skip_locked=True)  # SQLite leaves this out; the UPDATE decides there
    ).all()
    taken = []
    for message_id in candidates:
        result = db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id, *due)
            .values(claimed_by=me, claimed_until=now + lease)
            .execution_options(synchronize_session=False))
        if result.rowcount == 1:
            taken.append(message_id)
    db.session.commit()
    if not taken:
        return []
    rows = list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(taken)).order_by(OutboxMessage.id)))
    for row in rows:
        db.session.expunge(row)
    db.session.commit()  # no transaction stays open while we talk to the mail server
    return rows


def render_claimed(rows: list[OutboxMessage], me: str,
                   now: datetime) -> list[OutboxMessage]:
    """Render the leased rows that have no bodies yet and store the bodies (one commit);
    return the rows ready to send. A row that fails to render has its failure recorded."""
    ready, failed, fresh = [], [], set()
    for row in rows:
        if row.body_text is not None and row.body_html is not None:
            ready.append(row)
            continue
        try:
            ensure_rendered(row)
        except Exception as error:  # the row records it; the others go on
            db.session.rollback()
            failed.append((row, error))
        else:
            ready.append(row)
            fresh.add(row.id)
    kept = []
    for row in ready:
        if row.id in fresh:
            stored = db.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.claimed_by == me)
                .values(body_text=row.body_text, body_html=row.body_html)
                .execution_options(synchronize_session=False)).rowcount
            if not stored:
                continue  # the lease was lost: the row is another worker's now
        kept.append(row)
    db.session.commit()  # stored before anything is sent
    for row, error in failed:
        record_failure(row, me, now, error)
    return kept


def mark_sent(row: OutboxMessage, me: str, now: datetime) -> int:
    """Record a delivery, unless the lease was lost meanwhile; 1 if recorded."""
    return _update_own(row.id, me, status=OutboxStatus.SENT, sent_at=now)


def record_failure(row: OutboxMessage, me: str, now: datetime, error: Exception) -> None:
    """Count the attempt and schedule the next one with back-off, or give up."""
    attempts = row.attempts + 1
    text = f"{type(error).__name__}: {error}"[:2000]
    permanent = is_permanent(error) or isinstance(error, Unrenderable)
    if attempts >= current_app.config["MAIL_MAX_ATTEMPTS"] or permanent:
        _update_own(row.id, me, status=OutboxStatus.DEAD, attempts=attempts, last_error=text)
        log.error("outbox: giving up on message %s to %s after %d attempts: %s",
                  row.id, row.recipient, attempts, text)
        return
    delay = backoff(attempts)
    _update_own(row.id, me, attempts=attempts, last_error=text,
                next_attempt_at=now + timedelta(seconds=delay))
    log.warning("outbox: message %s to %s failed (attempt %d, next in %.0f s): %s",
                row.id, row.recipient, attempts, delay, text)


def backoff(attempts: int) -> float:
    """Seconds before the next try: 30 s doubling per attempt, at most an hour, plus jitter
    so that messages that failed together do not all retry in the same second."""
    # Jitter needs no unpredictability, so the ordinary generator does.
    jitter = random.uniform(1.0, 1.1)  # nosec B311
    return min(LONGEST_RETRY, FIRST_RETRY * 2 ** (attempts - 1)) * jitter


def release(ids: list[int], me: str) -> None:
    """Give leased rows back untouched, for the next pass."""
    for message_id in ids:
        _update_own(message_id, me)


def _update_own(message_id: int, me: str, **values) -> int:
    """Update a row only while this worker still holds its lease, and let the lease go."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == me)
        .values(claimed_by=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount


def default_worker_id() -> str:
    """host:pid:random, unique to this call so a lease is never mistaken for another's."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
