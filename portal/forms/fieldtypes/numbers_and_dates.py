"""Numbers and dates: values with an order, bounds and a format to parse."""

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField

from ...catalog import resolve_date_bound
from .. import validators as v
from .base import FieldType, present

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
    reads_as = "number"

    def extra(self, spec, locale, today):
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

    def attributes(self, spec, field, locale):
        return {"step": spec.step or "any", "inputmode": "decimal",
                **present(min=spec.min, max=spec.max)}


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
