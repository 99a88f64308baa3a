"""`flask outbox status` counts the outbox (`flask worker` sends it: portal/jobs.py)."""

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..extensions import db
from .models import OutboxMessage, OutboxStatus

outbox_cli = AppGroup("outbox", help="Look at the e-mail outbox.")


@outbox_cli.command("status")
def outbox_status():
    """Count messages by status."""
    counts = dict(db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    for status in OutboxStatus:
        click.echo(f"{status.value}: {counts.get(status, 0)}")
