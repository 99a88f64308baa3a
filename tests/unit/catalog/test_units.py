from datetime import date, timedelta

import pytest

from portal.catalog import parse_duration, parse_size, resolve_date_bound
from portal.catalog.units import date_bound_offset

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize("text, expected", [
    ("5MB", 5 * 1024 * 1024),
    ("1KB", 1024),
    ("2 GB", 2 * 1024**3),
    ("1.5kb", 1536),
    ("300", 300),
    ("300B", 300),
    (4096, 4096),
])
def test_parse_size(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["5XB", "MB", "", "-1KB", True, None, 1.5, -3])
def test_parse_size_refuses(text):
    with pytest.raises(ValueError):
        parse_size(text)


@pytest.mark.parametrize("bound, expected", [
    ("today", TODAY),
    ("today+3d", TODAY + timedelta(days=3)),
    ("today-10d", TODAY - timedelta(days=10)),
    ("2026-01-01", date(2026, 1, 1)),
    (date(2027, 5, 1), date(2027, 5, 1)),
])
def test_resolve_date_bound(bound, expected):
    assert resolve_date_bound(bound, TODAY) == expected


@pytest.mark.parametrize("bound", ["tomorrow", "today+3", "today+3w", "2026-02-30", "", 5])
def test_resolve_date_bound_refuses(bound):
    with pytest.raises(ValueError):
        resolve_date_bound(bound, TODAY)


def test_date_bound_offset_tells_relative_from_fixed():
    assert date_bound_offset("today+3d") == 3
    assert date_bound_offset("today-2d") == -2
    assert date_bound_offset("today") == 0
    assert date_bound_offset("2026-01-01") is None
    assert date_bound_offset(date(2026, 1, 1)) is None


@pytest.mark.parametrize("text, expected", [
    ("30m", timedelta(minutes=30)),
    ("4h", timedelta(hours=4)),
    ("90h", timedelta(hours=90)),
    ("1h30m", timedelta(hours=1, minutes=30)),
])
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


def test_parse_duration_refuses_days_with_a_reason():
    with pytest.raises(ValueError, match="hours of working time"):
        parse_duration("2d")


@pytest.mark.parametrize("text", ["", "30", "h", "4x", 30, None, "m30"])
def test_parse_duration_refuses(text):
    with pytest.raises(ValueError):
        parse_duration(text)
