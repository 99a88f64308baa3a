"""An outbox row's bodies, rendered by the worker before the first attempt to send it.

The request that caused the e-mail stored only the subject and what the bodies need: the
recipient's name and locale and a context of ids and plain values. Here the package that queued
the kind of message turns that context back into template values (registered in the app's
`mail_values`), and the templates mail/<kind>.txt and .html are rendered in the recipient's
language. What a message is about may be gone by then (a deleted ticket): that row is
Unrenderable and the worker gives it up instead of retrying.
"""

from collections.abc import Callable, Iterable

from flask import Flask, current_app
from flask_babel import force_locale

from ..extensions import db
from ..web.i18n import RTL_LANGUAGES
from .models import OutboxMessage

ValuesOf = Callable[[OutboxMessage], dict]


class Unrenderable(Exception):
    """The message can never be rendered: what it is about no longer exists or may not be told."""


def register_values(app: Flask, kinds: Iterable[str], values_of: ValuesOf) -> None:
    """Say which function builds the template values of these kinds of message."""
    registry = app.extensions.setdefault("mail_values", {})
    for kind in kinds:
        registry[kind] = values_of


def ensure_rendered(message: OutboxMessage) -> OutboxMessage:
    """Fill in the message's bodies unless it has them; return it (the caller stores them)."""
    if message.body_text is None or message.body_html is None:
        message.body_text, message.body_html = render(message)
    return message


def render(message: OutboxMessage) -> tuple[str, str]:
    """The text and HTML bodies of an outbox row, in the recipient's language."""
    env = current_app.jinja_env
    # A kind this deployment does not know yet (templates or code half rolled out) is an
    # error to retry, not a message to give up: the next release may render it.
    text_template = env.get_template(f"mail/{message.kind}.txt")
    html_template = env.get_template(f"mail/{message.kind}.html")
    values_of = current_app.extensions.get("mail_values", {}).get(message.kind)
    if values_of is None:
        raise LookupError(f"nothing builds the values of {message.kind!r} messages")
    locale = message.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        values = {"name": message.recipient_name, "lang": locale,
                  "direction": "rtl" if locale in RTL_LANGUAGES else "ltr",
                  **values_of(message)}
        return text_template.render(values), html_template.render(values)


def load(model, row_id: int | None, what: str):
    """The row a message's context names, or Unrenderable when it is gone."""
    row = db.session.get(model, row_id) if row_id is not None else None
    if row is None:
        raise Unrenderable(f"the {what} ({row_id}) no longer exists")
    return row
