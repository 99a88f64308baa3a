"""The one background loop: send the outbox, and once a minute the scheduled ticket jobs
(SLA notices, closing resolved tickets after the reopen window). `flask worker` runs it; the
development server runs it in a thread. Every job is safe to run from several workers at once.
"""

import contextlib
import logging
import threading
import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .extensions import db, store_catalog
from .outbox.sending import send_due
from .tickets.actions import autoclose
from .tickets.sla import check as sla_check

log = logging.getLogger("portal.jobs")

# SLA notices and closing resolved tickets: once a minute is plenty.
SCHEDULED_SECONDS = 60


def run(poll_seconds: float = 5, stop_event: threading.Event | None = None,
        batch: int = 50) -> None:
    """Send due messages until stop_event is set, waiting poll_seconds when the outbox is
    drained; errors (the database restarting, say) are logged and the loop goes on."""
    stop_event = stop_event or threading.Event()
    next_scheduled = 0.0
    while not stop_event.is_set():
        if time.monotonic() >= next_scheduled:
            scheduled_jobs()
            next_scheduled = time.monotonic() + SCHEDULED_SECONDS
        try:
            sent = send_due(batch=batch)
        except Exception:
            log.exception("outbox: sending failed; trying again in %s s", poll_seconds)
            sent = 0
        finally:
            db.session.remove()
        if sent < batch:
            stop_event.wait(poll_seconds)


def scheduled_jobs() -> None:
    """What `flask sla check` and `flask tickets autoclose` do, on the store's catalog."""
    try:
        noticed = sla_check()
        closed = autoclose(current_app.config["REOPEN_WINDOW_DAYS"], store_catalog())
        db.session.commit()
        if noticed or closed:
            log.info("scheduled jobs: %d SLA notices, %d tickets closed", noticed, closed)
    except Exception:
        db.session.rollback()
        log.exception("scheduled jobs failed; trying again later")
    finally:
        db.session.remove()


def start_background_thread(app: Flask, poll_seconds: float = 5,
                            stop_event: threading.Event | None = None) -> threading.Thread:
    """Run the loop in a daemon thread of this process (the development server)."""

    def work():
        with app.app_context():
            run(poll_seconds, stop_event)

    thread = threading.Thread(target=work, name="jobs", daemon=True)
    thread.start()
    return thread


@click.command("worker")
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
@click.option("--poll", default=5.0, show_default=True,
              help="Seconds to wait when there is nothing to send.")
@click.option("--batch", default=50, show_default=True, help="Messages claimed at a time.")
@with_appcontext
def worker_cli(once, poll, batch):
    """Send queued e-mail and run the scheduled jobs (runs until stopped)."""
    if not once:
        click.echo(f"worker: polling every {poll:g} s (Ctrl+C stops)")
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
