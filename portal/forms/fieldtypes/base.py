"""What every field type shares: the WTForms field it builds, the widget the form macro draws,
its value, how a person reads it and how the status page shows it."""

from markupsafe import Markup, escape
from wtforms import StringField
from wtforms.fields.choices import SelectChoice

from ...catalog import localize
from .. import validators as v


def present(**attributes) -> dict:
    """The HTML attributes that have a value (a bound the catalog leaves out is no attribute)."""
    return {name: value for name, value in attributes.items() if value is not None}


def options_of(spec, locale) -> list[SelectChoice]:
    """The options of a choice field, labels in the reader's locale."""
    choices = []
    for option in getattr(spec, "options", None) or []:
        if isinstance(option, str):
            choices.append(SelectChoice(option, option))
        else:
            choices.append(SelectChoice(option.value,
                                        localize(option.label, locale) or option.value))
    return choices


def option_label(spec, value):
    """The localised label of an option value (the value itself when it is not an option)."""
    for option in getattr(spec, "options", None) or []:
        if isinstance(option, str):
            if option == value:
                return option
        elif option.value == value:
            return option.label if option.label is not None else option.value
    return "" if value is None else str(value)


def common_validators(spec):
    return [v.Required()] if spec.required else [v.Optional()]


def display_text(display, locale: str) -> str:
    """A display value (localised text, or a list of them) as one string."""
    if isinstance(display, list):
        return ", ".join(localize(part, locale) for part in display)
    return localize(display, locale)


class FieldType:
    """Base: a text input. Subclasses override what differs."""

    input = True
    multiple = False
    upload = False  # the value is a file the ticket service stores
    wtf_class = StringField
    # How the form macro lays the field out: "input" (label, input), "options" (a fieldset of
    # radio buttons or tick boxes), "tick" (one box, label after it) or "note" (no input).
    widget = "input"
    # How static/js/portal.js reads the answer for show_if (see `readers` there).
    reads_as = "text"

    def build(self, spec, locale, today):
        """The unbound WTForms field for this spec."""
        # bandit mistakes this method of ours for Django's QuerySet.extra.
        extra = self.extra(spec, locale, today)  # nosec B610
        return self.wtf_class(
            localize(spec.label, locale),
            validators=common_validators(spec) + self.rules(spec, locale, today),
            default=self.default(spec, today),
            description=localize(spec.help, locale),
            **extra,
        )

    def rules(self, spec, locale, today):
        return []

    def extra(self, spec, locale, today):
        return {}

    def default(self, spec, today):
        return getattr(spec, "default", None)

    def from_query(self, spec, raw: list[str], today):
        """A starting value from a pre-fill link (?field=value); None when unusable."""
        return raw[0] if raw else None

    def value(self, data):
        """The JSON-storable value of a validated field."""
        return data if data not in ("", None) else None

    def display(self, spec, value, locale):
        """What a person reads for this value (localised text or a string)."""
        return "" if value is None else str(value)

    def attributes(self, spec, field, locale) -> dict:
        """HTML attributes of the input beyond the ones every input gets (id, name, value,
        required, placeholder, aria-*)."""
        return {}

    def after_input(self, spec, field, locale) -> Markup:
        """HTML drawn right after the input (a datalist, a note on limits)."""
        return Markup("")

    def answer_html(self, answer, ticket, locale) -> Markup:
        """An answer as the status page shows it: its display text, escaped."""
        return escape(display_text(answer.display, locale))
