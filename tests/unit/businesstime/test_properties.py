"""Properties of working time on random calendars, time zones, holidays and moments.

Moments are drawn over 2026-2027, half of them within two days (or four hours) of one of the
calendar zone's daylight-saving changes, and span edges are biased towards the hours clocks
skip or repeat (02:00-03:00, midnight), so the changed hours are exercised, not left to chance.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.businesstime import WorkingCalendar, due_time, elapsed, pauses, state

# Santiago changes its clocks at midnight: one night 00:00 does not exist, another comes twice.
ZONES = ["Europe/Warsaw", "America/New_York", "Asia/Tehran", "Australia/Sydney", "UTC",
         "America/Santiago"]
FIRST, LAST = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 12, 31, tzinfo=UTC)
US = timedelta(microseconds=1)
STATUSES = ["new", "awaiting_approval", "open", "in_progress", "waiting_on_requester",
            "resolved", "closed", "rejected", "cancelled"]
SETTINGS = settings(max_examples=200, deadline=timedelta(seconds=2),
                    suppress_health_check=[HealthCheck.too_slow])


def transitions(zone: str) -> list[datetime]:
    """The instants in 2026-2027 at which the zone's UTC offset changes (to the hour)."""
    tz, found, moment = ZoneInfo(zone), [], FIRST
    while moment < LAST:
        step = moment + timedelta(hours=1)
        if moment.astimezone(tz).utcoffset() != step.astimezone(tz).utcoffset():
            found.append(step)
        moment = step
    return found


TRANSITIONS = {zone: transitions(zone) for zone in ZONES}
# Span edges: anywhere, or in and around the hours that clocks skip or repeat.
minutes = st.one_of(st.integers(0, 24 * 60),
                    st.sampled_from([0, 30, 60, 120, 135, 150, 165, 180, 200, 23 * 60, 24 * 60]))


@st.composite
def day_hours(draw) -> list[tuple[int, int]]:
    edges = sorted(draw(st.lists(minutes, max_size=6, unique=True)))
    return list(zip(edges[::2], edges[1::2], strict=False))


@st.composite
def calendars(draw) -> WorkingCalendar:
    week = draw(st.fixed_dictionaries({day: day_hours() for day in range(7)})
                .filter(lambda w: any(w.values())))
    holidays = draw(st.sets(st.dates(date(2025, 12, 25), date(2028, 6, 30)), max_size=30))
    return WorkingCalendar(draw(st.sampled_from(ZONES)), week, holidays)


@st.composite
def moments(draw, calendar: WorkingCalendar) -> datetime:
    near = TRANSITIONS[calendar.tz_name]
    if near and draw(st.booleans()):
        within = draw(st.sampled_from([timedelta(hours=4), timedelta(days=2)]))
        return draw(st.sampled_from(near)) + draw(st.timedeltas(-within, within))
    return draw(st.datetimes(FIRST.replace(tzinfo=None), LAST.replace(tzinfo=None),
                             timezones=st.just(UTC)))


@st.composite
def cases(draw) -> tuple[WorkingCalendar, datetime]:
    calendar = draw(calendars())
    return calendar, draw(moments(calendar))


durations = st.timedeltas(timedelta(0), timedelta(hours=200))
positive = st.timedeltas(US, timedelta(hours=200))


@SETTINGS
@given(cases(), durations)
def test_working_time_undoes_add(case, duration):
    calendar, start = case
    assert calendar.working_time(start, calendar.add(start, duration)) == duration


@SETTINGS
@given(cases(), positive)
def test_add_ends_in_working_time_or_at_a_span_end(case, duration):
    calendar, start = case
    due = calendar.add(start, duration)
    assert due > start
    assert calendar.is_working(due - US)


@SETTINGS
@given(cases())
def test_zero_duration_is_the_next_working_moment(case):
    calendar, start = case
    nearest = calendar.add(start, timedelta(0))
    assert nearest == calendar.next_working_moment(start) >= start
    assert calendar.is_working(nearest)
    assert calendar.working_time(start, nearest) == timedelta(0)


@SETTINGS
@given(cases(), durations, durations)
def test_add_is_monotonic(case, one, other):
    calendar, start = case
    shorter, longer = sorted((one, other))
    if shorter == longer:
        assert calendar.add(start, shorter) == calendar.add(start, longer)
    else:
        assert calendar.add(start, shorter) < calendar.add(start, longer)


@SETTINGS
@given(calendars().flatmap(lambda c: st.tuples(st.just(c), moments(c), moments(c), moments(c))))
def test_working_time_is_additive(case):
    calendar, *points = case
    a, b, c = sorted(points)
    assert calendar.working_time(a, b) + calendar.working_time(b, c) == calendar.working_time(a, c)


def wall_clock_working(calendar: WorkingCalendar, moment: datetime) -> bool | None:
    """Independently: does the local clock show working hours? None in a repeated hour."""
    local = moment.astimezone(calendar.tz).replace(tzinfo=None)
    first, second = (local.replace(tzinfo=calendar.tz, fold=f).utcoffset() for f in (0, 1))
    if first != second:
        return None  # the clock shows this time twice: the reading alone cannot tell
    if local.date() in calendar.holidays:
        return False
    since_midnight = local - datetime.combine(local.date(), time())
    return any(timedelta(minutes=s) <= since_midnight < timedelta(minutes=e)
               for s, e in calendar.week[local.weekday()])


@SETTINGS
@given(cases())
def test_is_working_agrees_with_the_wall_clock(case):
    calendar, centre = case
    # Every 7 minutes for 3.5 hours either side: around a transition this crosses the whole
    # changed hour and the span edges placed in it.
    for step in range(-30, 31):
        moment = centre + step * timedelta(minutes=7)
        expected = wall_clock_working(calendar, moment)
        if expected is not None:
            assert calendar.is_working(moment) == expected, moment


@SETTINGS
@given(st.datetimes(FIRST.replace(tzinfo=None), LAST.replace(tzinfo=None)),
       st.timedeltas(timedelta(0), timedelta(hours=2000)))
def test_round_the_clock_utc_is_plain_addition(start, duration):
    calendar = WorkingCalendar.round_the_clock()
    assert calendar.add(start, duration) == start.replace(tzinfo=UTC) + duration
    assert calendar.working_time(start, start + duration) == duration


@st.composite
def histories(draw, start: datetime) -> list[tuple[datetime, str]]:
    """Status changes from a little before `start` on, at increasing moments."""
    moment = start - draw(st.timedeltas(timedelta(0), timedelta(days=1)))
    changes = []
    for status in draw(st.lists(st.sampled_from(STATUSES), max_size=8)):
        moment += draw(st.timedeltas(timedelta(0), timedelta(days=5)))
        changes.append((moment, status))
    return changes


@SETTINGS
@given(cases().flatmap(lambda c: st.tuples(st.just(c), histories(c[1]))), durations,
       st.sets(st.sampled_from(STATUSES), max_size=3))
def test_due_time_is_when_the_unpaused_working_time_reaches_the_target(case, target, pause_on):
    (calendar, start), history = case
    due = due_time(calendar, start, target, history, pause_on)
    if due is None:  # only while paused
        assert pauses(history, pause_on)[-1].end is None
        return
    assert due >= calendar.add(start, target)  # pauses only ever delay
    assert elapsed(calendar, start, due, history, pause_on) == target
    at_due = state(calendar, start, target, history, pause_on, now=due)
    assert at_due.due == due and at_due.remaining == timedelta(0) and not at_due.breached
