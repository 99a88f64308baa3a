"""The dashboard's figures about people's experience: satisfaction, approvals and self-help
(see figures.py for the definitions)."""

from sqlalchemy import (
    case,
    func,
    or_,
    select,
)

from ..extensions import db
from ..kb.models import Article, ArticleStatus, Deflection, SearchLog
from ..tickets.models import Approval, Decision, Rating, Ticket
from .dialect import hours_between, percentiles
from .filters import DashboardFilter
from .scope import created_in_range, rounded_hours

TOP_ARTICLES = 5


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
            "median_hours": rounded_hours(median)}


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


