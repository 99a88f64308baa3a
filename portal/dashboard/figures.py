"""Every dashboard figure, one function each, computed by the database.

Each function takes a DashboardFilter and returns plain dicts and lists. The database does the
counting, summing, grouping, sorting and percentiles; what comes back is a handful of rows
(one per day, status, team × priority, score...), never the tickets themselves. Where Python
adds anything up, it adds those few grouped counts (overall SLA = the sum of the per-team rows).
Where it can, a figure counts index ranges (per day, per team and priority, per item) rather
than grouping the range's tickets, which costs a sort of them all.
The page gets them all from collect(), which runs two at a time, each on its own connection.

Definitions (also on the page, in the help text):
- "Created" figures count tickets created in the range; "resolved" counts tickets whose
  resolved_at falls in the range. Team, category and item filters apply to both.
- Backlog: tickets not resolved, closed, rejected or cancelled now, whatever the range (the
  team, category and item filters apply), by status and by age since created_at.
- SLA, for tickets created in the range that have the due time: met = done and done <= due;
  breached = done after due, or not done and due already passed; not done and due in the future
  = still running, left out of the percentage.
- Times: first response = first_response_at - created_at, resolution = resolved_at -
  created_at, wall-clock hours, median and 90th percentile (percentile_cont).
- Busiest items: the ten item_ids with the most tickets created in the range.
- Satisfaction: the ratings of tickets created in the range: count, average, 1-5 distribution.
- Approvals: tickets created in the range whose approval finished (a step rejected, or no step
  pending): how many were approved or rejected, and the median hours from the ticket's
  created_at to its last decided_at.
- Self-help, portal-wide: searches (and the share with no result) and deflections by their own
  created_at in the range, the five articles with most deflections in the range; helpful ratio
  = sum(helpful_yes) / sum(helpful_yes + helpful_no) and the five most viewed, over published
  articles (those counters are all-time totals).
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise

from flask import current_app
from sqlalchemy import (
    DateTime,
    Integer,
    column,
    func,
    select,
    values,
)

from ..extensions import db
from ..kb.models import ArticleStatus
from ..tickets.lifecycle import OPEN, Status
from ..tickets.models import Decision, Ticket, TicketType
from .experience_figures import approval_cycle, satisfaction, self_help
from .filters import DashboardFilter
from .scope import chosen_values, created_in_range, scope
from .sla_figures import first_response_times, resolution_times, sla

# Age buckets by whole days since created_at: [0, 1), [1, 3), [3, 7), [7, 30), [30, ∞).
AGE_BUCKETS = ("lt1", "1to3", "3to7", "7to30", "gt30")
AGE_LIMITS = (1, 3, 7, 30)
# The enums the figures hold: the shared cache reads back only these.
CACHED_ENUMS = (Status, TicketType, Decision, ArticleStatus)
BUSIEST_ITEMS = 10


def _periods(flt: DashboardFilter) -> list:
    """Every period start of the chart, so that empty days or weeks show as zero."""
    if flt.group == "day":
        return [flt.start + timedelta(days=n) for n in range(flt.days)]
    first = flt.start - timedelta(days=flt.start.weekday())
    return [first + timedelta(weeks=n) for n in range((flt.end - first).days // 7 + 1)]


def volume(flt: DashboardFilter) -> dict:
    """Tickets created and resolved per day or week (weeks start on Monday)."""
    periods = _periods(flt)
    # Each period is a range of the created_at (resolved_at) index, cut to the date range:
    # counting index ranges is cheap, unlike working out every ticket's day and sorting by it.
    edges = [flt.since, *(datetime.combine(p, time(), UTC) for p in periods[1:]), flt.until]
    ranges = values(column("n", Integer), column("since", DateTime(timezone=True)),
                    column("until", DateTime(timezone=True)), name="periods").data(
        [(n, since, until) for n, (since, until) in enumerate(pairwise(edges))]).cte()

    def in_period(moment):
        return select(func.count()).where(moment >= ranges.c.since, moment < ranges.c.until,
                                          *scope(flt)).scalar_subquery()

    created, resolved = zip(*db.session.execute(
        select(in_period(Ticket.created_at), in_period(Ticket.resolved_at))
        .select_from(ranges).order_by(ranges.c.n)), strict=True)
    return {"periods": [{"start": p, "created": c, "resolved": r}
                        for p, c, r in zip(periods, created, resolved, strict=True)],
            "created": sum(created), "resolved": sum(resolved),
            "max": max([1, *created, *resolved])}


def _count(*conditions):
    """SQL: how many tickets meet the conditions, as a scalar subquery (one statement can read
    many such counts)."""
    return select(func.count()).select_from(Ticket).where(*conditions).scalar_subquery()


def backlog(flt: DashboardFilter) -> dict:
    """Open tickets now by status and by age bucket (ignores the date range)."""
    # One statement of index range counts: each status, then the open tickets younger than
    # 1, 3, 7 and 30 days, which give each age bucket by subtraction.
    open_now = [Ticket.status.in_(OPEN), *scope(flt)]
    row = db.session.execute(select(
        *(_count(Ticket.status == status, *scope(flt)) for status in OPEN),
        *(_count(*open_now, Ticket.created_at > flt.now - timedelta(days=days))
          for days in AGE_LIMITS))).one()
    by_status = dict(zip(OPEN, row[:len(OPEN)], strict=True))
    total = sum(by_status.values())
    edges = [0, *row[len(OPEN):], total]
    by_age = {name: edges[n + 1] - edges[n] for n, name in enumerate(AGE_BUCKETS)}
    return {"total": total, "by_status": list(by_status.items()),
            "by_age": list(by_age.items())}


def busiest_items(flt: DashboardFilter) -> list[dict]:
    """The ten catalog items with the most tickets created in the range."""
    # Item by item, each count is one range of ix_tickets_item_created: no grouping of the
    # tickets by item, which costs a sort of them all.
    items = chosen_values(Ticket.item_id, flt.item, "items")
    counted = select(items.c.value.label("item_id"), select(func.count()).where(
        Ticket.item_id == items.c.value, *created_in_range(flt)).scalar_subquery().label("n")
                     ).subquery()
    rows = db.session.execute(select(counted).where(counted.c.n > 0)
                              .order_by(counted.c.n.desc(), counted.c.item_id)
                              .limit(BUSIEST_ITEMS))
    return [{"item_id": item_id, "count": n} for item_id, n in rows]


# Slowest first, so that the two workers of collect() finish at about the same time.
FIGURES = {"first_response_times": first_response_times, "resolution_times": resolution_times,
           "sla": sla, "busiest_items": busiest_items,
           "satisfaction": satisfaction, "backlog": backlog, "approvals": approval_cycle,
           "volume": volume, "self_help": self_help}
WORKERS = 2


def collect(flt: DashboardFilter) -> dict:
    """Every figure of the page, by name, computed two at a time.

    Each figure runs in its own app context, hence its own session and connection: SQLite (in
    WAL mode) and PostgreSQL both serve readers in parallel, and the drivers release the GIL
    while a statement runs. The figures never shared one snapshot, in turn or in parallel:
    every statement reads what is committed when it starts (SQLite reads outside a
    transaction, PostgreSQL READ COMMITTED).
    """
    app = current_app._get_current_object()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        running = {name: pool.submit(_in_own_app_context, app, figure, flt)
                   for name, figure in FIGURES.items()}
    return {name: future.result() for name, future in running.items()}


def _in_own_app_context(app, figure, flt: DashboardFilter):
    with app.app_context():
        return figure(flt)
