"""`flask worker`: sends the outbox (filled in by the notifications work)."""

import click


@click.command("worker")
def worker_cli():
    """Send queued e-mail notifications."""
    raise click.ClickException("not built yet")
