"""Sizes (5MB), date bounds (today+3d) and durations (90m, 4h) as the catalog writes them."""

import re
from datetime import date, datetime, timedelta

SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]?B)?\s*$", re.IGNORECASE)
SIZE_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
RELATIVE_DATE = re.compile(r"^\s*today\s*(?:([+-])\s*(\d+)\s*d)?\s*$")
DURATION = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*$")


def parse_size(value) -> int:
    """'5MB' -> 5242880 bytes (KB/MB/GB are 1024-based; a plain number is bytes)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ValueError("a size cannot be negative")
        return value
    match = SIZE.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"not a size: {value!r} (use bytes or a number with KB, MB or GB: 5MB)")
    number, unit = match.groups()
    return int(float(number) * SIZE_UNITS[(unit or "B").upper()])


def date_bound_offset(bound) -> int | None:
    """The day offset of a relative bound ('today+3d' -> 3), None for an absolute date."""
    if isinstance(bound, str):
        match = RELATIVE_DATE.match(bound)
        if match:
            sign, days = match.groups()
            return 0 if days is None else int(days) * (-1 if sign == "-" else 1)
    return None


def resolve_date_bound(bound, today: date) -> date:
    """A date, 'YYYY-MM-DD', 'today', 'today+Nd' or 'today-Nd' as a date relative to `today`."""
    if isinstance(bound, datetime):
        return bound.date()
    if isinstance(bound, date):
        return bound
    offset = date_bound_offset(bound)
    if offset is not None:
        return today + timedelta(days=offset)
    if isinstance(bound, str):
        try:
            return date.fromisoformat(bound.strip())
        except ValueError:
            pass
    raise ValueError(
        f"not a date bound: {bound!r} (use a date like 2026-01-01, today, today+3d or today-3d)"
    )


def parse_duration(value) -> timedelta:
    """'30m', '4h' or '1h30m' -> a timedelta (SLA targets count working time)."""
    text = value.strip() if isinstance(value, str) else ""
    if text.endswith("d"):
        # A working day depends on the calendar, so days would be ambiguous.
        raise ValueError(f"not a duration: {value!r} (use hours of working time, e.g. 16h)")
    match = DURATION.match(text)
    if not match or not any(match.groups()):
        raise ValueError(f"not a duration: {value!r} (use minutes or hours: 30m, 4h, 1h30m)")
    hours, minutes = (int(part or 0) for part in match.groups())
    return timedelta(hours=hours, minutes=minutes)
