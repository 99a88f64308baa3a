"""A date and time: typed in the portal's time zone, stored in UTC, shown in the zone again.

There is no per-person time zone yet, so "the reader's zone" is the portal's: the zone of the
calendar the catalog's default SLA policy runs on (the office's hours), else UTC.
"""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from babel import dates
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import DateTimeLocalField

from ...catalog import resolve_date_bound
from ...web.catalog import current_catalog
from .. import validators as v
from .base import FieldType

INPUT_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends
# Without a date-and-time picker a browser shows a plain text box: a space is fine there too.
FORMATS = [INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def portal_zone(catalog=None):
    """The zone of the default SLA policy's calendar, else UTC."""
    catalog = catalog or current_catalog()
    policy = catalog.sla.get("default") if catalog else None
    calendar = catalog.calendars.get(policy.calendar) if policy and policy.calendar else None
    return ZoneInfo(calendar.timezone) if calendar else UTC


def zone_name(zone) -> str:
    return getattr(zone, "key", "UTC")


def parse_local(text: str) -> datetime | None:
    """A naive local date and time from the formats above, else None."""
    for fmt in FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    return None


class MomentField(DateTimeLocalField):
    """A local date and time; its data is aware, in the portal's zone."""

    def __init__(self, *args, zone=UTC, bounds=(None, None), **kwargs):
        super().__init__(*args, format=FORMATS, **kwargs)
        self.zone = zone
        self.bounds = bounds  # (earliest, latest) for the input's min and max

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not str(valuelist[0]).strip():
            return
        local = parse_local(str(valuelist[0]))
        if local is None:
            raise ValueError(_l("Enter a date and time as YYYY-MM-DD HH:MM."))
        aware = local.replace(tzinfo=self.zone)
        if aware.astimezone(UTC).astimezone(self.zone).replace(tzinfo=None) != local:
            # The hour skipped when clocks go forward: no such moment.
            raise ValueError(_l("%(time)s does not exist in %(zone)s (the clocks change "
                                "then); choose another time.",
                                time=local.strftime("%H:%M"), zone=zone_name(self.zone)))
        self.data = aware

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime(INPUT_FORMAT) if self.data else ""


def day_bounds(spec, today, zone):
    """(earliest, latest) aware moments: the start of min's day, the end of max's."""
    low = high = None
    if spec.min is not None:
        low = datetime.combine(resolve_date_bound(spec.min, today), time(0, 0), zone)
    if spec.max is not None:
        high = datetime.combine(resolve_date_bound(spec.max, today), time(23, 59, 59), zone)
    return low, high


class DateTimeType(FieldType):
    wtf_class = MomentField
    reads_as = "day"

    def extra(self, spec, locale, today):
        zone = portal_zone()
        return {"zone": zone, "bounds": day_bounds(spec, today, zone)}

    def rules(self, spec, locale, today):
        low, high = day_bounds(spec, today, portal_zone())
        if low is None and high is None:
            return []
        return [v.Between(
            low, high,
            _l("Choose %(moment)s or later.", moment=low.strftime("%Y-%m-%d %H:%M") if low else ""),
            _l("Choose %(moment)s or earlier.",
               moment=high.strftime("%Y-%m-%d %H:%M") if high else ""),
        )]

    def default(self, spec, today):
        return None

    def from_query(self, spec, raw, today):
        return parse_local(raw[0]) if raw else None

    def value(self, data):
        return data.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if data else None

    def display(self, spec, value, locale):
        zone = portal_zone()
        moment = as_moment(value)
        return "" if moment is None else \
            f"{moment.astimezone(zone):%Y-%m-%d %H:%M} ({zone_name(zone)})"

    def attributes(self, spec, field, locale):
        low, high = field.bounds
        attrs = {}
        if low is not None:
            attrs["min"] = low.strftime(INPUT_FORMAT)
        if high is not None:
            attrs["max"] = high.strftime(INPUT_FORMAT)
        return attrs

    def answer_html(self, answer, ticket, locale):
        moment = as_moment(answer.value)
        if moment is None:
            return super().answer_html(answer, ticket, locale)
        zone = portal_zone()
        shown = dates.format_datetime(moment, "medium", tzinfo=zone, locale=locale)
        return Markup('<time datetime="%s">%s (%s)</time>') % (
            answer.value, shown, zone_name(zone))


def as_moment(value) -> datetime | None:
    """A stored UTC moment ('2026-12-10T08:30:00Z') as an aware datetime, else None."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment
