"""Where a ticket lives: its page's address for pages and redirects, and the absolute link
(under PORTAL_URL) that mail carries, built in one place."""

from flask import current_app, redirect, url_for


def ticket_url(ticket, anchor: str | None = None, *, external: bool = False) -> str:
    """The ticket's page (a Ticket or its number); `external` gives the link for e-mail,
    which needs no request (the worker renders mail)."""
    number = getattr(ticket, "number", ticket)
    if external:
        base = current_app.config["PORTAL_URL"].rstrip("/")
        return f"{base}/tickets/{number}" + (f"#{anchor}" if anchor else "")
    return url_for("tickets.show", number=number, _anchor=anchor)


def to_ticket(ticket, anchor: str | None = None):
    """See-other redirect to the ticket's page (after a POST)."""
    return redirect(ticket_url(ticket, anchor), code=303)
