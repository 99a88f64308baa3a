"""Hand-checked working-time arithmetic; the expected values are worked out in the comments.

Unless said otherwise the calendar is the spec's `office`: Europe/Warsaw, mon-thu 08:00-17:00
(9h), fri 08:00-15:00 (7h), so 43h a week; holidays 2026-12-24, 25 and 26.
June 2026: Mon 1, Tue 2, ... Fri 5, Sat 6, Sun 7, Mon 8 (CEST, UTC+2).
"""

import time
from datetime import UTC, date, datetime, timedelta

import pytest

from portal.businesstime import WorkingCalendar
from portal.catalog import Calendar

from .helpers import OFFICE, warsaw

H = timedelta(hours=1)
M = timedelta(minutes=1)
US = timedelta(microseconds=1)
# valid.yaml's office: Friday has a lunch gap.
LUNCH = WorkingCalendar("Europe/Warsaw", {0: [(480, 1020)], 4: [(480, 720), (780, 900)]})


@pytest.mark.parametrize(("start", "duration", "due"), [
    # Tue 09:15 + 4h30m, all inside 08:00-17:00.
    (warsaw(2026, 6, 2, 9, 15), 4 * H + 30 * M, warsaw(2026, 6, 2, 13, 45)),
    # Tue 08:00 + 9h uses the whole day: it ends at 17:00 that day, not at Wed 08:00.
    (warsaw(2026, 6, 2, 8), 9 * H, warsaw(2026, 6, 2, 17)),
    # Fri 14:00 + 4h: Fri 14-15 is 1h, the weekend is off, Mon 08:00 + 3h = 11:00.
    (warsaw(2026, 6, 5, 14), 4 * H, warsaw(2026, 6, 8, 11)),
    # Wed 2026-12-23 15:00 + 4h: Wed 15-17 is 2h; Thu 24, Fri 25 are holidays, then the
    # weekend (Sat 26 is a holiday anyway); Mon 28 08:00 + 2h = 10:00.
    (warsaw(2026, 12, 23, 15), 4 * H, warsaw(2026, 12, 28, 10)),
    # Starting on a holiday morning (Thu 24 09:00) + 1h: counting begins Mon 28 08:00.
    (warsaw(2026, 12, 24, 9), H, warsaw(2026, 12, 28, 9)),
    # Sat 10:00 + 1h: counting begins Mon 08:00.
    (warsaw(2026, 6, 6, 10), H, warsaw(2026, 6, 8, 9)),
    # Sun 23:30 + 30m: Mon 08:00 + 30m.
    (warsaw(2026, 6, 7, 23, 30), 30 * M, warsaw(2026, 6, 8, 8, 30)),
    # Tue 06:00, before opening, + 1h: 08:00 + 1h.
    (warsaw(2026, 6, 2, 6), H, warsaw(2026, 6, 2, 9)),
    # Tue 17:00 is closing time (spans exclude their end): Wed 08:00 + 1h.
    (warsaw(2026, 6, 2, 17), H, warsaw(2026, 6, 3, 9)),
    # 80h from Mon 1 June 08:00: the first week gives 43h, leaving 37h; Mon-Thu of the next
    # week give 36h, leaving 1h: Fri 12 June 09:00.
    (warsaw(2026, 6, 1, 8), 80 * H, warsaw(2026, 6, 12, 9)),
])
def test_add_on_the_office_calendar(start, duration, due):
    assert OFFICE.add(start, duration) == due
    assert OFFICE.working_time(start, due) == duration


@pytest.mark.parametrize(("start", "duration", "due"), [
    # Fri 12:30 is in the lunch gap: 13:00 + 1h = 14:00.
    (warsaw(2026, 6, 5, 12, 30), H, warsaw(2026, 6, 5, 14)),
    # Fri 11:00 + 2h: 11-12 is 1h, then 13:00 + 1h = 14:00.
    (warsaw(2026, 6, 5, 11), 2 * H, warsaw(2026, 6, 5, 14)),
    # Fri 11:00 + 6h: 1h before lunch, 2h after, then Mon 08:00 + 3h = 11:00.
    (warsaw(2026, 6, 5, 11), 6 * H, warsaw(2026, 6, 8, 11)),
    # Fri 08:00 + 4h ends exactly at lunch: 12:00, not 13:00.
    (warsaw(2026, 6, 5, 8), 4 * H, warsaw(2026, 6, 5, 12)),
])
def test_add_across_a_lunch_gap(start, duration, due):
    assert LUNCH.add(start, duration) == due


@pytest.mark.parametrize(("start", "due"), [
    (warsaw(2026, 6, 2, 10), warsaw(2026, 6, 2, 10)),   # working now: now
    (warsaw(2026, 6, 6, 10), warsaw(2026, 6, 8, 8)),    # Saturday: Monday's opening
    (warsaw(2026, 6, 2, 17), warsaw(2026, 6, 3, 8)),    # closing time: next opening
])
def test_zero_duration_is_the_next_working_moment(start, due):
    assert OFFICE.add(start, timedelta(0)) == due
    assert OFFICE.next_working_moment(start) == due


def test_is_working_includes_the_start_of_a_span_not_its_end():
    assert OFFICE.is_working(warsaw(2026, 6, 2, 8))
    assert OFFICE.is_working(warsaw(2026, 6, 2, 17) - US)
    assert not OFFICE.is_working(warsaw(2026, 6, 2, 17))
    assert not OFFICE.is_working(warsaw(2026, 6, 6, 10))        # Saturday
    assert not OFFICE.is_working(warsaw(2026, 12, 24, 10))      # Christmas Eve, a Thursday


def test_results_are_utc_and_naive_input_is_utc():
    # Tue 2 June 09:00 CEST is 07:00 UTC.
    due = OFFICE.add(datetime(2026, 6, 2, 7), H)
    assert due.tzinfo is UTC
    assert due == datetime(2026, 6, 2, 8, tzinfo=UTC)
    assert OFFICE.working_time(datetime(2026, 6, 2, 7), datetime(2026, 6, 2, 8)) == H


def test_working_time_is_zero_backwards():
    assert OFFICE.working_time(warsaw(2026, 6, 3, 9), warsaw(2026, 6, 2, 9)) == timedelta(0)
    # Tue 16:00 to Wed 10:00 is 1h + 2h.
    assert OFFICE.working_time(warsaw(2026, 6, 2, 16), warsaw(2026, 6, 3, 10)) == 3 * H


# --- daylight saving time in Europe/Warsaw: 2026-03-29 02:00 CET -> 03:00 CEST,
#     2026-10-25 03:00 CEST -> 02:00 CET.
WARSAW_24X7 = WorkingCalendar.round_the_clock("Europe/Warsaw")


def test_spring_forward_round_the_clock():
    # 01:00 + 3h of real time: 02:00-03:00 does not exist, so the clock reads 05:00.
    assert WARSAW_24X7.add(warsaw(2026, 3, 29, 1), 3 * H) == warsaw(2026, 3, 29, 5)
    # The wall-clock day 00:00-24:00 is 23 real hours.
    assert WARSAW_24X7.working_time(warsaw(2026, 3, 29), warsaw(2026, 3, 30)) == 23 * H


def test_fall_back_round_the_clock():
    # 01:00 CEST + 3h: 02:00 CEST, 02:00 CET (the hour again), 03:00 CET.
    start = warsaw(2026, 10, 25, 1)
    assert WARSAW_24X7.add(start, 3 * H) == warsaw(2026, 10, 25, 3)
    assert WARSAW_24X7.add(start, 3 * H) == datetime(2026, 10, 25, 2, tzinfo=UTC)
    assert WARSAW_24X7.working_time(warsaw(2026, 10, 25), warsaw(2026, 10, 26)) == 25 * H


def test_office_hours_stay_wall_clock_across_dst():
    # Fri 27 March 14:00 CET + 2h: 1h on Friday, then Monday 08:00, now CEST, + 1h = 09:00.
    due = OFFICE.add(warsaw(2026, 3, 27, 14), 2 * H)
    assert due == warsaw(2026, 3, 30, 9)
    assert due == datetime(2026, 3, 30, 7, tzinfo=UTC)  # an hour earlier in UTC than on Friday
    # Fri 23 October 14:00 CEST + 4h: 1h Friday, Monday 26 (CET) 08:00 + 3h = 11:00.
    assert OFFICE.add(warsaw(2026, 10, 23, 14), 4 * H) == warsaw(2026, 10, 26, 11)


def test_hours_that_begin_inside_the_changed_hour():
    night = WorkingCalendar("Europe/Warsaw", {6: [(150, 240)]})  # Sundays 02:30-04:00
    day = timedelta(days=1)
    # An ordinary Sunday: 1h30m.
    assert night.working_time(warsaw(2026, 3, 22), warsaw(2026, 3, 22) + day) == 90 * M
    # 29 March: 02:30 never shows on the clock; work starts when it jumps to 03:00: 1h.
    assert night.working_time(warsaw(2026, 3, 29), warsaw(2026, 3, 30)) == H
    assert night.add(warsaw(2026, 3, 29), 30 * M) == warsaw(2026, 3, 29, 3, 30)
    # 25 October: from the first 02:30 (CEST, 00:30 UTC) to 04:00 CET (03:00 UTC): 2h30m.
    assert night.working_time(warsaw(2026, 10, 25), warsaw(2026, 10, 26)) == 150 * M
    gap = WorkingCalendar("Europe/Warsaw", {6: [(135, 165)]})  # Sundays 02:15-02:45
    assert gap.working_time(warsaw(2026, 3, 29), warsaw(2026, 3, 30)) == timedelta(0)
    # ... so the next working moment after that Sunday's midnight is a week later.
    assert gap.next_working_moment(warsaw(2026, 3, 29)) == warsaw(2026, 4, 5, 2, 15)


@pytest.mark.parametrize("duration", [timedelta(0), 30 * M, 4 * H, 2000 * H,
                                      timedelta(hours=7, microseconds=3)])
def test_round_the_clock_utc_is_plain_addition(duration):
    start = datetime(2026, 2, 27, 22, 15, 7, tzinfo=UTC)
    assert WorkingCalendar.round_the_clock().add(start, duration) == start + duration


def test_long_durations_are_fast():
    # mon-fri 09:00-17:00 UTC is 40h a week, so 2000h is exactly 50 weeks: from Mon 5 January
    # 09:00 it runs out at the end of the 50th Friday, 9 January + 49 weeks = Fri 18 December.
    week = {day: [(9 * 60, 17 * 60)] for day in range(5)}
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    began = time.perf_counter()
    assert WorkingCalendar("UTC", week).add(start, 2000 * H) == datetime(2026, 12, 18, 17,
                                                                         tzinfo=UTC)
    due = OFFICE.add(warsaw(2026, 1, 5, 8), 2000 * H)
    assert OFFICE.working_time(warsaw(2026, 1, 5, 8), due) == 2000 * H
    assert time.perf_counter() - began < 1.0


def test_from_model_reads_a_catalog_calendar():
    model = Calendar(timezone="Europe/Warsaw",
                     hours={"mon-thu": "08:00-17:00", "fri": "08:00-15:00"},
                     holidays=[date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26)])
    calendar = WorkingCalendar.from_model(model)
    assert calendar.week == OFFICE.week
    assert calendar.holidays == OFFICE.holidays
    assert calendar.add(warsaw(2026, 6, 5, 14), 4 * H) == warsaw(2026, 6, 8, 11)
    assert WorkingCalendar.from_model(Calendar(timezone="UTC", hours={"mon-sun": "00:00-24:00"})
                                      ).week == WorkingCalendar.round_the_clock().week


def test_a_calendar_without_working_time_is_refused():
    with pytest.raises(ValueError, match="needs some working hours"):
        WorkingCalendar("UTC", {})
    with pytest.raises(ValueError, match="needs some working hours"):
        WorkingCalendar("UTC", {0: []})


def test_two_years_of_holidays_stop_the_search():
    mondays = {date(2026, 1, 5) + timedelta(weeks=n) for n in range(160)}  # into 2029
    calendar = WorkingCalendar("UTC", {0: [(480, 1020)]}, holidays=mondays)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="no working time within two years"):
        calendar.add(start, H)
    with pytest.raises(ValueError, match="no working time within two years"):
        calendar.next_working_moment(start)
    # Bounded questions still have answers.
    assert calendar.working_time(start, datetime(2029, 1, 1, tzinfo=UTC)) == timedelta(0)
    assert not calendar.is_working(datetime(2026, 1, 5, 9, tzinfo=UTC))


@pytest.mark.parametrize(("week", "message"), [
    ({0: [(600, 540)]}, "bad working hours on weekday 0"),
    ({1: [(480, 720), (700, 900)]}, "bad working hours on weekday 1"),
    ({2: [(780, 900), (480, 720)]}, "bad working hours on weekday 2"),
    ({3: [(0, 1441)]}, "bad working hours on weekday 3"),
    ({7: [(480, 900)]}, "not a weekday number"),
])
def test_bad_hours_are_refused(week, message):
    with pytest.raises(ValueError, match=message):
        WorkingCalendar("UTC", week)


def test_unknown_time_zone_and_negative_duration_are_refused():
    with pytest.raises(ValueError, match="unknown time zone 'Europe/Warsow'"):
        WorkingCalendar("Europe/Warsow", {0: [(0, 60)]})
    with pytest.raises(ValueError, match="cannot be negative"):
        OFFICE.add(warsaw(2026, 6, 2, 9), -H)


def test_dates_are_local_to_the_calendar():
    # Mon 8 June 07:30 in Warsaw is still Sunday 22:30 in New York: a New York Monday
    # calendar has not started yet, and starts at 08:00 New York time (14:00 in Warsaw).
    new_york = WorkingCalendar("America/New_York", {0: [(480, 1020)]})
    assert new_york.next_working_moment(warsaw(2026, 6, 8, 7, 30)) == warsaw(2026, 6, 8, 14)
