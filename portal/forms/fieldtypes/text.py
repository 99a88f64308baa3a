"""Typed text: one line, several lines, an email address, a portal user."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import EmailField, TextAreaField
from wtforms.validators import Email

from ...catalog import localize
from .. import validators as v
from .base import FieldType, present


class TextType(FieldType):
    def rules(self, spec, locale, today):
        rules = []
        if spec.min_length is not None or spec.max_length is not None:
            rules.append(v.Length(spec.min_length, spec.max_length))
        if spec.pattern:
            message = localize(spec.pattern_message, locale) or _l("Use the expected format.")
            rules.append(v.Pattern(spec.pattern, message))
        return rules

    def value(self, data):
        data = (data or "").strip()
        return data or None

    def attributes(self, spec, field, locale):
        return present(minlength=spec.min_length, maxlength=spec.max_length)


class TextAreaType(TextType):
    wtf_class = TextAreaField

    def attributes(self, spec, field, locale):
        return {**super().attributes(spec, field, locale), "rows": 5}


class EmailType(TextType):
    wtf_class = EmailField

    def rules(self, spec, locale, today):
        return [Email(message=_l("Enter an email address like name@example.com."),
                      check_deliverability=False)] + super().rules(spec, locale, today)


class UserType(FieldType):
    wtf_class = EmailField

    def rules(self, spec, locale, today):
        return [v.ExistingUser()]

    def value(self, data):
        return (data or "").strip().lower() or None

    def attributes(self, spec, field, locale):
        # People are suggested as the requester types (htmx fills the datalist).
        return {"list": "people-" + spec.id,
                "autocomplete": "off", "data-hx-get": url_for("catalog.people"),
                "data-hx-trigger": "input changed delay:300ms",
                "data-hx-target": "#people-" + spec.id, "data-hx-swap": "innerHTML"}

    def after_input(self, spec, field, locale):
        return Markup('<datalist id="people-%s"></datalist>') % spec.id
