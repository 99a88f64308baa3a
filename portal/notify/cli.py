"""`flask worker` sends the outbox; `flask outbox status` counts it."""

import contextlib

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from ..extensions import db
from .models import OutboxMessage, OutboxStatus
from .worker import run, send_due


@click.command("worker")
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
@click.option("--poll", default=5.0, show_default=True,
              help="Seconds to wait when there is nothing to send.")
@click.option("--batch", default=50, show_default=True, help="Messages claimed at a time.")
@with_appcontext
def worker_cli(once, poll, batch):
    """Send queued e-mail notifications (runs until stopped)."""
    if not once:
        click.echo(f"outbox worker: polling every {poll:g} s (Ctrl+C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            run(poll_seconds=poll, batch=batch)
        return
    total = 0
    while True:
        sent = send_due(batch=batch)
        total += sent
        if sent < batch:
            break
    click.echo(f"sent {total}")


outbox_cli = AppGroup("outbox", help="Look at the e-mail outbox.")


@outbox_cli.command("status")
def outbox_status():
    """Count messages by status."""
    counts = dict(db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    for status in OutboxStatus:
        click.echo(f"{status.value}: {counts.get(status, 0)}")
