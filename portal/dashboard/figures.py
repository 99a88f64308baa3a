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
    String,
    and_,
    case,
    column,
    func,
    literal,
    or_,
    select,
    values,
)

from ..config import PRIORITIES
from ..extensions import db
from ..kb.models import Article, ArticleStatus, Deflection, SearchLog
from ..tickets.lifecycle import OPEN, Status
from ..tickets.models import Approval, Decision, Rating, Ticket, TicketType
from .dialect import distinct_values, hours_between, json_row, percentiles
from .filters import DashboardFilter

# Age buckets by whole days since created_at: [0, 1), [1, 3), [3, 7), [7, 30), [30, ∞).
AGE_BUCKETS = ("lt1", "1to3", "3to7", "7to30", "gt30")
AGE_LIMITS = (1, 3, 7, 30)
# The enums the figures hold: the shared cache reads back only these.
CACHED_ENUMS = (Status, TicketType, Decision, ArticleStatus)
PERCENTILES = (0.5, 0.9)
BUSIEST_ITEMS = 10
TOP_ARTICLES = 5


def scope(flt: DashboardFilter) -> list:
    """The team, category and item conditions (every ticket figure honours them)."""
    conditions = []
    if flt.team:
        conditions.append(Ticket.team_id == flt.team)
    if flt.category:
        conditions.append(Ticket.category_id == flt.category)
    if flt.item:
        conditions.append(Ticket.item_id == flt.item)
    return conditions


def created_in_range(flt: DashboardFilter) -> list:
    """Tickets created in the range (both ends' whole days), within the scope."""
    return [Ticket.created_at >= flt.since, Ticket.created_at < flt.until, *scope(flt)]


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
    teams = _values(Ticket.team_id, flt.team, "teams")

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


def _values(column, chosen: str, name: str):
    """A CTE of `value`s: the one the filter chose, or every value of the indexed column."""
    if chosen:
        return select(literal(chosen, String).label("value")).cte(name)
    return distinct_values(column, name)


def first_response_times(flt: DashboardFilter) -> dict:
    """Median and 90th percentile of the hours to the first response."""
    return _duration(flt, Ticket.first_response_at)


def resolution_times(flt: DashboardFilter) -> dict:
    """Median and 90th percentile of the hours to resolution."""
    return _duration(flt, Ticket.resolved_at)


def _duration(flt: DashboardFilter, done_at) -> dict:
    count, (median, p90) = percentiles(hours_between(done_at, Ticket.created_at), done_at,
                                       created_in_range(flt), PERCENTILES)
    return {"count": count, "median": _hours(median), "p90": _hours(p90)}


def _hours(value: float | None) -> float | None:
    # julianday() arithmetic is exact to about a millisecond: round off the float noise.
    return None if value is None else round(value, 3)


def busiest_items(flt: DashboardFilter) -> list[dict]:
    """The ten catalog items with the most tickets created in the range."""
    # Item by item, each count is one range of ix_tickets_item_created: no grouping of the
    # tickets by item, which costs a sort of them all.
    items = _values(Ticket.item_id, flt.item, "items")
    counted = select(items.c.value.label("item_id"), select(func.count()).where(
        Ticket.item_id == items.c.value, *created_in_range(flt)).scalar_subquery().label("n")
                     ).subquery()
    rows = db.session.execute(select(counted).where(counted.c.n > 0)
                              .order_by(counted.c.n.desc(), counted.c.item_id)
                              .limit(BUSIEST_ITEMS))
    return [{"item_id": item_id, "count": n} for item_id, n in rows]


def satisfaction(flt: DashboardFilter) -> dict:
    """Ratings of tickets created in the range: count, average and the 1-5 distribution."""
    rows = db.session.execute(
        select(Rating.score, func.count()).join(Ticket, Ticket.id == Rating.ticket_id)
        # Redundant but fast: nobody rates a ticket before it exists, so only ratings made
        # since the range began can belong to its tickets, and ix_ratings_created finds them.
        .where(*created_in_range(flt), Rating.created_at >= flt.since)
        .group_by(Rating.score)).all()
    distribution = dict.fromkeys(range(1, 6), 0)
    for score, n in rows:
        distribution[score] = distribution.get(score, 0) + n
    count = sum(distribution.values())
    # The mean of the five grouped counts is the mean of the ratings, exactly.
    total = sum(score * n for score, n in distribution.items())
    return {"count": count, "average": round(total / count, 2) if count else None,
            "distribution": list(distribution.items()), "max": max([1, *distribution.values()])}


def approval_cycle(flt: DashboardFilter) -> dict:
    """Tickets created in the range whose approval finished: approved (every step said yes)
    or rejected (a step said no), and the median hours from creation to the last decision."""
    finished = _finished_approvals(flt)
    total, no = db.session.execute(select(
        func.count(), func.count(case((finished.c.rejected > 0, 1))))).one()
    # Reused after being executed, a subquery gets a new cache key (the ORM annotates it):
    # a fresh one keeps the second statement's compiled form cached.
    finished = _finished_approvals(flt)
    _count, (median,) = percentiles(hours_between(finished.c.last, finished.c.created_at),
                                    finished.c.last, [], (0.5,))
    return {"finished": total, "approved": total - no, "rejected": no,
            "median_hours": _hours(median)}


def _finished_approvals(flt: DashboardFilter):
    """Per ticket created in the range whose approval finished: created_at, the last
    decision's time and how many steps rejected."""
    rejected = func.count(case((Approval.decision == Decision.REJECTED, 1)))
    pending = func.count(case((Approval.decision == Decision.PENDING, 1)))
    return (
        select(Ticket.created_at, func.max(Approval.decided_at).label("last"),
               rejected.label("rejected"))
        .join(Approval, Approval.ticket_id == Ticket.id).where(*created_in_range(flt))
        .group_by(Ticket.id, Ticket.created_at)
        .having(or_(rejected > 0, pending == 0))).subquery()


def self_help(flt: DashboardFilter) -> dict:
    """Searches, deflections and articles. Searches and deflections count by their own
    created_at in the range; views and votes are the articles' running totals (all time)."""
    def in_range(column):
        return [column >= flt.since, column < flt.until]

    searches, empty = db.session.execute(
        select(func.count(), func.count(case((SearchLog.results == 0, 1))))
        .where(*in_range(SearchLog.created_at))).one()
    deflections = db.session.scalar(
        select(func.count()).select_from(Deflection).where(*in_range(Deflection.created_at)))
    n = func.count(Deflection.id).label("n")
    top_deflecting = db.session.execute(
        select(Article.slug, Article.title, n).join(Deflection, Deflection.article_id == Article.id)
        .where(*in_range(Deflection.created_at)).group_by(Article.id, Article.slug, Article.title)
        .order_by(n.desc(), Article.id).limit(TOP_ARTICLES))
    published = Article.status == ArticleStatus.PUBLISHED
    yes, no = db.session.execute(select(func.coalesce(func.sum(Article.helpful_yes), 0),
                                        func.coalesce(func.sum(Article.helpful_no), 0))
                                 .where(published)).one()
    top_viewed = db.session.execute(
        select(Article.slug, Article.title, Article.views).where(published, Article.views > 0)
        .order_by(Article.views.desc(), Article.id).limit(TOP_ARTICLES))
    return {
        "searches": searches, "zero_results": empty,
        "zero_share": round(100.0 * empty / searches, 1) if searches else None,
        "deflections": deflections,
        "top_deflecting": [{"slug": s, "title": t, "count": c} for s, t, c in top_deflecting],
        "helpful_yes": int(yes), "helpful_no": int(no),
        "helpful_ratio": round(100.0 * yes / (yes + no), 1) if yes + no else None,
        "top_viewed": [{"slug": s, "title": t, "views": v} for s, t, v in top_viewed],
    }


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
