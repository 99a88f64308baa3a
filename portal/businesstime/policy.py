"""SLA targets over a ticket's status history: pauses, due moments and the state of a target.

A history is a list of (moment, status) changes, status being a lifecycle status such as
"waiting_on_requester" (plain strings or the lifecycle's StrEnum). The clock is paused while the
status is one of the policy's `pause_on`; working time inside a pause does not count, so a pause
moves the due moment on by the working time it covered.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from .clock import ZERO, WorkingCalendar, as_utc

if TYPE_CHECKING:
    from portal.catalog.model import Catalog, Item

# The share of a target used up from which it counts as at risk.
AT_RISK = 0.8

Change = tuple[datetime, str]


@dataclass(frozen=True)
class Pause:
    """The clock stood still from `start` until `end` (None: it still does)."""

    start: datetime
    end: datetime | None = None


def pauses(history: Iterable[Change], pause_on: Collection[str],
           until: datetime | None = None) -> list[Pause]:
    """The paused intervals of a history, in order; changes after `until` have not happened."""
    limit = None if until is None else as_utc(until)
    result: list[Pause] = []
    opened: datetime | None = None
    # Sorted (stably) so that callers may pass events in any order.
    for moment, status in sorted(((as_utc(m), s) for m, s in history), key=lambda c: c[0]):
        if limit is not None and moment > limit:
            break
        if status in pause_on:
            opened = opened or moment  # waiting_on_requester -> awaiting_approval: one pause
        elif opened is not None:
            result.append(Pause(opened, moment))
            opened = None
    if opened is not None:
        result.append(Pause(opened))
    return result


def due_time(calendar: WorkingCalendar, start: datetime, target: timedelta,
             history: Iterable[Change], pause_on: Collection[str],
             now: datetime | None = None) -> datetime | None:
    """When `target` of unpaused working time since `start` runs out; None while paused.

    While the clock is paused (and was paused before the target ran out) the due moment is not
    known yet, so None: the portal shows "paused". A target that ran out before a pause began
    keeps its due moment. With `now`, changes after it are ignored (the due moment as of then).
    """
    return _due(calendar, as_utc(start), target, pauses(history, pause_on, until=now))


def elapsed(calendar: WorkingCalendar, start: datetime, end: datetime,
            history: Iterable[Change], pause_on: Collection[str]) -> timedelta:
    """The working time used between `start` and `end`, not counting pauses."""
    end = as_utc(end)
    return _used(calendar, as_utc(start), end, pauses(history, pause_on, until=end))


@dataclass(frozen=True)
class TargetState:
    """Where one target (response or resolution) stands at a moment."""

    due: datetime | None      # None while paused (not yet known)
    used: timedelta           # working time used, pauses excluded
    remaining: timedelta      # target - used: negative once overdue
    fraction: float           # used / target (1.0 for a zero target)
    at_risk: bool             # at least AT_RISK used and not met (so breached ones too)
    breached: bool            # met after the due moment, or not met and now past it
    met: bool                 # met, and not late
    paused: bool              # not met and the clock stands still now


def state(calendar: WorkingCalendar, start: datetime, target: timedelta,
          history: Iterable[Change], pause_on: Collection[str], now: datetime,
          met_at: datetime | None = None) -> TargetState:
    """The state of a target at `now`; `met_at` is when it was met (first response, resolved)."""
    start = as_utc(start)
    stop = as_utc(now if met_at is None else met_at)  # meeting a target stops its clock
    stopped = pauses(history, pause_on, until=stop)
    paused = met_at is None and bool(stopped) and stopped[-1].end is None
    if met_at is not None and stopped and stopped[-1].end is None:
        # Met during a pause: the clock stopped for good at met_at, so the pause ended there.
        stopped[-1] = Pause(stopped[-1].start, stop)
    due = _due(calendar, start, target, stopped)
    used = _used(calendar, start, stop, stopped)
    breached = due is not None and stop > due
    met = met_at is not None and not breached
    fraction = used / target if target > ZERO else 1.0
    return TargetState(due=due, used=used, remaining=target - used, fraction=fraction,
                       at_risk=fraction >= AT_RISK and not met, breached=breached, met=met,
                       paused=paused)


def _due(calendar: WorkingCalendar, start: datetime, target: timedelta,
         stopped: list[Pause]) -> datetime | None:
    # Walk the pauses in order: spend the target between them until it runs out.
    cursor, left = start, target
    for pause in stopped:
        if pause.end is not None and pause.end <= cursor:
            continue  # over before the clock started (e.g. awaiting approval at creation)
        due = calendar.add(cursor, left)
        if due <= pause.start:
            return due  # ran out before this pause began
        left -= calendar.working_time(cursor, pause.start)
        if pause.end is None:
            return None
        cursor = pause.end
    return calendar.add(cursor, left)


def _used(calendar: WorkingCalendar, start: datetime, end: datetime,
          stopped: list[Pause]) -> timedelta:
    used = calendar.working_time(start, end)
    for pause in stopped:
        pause_end = end if pause.end is None else min(pause.end, end)
        used -= calendar.working_time(max(pause.start, start), pause_end)
    return used


class Target(NamedTuple):
    """A target's working time and the calendar it runs on."""

    calendar: WorkingCalendar
    time: timedelta


class Targets(NamedTuple):
    """What an SLA policy asks of a ticket of one priority."""

    response: Target
    resolution: Target
    pause_on: frozenset[str]


def resolve_targets(catalog: Catalog, item_or_policy_id: Item | str,
                    priority: str) -> Targets | None:
    """The targets for an item (its policy, else `default`) or a policy id, at a priority.

    None when there is no such policy or it sets no target for the priority. A target runs on
    its own calendar if it names one, else on the policy's; a policy with neither runs round the
    clock (UTC).
    """
    if isinstance(item_or_policy_id, str):
        policy = catalog.sla.get(item_or_policy_id)
    else:
        policy = catalog.sla_for(item_or_policy_id)
    target = None if policy is None else policy.targets.get(priority)
    if policy is None or target is None:
        return None
    name = target.calendar or policy.calendar
    if name is None:
        calendar = WorkingCalendar.round_the_clock()
    elif name in catalog.calendars:
        calendar = WorkingCalendar.from_model(catalog.calendars[name])
    else:  # the catalog checks reject this, so a catalog that got here was built by hand
        raise ValueError(f"the SLA calendar {name!r} is not in the catalog")
    return Targets(Target(calendar, target.response_time), Target(calendar, target.resolution_time),
                   frozenset(policy.pause_on))
