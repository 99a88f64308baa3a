"""Working calendars and SLA policies."""

import re
import zoneinfo
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, StringConstraints, field_validator, model_validator

from .basetypes import (
    DATE_SCHEMA_PATTERN,
    DURATION_PATTERN,
    DURATION_SCHEMA_PATTERN,
    Id,
    Model,
    Priority,
    schema_only,
)
from .problems import did_you_mean
from .units import parse_duration

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_SPAN_PATTERN = r"^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?$"
TIME_SPAN = re.compile(r"^\s*(\d\d):(\d\d)\s*-\s*(\d\d):(\d\d)\s*$")
# time_spans() for editors: a start 00:00-23:59, an end up to 24:00, ranges split by commas.
# That a range ends after it starts and ranges keep their order only the check can say.
_SPAN = (r"\s*([01][0-9]|2[0-3]):[0-5][0-9]\s*-\s*(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)\s*")
HOURS_SCHEMA_PATTERN = rf"^{_SPAN}(,{_SPAN})*$"
# The shape of an IANA zone name (Europe/Warsaw, Etc/GMT+5); which zones exist depends on the
# machine's tz database, so only the check knows that.
ZONE_SCHEMA_PATTERN = r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$"
# The ticket lifecycle (DESIGN.md); the SLA clock may pause in any of these.
STATUSES = Literal["new", "awaiting_approval", "open", "in_progress", "waiting_on_requester",
                   "waiting_on_third_party",
                   "resolved", "closed", "rejected", "cancelled"]


def day_numbers(span: str) -> list[int]:
    """'mon-thu' -> [0, 1, 2, 3]; a span may wrap round the week ('fri-mon')."""
    first, _, last = span.partition("-")
    start, end = DAYS.index(first), DAYS.index(last or first)
    return [(start + i) % 7 for i in range((end - start) % 7 + 1)]


def time_spans(text: str) -> list[tuple[int, int]]:
    """'08:00-12:00, 13:00-17:00' -> [(480, 720), (780, 1020)] in minutes since midnight."""
    spans = []
    for part in text.split(","):
        match = TIME_SPAN.match(part)
        if not match:
            raise ValueError(f"not working hours: {part.strip()!r} (use HH:MM-HH:MM, e.g. "
                             "08:00-17:00)")
        h1, m1, h2, m2 = (int(x) for x in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if h1 > 23 or m1 > 59 or m2 > 59 or end > 24 * 60:
            raise ValueError(f"not a time of day in {part.strip()!r}")
        if end <= start:
            raise ValueError(f"hours must end after they start: {part.strip()!r}")
        if spans and start < spans[-1][1]:
            raise ValueError(f"hours overlap or are out of order: {text!r}")
        spans.append((start, end))
    return spans


def _check_hours(text: str) -> str:
    time_spans(text)
    return text


def _check_duration(text: str) -> str:
    parse_duration(text)
    return text


DaySpan = Annotated[str, StringConstraints(pattern=DAY_SPAN_PATTERN)]
Hours = Annotated[str, AfterValidator(_check_hours), schema_only(pattern=HOURS_SCHEMA_PATTERN)]
Duration = Annotated[str, StringConstraints(pattern=DURATION_PATTERN),
                     AfterValidator(_check_duration),
                     schema_only(pattern=DURATION_SCHEMA_PATTERN)]
Holiday = Annotated[date, schema_only(pattern=DATE_SCHEMA_PATTERN)]


class Calendar(Model):
    """Working hours in a time zone, minus holidays: the clock SLA targets run on."""

    timezone: Annotated[str, schema_only(pattern=ZONE_SCHEMA_PATTERN)]
    """The IANA time zone the hours are local to, such as Europe/Warsaw or UTC; daylight
    saving changes are followed."""
    hours: dict[DaySpan, Hours]
    """Working hours by weekday. Keys are mon, tue, wed, thu, fri, sat, sun or a range such as
    mon-fri (a range may wrap round the week: fri-mon); each day in one key only; days not
    listed have no working hours. Values are "HH:MM-HH:MM" with two-digit hours, several
    separated by commas, in order: {mon-thu: "08:00-17:00", fri: "08:00-12:00, 13:00-15:00"}.
    24:00 may end a range."""
    holidays: list[Holiday] = []
    """Days with no working time, in the calendar's zone: [2026-12-24, 2026-12-25]."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            hint = did_you_mean(name, zoneinfo.available_timezones())
            raise ValueError(f"unknown time zone '{name}'{hint}") from None
        return name

    @field_validator("hours")
    @classmethod
    def _each_day_once(cls, hours: dict[str, str]) -> dict[str, str]:
        seen: dict[int, str] = {}
        for span in hours:
            for day in day_numbers(span):
                if day in seen:
                    raise ValueError(f"{DAYS[day]} is in both '{seen[day]}' and '{span}'")
                seen[day] = span
        return hours

    def weekly_hours(self) -> dict[int, list[tuple[int, int]]]:
        """Weekday (0 = Monday) -> working spans in minutes since midnight."""
        week: dict[int, list[tuple[int, int]]] = {day: [] for day in range(7)}
        for span, text in self.hours.items():
            for day in day_numbers(span):
                week[day] = time_spans(text)
        return week


class SlaTarget(Model):
    """Response and resolution times in working time, optionally on another calendar."""

    response: Duration
    """Working time until the first response: minutes, hours or both, such as 30m, 4h or
    1h30m (no days: a working day depends on the calendar, so write 16h, not 2d)."""
    resolution: Duration
    """Working time until the ticket is resolved, not shorter than the response: 30m, 4h,
    1h30m (no days)."""
    calendar: Id | None = None
    """The id of a calendar to run this priority on instead of the policy's, such as 24x7."""

    @property
    def response_time(self) -> timedelta:
        """The response target as a timedelta of working time."""
        return parse_duration(self.response)

    @property
    def resolution_time(self) -> timedelta:
        """The resolution target as a timedelta of working time."""
        return parse_duration(self.resolution)

    @model_validator(mode="after")
    def _response_first(self):
        if self.response_time > self.resolution_time:
            raise ValueError(f"the response target ({self.response}) is longer than the "
                             f"resolution target ({self.resolution})")
        return self


class SlaPolicy(Model):
    """Targets per priority, the calendar they run on and the statuses that pause the clock."""

    calendar: Id | None = None
    """The id of the calendar the targets run on (default: round the clock in UTC)."""
    pause_on: list[STATUSES] = []
    """Ticket statuses in which the clock stands still; usually
    [waiting_on_requester, awaiting_approval]."""
    targets: dict[Priority, SlaTarget]
    """The targets by priority, P1 to P4; a priority left out has no SLA:
    {P1: {response: 30m, resolution: 4h}}."""
