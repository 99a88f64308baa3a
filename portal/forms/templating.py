"""What templates ask of field types: the request form's macro and the status page."""

from flask import Flask
from markupsafe import Markup

from ..web.i18n import current_locale
from .fieldtypes import FIELD_TYPES, field_type


def register(app: Flask) -> None:
    app.jinja_env.globals.update(field_type=field_type, answer_html=answer_html,
                                 field_attributes=field_attributes, after_input=after_input)


def field_attributes(spec, field) -> dict:
    return field_type(spec).attributes(spec, field, current_locale())


def after_input(spec, field) -> Markup:
    return field_type(spec).after_input(spec, field, current_locale())


def answer_html(answer, ticket) -> Markup:
    """A stored answer as the status page shows it; an answer of a type the portal no longer
    knows reads as its display text."""
    kind = FIELD_TYPES.get(answer.field_type) or FIELD_TYPES["text"]
    return kind.answer_html(answer, ticket, current_locale())
