"""Pauses, due moments, target states and policy lookup, checked by hand.

The calendar is the spec's `office` (Warsaw, mon-thu 08:00-17:00, fri 08:00-15:00).
June 2026: Mon 1, Tue 2, Wed 3, Thu 4, Fri 5. The ticket starts Tue 2 June 09:00.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
import yaml

from portal.businesstime import Pause, due_time, elapsed, pauses, resolve_targets, state
from portal.catalog import Catalog

from .helpers import OFFICE, warsaw

H = timedelta(hours=1)
M = timedelta(minutes=1)
WAITING = {"waiting_on_requester", "awaiting_approval"}
START = warsaw(2026, 6, 2, 9)
# Waiting on the requester from Tue 16:00 to Wed 10:00: Tue 16-17 (1h) + Wed 08-10 (2h) = 3h.
NIGHT_PAUSE = [(START, "open"), (warsaw(2026, 6, 2, 16), "waiting_on_requester"),
               (warsaw(2026, 6, 3, 10), "in_progress")]
# A second pause Wed 14:00 to Thu 09:00: Wed 14-17 (3h) + Thu 08-09 (1h) = 4h.
TWO_PAUSES = [*NIGHT_PAUSE, (warsaw(2026, 6, 3, 14), "waiting_on_requester"),
              (warsaw(2026, 6, 4, 9), "in_progress")]


def test_pauses_from_a_history():
    assert pauses(TWO_PAUSES, WAITING) == [
        Pause(warsaw(2026, 6, 2, 16), warsaw(2026, 6, 3, 10)),
        Pause(warsaw(2026, 6, 3, 14), warsaw(2026, 6, 4, 9)),
    ]
    # Order does not matter; moving between two pausing statuses is one pause; one still
    # going has no end; changes after `until` have not happened yet.
    history = [(warsaw(2026, 6, 3), "awaiting_approval"), (warsaw(2026, 6, 2), "new"),
               (warsaw(2026, 6, 4), "waiting_on_requester")]
    assert pauses(history, WAITING) == [Pause(warsaw(2026, 6, 3))]
    assert pauses(TWO_PAUSES, WAITING, until=warsaw(2026, 6, 3, 12)) == [
        Pause(warsaw(2026, 6, 2, 16), warsaw(2026, 6, 3, 10))]
    assert pauses(TWO_PAUSES, set()) == []


def test_no_pause():
    # 8h from Tue 09:00 is Tue 17:00.
    assert due_time(OFFICE, START, 8 * H, [(START, "open")], WAITING) == warsaw(2026, 6, 2, 17)


def test_a_pause_over_the_night_moves_the_due_time_by_the_working_time_it_covered():
    # 7h used by 16:00, 1h left from Wed 10:00: Wed 11:00 = Tue 17:00 + 3h of working time.
    assert due_time(OFFICE, START, 8 * H, NIGHT_PAUSE, WAITING) == warsaw(2026, 6, 3, 11)
    # Tue 09:00 to Wed 12:00 is 8h + 4h of working time, 3h of it paused.
    assert elapsed(OFFICE, START, warsaw(2026, 6, 3, 12), NIGHT_PAUSE, WAITING) == 9 * H


def test_two_pauses():
    # 16h: Tue 09-16 is 7h, Wed 10-14 is 4h, 5h left from Thu 09:00: Thu 14:00. Without the
    # pauses it would be Wed 16:00; 7h of working time later is Wed 16-17 + Thu 08-14.
    assert due_time(OFFICE, START, 16 * H, TWO_PAUSES, WAITING) == warsaw(2026, 6, 4, 14)
    assert elapsed(OFFICE, START, warsaw(2026, 6, 4, 14), TWO_PAUSES, WAITING) == 16 * H


def test_a_pause_outside_working_hours_changes_nothing():
    history = [(warsaw(2026, 6, 2, 18), "waiting_on_requester"), (warsaw(2026, 6, 3, 7), "open")]
    assert due_time(OFFICE, START, 8 * H, history, WAITING) == warsaw(2026, 6, 2, 17)


def test_a_pause_from_before_the_start():
    # Created awaiting approval Mon 08:00, approved Mon 10:00: 2h from then is Mon 12:00.
    history = [(warsaw(2026, 6, 1, 8), "awaiting_approval"), (warsaw(2026, 6, 1, 10), "open")]
    assert due_time(OFFICE, warsaw(2026, 6, 1, 8), 2 * H, history, WAITING) == warsaw(2026, 6, 1,
                                                                                       12)


def test_currently_paused_has_no_due_time():
    history = NIGHT_PAUSE[:2]
    assert due_time(OFFICE, START, 8 * H, history, WAITING) is None
    # As of Wed 09:00 the resume at 10:00 has not happened yet.
    assert due_time(OFFICE, START, 8 * H, NIGHT_PAUSE, WAITING, now=warsaw(2026, 6, 3, 9)) is None
    now = state(OFFICE, START, 8 * H, history, WAITING, now=warsaw(2026, 6, 3, 9))
    assert (now.due, now.paused, now.used, now.breached, now.met) == (None, True, 7 * H, False,
                                                                      False)


def test_a_pause_after_the_due_time_does_not_move_it():
    # 2h from Tue 09:00 is 11:00; waiting from 13:00 on changes nothing: still breached.
    history = [(START, "open"), (warsaw(2026, 6, 2, 13), "waiting_on_requester")]
    assert due_time(OFFICE, START, 2 * H, history, WAITING) == warsaw(2026, 6, 2, 11)
    now = state(OFFICE, START, 2 * H, history, WAITING, now=warsaw(2026, 6, 2, 14))
    assert now.breached and now.paused and now.used == 4 * H  # 09-13, then paused


@pytest.mark.parametrize(("now", "used", "at_risk", "breached"), [
    # 10h target, due Wed 10:00 (Tue 8h + Wed 2h).
    (warsaw(2026, 6, 2, 16), 7 * H, False, False),    # 70 %
    (warsaw(2026, 6, 3, 8), 8 * H, True, False),      # 80 %: at risk
    (warsaw(2026, 6, 3, 10), 10 * H, True, False),    # exactly due: not yet breached
    (warsaw(2026, 6, 3, 12), 12 * H, True, True),     # 120 %: 2h overdue
    (warsaw(2026, 6, 3, 18), 17 * H, True, True),     # Wed after hours: 8h + 9h
])
def test_state_while_running(now, used, at_risk, breached):
    result = state(OFFICE, START, 10 * H, [(START, "open")], WAITING, now=now)
    assert result.due == warsaw(2026, 6, 3, 10)
    assert result.used == used
    assert result.remaining == 10 * H - used
    assert result.fraction == pytest.approx(used / (10 * H))
    assert (result.at_risk, result.breached, result.met, result.paused) == (at_risk, breached,
                                                                            False, False)


def test_state_when_met():
    later = warsaw(2026, 6, 10)
    on_time = state(OFFICE, START, 10 * H, [], WAITING, now=later, met_at=warsaw(2026, 6, 3, 9, 30))
    assert (on_time.met, on_time.breached, on_time.at_risk) == (True, False, False)
    assert on_time.used == 9 * H + 30 * M and on_time.remaining == 30 * M
    late = state(OFFICE, START, 10 * H, [], WAITING, now=later, met_at=warsaw(2026, 6, 3, 11))
    assert (late.met, late.breached, late.at_risk) == (False, True, True)
    assert late.remaining == -H


def test_met_during_a_pause_ends_the_pause_there():
    # Answered at Wed 09:00 while waiting since Tue 16:00: 7h used, 3h left from then, so the
    # due moment shown is Wed 12:00 and the target was met on time.
    result = state(OFFICE, START, 10 * H, NIGHT_PAUSE[:2], WAITING, now=warsaw(2026, 6, 5),
                   met_at=warsaw(2026, 6, 3, 9))
    assert (result.met, result.paused, result.used) == (True, False, 7 * H)
    assert result.due == warsaw(2026, 6, 3, 12)


def test_a_zero_target_is_used_up_at_once():
    result = state(OFFICE, START, timedelta(0), [], WAITING, now=START)
    assert result.fraction == 1.0 and result.due == START and not result.breached


CATALOG = """
items:
  - {id: laptop, category: hw, name: Laptop, team: desk}
  - {id: breach, category: hw, name: Breach, team: desk, sla: critical}
calendars:
  office:
    timezone: Europe/Warsaw
    hours: {mon-thu: "08:00-17:00", fri: "08:00-15:00"}
    holidays: [2026-12-24, 2026-12-25, 2026-12-26]
  24x7: {timezone: UTC, hours: {mon-sun: "00:00-24:00"}}
sla:
  default:
    calendar: office
    pause_on: [waiting_on_requester, awaiting_approval]
    targets:
      P1: {response: 30m, resolution: 4h, calendar: 24x7}
      P2: {response: 2h, resolution: 16h}
  critical:
    calendar: 24x7
    pause_on: [waiting_on_requester]
    targets:
      P1: {response: 15m, resolution: 4h}
  anywhere:
    targets:
      P3: {response: 1h, resolution: 2h}
  broken:
    calendar: nowhere
    targets:
      P3: {response: 1h, resolution: 2h}
"""


@pytest.fixture
def catalog() -> Catalog:
    return Catalog.model_validate(yaml.safe_load(CATALOG))


def test_resolve_targets_for_an_item_without_sla_uses_default(catalog):
    targets = resolve_targets(catalog, catalog.item("laptop"), "P2")
    response, resolution, pause_on = targets
    assert (response.time, resolution.time) == (2 * H, 16 * H)
    assert pause_on == WAITING
    assert response.calendar.tz_name == "Europe/Warsaw"
    assert response.calendar.holidays == {date(2026, 12, 24), date(2026, 12, 25),
                                          date(2026, 12, 26)}
    # Fri 14:00 + 4h on the office calendar is Mon 11:00.
    assert resolution.calendar.add(warsaw(2026, 6, 5, 14), 4 * H) == warsaw(2026, 6, 8, 11)


def test_a_target_calendar_overrides_the_policys(catalog):
    targets = resolve_targets(catalog, catalog.item("laptop"), "P1")
    assert (targets.response.time, targets.resolution.time) == (30 * M, 4 * H)
    saturday = datetime(2026, 6, 6, 10, tzinfo=UTC)
    assert targets.resolution.calendar.add(saturday, 4 * H) == saturday + 4 * H


def test_resolve_targets_by_item_sla_or_policy_id(catalog):
    by_item = resolve_targets(catalog, catalog.item("breach"), "P1")
    by_id = resolve_targets(catalog, "critical", "P1")
    assert by_item.response.time == by_id.response.time == 15 * M
    assert by_item.pause_on == by_id.pause_on == {"waiting_on_requester"}
    # No calendar anywhere: round the clock.
    anywhere = resolve_targets(catalog, "anywhere", "P3")
    assert anywhere.resolution.calendar.add(START, 2 * H) == START + 2 * H


def test_resolve_targets_without_a_policy(catalog):
    assert resolve_targets(catalog, catalog.item("breach"), "P4") is None  # no P4 target
    assert resolve_targets(catalog, "missing", "P1") is None
    del catalog.sla["default"]
    assert resolve_targets(catalog, catalog.item("laptop"), "P2") is None
    with pytest.raises(ValueError, match="'nowhere' is not in the catalog"):
        resolve_targets(catalog, "broken", "P3")
