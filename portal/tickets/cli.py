"""`flask tickets …`: housekeeping run by cron or the worker."""

import click
from flask import current_app
from flask.cli import AppGroup

from .work import autoclose

tickets_cli = AppGroup("tickets", help="Ticket housekeeping.")


@tickets_cli.command("autoclose")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Reopen window in days (default: REOPEN_WINDOW_DAYS).")
def autoclose_command(days):
    """Close resolved tickets whose reopen window has passed."""
    window = current_app.config["REOPEN_WINDOW_DAYS"] if days is None else days
    closed = autoclose(window)
    click.echo(f"closed {closed} resolved ticket{'s' if closed != 1 else ''} "
               f"older than {window} days")
