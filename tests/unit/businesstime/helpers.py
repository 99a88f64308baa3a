"""Calendars and moments shared by the SLA tests."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from portal.businesstime import WorkingCalendar

WARSAW = ZoneInfo("Europe/Warsaw")
NINE_TO_FIVE = (8 * 60, 17 * 60)  # 08:00-17:00

# The spec's `office` calendar: mon-thu 08:00-17:00, fri 08:00-15:00, Christmas off.
OFFICE = WorkingCalendar(
    "Europe/Warsaw",
    {0: [NINE_TO_FIVE], 1: [NINE_TO_FIVE], 2: [NINE_TO_FIVE], 3: [NINE_TO_FIVE],
     4: [(8 * 60, 15 * 60)]},
    holidays={date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26)},
)


def warsaw(*args: int) -> datetime:
    """A wall-clock moment in Warsaw: warsaw(2026, 6, 2, 9) is Tue 2 June 2026 09:00."""
    return datetime(*args, tzinfo=WARSAW)
