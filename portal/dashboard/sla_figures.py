"""The dashboard's SLA and time figures: targets met and breached per team and priority,
first response and resolution times (see figures.py for the definitions)."""


from sqlalchemy import (
    and_,
    case,
    func,
    or_,
    select,
)

from ..config import PRIORITIES
from ..extensions import db
from ..tickets.models import Ticket
from .dialect import hours_between, json_row, percentiles
from .filters import DashboardFilter
from .scope import PERCENTILES, chosen_values, created_in_range, rounded_hours


def sla_met(done_at, due_at):
    """SQL condition: the target was met (done, and no later than due)."""
    return and_(done_at.is_not(None), done_at <= due_at)


def sla_breached(done_at, due_at, now):
    """SQL condition: done after the due time, or not done and the due time has passed."""
    return or_(done_at > due_at, and_(done_at.is_(None), due_at < now))


def _rate(met: int, breached: int, running: int = 0) -> dict:
    total = met + breached
    return {"met": met, "breached": breached, "total": total, "running": running,
            "percent": round(100.0 * met / total, 1) if total else None}


def sla(flt: DashboardFilter) -> dict:
    """Response and resolution compliance: overall, per team, per priority."""
    targets = {"response": (Ticket.first_response_at, Ticket.response_due_at),
               "resolution": (Ticket.resolved_at, Ticket.resolution_due_at)}
    counts = [func.count()]
    for done_at, due_at in targets.values():
        counts += [func.count(case((sla_met(done_at, due_at), 1))),
                   func.count(case((sla_breached(done_at, due_at, flt.now), 1))),
                   func.count(case((and_(done_at.is_(None), due_at >= flt.now), 1)))]
    # Each team and priority's tickets are one range of ix_tickets_queue, which holds every
    # column the counts read: counting range by range needs no sorting or grouping of the
    # tickets, which is what a GROUP BY costs SQLite.
    teams = chosen_values(Ticket.team_id, flt.team, "teams")

    def in_pair(priority):
        return select(json_row(*counts)).where(
            Ticket.team_id == teams.c.value, Ticket.priority == priority,
            *created_in_range(flt)).scalar_subquery()

    per_team = db.session.execute(select(teams.c.value, *(in_pair(p) for p in PRIORITIES)))
    rows = [(team, priority, pair_counts) for team, *per_priority in per_team
            for priority, (tickets, *pair_counts) in zip(PRIORITIES, per_priority, strict=True)
            if tickets]  # as with GROUP BY, only the pairs with tickets in the range
    result = {}
    for n, name in enumerate(targets):
        overall, by_team, by_priority = [0, 0, 0], {}, {}
        for team, priority, pair_counts in rows:
            for bucket in (overall, by_team.setdefault(team, [0, 0, 0]),
                           by_priority.setdefault(priority, [0, 0, 0])):
                for k in range(3):
                    bucket[k] += pair_counts[3 * n + k]
        result[name] = {
            "overall": _rate(*overall),
            "by_team": {team: _rate(*c) for team, c in sorted(by_team.items())},
            "by_priority": {p: _rate(*c) for p, c in sorted(by_priority.items())},
        }
    return result


def first_response_times(flt: DashboardFilter) -> dict:
    """Median and 90th percentile of the hours to the first response."""
    return _duration(flt, Ticket.first_response_at)


def resolution_times(flt: DashboardFilter) -> dict:
    """Median and 90th percentile of the hours to resolution."""
    return _duration(flt, Ticket.resolved_at)


def _duration(flt: DashboardFilter, done_at) -> dict:
    count, (median, p90) = percentiles(hours_between(done_at, Ticket.created_at), done_at,
                                       created_in_range(flt), PERCENTILES)
    return {"count": count, "median": rounded_hours(median), "p90": rounded_hours(p90)}
