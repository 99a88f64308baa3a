"""Working time on a calendar: weekly hours in a time zone, minus holidays.

Moments go in and come out as aware UTC datetimes (a naive one is taken to be UTC). Working
hours are local wall-clock times, so a working day is turned into real instants one local date
at a time; durations are real elapsed time, so a span that crosses a daylight-saving change is
an hour shorter or longer than its wall-clock length.

A wall-clock time becomes the first instant at which the local clock reads that time or later.
That keeps the mapping monotonic: a time in a spring-forward gap becomes the transition (so a
span lying wholly in the gap is empty that day), and a time in a repeated fall-back hour becomes
its first occurrence.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.catalog.sla import Calendar

ZERO = timedelta(0)
DAY = timedelta(days=1)
MINUTES_PER_DAY = 24 * 60
# Holidays that leave no working time for two whole years mean a broken calendar; searching
# further would only hide the mistake, and never stopping would be worse.
MAX_IDLE_DAYS = 2 * 366

Span = tuple[datetime, datetime]
Week = dict[int, list[tuple[int, int]]]  # weekday (0 = Monday) -> spans of minutes since midnight


def as_utc(moment: datetime) -> datetime:
    """The moment as an aware UTC datetime; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _checked_week(week: Mapping[int, Iterable[tuple[int, int]]]) -> Week:
    """Weekday -> spans of minutes, all seven days present; ValueError on nonsense."""
    checked: Week = {day: [] for day in range(7)}
    for day, spans in week.items():
        if day not in checked:
            raise ValueError(f"not a weekday number (0 = Monday .. 6 = Sunday): {day!r}")
        previous_end = 0
        spans = list(spans)
        for start, end in spans:
            if not 0 <= start < end <= MINUTES_PER_DAY or start < previous_end:
                raise ValueError(f"bad working hours on weekday {day}: {spans!r} (spans are "
                                 "minutes since midnight, in order, not overlapping, end <= 1440)")
            previous_end = end
            checked[day].append((start, end))
    if not any(checked.values()):
        raise ValueError("a calendar needs some working hours")
    return checked


class WorkingCalendar:
    """Weekly working hours (local wall-clock minutes) in a time zone, minus holiday dates."""

    def __init__(self, tz_name: str, week: Mapping[int, Iterable[tuple[int, int]]],
                 holidays: Iterable[date] = ()) -> None:
        try:
            self.tz = zoneinfo.ZoneInfo(tz_name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {tz_name!r}") from None
        self.tz_name = tz_name
        self.week = _checked_week(week)
        self.holidays = frozenset(holidays)

    @classmethod
    def from_model(cls, calendar: Calendar) -> WorkingCalendar:
        """The working calendar of a catalog Calendar."""
        return cls(calendar.timezone, calendar.weekly_hours(), calendar.holidays)

    @classmethod
    def round_the_clock(cls, tz_name: str = "UTC") -> WorkingCalendar:
        """Every moment is working time: working time is plain elapsed time."""
        return cls(tz_name, {day: [(0, MINUTES_PER_DAY)] for day in range(7)})

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.tz_name!r}, {self.week!r}, holidays={set(self.holidays)!r})"

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment at which `duration` of working time has passed since `start`.

        Counting begins at the first working moment at or after `start`. A duration that runs
        out exactly at the end of a span gives that end, not the start of the next span; a zero
        duration gives the next working moment at or after `start`.
        """
        if duration < ZERO:
            raise ValueError(f"a duration of working time cannot be negative: {duration}")
        left = duration
        for begin, end in self._spans(as_utc(start)):
            if left <= end - begin:
                return begin + left
            left -= end - begin
        raise AssertionError("unreachable: _spans without an end never stops")

    def working_time(self, start: datetime, end: datetime) -> timedelta:
        """The working time between two moments (zero when `end` is not after `start`)."""
        start, end = as_utc(start), as_utc(end)
        total = ZERO
        if end <= start:
            return total
        for begin, finish in self._spans(start, until=end):
            if begin >= end:
                break
            total += min(finish, end) - begin
        return total

    def is_working(self, moment: datetime) -> bool:
        """Whether the moment is working time (spans include their start, not their end)."""
        moment = as_utc(moment)
        first = next(self._spans(moment, until=moment), None)
        return first is not None and first[0] == moment

    def next_working_moment(self, moment: datetime) -> datetime:
        """The first working moment at or after `moment`."""
        return next(self._spans(as_utc(moment)))[0]

    def _spans(self, moment: datetime, until: datetime | None = None) -> Iterator[Span]:
        """Working spans in time order from `moment` on, the first clipped to begin at `moment`.

        With `until`, stops after the local day of `until`; without, gives up (ValueError)
        after MAX_IDLE_DAYS without working time instead of searching forever.
        """
        # No span of an earlier date reaches past `moment`: it ends by the first instant the
        # clock reads the next midnight. One day more after `until` is a cheap guard against
        # a clock that falls back across midnight after reading the next date.
        day = self._local_date(moment)
        last = None if until is None else self._local_date(until) + DAY
        idle = 0
        while last is None or day <= last:
            spans = [(max(begin, moment), end) for begin, end in self._day_spans(day)
                     if end > moment]
            yield from spans
            idle = 0 if spans else idle + 1
            if last is None and idle > MAX_IDLE_DAYS:
                raise ValueError(f"no working time within two years after {moment.isoformat()} "
                                 f"on the {self.tz_name} calendar: are its holidays right?")
            day += DAY

    def _day_spans(self, day: date) -> list[Span]:
        """The working spans of one local date as UTC instants; none on a holiday."""
        if day in self.holidays:
            return []
        midnight = datetime.combine(day, time())
        spans = []
        for start, end in self.week[day.weekday()]:
            begin = self._instant(midnight + timedelta(minutes=start))
            finish = self._instant(midnight + timedelta(minutes=end))
            if begin < finish:  # a span inside a spring-forward gap does not happen that day
                spans.append((begin, finish))
        return spans

    def _instant(self, local: datetime) -> datetime:
        """The first instant at which the local clock reads `local` (naive) or later."""
        moment = local.replace(tzinfo=self.tz).astimezone(UTC)
        if self._reads(moment) == local:
            return moment  # fold=0: the first of the two readings in a repeated hour
        # `local` is in a spring-forward gap: the clock jumps past it at the transition, which
        # lies between `local` read with the offset after it (fold=1, earlier) and before it
        # (fold=0, `moment`). Transitions fall on whole seconds, so bisecting seconds is exact.
        low = int(local.replace(tzinfo=self.tz, fold=1).astimezone(UTC).timestamp())
        high = int(moment.timestamp())
        while high - low > 1:
            middle = (low + high) // 2
            if self._reads(datetime.fromtimestamp(middle, UTC)) >= local:
                high = middle
            else:
                low = middle
        return datetime.fromtimestamp(high, UTC)

    def _reads(self, moment: datetime) -> datetime:
        """What the local clock reads at `moment`, as a naive datetime."""
        return moment.astimezone(self.tz).replace(tzinfo=None)

    def _local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()
