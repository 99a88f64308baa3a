"""Some months of made-up ticket history for the demo, so the dashboard and queues have
something to show. Runs once: a database that already has tickets is left alone."""

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from .auth.models import TeamMember, User, find_user
from .catalog import localize
from .config import PRIORITIES
from .extensions import db
from .kb.models import Article, ArticleStatus, Deflection, SearchLog
from .tickets.lifecycle import Status
from .tickets.models import Answer, Event, EventKind, Rating, Ticket, TicketType
from .tickets.numbering import next_number
from .tickets.sla import refresh_sla

DAYS = 120
PER_DAY = (1, 6)
REQUESTERS = ["requester@example.com", "ania@example.com", "manager@example.com",
              "cfo@example.com"]
QUERIES = ["vpn", "password", "printer", "laptop", "mfa", "wifi", "hasło", "phishing",
           "shared mailbox", "zzz"]


def load_history(catalog, seed: int = 2026) -> int:
    """About 400 tickets over the last four months, with replies, resolutions, ratings,
    searches and deflections; returns how many tickets were made (0 if some existed)."""
    if db.session.scalar(select(func.count()).select_from(Ticket)):
        return 0
    # Repeatable made-up history, not a secret.
    rng = random.Random(seed)  # nosec B311
    now = datetime.now(UTC)
    people = [u for u in (find_user(e) for e in REQUESTERS) if u is not None]
    agents = {}
    for member in db.session.scalars(select(TeamMember)):
        agents.setdefault(member.team_id, []).append(db.session.get(User, member.user_id))
    fallback = [u for u in db.session.scalars(select(User).where(User.role == "agent"))]
    items = [i for i in catalog.items if not i.approval] + list(catalog.items)[:3]
    made = 0
    for day in range(DAYS, -1, -1):
        for _ in range(rng.randint(*PER_DAY)):
            created = now - timedelta(days=day, hours=rng.uniform(0, 9), minutes=rng.randint(0, 59))
            ticket = _ticket(rng, catalog, rng.choice(items), rng.choice(people), created,
                             agents, fallback, now)
            made += 1 if ticket else 0
    _self_help(rng, now, people)
    db.session.commit()
    return made


def _ticket(rng, catalog, item, requester, created, agents, fallback, now):
    team_agents = agents.get(item.team) or fallback
    ticket = Ticket(
        number=next_number(TicketType(item.type)), type=TicketType(item.type),
        title=localize(item.name, "en"), status=Status.NEW,
        priority=rng.choices(PRIORITIES, weights=[3, 15, 60, 22])[0],
        team_id=item.team, category_id=item.category, item_id=item.id,
        item_version=item.version, item_name=item.name, restricted=bool(item.restricted),
        requester=requester, created_at=created, updated_at=created)
    db.session.add(ticket)
    ticket.answers.append(Answer(position=0, field_id="details", field_type="textarea",
                                 label="Details", value="It does not work since this morning.",
                                 display="It does not work since this morning."))
    ticket.events.append(Event(actor=requester, kind=EventKind.CREATED, new_value="new",
                               created_at=created))
    age_hours = (now - created).total_seconds() / 3600
    agent = rng.choice(team_agents) if team_agents else None
    moment = created
    if agent is not None and age_hours > 2 and rng.random() < 0.95:
        moment = created + timedelta(minutes=rng.uniform(10, min(age_hours * 60, 60 * 20)))
        ticket.assignee = agent
        ticket.first_response_at = moment
        ticket.events.append(Event(actor=agent, kind=EventKind.ASSIGNED, new_value=agent.name,
                                   created_at=moment))
        _move(ticket, agent, Status.IN_PROGRESS, moment)
        ticket.events.append(Event(actor=agent, kind=EventKind.COMMENT, created_at=moment,
                                   body="Thanks, I am looking into it."))
        done_after = timedelta(hours=rng.lognormvariate(2.3, 1.0))
        if age_hours > 24 and created + done_after < now and rng.random() < 0.9:
            moment = created + done_after
            _move(ticket, agent, Status.RESOLVED, moment)
            ticket.resolved_at = moment
            if rng.random() < 0.6:
                db.session.flush()
                db.session.add(Rating(ticket_id=ticket.id, score=rng.choices(
                    [1, 2, 3, 4, 5], weights=[3, 5, 12, 35, 45])[0], created_at=moment,
                    updated_at=moment))
            if (now - moment).days > 7:
                closed = moment + timedelta(days=rng.uniform(0.2, 6))
                _move(ticket, requester, Status.CLOSED, closed)
                ticket.closed_at = closed
                moment = closed
        elif rng.random() < 0.15:
            moment += timedelta(hours=1)
            _move(ticket, agent, Status.WAITING_ON_REQUESTER, moment)
    ticket.updated_at = moment
    db.session.flush()
    refresh_sla(ticket, catalog)
    return ticket


def _move(ticket, actor, status, moment):
    ticket.events.append(Event(actor=actor, kind=EventKind.STATUS, old_value=ticket.status.value,
                               new_value=status.value, created_at=moment))
    ticket.status = status


def _self_help(rng, now, people):
    articles = db.session.scalars(select(Article).where(
        Article.status == ArticleStatus.PUBLISHED)).all()
    for day in range(DAYS):
        for _ in range(rng.randint(2, 8)):
            query = rng.choice(QUERIES)
            db.session.add(SearchLog(query=query, results=0 if query == "zzz" else 3,
                                     user_id=rng.choice(people).id,
                                     created_at=now - timedelta(days=day, hours=rng.random())))
        if articles and rng.random() < 0.5:
            article = rng.choice(articles)
            db.session.add(Deflection(article_id=article.id, item_id=None,
                                      user_id=rng.choice(people).id,
                                      created_at=now - timedelta(days=day)))
    for article in articles:
        article.views = rng.randint(5, 400)
        article.helpful_yes = rng.randint(0, 40)
        article.helpful_no = rng.randint(0, 8)
