"""Picking from options: a drop-down, radio buttons, several options, one tick box."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice

from .. import validators as v
from .base import FieldType, option_label, options_of


class ChoiceType(FieldType):
    wtf_class = SelectField
    blank = True

    def extra(self, spec, locale, today):
        choices = options_of(spec, locale)
        if self.blank:
            choices = [SelectChoice("", _l("— Choose —")), *choices]
        return {"choices": choices,
                "invalid_choice_message": _l("Choose one of the options given.")}

    def display(self, spec, value, locale):
        return option_label(spec, value)


class RadioType(ChoiceType):
    wtf_class = RadioField
    blank = False
    widget = "options"
    reads_as = "chosen"
    option_input = "radio"  # the type of each option's <input>


class MultiChoiceType(ChoiceType):
    wtf_class = SelectMultipleField
    multiple = True
    blank = False
    reads_as = "selected"

    def extra(self, spec, locale, today):
        return {"choices": options_of(spec, locale),
                "invalid_choice_message": _l("Choose only from the options given.")}

    def rules(self, spec, locale, today):
        if spec.min is None and spec.max is None:
            return []
        return [v.Between(
            spec.min, spec.max,
            _l("Choose at least %(min)s.", min=spec.min),
            _l("Choose at most %(max)s.", max=spec.max),
            measure=lambda data: len(data or []),
        )]

    def default(self, spec, today):
        default = spec.default
        return [default] if isinstance(default, str) else (default or [])

    def from_query(self, spec, raw, today):
        return raw or None

    def value(self, data):
        return list(data or []) or None

    def display(self, spec, value, locale):
        return [option_label(spec, item) for item in value or []]

    def attributes(self, spec, field, locale):
        return {"size": min(len(field.choices), 6)}


class TickBoxesType(MultiChoiceType):
    """checkboxes: several options, each a tick box."""

    widget = "options"
    reads_as = "ticked"
    option_input = "checkbox"

    def attributes(self, spec, field, locale):
        return {}


class CheckboxType(FieldType):
    wtf_class = BooleanField
    widget = "tick"
    reads_as = "flag"

    def default(self, spec, today):
        return bool(spec.default)

    def from_query(self, spec, raw, today):
        return bool(raw) and raw[0].lower() in ("1", "true", "yes", "on", "y")

    def value(self, data):
        return bool(data)

    def display(self, spec, value, locale):
        return {"en": "Yes", "pl": "Tak", "es": "Sí", "fa": "بله"} if value else {
            "en": "No", "pl": "Nie", "es": "No", "fa": "خیر"}
