"""An outbox row's bodies, rendered by the worker before the first attempt to send it.

The request that caused the e-mail stored only the subject and what the bodies need (events.py):
the ticket id, the recipient's name and locale, and a context of ids and plain values. Here the
rows those ids name are loaded again and the templates rendered in the recipient's language.
What a message is about may be gone by then (a deleted ticket): that row is Unrenderable and
the worker gives it up instead of retrying.
"""

from datetime import datetime

from flask import current_app
from flask_babel import force_locale

from ..auth.models import User
from ..extensions import db
from ..tickets.lifecycle import Status
from ..tickets.models import Approval, Event, Ticket
from ..web.i18n import RTL_LANGUAGES
from .models import OutboxMessage


class Unrenderable(Exception):
    """The message can never be rendered: what it is about no longer exists or may not be told."""


def ensure_rendered(message: OutboxMessage) -> OutboxMessage:
    """Fill in the message's bodies unless it has them; return it (the caller stores them)."""
    if message.body_text is None or message.body_html is None:
        message.body_text, message.body_html = render(message)
    return message


def render(message: OutboxMessage) -> tuple[str, str]:
    """The text and HTML bodies of an outbox row, in the recipient's language."""
    ticket = _load(Ticket, message.ticket_id, "ticket")
    locale = message.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    env = current_app.jinja_env
    with force_locale(locale):
        values = {"ticket": ticket, "name": message.recipient_name, "lang": locale,
                  "direction": "rtl" if locale in RTL_LANGUAGES else "ltr",
                  **_values(ticket, message.context or {})}
        text = env.get_template(f"mail/{message.kind}.txt").render(values)
        html = env.get_template(f"mail/{message.kind}.html").render(values)
    return text, html


def _values(ticket: Ticket, context: dict) -> dict:
    """Template values from the stored context: statuses, dates and the rows its ids name."""
    values = dict(context)
    for key in ("status", "old_status", "new_status"):
        if key in values:
            values[key] = Status(values[key])
    if "reopen_until" in values:
        values["reopen_until"] = datetime.fromisoformat(values["reopen_until"])
    if "event_id" in values:
        event = _load(Event, values.pop("event_id"), "event")
        if event.ticket_id != ticket.id:
            raise Unrenderable(f"event {event.id} is not on ticket {ticket.number}")
        if event.internal:  # checked when queued too; the rule is worth a second look
            raise Unrenderable("an internal note is never e-mailed")
        values["event"] = event
    if "approval_id" in values:
        approval = _load(Approval, values.pop("approval_id"), "approval")
        values["approver"] = approval.decided_by or approval.approver
        values["comment"] = (approval.comment or "").strip()
    if "actor_id" in values:
        actor_id = values.pop("actor_id")
        values["actor"] = _load(User, actor_id, "user") if actor_id is not None else None
    return values


def _load(model, row_id: int | None, what: str):
    row = db.session.get(model, row_id) if row_id is not None else None
    if row is None:
        raise Unrenderable(f"the {what} ({row_id}) no longer exists")
    return row
