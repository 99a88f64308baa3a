"""`flask tickets …`: housekeeping run by cron or the worker."""

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import store_catalog
from .actions import autoclose

tickets_cli = AppGroup("tickets", help="Ticket housekeeping.")


@tickets_cli.command("autoclose")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Reopen window in days (default: REOPEN_WINDOW_DAYS).")
def autoclose_command(days):
    """Close resolved tickets whose reopen window has passed."""
    window = current_app.config["REOPEN_WINDOW_DAYS"] if days is None else days
    closed = autoclose(window, store_catalog())
    click.echo(f"closed {closed} resolved ticket{'s' if closed != 1 else ''} "
               f"older than {window} days")


sla_cli = AppGroup("sla", help="Service-level targets.")


@sla_cli.command("check")
def sla_check_command():
    """Send at-risk and breach notices that are due (each once); run it every few minutes."""
    from .sla import check
    sent = check()
    click.echo(f"sent {sent} SLA notice{'s' if sent != 1 else ''}")


@sla_cli.command("recompute")
def sla_recompute_command():
    """Recompute due times of open tickets (after editing SLA policies in the catalog)."""
    from ..extensions import db
    from .lifecycle import DONE
    from .models import Ticket
    from .sla import refresh_sla

    catalog, count, last = store_catalog(), 0, 0
    while True:
        tickets = db.session.scalars(
            db.select(Ticket).where(Ticket.status.not_in(DONE), Ticket.id > last)
            .order_by(Ticket.id).limit(500)).all()
        if not tickets:
            break
        for ticket in tickets:
            refresh_sla(ticket, catalog)
        last = tickets[-1].id
        count += len(tickets)
        db.session.commit()
    click.echo(f"recomputed {count} open tickets")
