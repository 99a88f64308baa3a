"""One small class per catalog field type: the WTForms field it builds, its value and display."""

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email

from ..catalog import localize, parse_size, resolve_date_bound
from . import validators as v


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


def common_validators(spec):
    return [v.Required()] if spec.required else [v.Optional()]


class FieldType:
    """Base: a text input. Subclasses override what differs."""

    input = True
    multiple = False
    wtf_class = StringField

    def build(self, spec, locale, today):
        """The unbound WTForms field for this spec."""
        # bandit mistakes this method of ours for Django's QuerySet.extra.
        extra = self.extra(spec, locale)  # nosec B610
        return self.wtf_class(
            localize(spec.label, locale),
            validators=common_validators(spec) + self.rules(spec, locale, today),
            default=self.default(spec, today),
            description=localize(spec.help, locale),
            **extra,
        )

    def rules(self, spec, locale, today):
        return []

    def extra(self, spec, locale):
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


class TextAreaType(TextType):
    wtf_class = TextAreaField


class EmailType(TextType):
    wtf_class = EmailField

    def rules(self, spec, locale, today):
        return [Email(message=_l("Enter an email address like name@example.com."),
                      check_deliverability=False)] + super().rules(spec, locale, today)


LARGEST_NUMBER = Decimal("1e15")


class NumberField(DecimalField):
    """A decimal that refuses NaN, infinity and absurd sizes, with messages people understand."""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not str(valuelist[0]).strip():
            return
        try:
            value = Decimal(str(valuelist[0]).strip())
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            raise ValueError(_l("Enter a number, like 3 or 2.5."))
        if abs(value) >= LARGEST_NUMBER:
            raise ValueError(_l("Enter a smaller number."))
        self.data = value


class DayField(DateField):
    """A date with a message that says which format is expected."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a date as YYYY-MM-DD.")) from None


class NumberType(FieldType):
    wtf_class = NumberField

    def extra(self, spec, locale):
        return {"places": None}

    def rules(self, spec, locale, today):
        rules = []
        if spec.min is not None or spec.max is not None:
            rules.append(v.Between(
                None if spec.min is None else Decimal(str(spec.min)),
                None if spec.max is None else Decimal(str(spec.max)),
                _l("Enter %(min)s or more.", min=spec.min),
                _l("Enter %(max)s or less.", max=spec.max),
            ))
        if spec.step:
            rules.append(v.Step(spec.step, spec.min))
        return rules

    def default(self, spec, today):
        return None if spec.default is None else Decimal(str(spec.default))

    def from_query(self, spec, raw, today):
        try:
            value = Decimal(raw[0]) if raw else None
        except InvalidOperation:
            return None
        return value if value is not None and value.is_finite() and abs(value) < LARGEST_NUMBER \
            else None

    def value(self, data):
        if data is None:
            return None
        data = Decimal(data)
        return int(data) if data == data.to_integral_value() else float(data)


class DateType(FieldType):
    wtf_class = DayField

    def rules(self, spec, locale, today):
        low = resolve_date_bound(spec.min, today) if spec.min is not None else None
        high = resolve_date_bound(spec.max, today) if spec.max is not None else None
        if low is None and high is None:
            return []
        return [v.Between(
            low, high,
            _l("Choose %(date)s or later.", date=low.isoformat() if low else ""),
            _l("Choose %(date)s or earlier.", date=high.isoformat() if high else ""),
        )]

    def default(self, spec, today):
        return resolve_date_bound(spec.default, today) if spec.default else None

    def from_query(self, spec, raw, today):
        try:
            return date.fromisoformat(raw[0]) if raw else None
        except ValueError:
            return None

    def value(self, data):
        return data.isoformat() if data else None


class ChoiceType(FieldType):
    wtf_class = SelectField
    blank = True

    def extra(self, spec, locale):
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


class MultiChoiceType(ChoiceType):
    wtf_class = SelectMultipleField
    multiple = True
    blank = False

    def extra(self, spec, locale):
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


class CheckboxType(FieldType):
    wtf_class = BooleanField

    def default(self, spec, today):
        return bool(spec.default)

    def from_query(self, spec, raw, today):
        return bool(raw) and raw[0].lower() in ("1", "true", "yes", "on", "y")

    def value(self, data):
        return bool(data)

    def display(self, spec, value, locale):
        return {"en": "Yes", "pl": "Tak", "es": "Sí", "fa": "بله"} if value else {
            "en": "No", "pl": "Nie", "es": "No", "fa": "خیر"}


class FileType(FieldType):
    wtf_class = FileField

    def rules(self, spec, locale, today):
        limit = parse_size(spec.max_size) if spec.max_size else None
        return [v.FileRules(spec.accept, limit)]

    def default(self, spec, today):
        return None

    def from_query(self, spec, raw, today):
        return None

    def value(self, data):
        return None  # set by the ticket service once the file is stored


class UserType(FieldType):
    wtf_class = EmailField

    def rules(self, spec, locale, today):
        return [v.ExistingUser()]

    def value(self, data):
        return (data or "").strip().lower() or None


class DisplayOnly(FieldType):
    """markdown and section: shown on the form, never an input."""

    input = False


def option_label(spec, value):
    """The localised label of an option value (the value itself when it is not an option)."""
    for option in getattr(spec, "options", None) or []:
        if isinstance(option, str):
            if option == value:
                return option
        elif option.value == value:
            return option.label if option.label is not None else option.value
    return "" if value is None else str(value)


FIELD_TYPES: dict[str, FieldType] = {
    "text": TextType(),
    "textarea": TextAreaType(),
    "email": EmailType(),
    "number": NumberType(),
    "date": DateType(),
    "select": ChoiceType(),
    "multiselect": MultiChoiceType(),
    "radio": RadioType(),
    "checkbox": CheckboxType(),
    "checkboxes": MultiChoiceType(),
    "file": FileType(),
    "user": UserType(),
    "markdown": DisplayOnly(),
    "section": DisplayOnly(),
}
